"""Staff triage by keyboard alone in Debian's chromium: filter the queue, open a comment, mark it spam, run the
analysis and rename a group — no mouse, no JavaScript needed, no CSP errors."""

from __future__ import annotations

import re

import pytest

from tests.helpers import browser_login, console_errors, make_staff, seed_comments

pytestmark = pytest.mark.browser


def _tab_to(page, predicate, limit: int = 80) -> None:
    """Press Tab until the focused element matches ``predicate`` (a JS expression over ``el``)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const el = document.activeElement; return !!({predicate}); }})()"):
            return
    raise AssertionError(f"never focused: {predicate}")


def test_triage_by_keyboard(app, browser, live_server):
    ids = seed_comments(app)
    make_staff(app, "admin1", "admin", "Admin-pass-2024")
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    errors = console_errors(page)
    browser_login(page, live_server, "admin1", "Admin-pass-2024", by_keyboard=True)

    # Queue: pick the status filter by keyboard and submit the filter form with Enter.
    page.goto(f"{live_server}/staff/c/seed/queue")
    _tab_to(page, "el.name === 'q'")
    page.keyboard.type("外汇")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"q=%E5%A4%96%E6%B1%87"))
    assert "共 1 条符合条件" in page.locator("main").inner_text()

    # Open the comment from the list and mark it as spam with the keyboard.
    _tab_to(page, f"el.tagName === 'A' && el.textContent.trim() === '{ids['forex'][0]}'")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/comments/{ids['forex'][0]}$"))
    _tab_to(page, "el.type === 'radio' && el.value === 'spam'")
    page.keyboard.press("Space")
    _tab_to(page, "el.tagName === 'BUTTON' && el.textContent.includes('保存状态')")
    page.keyboard.press("Enter")
    page.get_by_text("状态改为“无效”").wait_for()

    # Groups: run the analysis, open the campaign, rename it.
    page.goto(f"{live_server}/staff/c/seed/groups")
    _tab_to(page, "el.tagName === 'BUTTON' && el.textContent.includes('运行聚类分析')")
    page.keyboard.press("Enter")
    page.get_by_text("分析完成").wait_for()
    _tab_to(page, "el.tagName === 'A' && el.closest('table.groups') && el.closest('tr').textContent.includes('集中意见')")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/groups/\d+$"))
    _tab_to(page, "el.name === 'title'")
    page.keyboard.press("Control+A")
    page.keyboard.type("中小企业房租减免诉求")
    _tab_to(page, "el.name === 'summary'")
    page.keyboard.type("多位提交人建议对跨境电商中小企业给予房租减免和资金扶持。")
    _tab_to(page, "el.tagName === 'BUTTON' && el.textContent.trim() === '保存'")
    page.keyboard.press("Enter")
    page.get_by_text("分组名称和归纳意见已保存").wait_for()
    assert page.get_by_role("heading", level=1).inner_text() == "中小企业房租减免诉求"
    assert "12 条意见计入" in page.locator("main").inner_text()
    assert not errors, errors
    context.close()
