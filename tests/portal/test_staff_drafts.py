"""Issue 9 §1-§3 through the pages: an admin uploads a draft (nothing public), checks and fixes it in the
preview (fixes kept for the file), edits the notice, sets the window within the rules and publishes; the public
page shows the notice, 原文下载, 缩短理由 and later window changes; the footer shows the site settings."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest

from comment_portal.db import get_db, one
from comment_portal.store import consultations, reports
from draft import SEED_PATH, load_bytes
from tests.draft.builders import image_pdf, text_pdf
from tests.helpers import (
    RENDING_BODY,
    RENDING_NOTICE,
    audit_rows,
    beijing,
    comment_data,
    csrf_token,
    form_tokens,
    login,
    post_comment,
    word_document,
)

SEED = SEED_PATH.read_bytes()
#: One .docx, built once: python-docx stamps the time into the zip, and a re-import must be the same bytes.
WORD = word_document(RENDING_NOTICE + RENDING_BODY)


def upload(client, data: bytes, name: str, slug: str = "", doc_type: str = "market"):
    token = csrf_token(client, "/staff/new")
    return client.post("/staff/new", data={"csrf_token": token, "file": (io.BytesIO(data), name), "slug": slug,
                                           "doc_type": doc_type}, content_type="multipart/form-data")


def post(client, url: str, form_url: str, **data):
    return client.post(url, data={"csrf_token": csrf_token(client, form_url), **data})


def row(app, slug):
    with app.app_context():
        return one(get_db(), "SELECT * FROM consultations WHERE slug = ?", [slug])


@pytest.fixture
def drafts_dir(app, tmp_path):
    app.config["DRAFT_FILES"] = str(tmp_path / "drafts")
    return tmp_path / "drafts"


def test_an_uploaded_draft_is_on_no_public_page_until_opened(app, admin_client, client, drafts_dir):
    response = upload(admin_client, WORD, "认定办法.docx", slug="rending")
    assert response.status_code == 303 and response.headers["Location"].endswith("/staff/c/rending/preview")
    r = row(app, "rending")
    assert (r["state"], r["source_kind"], r["source_name"]) == ("draft", "docx", "认定办法.docx")
    stored = list(drafts_dir.iterdir())
    assert len(stored) == 1 and stored[0].read_bytes() == WORD and "认定" not in stored[0].name
    for url in ("/c/rending", "/c/rending/comment", "/c/rending/comment/3", "/c/rending/original",
                "/c/rending/draft.docx", "/c/rending/feedback"):
        assert client.get(url).status_code == 404, url
    assert "认定办法" not in client.get("/").get_data(as_text=True)
    assert "认定办法" in admin_client.get("/staff/").get_data(as_text=True)
    # a comment staff typed in for it has a receipt, which the public lookup does not show yet
    with app.app_context():
        from comment_portal.store import comments, staff
        code = comments.enter(get_db(), staff=staff.get(get_db(), admin_client.staff["id"]),
                              now=app.extensions["clock"].now(), consultation_id=r["id"], body="建议明确认定标准。",
                              tokens=[], clause_key=None, channel="letter", submitter_type="个人", name="", contact="",
                              received_on="2024-10-01").receipt_code
    lookup = client.post("/receipt", data={"csrf_token": csrf_token(client, "/receipt"), "code": code})
    assert lookup.status_code == 404 and "认定办法" not in lookup.get_data(as_text=True)


def test_preview_shows_the_file_beside_the_tree_and_a_fix_is_kept_for_the_file(app, admin_client, drafts_dir):
    upload(admin_client, WORD, "认定办法.docx", slug="rending")
    page = admin_client.get("/staff/c/rending/preview").get_data(as_text=True)
    assert "从文件读出" in page and "1.本条第一款所称企业" in page and "第三条" in page
    assert '<code>3.1</code>' in page                        # the parser made 1. an item of 第三条
    fixed = post(admin_client, "/staff/c/rending/preview/fix", "/staff/c/rending/preview", op="merge", key="3.1")
    assert fixed.status_code == 303
    page = admin_client.get("/staff/c/rending/preview").get_data(as_text=True)
    assert "“1.本条第一款所称企业，是指在本市注…”并入上一条" in page
    with app.app_context():
        clause = one(get_db(), "SELECT body FROM clauses WHERE consultation_id = ? AND key = '3'", [row(app, "rending")["id"]])
    assert clause["body"] == "认定工作由市商务局负责。\n1.本条第一款所称企业，是指在本市注册的企业。"
    assert audit_rows(app, "draft.fix")[-1]["staff_id"] == admin_client.staff["id"]
    # the same file uploaded again: the fix is applied again, and said so
    again = upload(admin_client, WORD, "认定办法（再次）.docx", slug="rending-2")
    assert again.status_code == 303
    page = admin_client.get("/staff/c/rending-2/preview").get_data(as_text=True)
    assert "以前导入时做过的 1 项条款修正已重新应用" in page and '<code>3.1</code>' not in page
    # undo, on the second one
    post(admin_client, "/staff/c/rending-2/preview/undo", "/staff/c/rending-2/preview")
    assert '<code>3.1</code>' in admin_client.get("/staff/c/rending-2/preview").get_data(as_text=True)


def test_the_revised_draft_gets_the_fixes_made_in_the_preview(app, admin_client, drafts_dir):
    """The parser misreads the 送审稿 as it misread the draft: the fix is made on it too, so the 修改对照表 shows
    only what the office changed (not 第三条 as changed and its sentence as a new item)."""
    upload(admin_client, WORD, "认定办法.docx", slug="rending")
    post(admin_client, "/staff/c/rending/preview/fix", "/staff/c/rending/preview", op="merge", key="3.1")
    revised = word_document(RENDING_BODY.replace("本市跨境电商企业的认定", "本市跨境电商企业及其分支机构的认定"))
    response = admin_client.post("/staff/c/rending/revised", data={
        "csrf_token": csrf_token(admin_client, "/staff/c/rending/revised"),
        "file": (io.BytesIO(revised), "认定办法（送审稿）.docx")}, content_type="multipart/form-data")
    assert response.status_code == 303
    page = admin_client.get("/staff/c/rending/revised").get_data(as_text=True)
    assert "1条修改、0条新增、0条删除" in page
    assert "做过的 1 项修正已同样应用于送审稿：“1.本条第一款所称企业，是指在本市注…”并入上一条" in page
    assert "（新增）" not in page and "<ins>及其分支机构</ins>" in page
    assert audit_rows(app, "draft.revision")[-1]["after"]["fixes"] == ["“1.本条第一款所称企业，是指在本市注…”并入上一条"]


def test_bad_fixes_and_bad_files_say_why(app, admin_client, drafts_dir):
    upload(admin_client, SEED, "seed.txt", slug="seed-up")
    response = post(admin_client, "/staff/c/seed-up/preview/fix", "/staff/c/seed-up/preview", op="outdent", key="3.1.1")
    assert response.status_code == 303
    assert "只有上一级条款中的最后一项可以移到上一级" in admin_client.get("/staff/c/seed-up/preview").get_data(as_text=True)
    bad = upload(admin_client, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "old.doc", slug="old")
    assert bad.status_code == 400 and "旧版 Word 文件 .doc" in bad.get_data(as_text=True)
    empty = upload(admin_client, b"   ", "empty.txt", slug="empty")
    assert empty.status_code == 400 and "没有可导入的内容" in empty.get_data(as_text=True)
    taken = upload(admin_client, SEED, "seed.txt", slug="seed-up")
    assert taken.status_code == 400 and "已被使用" in taken.get_data(as_text=True)
    assert row(app, "old") is None and row(app, "empty") is None


def test_reviewers_cannot_upload_or_manage_windows(app, reviewer_client, seeded):
    for url in ("/staff/new", "/staff/c/seed/window", "/staff/c/seed/notice", "/staff/site", "/staff/holidays"):
        assert reviewer_client.get(url).status_code == 403, url


def test_notice_window_and_opening_then_the_public_page(app, admin_client, client, drafts_dir, clock):
    upload(admin_client, SEED, "seed.txt", slug="cbec")
    assert row(app, "cbec")["announcement"].startswith("日前,我局草拟了")
    saved = post(admin_client, "/staff/c/cbec/notice", "/staff/c/cbec/notice", title=row(app, "cbec")["title"],
                 announcement=row(app, "cbec")["announcement"], background=row(app, "cbec")["background"],
                 contact="电商处 纪鹏，电话022-63085581", email="dianshang@example.gov.cn",
                 postal_address="天津市河西区友谊路30号", postcode="30020")
    assert saved.status_code == 400 and "邮编应为6位数字" in saved.get_data(as_text=True)
    saved = post(admin_client, "/staff/c/cbec/notice", "/staff/c/cbec/notice", title=row(app, "cbec")["title"],
                 announcement=row(app, "cbec")["announcement"], background=row(app, "cbec")["background"],
                 contact="电商处 纪鹏，电话022-63085581", email="dianshang@example.gov.cn",
                 postal_address="天津市河西区友谊路30号", postcode="300201")
    assert saved.status_code == 303
    # the seed's own 16-day window on a 涉及市场主体 draft: refused without a 缩短理由, on the page
    window = {"doc_type": "market", "opens_on": "2024-10-01", "closes_on": "2024-10-16", "short_reason": "", "reason": ""}
    refused = post(admin_client, "/staff/c/cbec/window/schedule", "/staff/c/cbec/window", **window)
    assert refused.status_code == 400
    assert re.search(r'<ul class="errors" id="short_reason-errors"><li>涉及市场主体的征求意见期一般不少于30日',
                     refused.get_data(as_text=True))   # on the 缩短理由 field, the dates typed kept
    assert 'value="2024-10-16"' in refused.get_data(as_text=True)
    assert row(app, "cbec")["closes_on"] == "2024-10-30"
    past = post(admin_client, "/staff/c/cbec/window/schedule", "/staff/c/cbec/window", **dict(window, opens_on="2024-09-30"))
    assert past.status_code == 400
    assert re.search(r'id="opens_on-errors"><li>开始日期（2024年9月30日）早于今天', past.get_data(as_text=True))
    window["short_reason"] = "为与国家政策出台时间衔接，征求意见期缩短为16日。"
    assert post(admin_client, "/staff/c/cbec/window/schedule", "/staff/c/cbec/window", **window).status_code == 303
    assert client.get("/c/cbec").status_code == 404
    unconfirmed = post(admin_client, "/staff/c/cbec/window/open", "/staff/c/cbec/window")
    assert unconfirmed.status_code == 400 and row(app, "cbec")["state"] == "draft"
    opened = post(admin_client, "/staff/c/cbec/window/open", "/staff/c/cbec/window", confirm="y")
    assert opened.status_code == 303 and row(app, "cbec")["state"] == "public"
    page = client.get("/c/cbec").get_data(as_text=True)
    assert "日前,我局草拟了" in page and "背景介绍" in page and "电商处 纪鹏" in page
    assert "本次征求意见期为16日，少于涉及市场主体一般不少于30日的要求。为与国家政策出台时间衔接" in page
    assert "dianshang@example.gov.cn" in page and "天津市河西区友谊路30号（邮编：300201）" in page
    assert 'href="/c/cbec/original"' in page and 'href="/c/cbec/draft.docx"' in page
    original = client.get("/c/cbec/original")
    assert original.data == SEED and original.headers["Content-Disposition"].startswith("attachment;")
    generated = client.get("/c/cbec/draft.docx")
    assert generated.status_code == 200
    assert [c.key for c in load_bytes(generated.data, "x.docx").walk()] == [
        c.key for c in load_bytes(SEED, "seed.txt").walk()]
    # comments are taken; extended, then closed early, with the reasons on the public page
    assert post_comment(client, "cbec").status_code == 303
    assert post(admin_client, "/staff/c/cbec/window/extend", "/staff/c/cbec/window", closes_on="2024-10-25",
                reason="应企业要求延长。").status_code == 303
    assert "征求意见期已延长至2024年10月25日（2024年10月1日调整，原定截止日期为2024年10月16日）。原因：应企业要求延长。" in \
        client.get("/c/cbec").get_data(as_text=True)
    tokens = form_tokens(client, "/c/cbec/comment")      # a form loaded while it was open …
    clock.set(beijing(2024, 10, 9, 10, 0, 0))
    login(admin_client, admin_client.staff["username"], admin_client.staff["password"])   # the session timed out
    assert post(admin_client, "/staff/c/cbec/window/close", "/staff/c/cbec/window", reason="已达到目的。",
                confirm="y").status_code == 303
    assert client.post("/c/cbec/comment", data=comment_data(*tokens)).status_code == 403   # … sent after closing
    assert "本次征求意见已于2024年10月9日提前截止" in client.get("/c/cbec").get_data(as_text=True)
    actions = [r["action"] for r in audit_rows(app, "window.schedule") + audit_rows(app, "consultation.open")
               + audit_rows(app, "window.extend") + audit_rows(app, "window.close")]
    assert actions == ["window.schedule", "consultation.open", "window.extend", "window.close"]
    assert all(r["staff_id"] == admin_client.staff["id"] for r in audit_rows(app, "window.close"))


def test_a_word_upload_offers_the_word_file_only(app, admin_client, client, drafts_dir):
    upload(admin_client, WORD, "认定办法.docx", slug="rending", doc_type="other")
    post(admin_client, "/staff/c/rending/window/open", "/staff/c/rending/window", confirm="y")
    page = client.get("/c/rending").get_data(as_text=True)
    assert 'href="/c/rending/original"' in page and "draft.docx" not in page
    assert client.get("/c/rending/draft.docx").status_code == 404
    got = client.get("/c/rending/original")
    assert got.data == WORD and got.headers["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    assert "filename*=UTF-8''" in got.headers["Content-Disposition"]
    # the notice's window (2024-10-08 … 11-06) lay ahead, so it was kept
    assert (row(app, "rending")["opens_on"], row(app, "rending")["closes_on"]) == ("2024-10-08", "2024-11-06")
    assert "为做好跨境电商企业认定工作，我局起草了" in page and "未开始" in page   # the notice of the Word file


def test_a_pdf_upload_is_read_from_its_text_layer_and_offered_as_uploaded(app, admin_client, client, drafts_dir):
    pdf = text_pdf(RENDING_NOTICE + RENDING_BODY)
    response = upload(admin_client, pdf, "认定办法.pdf", slug="rending-pdf", doc_type="other")
    assert response.status_code == 303
    r = row(app, "rending-pdf")
    assert (r["state"], r["source_kind"], r["title"]) == ("draft", "pdf", "天津市跨境电商企业认定办法（征求意见稿）")
    page = admin_client.get("/staff/c/rending-pdf/preview").get_data(as_text=True)
    assert "第三条" in page and "认定工作由市商务局负责。" in page
    post(admin_client, "/staff/c/rending-pdf/window/open", "/staff/c/rending-pdf/window", confirm="y")
    public = client.get("/c/rending-pdf").get_data(as_text=True)
    assert "征求意见稿原文（PDF）" in public and "draft.docx" not in public
    got = client.get("/c/rending-pdf/original")
    assert got.data == pdf and got.headers["Content-Type"] == "application/pdf"
    assert client.get("/c/rending-pdf/draft.docx").status_code == 404
    # a scanned PDF (no text layer) is refused with a reason, and nothing is stored
    scanned = upload(admin_client, image_pdf(), "扫描件.pdf", slug="scan")
    assert scanned.status_code == 400 and row(app, "scan") is None
    assert "PDF 文件没有文字层（可能是扫描件），无法导入" in scanned.get_data(as_text=True)
    assert [f.read_bytes() for f in drafts_dir.iterdir()] == [pdf]


def test_site_settings_in_every_footer_and_the_report_signature(app, admin_client, client, seeded):
    client.get("/c/seed")      # the page is cached; the settings must still show at once
    saved = post(admin_client, "/staff/site", "/staff/site", office_name="天津市商务局电商处", sponsor="天津市商务局",
                 site_code="1200000035", icp="津ICP备05004321号", police_record="津公网安备 12010302000123号",
                 footer_contact="022-12345678", feedback_working_days="20")
    assert saved.status_code == 303
    for url in ("/", "/c/seed", "/receipt", "/c/seed/comment", "/c/seed/nothing"):
        page = client.get(url).get_data(as_text=True)
        assert "主办单位：天津市商务局" in page and "网站标识码：1200000035" in page, url
        assert "津ICP备05004321号" in page and "code=12010302000123" in page, url
    with app.app_context():
        db = get_db()
        built = reports.build(db, consultations.get_by_slug(db, "seed"))
    assert built.report.issuer == "天津市商务局电商处"
    assert audit_rows(app, "site.settings")[-1]["after"]["office_name"] == "天津市商务局电商处"
    bad = post(admin_client, "/staff/site", "/staff/site", feedback_working_days="0")
    assert bad.status_code == 400 and "应为1至250" in bad.get_data(as_text=True)


def test_the_staff_home_counts_down_to_the_feedback_and_lists_overdue_first(app, admin_client, seeded, clock):
    with app.app_context():
        from comment_portal.store import consultations
        from draft import load_seed
        consultations.import_draft(get_db(), load_seed(), slug="later", opens_on=date(2024, 10, 20),
                                   closes_on=date(2024, 11, 20), now=app.extensions["clock"].now())
    clock.set(beijing(2024, 10, 11, 9, 0, 0))          # the seed closed on 10-10: due 11-06
    login(admin_client, admin_client.staff["username"], admin_client.staff["password"])
    page = admin_client.get("/staff/").get_data(as_text=True)
    assert "还有19个工作日（2024年11月6日前发布）" in page
    clock.set(beijing(2024, 11, 8, 9, 0, 0))
    login(admin_client, admin_client.staff["username"], admin_client.staff["password"])
    page = admin_client.get("/staff/").get_data(as_text=True)
    assert "已逾期2个工作日" in page
    assert page.index("/staff/c/seed/") < page.index("/staff/c/later/")   # overdue first, though its window is older


def test_holiday_calendar_pages(app, admin_client):
    page = admin_client.get("/staff/holidays").get_data(as_text=True)
    assert "2024、2025、2026" in page and "国庆节调休" in page
    added = post(admin_client, "/staff/holidays/add", "/staff/holidays", day="2027-01-01", kind="holiday", name="元旦")
    assert added.status_code == 303
    refused = post(admin_client, "/staff/holidays/add", "/staff/holidays", day="2027-01-05", kind="workday", name="")
    assert refused.status_code == 400 and "不需要登记为调休上班" in refused.get_data(as_text=True)
    post(admin_client, "/staff/holidays/delete", "/staff/holidays", day="2027-01-01")
    post(admin_client, "/staff/holidays/delete", "/staff/holidays", day="2027-13-45")
    assert [r["action"] for r in audit_rows(app, "holiday.set") + audit_rows(app, "holiday.delete")] == [
        "holiday.set", "holiday.delete"]


