"""A hostile pass over the staff side (h13, session 9): two staff on one group, stale pages after a re-analysis,
the lower role trying admin pages, personal data in staff-written text and in download metadata."""

from __future__ import annotations

import re

from comment_portal.db import get_db, rows
from tests.helpers import (
    CSRF_RE,
    add_comment,
    decide,
    group,
    login,
    make_group,
    make_staff,
    public_outputs,
    publish,
    published_rows,
    staff_post,
)

SEEN_RE = re.compile(r'<input[^>]*name="seen"[^>]*value="([^"]*)"')


def _second_admin(app):
    make_staff(app, "admin2", "admin", "Second-admin-2024")
    client = app.test_client()
    assert login(client, "admin2", "Second-admin-2024").status_code == 302
    return client


def _group_form(client, gid: int) -> dict:
    """What the group page's one form carries when it is loaded now (the page a staff member keeps open)."""
    page = client.get(f"/staff/c/seed/groups/{gid}").get_data(as_text=True)
    form = page[page.index('class="decision-form"'):]
    form = form[:form.index("</form>")]
    data = {"csrf_token": CSRF_RE.search(form).group(1)}
    if seen := SEEN_RE.search(form):
        data["seen"] = seen.group(1)
    return data


def _save(client, gid: int, loaded: dict, *, title: str, summary: str, category: str, reason: str = ""):
    return client.post(f"/staff/c/seed/groups/{gid}/update", data={
        **loaded, "title": title, "summary": summary, f"g{gid}-category": category, f"g{gid}-reason": reason,
        f"g{gid}-revised_text": "", f"g{gid}-template": "", f"g{gid}-action": "save"})


def _overseas_group(app) -> int:
    ids = [add_comment(app, "建议对企业建设海外仓给予资金补贴，并明确海外仓认定标准和申报流程。", "3.3.10"),
           add_comment(app, "海外仓建设投入大，建议市里出台海外仓专项补贴政策并明确认定标准。", "3.3.10")]
    return make_group(app, ids, key="3.3.10")


def test_two_staff_deciding_one_group_the_second_is_told_and_keeps_their_text(app, seeded, admin_client):
    """Both open the group; one saves 采纳; the other, from the page opened before, saves 未采纳. The later save must
    not silently replace the first: it is refused with what changed, and the text typed is shown again."""
    gid = _overseas_group(app)
    other = _second_admin(app)
    mine = _group_form(admin_client, gid)
    theirs = _group_form(other, gid)
    assert _save(other, gid, theirs, title="海外仓补贴", summary="建议补贴海外仓建设。", category="采纳").status_code == 303

    late = _save(admin_client, gid, mine, title="海外仓", summary="我写的归纳：海外仓认定标准需明确。", category="未采纳",
                 reason="我写的理由：补贴涉及财政预算，另行研究。")
    text = late.get_data(as_text=True)
    assert late.status_code == 409, late.status_code
    assert "admin2" in text and "已被修改" in text
    assert "我写的归纳：海外仓认定标准需明确。" in text and "我写的理由：补贴涉及财政预算，另行研究。" in text
    row = group(app, gid)
    assert row["title"] == "海外仓补贴" and row["summary"] == "建议补贴海外仓建设。"
    # Having seen it, saving again (the page now carries the state it showed) is a deliberate overwrite.
    again = {"csrf_token": CSRF_RE.search(text).group(1), "seen": SEEN_RE.search(text).group(1)}
    assert _save(admin_client, gid, again, title="海外仓", summary="我写的归纳：海外仓认定标准需明确。", category="未采纳",
                 reason="我写的理由：补贴涉及财政预算，另行研究。").status_code == 303
    assert group(app, gid)["title"] == "海外仓"


def test_a_page_opened_before_members_changed_cannot_decide_the_new_members_unseen(app, seeded, admin_client):
    """A decision applies to every member: a page opened before another comment was moved into the group (by a
    colleague or a re-analysis) must not decide that comment unseen."""
    gid = _overseas_group(app)
    loaded = _group_form(admin_client, gid)
    late_id = add_comment(app, "海外仓补贴应当覆盖租赁的海外仓，不仅是自建。", "3.3.10")
    other = _second_admin(app)
    moved = staff_post(other, f"/staff/c/seed/comments/{late_id}/group", {"group": str(gid)},
                       form_url=f"/staff/c/seed/comments/{late_id}")
    assert moved.status_code in (302, 303), moved.status_code
    late = _save(admin_client, gid, loaded, title="海外仓", summary="建议补贴海外仓。", category="采纳")
    assert late.status_code == 409
    assert "海外仓补贴应当覆盖租赁的海外仓" in late.get_data(as_text=True)  # the page now lists it


