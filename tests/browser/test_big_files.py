"""A citizen attaches a scan over the size limit (session 8, hostile tester of the forms).

The server cannot read a body over its cap (three files of 10 MB and the text): a 33 MB scan was answered 413 and
the comment typed above it came back empty (the page said so). portal.js now refuses such a file before the form
goes, with the text kept; the server still checks every file."""

from __future__ import annotations

import pytest

from comment_portal.db import get_db, scalar

pytestmark = pytest.mark.browser

TEXT = "建议对租用海外仓的企业给予租金补贴，具体情况见所附扫描件。"


def _stored(app) -> int:
    with app.app_context():
        return scalar(get_db(), "SELECT count(*) FROM comments")


def test_a_scan_over_the_cap_is_refused_before_sending_and_the_text_stays(app, page, live_server):
    page.goto(f"{live_server}/c/seed/comment")
    page.get_by_label("意见内容").fill(TEXT)
    page.locator("#attachments").set_input_files(
        [{"name": "扫描件.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n" + b"0" * (33 * 1024 * 1024)}])
    page.get_by_label("我已阅读并同意上述个人信息处理说明").check()
    page.get_by_role("button", name="提交意见").click()
    alert = page.locator("#attachments-refused")
    alert.wait_for()
    assert "扫描件.pdf" in alert.inner_text() and "10 MB" in alert.inner_text()
    assert page.get_by_label("意见内容").input_value() == TEXT
    assert _stored(app) == 0

    page.locator("#attachments").set_input_files([])  # the file taken away: the comment goes
    page.get_by_role("button", name="提交意见").click()
    page.wait_for_url("**/thanks")
    assert _stored(app) == 1


def test_too_many_files_are_refused_before_sending(app, page, live_server):
    page.goto(f"{live_server}/c/seed/comment")
    page.get_by_label("意见内容").fill(TEXT)
    page.locator("#attachments").set_input_files(
        [{"name": f"{n}.png", "mimeType": "image/png", "buffer": b"\x89PNG"} for n in range(4)])
    page.get_by_role("button", name="提交意见").click()
    page.locator("#attachments-refused").wait_for()
    assert "最多可上传3个附件，您选择了4个" in page.locator("#attachments-refused").inner_text()
    assert page.url.endswith("/c/seed/comment") and page.get_by_label("意见内容").input_value() == TEXT
