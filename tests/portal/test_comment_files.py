"""Files on the comment form (issue 12 §1): checked by content, kept outside the web root under random names,
downloadable by staff only, their text analysed like typed text; anything else refused with the text kept."""

from __future__ import annotations

import json
import re

import pytest

from comment_portal import uploads
from tests.draft.builders import docx, image_pdf, p, text_pdf
from tests.helpers import comment_data, form_tokens, login, make_staff, post_comment_with_files
from tests.helpers import comments_and_attachments as _stored

PAPER = "关于海外仓建设的意见：建议对企业自建海外仓给予租金补贴，并简化出口退税手续。"
TYPED = "我们的详细意见见附件，请研究采纳。"


def _post(client, files, key: str | None = "3.2.7", **fields):
    return post_comment_with_files(client, files, key, **fields)


def test_a_word_file_is_stored_under_a_random_name_and_its_text_is_analysed(app, client, seeded):
    response = _post(client, [("意见书.docx", docx([p(PAPER)]))], body=TYPED)
    assert response.status_code == 303
    comments, files = _stored(app)
    assert len(comments) == 1 and len(files) == 1
    a = files[0]
    assert a["comment_id"] == comments[0]["id"] and a["original_name"] == "意见书.docx" and a["kind"] == "docx"
    assert PAPER in a["text"] and a["has_text_layer"] == 1
    assert re.fullmatch(r"[0-9a-f]{32}", a["stored_name"])
    folder = uploads.folder(app)
    assert (folder / a["stored_name"]).read_bytes()[:2] == b"PK"
    assert not str(folder).startswith(app.static_folder)
    tokens = json.loads(comments[0]["tokens"])
    assert "海外仓" in tokens and "退税" in tokens  # the file's words, not only the typed ones
    assert comments[0]["body"] == TYPED


def test_a_file_without_typed_text_is_a_comment(app, client, seeded):
    response = _post(client, [("position.pdf", text_pdf(PAPER))], body="")
    assert response.status_code == 303
    comments, files = _stored(app)
    assert comments[0]["body"] == "" and files[0]["kind"] == "pdf" and files[0]["pages"] == 1
    assert "海外仓" in json.loads(comments[0]["tokens"])


def test_no_text_and_no_file_is_still_refused(app, client, seeded):
    response = _post(client, [], body="")
    assert response.status_code == 400
    assert "请填写意见内容" in response.get_data(as_text=True)
    assert _stored(app) == ([], [])


@pytest.mark.parametrize("name, body, reason", [
    ("意见.pdf", b"MZ\x90\x00" + b"\x00" * 2000, "可执行程序"),           # a program renamed .pdf
    ("意见.docx", b"PK\x03\x04" + b"\x00" * 100, "无法"),                   # not a Word file inside
    ("意见.txt", "纯文本".encode(), "无法识别"),
])
def test_a_file_that_is_not_what_it_says_is_refused_and_the_text_is_kept(app, client, seeded, name, body, reason):
    response = _post(client, [(name, body)], body=TYPED, name="天津某某贸易有限公司")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert reason in page and f"附件“{name}”未能接收" in page
    assert TYPED in page and "天津某某贸易有限公司" in page  # what was typed is still there
    assert "请重新选择" in page  # and the page says the file must be chosen again
    assert _stored(app) == ([], [])
    folder = uploads.folder(app)
    assert not folder.exists() or not list(folder.iterdir())


def test_a_file_over_the_size_limit_is_refused_with_the_text_kept(app, client, seeded):
    app.config["ATTACHMENT_MAX_BYTES"] = 5_000
    big = text_pdf("\n".join([PAPER] * 120))
    assert len(big) > 5_000
    response = _post(client, [("大文件.pdf", big)], body=TYPED)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "文件过大" in page and "不能超过 4 KB" in page and TYPED in page
    assert _stored(app) == ([], [])


def test_more_than_three_files_are_refused(app, client, seeded):
    files = [(f"{i}.pdf", text_pdf(PAPER)) for i in range(4)]
    response = _post(client, files, body=TYPED)
    assert response.status_code == 400 and "最多可上传3个附件" in response.get_data(as_text=True)
    assert _stored(app) == ([], [])