def test_saving_the_same_page_twice_is_no_conflict(app, seeded, admin_client):
    """The conflict check must not refuse one person's own second save from the page the first one returned."""
    gid = _overseas_group(app)
    first = _group_form(admin_client, gid)
    assert _save(admin_client, gid, first, title="海外仓", summary="第一稿", category="").status_code == 303
    second = _group_form(admin_client, gid)
    assert _save(admin_client, gid, second, title="海外仓", summary="第二稿", category="采纳").status_code == 303
    assert group(app, gid)["summary"] == "第二稿"


COMPANY = "天津港融跨境电商有限公司"


def _report_problems(client) -> str:
    page = client.get("/staff/c/seed/report").get_data(as_text=True)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


def _two_groups(app, *, consented: bool, title: str, summary: str) -> None:
    a = add_comment(app, "建议对企业建设海外仓给予资金补贴，并明确海外仓认定标准和申报流程。", "3.3.10", name=COMPANY,
                    submitter_type="企业", publish_organisation=consented)
    talent = [add_comment(app, "希望加强跨境电商人才培养，支持高校与企业共建实训基地，解决企业招人难的问题。", "3.4.16"),
              add_comment(app, "跨境电商人才短缺，建议支持高校开设跨境电商专业，企业与高校共建实训基地。", "3.4.16")]
    decide(app, group=make_group(app, [a], key="3.3.10", title="海外仓补贴", summary="建议补贴海外仓建设。"),
           category="采纳")
    decide(app, group=make_group(app, talent, key="3.4.16", title=title, summary=summary), category="采纳")


def test_staff_wording_never_names_a_company_that_did_not_agree_to_be_named(app, seeded, admin_client):
    """The form promises a company's name is published only when it ticks 同意公开单位名称. A 归纳意见 written by staff
    that names one (天津港融…等企业建议…) went into every public output, and nothing on the preview said so."""
    _two_groups(app, consented=False, title="人才培养", summary=f"{COMPANY}等企业建议加强跨境电商人才培养。")
    assert "未同意公开名称的单位" in _report_problems(admin_client)
    assert publish(admin_client).status_code == 409
    assert not published_rows(app)


def test_a_group_title_naming_such_a_company_is_caught_too(app, seeded, admin_client):
    """A title staff gave a group is the topic of 意见主要集中在…方面 (a public sentence)."""
    _two_groups(app, consented=False, title=f"{COMPANY}的人才诉求", summary="建议加强跨境电商人才培养。")
    assert "未同意公开名称的单位" in _report_problems(admin_client)
    assert publish(admin_client).status_code == 409


def test_a_company_that_agreed_may_be_named(app, seeded, admin_client):
    _two_groups(app, consented=True, title="人才培养", summary=f"{COMPANY}等企业建议加强跨境电商人才培养。")
    assert "未同意公开名称的单位" not in _report_problems(admin_client)
    assert publish(admin_client).status_code == 303
    assert COMPANY in public_outputs(admin_client)["page"]


def test_erasure_leaves_no_erased_name_or_phone_in_the_audit_log(app, seeded, admin_client):
    """An admin noted 已电话联系李建国（13900001111）; the submitter then asked for erasure. The note is masked, but the
    audit row of the note kept both, shown on 操作记录 and packed into the 归档包 — whose README promises the erasure
    leaves none of the erased values."""
    cid = add_comment(app, "建议对企业建设海外仓给予资金补贴，并明确海外仓认定标准和申报流程。", "3.3.10",
                      name="李建国", contact="lijg_88@example.com")
    page = f"/staff/c/seed/comments/{cid}"
    assert staff_post(admin_client, f"{page}/note", {"note": "已电话联系李建国（13900001111），邮箱 lijg_88@example.com"},
                      form_url=page).status_code == 303
    assert staff_post(admin_client, f"{page}/erase", {"reason": "本人来电申请删除", "confirm": "y"},
                      form_url=f"{page}/erase").status_code == 303
    audit_page = admin_client.get("/staff/c/seed/audit").get_data(as_text=True)
    for erased in ("李建国", "13900001111", "lijg_88@example.com"):
        assert erased not in audit_page, erased
    with app.app_context():
        stored = " ".join(f"{r['before_json']} {r['after_json']}" for r in rows(get_db(), "SELECT * FROM audit_log"))
    assert "李建国" not in stored and "13900001111" not in stored and "lijg_88" not in stored
    # What the note said otherwise, and that the erasure masked it, stay on record.
    assert "已电话联系" in audit_page and "删除提出人个人信息" in audit_page


