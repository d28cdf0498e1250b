"""Personal data in attachments (session 8, hostile tester of the forms).

Erasure on request (个人信息保护法) blanked the name and contact and masked the comment text, but the text read from
the attachment (an 意见书 signed with name, mobile and ID number) and the file's name (李春华的意见.docx) kept everything:
on the staff pages, in the 报审稿 and in the 归档包. The original file itself is kept (a scan has no text: deleting it
would delete the opinion), and the erase page says so. The receipt listed the file name unmasked as well."""

from __future__ import annotations

from comment_portal.db import get_db, rows
from tests.draft.builders import docx, p
from tests.helpers import paper_lines, post_comment_with_files, staff_post

NAME, PHONE, ID_NUMBER = "李春华", "13912345678", "120103198001011234"
LETTER = ["天津市商务局电子商务处：", "建议对跨境电商中小企业租用海外仓给予租金补贴，降低物流成本。",
          f"联系人：{NAME}，手机{PHONE}，身份证号{ID_NUMBER}。"]


def test_erasure_masks_the_attachments_text_and_name(app, seeded, client, admin_client):
    response = post_comment_with_files(client, [(f"{NAME}的意见.docx", docx([p(line) for line in LETTER]))],
                                       body="意见详见附件。", name=NAME, contact=PHONE)
    assert response.status_code == 303
    with app.app_context():
        (comment,) = rows(get_db(), "SELECT id FROM comments")
    url = f"/staff/c/seed/comments/{comment['id']}/erase"
    assert staff_post(admin_client, url, {"reason": "10月9日来电申请，核对了回执编号", "confirm": "y"},
                      form_url=url).status_code == 303
    with app.app_context():
        (attachment,) = rows(get_db(), "SELECT original_name, text FROM attachments")
    assert "降低物流成本" in attachment["text"]  # the opinion stays
    for value in (NAME, PHONE, ID_NUMBER):
        assert value not in attachment["text"] and value not in attachment["original_name"]
    assert attachment["original_name"].endswith(".docx")
    staff_page = admin_client.get(f"/staff/c/seed/comments/{comment['id']}").get_data(as_text=True)
    assert PHONE not in staff_page and ID_NUMBER not in staff_page and NAME not in staff_page
    assert "附件原件" in admin_client.get(url).get_data(as_text=True)  # the erase page says what stays


def test_the_receipt_masks_personal_data_in_an_attachments_name(app, seeded, client):
    """The receipt page (and its PDF/text download, and the receipt mail) say 以上内容中的手机号…已遮盖, and listed
    the file as the submitter's computer named it: 李春华_13912345678_意见.docx."""
    response = post_comment_with_files(client, [(f"{NAME}_{PHONE}_意见.docx", docx([p(line) for line in LETTER]))],
                                       body="意见详见附件。", name=NAME)
    assert response.status_code == 303
    page = client.get("/c/seed/thanks").get_data(as_text=True)
    assert "意见.docx" in page and PHONE not in page and NAME not in page


def test_a_file_read_after_the_erasure_is_masked_too(app, seeded, client, admin_client):
    """A long PDF's text is read by a background job (ATTACHMENT_INLINE_PAGES): erased before the job ran, its text
    was stored unmasked afterwards, and the parts split from it carried the phone and ID number."""
    from comment_portal import jobs
    from tests.draft.builders import text_pdf

    app.config.update(ATTACHMENT_INLINE_PAGES=1, JOBS_RUNNER="off")
    lines = [*LETTER, *paper_lines()[1:]]
    response = post_comment_with_files(client, [("意见书.pdf", text_pdf("\n".join(lines), size=40))],
                                       body="意见详见附件。", name=NAME, contact=PHONE)
    assert response.status_code == 303
    with app.app_context():
        (pending,) = rows(get_db(), "SELECT text_state FROM attachments")
        container = rows(get_db(), "SELECT id FROM comments")[0]["id"]
    assert pending["text_state"] == "pending"
    url = f"/staff/c/seed/comments/{container}/erase"
    assert staff_post(admin_client, url, {"reason": "来电申请，核对了回执编号", "confirm": "y"},
                      form_url=url).status_code == 303
    assert jobs.run_pending(app, wait=0) is True
    with app.app_context():
        (attachment,) = rows(get_db(), "SELECT text, text_state FROM attachments")
        bodies = [r["body"] for r in rows(get_db(), "SELECT body FROM comments")]
    assert attachment["text_state"] == "done" and "降低物流成本" in attachment["text"]
    for text in [attachment["text"], *bodies]:
        assert PHONE not in text and ID_NUMBER not in text, text
