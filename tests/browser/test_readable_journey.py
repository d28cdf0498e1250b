"""Readable for everyone (issue 12 §5): the 大字版 switch with and without JavaScript, remembered across
pages; the draft page printed without navigation and with its clause numbers."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def root_font_px(page) -> float:
    return float(page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)"))


@pytest.mark.parametrize("scripts", [False, True], ids=["without-js", "with-js"])
def test_large_text_switch_is_remembered_across_pages(browser, live_server, scripts):
    context = browser.new_context(java_script_enabled=scripts, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server}/c/seed#clause-3.3.12")
    standard = root_font_px(page)
    page.get_by_role("link", name="大字版").first.click()
    page.locator("html.large-text").wait_for(state="attached")
    assert root_font_px(page) > standard * 1.2
    assert page.url.startswith(f"{live_server}/c/seed")  # back on (or still on) the same page
    # Another page, loaded fresh: the cookie keeps the choice.
    page.goto(f"{live_server}/c/seed/comment/3.3.12")
    assert "large-text" in (page.locator("html").get_attribute("class") or "")
    page.get_by_role("link", name="标准字号").first.click()
    page.wait_for_function("!document.documentElement.classList.contains('large-text')")
    page.goto(f"{live_server}/")
    assert "large-text" not in (page.locator("html").get_attribute("class") or "")
    assert root_font_px(page) == standard
    context.close()


def test_the_draft_page_prints_without_navigation_and_with_clause_numbers(page, live_server):
    page.goto(f"{live_server}/c/seed")
    assert page.locator("header.site").is_visible() and page.locator(".clause-actions").first.is_visible()
    page.emulate_media(media="print")
    assert not page.locator("header.site").is_visible()
    assert not page.locator("footer.site").is_visible()
    assert not page.locator(".clause-actions").first.is_visible()
    labels = page.locator(".clause-title .label")
    assert labels.count() > 20
    assert labels.first.is_visible() and labels.first.inner_text().strip()
    assert page.locator(".clause-title", has_text="加强头部企业培育引进").first.is_visible()
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF-")


def test_the_receipt_prints_with_its_text_and_without_buttons(page, live_server):
    page.goto(f"{live_server}/c/seed/comment/3.3.12")
    page.get_by_label("意见内容").fill("建议明确跨境电商外汇结算的办理时限，便利中小企业收汇。")
    page.get_by_label("我已阅读并同意上述个人信息处理说明").check()
    page.get_by_role("button", name="提交意见").click()
    page.get_by_role("heading", name="您的意见已提交").wait_for()
    assert page.locator(".receipt-downloads").is_visible()
    page.emulate_media(media="print")
    assert not page.locator(".receipt-downloads").is_visible()
    assert not page.locator("header.site").is_visible()
    assert page.locator("#receipt-code").is_visible()
    assert page.get_by_text("建议明确跨境电商外汇结算的办理时限").first.is_visible()
