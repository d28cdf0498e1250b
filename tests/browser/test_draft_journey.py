"""Issue 9 §1-§3 in the browser: an admin sets the site's footer, uploads a .docx draft, fixes one clause in the
preview, publishes it; the public page shows the notice, the footer and 原文下载 (the very bytes uploaded)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.helpers import RENDING_BODY, RENDING_NOTICE, browser_login, make_staff, word_document

pytestmark = pytest.mark.browser

#: Open on the test clock's day (2024-10-01) for 30 days, the minimum of a 涉及市场主体 draft.
NOTICE = RENDING_NOTICE.replace("2024年10月8日至2024年11月6日", "2024年10月1日至2024年10月30日")
WORD = word_document(NOTICE + RENDING_BODY)


def test_upload_fix_publish_and_read(app, browser, live_server, tmp_path):
    admin = make_staff(app, "chu_admin", "admin", "Dianshang-2024")
    context = browser.new_context(locale="zh-CN", accept_downloads=True)
    staff = context.new_page()
    browser_login(staff, live_server, admin["username"], admin["password"])

    staff.get_by_role("link", name="网站设置").first.click()
    staff.get_by_label(re.compile("^机关全称")).fill("天津市商务局电商处")
    staff.get_by_label("主办单位").fill("天津市商务局")
    staff.get_by_label("网站标识码").fill("1200000035")
    staff.get_by_role("button", name="保存").click()
    assert "已保存" in staff.locator("main").inner_text()

    path = tmp_path / "认定办法（征求意见稿）.docx"
    path.write_bytes(WORD)
    staff.goto(f"{live_server}/staff/")
    staff.get_by_role("link", name="上传征求意见稿").click()
    staff.get_by_label(re.compile("^征求意见稿文件")).set_input_files(str(path))
    staff.get_by_label(re.compile("^网址名称")).fill("rending")
    staff.get_by_role("button", name="上传并预览").click()
    main = staff.locator("main").inner_text()
    assert "草稿（未发布）" in main and "从文件读出" in main

    item = staff.locator('[id="clause-3.1"]')
    item.locator("summary").first.click()
    item.get_by_role("button", name=re.compile("^与上一条合并")).first.click()
    main = staff.locator("main").inner_text()
    assert "已修正" in main and "并入上一条" in main
    assert staff.locator('[id="clause-3.1"]').count() == 0

    public = context.new_page()
    assert public.goto(f"{live_server}/c/rending").status == 404          # nothing public yet

    staff.get_by_role("link", name="征求意见期与发布").first.click()
    staff.get_by_label(re.compile("确认发布")).check()
    staff.get_by_role("button", name="发布征求意见稿").click()
    assert "已发布" in staff.locator("main").inner_text()

    assert public.goto(f"{live_server}/c/rending").status == 200
    text = public.locator("body").inner_text()
    assert "为做好跨境电商企业认定工作，我局起草了" in text                        # the 公告
    assert "dianshang@example.gov.cn" in text and "邮编：300201" in text        # how to send by e-mail and post
    footer = public.locator("footer").inner_text()
    assert "主办单位：天津市商务局" in footer and "网站标识码：1200000035" in footer and "天津市商务局电商处" in footer
    third = public.locator('[id="clause-3"]').inner_text()
    assert "1.本条第一款所称企业" in third                                       # the fix is what the public reads
    with public.expect_download() as info:
        public.get_by_role("link", name=re.compile("征求意见稿原文")).click()
    download = info.value
    assert download.suggested_filename.endswith(".docx")
    assert Path(download.path()).read_bytes() == WORD
    context.close()
