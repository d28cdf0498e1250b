"""Issue 5's whole journey in the browser: a citizen comments on two clauses; staff log in, run the
analysis, write the summarised opinion and decide each group with a reason, submit the report; a second
account (审核) approves it and the admin publishes; the public feedback page and its DOCX show the opinion
with its decision, and the receipt lookup shows it too."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.helpers import browser_login, decide_in_browser, docx_text, make_staff

pytestmark = pytest.mark.browser

ITEM_12 = "3.3.12"
ITEM_16 = "3.4.16"
FX = "建议将小微跨境电商企业免于办理名录登记的金额门槛由20万美元提高到50万美元，便利更多小微企业。联系电话13912345678"
TALENT = "建议在跨境电商人才培养中增加小语种直播和海外营销课程，并对企业自办培训给予补贴。"


def submit_comment(page, base: str, key: str, text: str) -> str:
    page.goto(f"{base}/c/seed/comment/{key}")
    page.get_by_label("意见内容").fill(text)
    page.get_by_label("姓名或单位（选填）").fill("王小明")
    page.get_by_label("我已阅读并同意上述个人信息处理说明").check()
    page.get_by_role("button", name="提交意见").click()
    return page.locator("#receipt-code").inner_text().strip()


def test_comment_decide_publish_and_read_feedback(app, browser, live_server):
    admin = make_staff(app, "chu_admin", "admin", "Dianshang-2024")
    context = browser.new_context(locale="zh-CN", accept_downloads=True)
    citizen = context.new_page()
    code_fx = submit_comment(citizen, live_server, ITEM_12, FX)
    code_talent = submit_comment(citizen, live_server, ITEM_16, TALENT)

    staff = context.new_page()
    browser_login(staff, live_server, admin["username"], admin["password"])
    staff.goto(f"{live_server}/staff/c/seed/groups")
    staff.get_by_role("button", name="运行聚类分析").click()
    assert "上次分析" in staff.locator("main").inner_text()

    staff.get_by_role("link", name=re.compile("外汇|名录|美元|小微")).first.click()
    decide_in_browser(staff, "建议提高小微跨境电商企业免于名录登记的金额门槛。", "部分采纳",
                 "门槛标准由国家外汇管理局统一规定，我们将积极争取在试点中予以放宽。")
    staff.goto(f"{live_server}/staff/c/seed/groups")
    staff.get_by_role("link", name=re.compile("人才|小语种|培训|课程")).first.click()
    decide_in_browser(staff, "建议增加小语种直播和海外营销人才培训。", "采纳", "已在第16项中补充相关表述。")

    staff.goto(f"{live_server}/staff/c/seed/report")
    assert "发布前检查" in staff.locator("main").inner_text()
    staff.get_by_label(re.compile("我已核对预览")).check()
    staff.get_by_role("button", name="提交审核").click()
    assert "已提交审核" in staff.locator("#report-state").inner_text()

    # A second account holding 审核 signs it off (in its own browser session), then the admin publishes.
    approver = make_staff(app, "chu_shenhe", "approver", "Shenhe-2024")
    reviewing = browser.new_context(locale="zh-CN")
    second = reviewing.new_page()
    browser_login(second, live_server, approver["username"], approver["password"])
    second.goto(f"{live_server}/staff/c/seed/report")
    second.get_by_role("button", name="审核通过").click()
    assert "审核通过" in second.locator("#report-state").inner_text()
    reviewing.close()

    staff.goto(f"{live_server}/staff/c/seed/report")
    staff.get_by_label(re.compile("确认签发发布")).check()
    staff.get_by_role("button", name=re.compile("^签发发布第1版")).click()
    assert "已签发发布第1版" in staff.locator("main").inner_text()

    public = context.new_page()
    public.goto(f"{live_server}/c/seed")
    public.get_by_role("link", name=re.compile("采纳情况反馈")).first.click()
    text = public.locator("body").inner_text()
    assert "关于《天津市跨境电子商务高质量发展三年倍增计划(征求意见稿)》公开征求意见采纳情况的反馈" in text
    assert "建议提高小微跨境电商企业免于名录登记的金额门槛" in text and "部分采纳" in text
    assert "国家外汇管理局统一规定" in text
    assert "13912345678" not in text and "王小明" not in text

    with public.expect_download() as info:
        public.get_by_role("link", name=re.compile("DOCX|Word")).first.click()
    document_text = docx_text(Path(info.value.path()).read_bytes())
    assert "部分采纳" in document_text and "国家外汇管理局统一规定" in document_text
    assert "13912345678" not in document_text and "王小明" not in document_text

    for code, decision in [(code_fx, "部分采纳"), (code_talent, "采纳")]:
        public.goto(f"{live_server}/receipt")
        public.get_by_label("回执编号").fill(code)
        public.get_by_role("button", name="查询").click()
        result = public.locator("main").inner_text()
        assert decision in result, result
    context.close()
