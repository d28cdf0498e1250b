"""建议修改为 (issue 12 §3) and the receipt worth keeping (§4): staff see a proposal as a difference against the
clause and adopt it in one click; the receipt shows the masked text, clause, time and files, downloads as .txt
and .pdf, and after publication the decision on each part."""

from __future__ import annotations

import io
import re

from comment_portal.db import get_db, one, rows
from comment_portal.store import decisions
from tests.helpers import CSRF_RE, comment_data, decide, form_tokens, make_group, publish, staff_post

KEY = "3.4.14"


def _clause_text(app, key=KEY) -> str:
    with app.app_context():
        return one(get_db(), "SELECT body FROM clauses WHERE key = ?", [key])["body"]


def _propose(client, proposal: str, body: str = "", **fields):
    url = f"/c/seed/comment/{KEY}"
    return client.post(url, data=comment_data(*form_tokens(client, url), body=body, proposal=proposal, **fields))


def _last(app) -> dict:
    with app.app_context():
        return one(get_db(), "SELECT * FROM comments ORDER BY id DESC LIMIT 1")


def test_the_proposal_box_starts_with_the_clause_and_an_unchanged_box_proposes_nothing(app, client, seeded):
    before = _clause_text(app)
    page = client.get(f"/c/seed/comment/{KEY}").get_data(as_text=True)
    assert "建议修改为（选填）" in page and f">\n{before}</textarea>" in page.replace("\r", "")
    assert _propose(client, before, body="建议完善国际物流服务体系。").status_code == 303
    assert _last(app)["proposal"] is None
    # The proposal alone is an opinion; without it and without text there is none.
    assert _propose(client, before, body="").status_code == 400
    changed = before.replace("。", "，对海外仓给予租金补贴。", 1)
    assert _propose(client, changed).status_code == 303
    assert _last(app)["proposal"] == changed and _last(app)["body"] == ""


def test_staff_see_the_difference_and_adopt_it_in_one_click(app, client, seeded, reviewer_client, admin_client):
    before = _clause_text(app)
    changed = before.replace("。", "，对海外仓给予租金补贴。", 1)
    _propose(client, changed, body="建议增加对海外仓的租金补贴。", submitter_type="企业", name="某某物流有限公司")
    comment = _last(app)
    page = reviewer_client.get(f"/staff/c/seed/comments/{comment['id']}").get_data(as_text=True)
    assert "<ins>，对海外仓给予租金补贴</ins>" in page
    assert f"/staff/c/seed/comments/{comment['id']}?adopt=1" in page
    adopt = reviewer_client.get(f"/staff/c/seed/comments/{comment['id']}?adopt=1").get_data(as_text=True)
    form = re.search(r'<textarea[^>]*name="c\d+-revised_text"[^>]*>\n?([^<]*)</textarea>', adopt)
    assert form and form.group(1).strip() == changed  # 修改后表述 filled with the proposal
    assert re.search(r'<option selected value="采纳">|<option value="采纳" selected>', adopt)

    prefix = f"c{comment['id']}"
    url = f"/staff/c/seed/comments/{comment['id']}/decision"
    response = staff_post(reviewer_client, url, {f"{prefix}-category": "采纳", f"{prefix}-reason": "",
                                                 f"{prefix}-revised_text": changed, f"{prefix}-action": "save",
                                                 f"{prefix}-template": "", f"{prefix}-next": ""},
                          form_url=f"/staff/c/seed/comments/{comment['id']}")
    assert response.status_code == 303
    with app.app_context():
        db = get_db()
        assert one(db, "SELECT proposal_of FROM decisions WHERE comment_id = ?", [comment["id"]])["proposal_of"] \
            == comment["id"]
        assert decisions.adopted_proposals(db, 1) == {KEY: [comment["id"]]}

    assert publish(admin_client).status_code == 303
    report = client.get("/c/seed/feedback").get_data(as_text=True)
    assert "修改后（采纳提出人建议的表述）" in report and "对海外仓给予租金补贴" in report
    data = client.get("/c/seed/feedback/v1.json").get_json()
    assert [o["change"]["proposed"] for o in data["opinions"] if o["change"]] == [True]