def _decision_form(client, cid: int) -> dict:
    page = client.get(f"/staff/c/seed/comments/{cid}").get_data(as_text=True)
    form = page[page.index(f'action="/staff/c/seed/comments/{cid}/decision"'):]
    form = form[:form.index("</form>")]
    fields = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', form))
    return {k: v for k, v in fields.items() if k in ("csrf_token", f"c{cid}-csrf_token", f"c{cid}-next", f"c{cid}-seen")}


def test_two_staff_deciding_one_comment_the_second_is_told_and_keeps_their_reason(app, seeded, admin_client):
    cid = add_comment(app, "建议对企业建设海外仓给予资金补贴，并明确海外仓认定标准和申报流程。", "3.3.10")
    other = _second_admin(app)
    mine, theirs = _decision_form(admin_client, cid), _decision_form(other, cid)

    def save(client, loaded, category, reason):
        return client.post(f"/staff/c/seed/comments/{cid}/decision", data={
            **loaded, f"c{cid}-category": category, f"c{cid}-reason": reason, f"c{cid}-revised_text": "",
            f"c{cid}-template": "", f"c{cid}-action": "save"})

    assert save(other, theirs, "采纳", "").status_code == 303
    late = save(admin_client, mine, "未采纳", "我写的理由：补贴由财政统筹安排。")
    text = late.get_data(as_text=True)
    assert late.status_code == 409 and "已被修改" in text and "admin2" in text
    assert "我写的理由：补贴由财政统筹安排。" in text
    with app.app_context():
        assert rows(get_db(), "SELECT category FROM decisions WHERE comment_id = ?", [cid])[0]["category"] == "采纳"


def _word_with_review_traces() -> bytes:
    """The draft as an office's Word file often is: the author's name in its properties, a reviewer's 批注 left in."""
    import io

    import docx

    from tests.helpers import RENDING_BODY, RENDING_NOTICE

    document = docx.Document()
    paragraphs = [document.add_paragraph(line) for line in (RENDING_NOTICE + RENDING_BODY).split("\n")]
    document.add_comment(paragraphs[-2].runs, text="处长：第三条这样写企业会有意见，先别公开讨论", author="张伟", initials="ZW")
    document.core_properties.author = "张伟"
    document.core_properties.last_modified_by = "李娜"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_the_preview_says_what_the_original_file_would_publish_besides_the_text(app, admin_client, tmp_path):
    """原文下载 serves the uploaded file byte for byte: a 批注 left in it (an internal remark with the reviewer's name)
    and the author's name in its properties would be published with it. Before publishing, the preview says so."""
    import io

    app.config["DRAFT_FILES"] = str(tmp_path / "drafts")
    token = CSRF_RE.search(admin_client.get("/staff/new").get_data(as_text=True)).group(1)
    made = admin_client.post("/staff/new", data={"csrf_token": token, "doc_type": "other", "slug": "rending",
                                                 "file": (io.BytesIO(_word_with_review_traces()), "认定办法.docx")},
                             content_type="multipart/form-data")
    assert made.status_code in (302, 303), made.status_code
    page = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", admin_client.get("/staff/c/rending/preview").get_data(as_text=True)))
    assert "原文下载" in page and "1 条批注" in page and "张伟" in page and "李娜" in page, page[:600]


def test_the_published_word_file_says_when_and_by_whom_it_was_made_and_nothing_else(app, seeded, admin_client, client):
    """The author is the issuing office (not a staff login: checked here too); the dates a reader sees in Word's
    properties should be the publication's, not python-docx's template's."""
    import io
    import zipfile

    gid = make_group(app, [add_comment(app, "建议对企业建设海外仓给予资金补贴，并明确海外仓认定标准和申报流程。", "3.3.10")],
                     key="3.3.10")
    decide(app, group=gid, category="采纳")
    assert publish(admin_client).status_code == 303
    archive = zipfile.ZipFile(io.BytesIO(client.get("/c/seed/feedback/v1.docx").data))
    core = archive.read("docProps/core.xml").decode()
    assert "<dc:creator>天津市商务局</dc:creator>" in core and "admin1" not in core
    assert "python-docx" not in core and "2013-12-23" not in core
    assert "2024-10-01" in core and not re.search(r"<dc:description>[^<]", core)
    assert "docProps/app.xml" not in archive.namelist() and "docProps/thumbnail.jpeg" not in archive.namelist()


