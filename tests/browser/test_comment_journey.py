"""A citizen reads the seed draft, reaches item 12 through the table of contents, comments on it,
gets a receipt and looks it up — on a desktop window and at a 390-pixel-wide phone viewport."""

from __future__ import annotations

import re

import pytest

from tests.helpers import console_errors, send_comment_form

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}],
                         ids=["desktop", "phone"])
def test_comment_on_item_12_and_look_up_receipt(browser, live_server, viewport, tmp_path):
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    page = context.new_page()
    errors = console_errors(page)
    page.goto(f"{live_server}/")
    page.get_by_role("link", name=re.compile("天津市跨境电子商务高质量发展三年倍增计划")).click()
    page.get_by_text("目录").first.wait_for()

    page.locator("nav.toc").get_by_role("link", name=re.compile("创新外汇管理服务")).click()
    assert re.search(r"#clause-[\w.]+$", page.url)
    clause = page.locator(page.url[page.url.index("#"):].replace(".", "\\."))
    assert clause.is_visible()
    assert "轧差结算" in clause.inner_text()
    if viewport["width"] == 390:
        # Readable on a phone: nothing wider than the screen.
        assert page.evaluate("document.documentElement.scrollWidth") <= 390

    clause.get_by_role("link", name=re.compile("对此条提意见")).first.click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("对“12.创新外汇管理服务”提意见")
    send_comment_form(page, "建议将免于办理名录登记的金额标准由20万美元提高至50万美元，进一步便利小微企业。",
                      submitter="企业", name="天津某某跨境电商有限公司", contact="13800001111")

    page.get_by_role("heading", name="您的意见已提交").wait_for()
    code = page.locator("#receipt-code").inner_text().strip()
    assert re.fullmatch(r"[2-9A-HJ-NP-Z]{4}(-[2-9A-HJ-NP-Z]{4}){2}", code)
    assert "12.创新外汇管理服务" in page.locator("main").inner_text()
    page.screenshot(path=str(tmp_path / f"receipt-{viewport['width']}.png"), full_page=True)

    page.get_by_role("link", name="回执查询").first.click()
    page.get_by_label("回执编号").fill(code.lower())
    page.get_by_role("button", name="查询").click()
    result = page.locator(".receipt-result").inner_text()
    assert code in result and "已收到，待处理" in result and "创新外汇管理服务" in result
    assert not errors, errors  # no CSP violations or script errors
    context.close()


def test_form_errors_keep_text_in_browser(page, live_server):
    page.goto(f"{live_server}/c/seed/comment")
    page.get_by_label("意见内容").fill("太短")
    page.get_by_role("button", name="提交意见").click()
    assert "意见内容需在5至5000字之间" in page.locator("main").inner_text()
    assert page.get_by_label("意见内容").input_value() == "太短"


def test_keyboard_only_can_reach_and_submit_form(page, live_server):
    page.goto(f"{live_server}/c/seed/comment")
    page.get_by_label("意见内容").focus()
    page.keyboard.type("用键盘填写的一条完整意见。")
    # Tab through the form: the honeypot is skipped (tabindex=-1); reach the consent box and check it.
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "consent":
            break
    assert page.evaluate("document.activeElement.id") == "consent"
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="您的意见已提交").wait_for()