def test_staff_wording_is_not_cited_as_the_submitters(app, client, seeded):
    changed = _clause_text(app).replace("。", "，对海外仓给予租金补贴。", 1)
    _propose(client, changed)
    comment = _last(app)
    with app.app_context():
        db = get_db()
        group = make_group(app, [comment["id"]], key=KEY)
        decide(app, group=group, revised_text="工作人员自己的表述。")
        assert one(db, "SELECT proposal_of FROM decisions WHERE group_id = ?", [group])["proposal_of"] is None
        decide(app, group=group, revised_text=changed + "  ")
        assert one(db, "SELECT proposal_of FROM decisions WHERE group_id = ?", [group])["proposal_of"] == comment["id"]


def test_the_receipt_shows_the_masked_text_and_downloads(app, client, seeded):
    body = "建议完善国际物流服务体系，详情请致电13912345678与我联系。"
    url = f"/c/seed/comment/{KEY}"
    data = comment_data(*form_tokens(client, url), body=body, name="王小明", contact="wxm@example.com")
    data["attachments"] = [(io.BytesIO(b"\x89PNG\r\n\x1a\n" + _png_rest()), "照片.png")]
    assert client.post(url, data=data, content_type="multipart/form-data").status_code == 303
    code = _last(app)["receipt_code"]
    page = client.get("/c/seed/thanks").get_data(as_text=True)
    assert code in page and "14.完善国际物流服务体系" in page and "2024年10月1日" in page and "照片.png" in page
    assert "【手机号码已隐去】" in page and "13912345678" not in page and "wxm@example.com" not in page
    assert "接下来会怎样" in page

    token = CSRF_RE.search(page).group(1)
    txt = client.post("/receipt/download", data={"csrf_token": token, "code": code.lower(), "format": "txt"})
    assert txt.status_code == 200 and txt.headers["Content-Type"].startswith("text/plain")
    assert txt.headers["Content-Disposition"].startswith("attachment;") and txt.headers["Cache-Control"] == "no-store"
    text = txt.data.decode("utf-8-sig")
    assert code in text and "【手机号码已隐去】" in text and "13912345678" not in text and "附件：照片.png" in text
    pdf = client.post("/receipt/download", data={"csrf_token": token, "code": code, "format": "pdf"})
    assert pdf.data.startswith(b"%PDF-") and len(pdf.data) < 20_000
    assert pdf.headers["Content-Type"] == "application/pdf"
    wrong = client.post("/receipt/download", data={"csrf_token": token, "code": "ABCD-EFGH-JKLM", "format": "txt"})
    assert wrong.status_code == 404
    # The same receipt through the lookup, on another day.
    lookup = client.post("/receipt", data={"csrf_token": token, "code": code}).get_data(as_text=True)
    assert "【手机号码已隐去】" in lookup and "照片.png" in lookup and "下载回执（PDF）" in lookup


def test_after_publication_the_receipt_lists_the_decision_on_each_part(app, client, seeded, admin_client):
    page = client.get("/c/seed/comment-many").get_data(as_text=True)
    data = {"csrf_token": CSRF_RE.search(page).group(1),
            "form_token": re.search(r'name="form_token" value="([^"]+)"', page).group(1),
            "submitter_type": "社会组织", "name": "某某协会", "contact": "", "consent": "y", "website": "",
            "body-3.3.12": "建议明确外汇结算办理时限。", "body-3.4.14": "建议对海外仓给予租金补贴。"}
    assert client.post("/c/seed/comment-many", data=data).status_code == 303
    with app.app_context():
        container, first, second = rows(get_db(), "SELECT * FROM comments ORDER BY id")
    decide(app, comment=first["id"], category="采纳")
    decide(app, comment=second["id"], category="未采纳", reason="超出本计划调整范围。")
    assert publish(admin_client).status_code == 303
    lookup = client.post("/receipt", data={"csrf_token": data["csrf_token"], "code": container["receipt_code"]})
    page = lookup.get_data(as_text=True)
    assert page.count("采纳情况（摘自已发布的采纳情况反馈第1版）") == 2
    assert "未采纳" in page and "超出本计划调整范围。" in page


def _png_rest() -> bytes:
    """The rest of a valid 1×1 PNG after its signature."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (1, 1)).save(buffer, "PNG")
    return buffer.getvalue()[8:]