def test_two_staff_writing_one_note_the_second_keeps_both_texts(app, seeded, admin_client):
    """Two staff add to a comment's 内部备注 from pages opened at the same time: the later save replaced the first
    one's note unseen. Now it is refused, the first note stays, and the page shows both texts."""
    cid = add_comment(app, "建议对企业建设海外仓给予资金补贴，并明确海外仓认定标准和申报流程。", "3.3.10")
    other = _second_admin(app)
    page = f"/staff/c/seed/comments/{cid}"

    def loaded(client) -> dict:
        html = client.get(page).get_data(as_text=True)
        form = html[html.index(f'action="{page}/note"'):]
        return dict(re.findall(r'<input[^>]*name="(csrf_token|seen)"[^>]*value="([^"]*)"', form[:form.index("</form>")]))

    mine, theirs = loaded(admin_client), loaded(other)
    assert other.post(f"{page}/note", data={**theirs, "note": "已电话回访，提出人补充了材料。"}).status_code == 303
    late = admin_client.post(f"{page}/note", data={**mine, "note": "拟并入海外仓组。"})
    text = late.get_data(as_text=True)
    assert late.status_code == 400 and "已被他人修改" in text
    assert "拟并入海外仓组。" in text and "已电话回访，提出人补充了材料。" in text
    with app.app_context():
        assert rows(get_db(), "SELECT staff_note FROM comments WHERE id = ?", [cid])[0]["staff_note"] == \
            "已电话回访，提出人补充了材料。"
    merged = dict(re.findall(r'<input[^>]*name="(csrf_token|seen)"[^>]*value="([^"]*)"',
                             text[text.index(f'action="{page}/note"'):]))
    assert admin_client.post(f"{page}/note", data={**merged, "note": "已电话回访。拟并入海外仓组。"}).status_code == 303


def test_a_page_opened_before_a_re_analysis_cannot_decide_the_re_formed_group_unseen(app, seeded, admin_client):
    """The analysis ran again (an admin, after new comments came in) while a group's page was open: the group the
    page shows is re-formed with other members, and a decision from that page would cover comments nobody read."""
    from tests.helpers import run_analysis, seed_comments

    seed_comments(app)
    run_analysis(app)
    with app.app_context():
        gid = rows(get_db(), "SELECT id FROM groups WHERE kind = 'campaign' AND merged_into IS NULL")[0]["id"]
    loaded = _group_form(admin_client, gid)
    for n in range(3):
        add_comment(app, "强烈建议市商务局对跨境电商中小企业给予房租减免和资金扶持，帮助中小企业渡过难关，扩大出口规模" + "！" * n)
    run_analysis(app)
    with app.app_context():
        members = rows(get_db(), "SELECT count(*) AS n FROM comments WHERE group_id = ?", [gid])[0]["n"]
    assert members > 12  # the re-analysis put the new copies into this group
    late = _save(admin_client, gid, loaded, title="中小企业房租减免", summary="建议减免房租。", category="采纳")
    assert late.status_code == 409 and "已被修改" in late.get_data(as_text=True)


def test_an_erased_name_in_a_groups_summary_is_not_published_after_the_erasure(app, seeded, admin_client):
    """The check blocks staff wording that names a submitter only while it knows the name: once the submitter's
    name is erased on request, a summary that still names them ('李建国等建议…') passed the check and was published."""
    cid = add_comment(app, "建议对企业建设海外仓给予资金补贴，并明确海外仓认定标准和申报流程。", "3.3.10", name="李建国")
    other = add_comment(app, "海外仓建设投入大，建议市里出台海外仓专项补贴政策并明确认定标准。", "3.3.10")
    gid = make_group(app, [cid, other], key="3.3.10", title="海外仓补贴", summary="李建国等提出人建议补贴海外仓建设。")
    decide(app, group=gid, category="部分采纳", reason="已与李建国电话沟通，补贴范围另行研究。")
    assert "提出人的姓名" in _report_problems(admin_client)
    page = f"/staff/c/seed/comments/{cid}"
    assert staff_post(admin_client, f"{page}/erase", {"reason": "本人来电申请删除", "confirm": "y"},
                      form_url=f"{page}/erase").status_code == 303
    publish(admin_client)
    for text in public_outputs(admin_client).values():
        assert "李建国" not in text
