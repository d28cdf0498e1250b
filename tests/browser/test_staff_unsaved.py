"""Staff pages ask before a page with typed, unsaved text is left (static/staff.js), as the public comment form does:
a 归纳意见 or a reason written for half an hour is not lost to a stray click on a link."""

from __future__ import annotations

import re

import pytest

from tests.helpers import add_comment, browser_login, console_errors, make_group, make_staff

pytestmark = pytest.mark.browser


def _group(app) -> int:
    ids = [add_comment(app, "建议对企业建设海外仓给予资金补贴，并明确海外仓认定标准和申报流程。", "3.3.10"),
           add_comment(app, "海外仓建设投入大，建议市里出台海外仓专项补贴政策并明确认定标准。", "3.3.10")]
    return make_group(app, ids, key="3.3.10")


def test_leaving_a_group_page_with_an_unsaved_summary_asks_and_saving_does_not(app, browser, live_server):
    gid = _group(app)
    make_staff(app, "reviewer1", "reviewer")
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    errors = console_errors(page)
    browser_login(page, live_server, "reviewer1", "Review-pass-2024")
    page.wait_for_url("**/staff/")
    page.goto(f"{live_server}/staff/c/seed/groups/{gid}")
    asked: list[str] = []
    page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.dismiss()))  # 取消: stay

    page.get_by_role("link", name="← 全部分组").click()  # untouched: leaves without a question
    page.wait_for_url("**/groups")
    assert asked == []
    page.go_back()
    page.wait_for_url(f"**/groups/{gid}")

    summary = "多位提交人建议对海外仓建设给予补贴，并明确认定标准。这是我写了半小时的归纳。"
    page.get_by_role("textbox", name=re.compile("^归纳意见")).fill(summary)
    page.get_by_role("link", name="← 全部分组").click()
    page.wait_for_timeout(500)
    assert asked == ["beforeunload"]
    assert page.url.endswith(f"/groups/{gid}")
    assert page.get_by_role("textbox", name=re.compile("^归纳意见")).input_value() == summary

    page.get_by_role("button", name="保存", exact=True).click()  # sending the form asks nothing
    page.get_by_text("分组名称和归纳意见已保存").wait_for()
    assert asked == ["beforeunload"]
    page.get_by_role("link", name="← 全部分组").click()  # saved: nothing left to lose
    page.wait_for_url("**/groups")
    assert asked == ["beforeunload"]
    assert not errors, errors
    context.close()


def test_a_changed_decision_select_alone_asks_too(app, browser, live_server):
    gid = _group(app)
    make_staff(app, "reviewer1", "reviewer")
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    browser_login(page, live_server, "reviewer1", "Review-pass-2024")
    page.wait_for_url("**/staff/")
    page.goto(f"{live_server}/staff/c/seed/groups/{gid}")
    asked: list[str] = []
    page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.accept()))  # 离开
    page.get_by_label("采纳情况", exact=True).select_option("未采纳")
    page.get_by_role("link", name="← 全部分组").click()
    page.wait_for_url("**/groups")
    assert asked == ["beforeunload"]
    context.close()


def test_a_save_refused_because_a_colleague_saved_first_keeps_the_text_and_still_asks(app, browser, live_server):
    """Two staff on one group in two browsers: the second 保存 is refused (the group changed meanwhile), the page shows
    what they typed and the decision now stored, and leaving it still asks (the text is not saved)."""
    gid = _group(app)
    make_staff(app, "reviewer1", "reviewer")
    make_staff(app, "reviewer2", "reviewer", "Review-pass-2025")
    pages = []
    for user, password in (("reviewer1", "Review-pass-2024"), ("reviewer2", "Review-pass-2025")):
        context = browser.new_context(locale="zh-CN")
        page = context.new_page()
        browser_login(page, live_server, user, password)
        page.wait_for_url("**/staff/")
        page.goto(f"{live_server}/staff/c/seed/groups/{gid}")
        pages.append(page)
    first, second = pages
    first.get_by_label("采纳情况", exact=True).select_option("采纳")
    first.get_by_role("button", name="保存", exact=True).click()
    first.get_by_text("当前决定：采纳").wait_for()

    summary = "第二位同事写的归纳意见：海外仓补贴应覆盖租赁仓。"
    second.get_by_role("textbox", name=re.compile("^归纳意见")).fill(summary)
    second.get_by_label("采纳情况", exact=True).select_option("未采纳")
    second.get_by_label("理由说明", exact=True).fill("财政另行安排。")
    second.get_by_role("button", name="保存", exact=True).click()
    alert = second.locator("#review-conflict")
    alert.wait_for()
    assert "reviewer1" in alert.inner_text()
    assert "当前决定：采纳" in second.locator("main").inner_text()
    assert second.get_by_role("textbox", name=re.compile("^归纳意见")).input_value() == summary
    asked: list[str] = []
    second.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.dismiss()))
    second.get_by_role("link", name="← 全部分组").click()
    second.wait_for_timeout(500)
    assert asked == ["beforeunload"]
    for page in pages:
        page.context.close()