def test_body_limits_only_open_for_files_on_the_comment_forms(app, client, seeded):
    # A urlencoded comment (no file possible) keeps the 64 KiB cap ...
    url = "/c/seed/comment"
    response = client.post(url, data=comment_data(*form_tokens(client, url), body="意" * 40000))
    assert response.status_code == 413
    # ... a multipart one may carry files, but not beyond 3 × the file limit plus room for text ...
    app.config["ATTACHMENT_MAX_BYTES"] = 1000
    fields = comment_data(*form_tokens(client, url), body=TYPED)
    body = b"".join(f'--B\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
                    for k, v in fields.items())
    body += (b'--B\r\nContent-Disposition: form-data; name="attachments"; filename="big.pdf"\r\n'
             b"Content-Type: application/pdf\r\n\r\n%PDF-" + b"0" * (3 * 1024 * 1024) + b"\r\n--B--\r\n")
    response = client.post(url, data=body, content_type="multipart/form-data; boundary=B")
    assert response.status_code == 413 and "附件最多3个" in response.get_data(as_text=True)
    # ... and no other page takes a large body.
    response = client.post("/receipt", data=body, content_type="multipart/form-data; boundary=B")
    assert response.status_code == 413
    assert _stored(app) == ([], [])


def test_a_scan_is_stored_and_marked_for_staff(app, client, seeded):
    assert _post(client, [("扫描件.pdf", image_pdf(2))], body=TYPED).status_code == 303
    _, files = _stored(app)
    assert files[0]["has_text_layer"] == 0 and files[0]["text"] == "" and files[0]["pages"] == 2
    staff = make_staff(app, "reader1", "reviewer")
    login(client, staff["username"], staff["password"])
    page = client.get(f"/staff/c/seed/comments/{files[0]['comment_id']}").get_data(as_text=True)
    assert "扫描件.pdf" in page and "无文字层，需人工阅读" in page


def test_only_staff_download_files_and_only_as_downloads(app, client, seeded):
    original = docx([p(PAPER)])
    _post(client, [("意见书.docx", original)], body=TYPED)
    _, files = _stored(app)
    url = f"/staff/c/seed/attachments/{files[0]['id']}"
    assert client.get(url).status_code == 302  # logged out: the login page
    # No public URL serves the folder, under any name.
    assert client.get(f"/static/{files[0]['stored_name']}").status_code == 404
    assert client.get(f"/attachments/{files[0]['stored_name']}").status_code == 404
    staff = make_staff(app, "reader1", "reviewer")
    login(client, staff["username"], staff["password"])
    response = client.get(url)
    assert response.status_code == 200 and response.data == original
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "UTF-8''%E6%84%8F%E8%A7%81%E4%B9%A6.docx" in response.headers["Content-Disposition"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert client.get(f"/staff/c/seed/attachments/{files[0]['id'] + 1}").status_code == 404


def test_the_attachment_never_reaches_a_public_page(app, client, seeded):
    _post(client, [("意见书.docx", docx([p("独一无二的附件句子用于检查公开输出。")]))], body=TYPED)
    thanks = client.get("/c/seed/thanks").get_data(as_text=True)
    assert "意见书.docx" in thanks  # the submitter sees the name of what they sent ...
    assert "独一无二的附件句子" not in thanks  # ... never its content
    for url in ("/", "/c/seed"):
        assert "意见书" not in client.get(url).get_data(as_text=True)


def test_a_file_larger_than_a_text_field_is_accepted(app, client, seeded):
    # Werkzeug applies the text fields' limit (max_form_memory_size) to its parse buffer, which a file's
    # data passes through in 64 KiB chunks: a file of a few hundred KB must still go through.
    paper = text_pdf("\n".join([PAPER] * 2500))
    assert len(paper) > 150 * 1024
    response = _post(client, [("意见书.pdf", paper)], body=TYPED)
    assert response.status_code == 303
    _, files = _stored(app)
    assert files[0]["size"] == len(paper) and PAPER in files[0]["text"]
