"""A newcomer triages an association's letter on five clauses in a real browser: 按条款拆分, then each part decided on
its own page while the letter's page keeps count of what is left (issue 10 item 7)."""

from __future__ import annotations

import re

import pytest

from tests.helpers import add_comment, browser_login, console_errors, make_staff
from tests.portal.test_split_letters import LETTER

pytestmark = pytest.mark.browser


def test_a_newcomer_splits_a_letter_and_sees_what_is_left_to_decide(app, browser, live_server):
    letter = add_comment(app, LETTER, channel="letter", name="天津市跨境电子商务协会", submitter_type="社会组织")
    make_staff(app, "reviewer1", "reviewer")
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    errors = console_errors(page)
    asked: list[str] = []
    page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.accept()))
    browser_login(page, live_server, "reviewer1", "Review-pass-2024")
    page.wait_for_url("**/staff/")
    page.goto(f"{live_server}/staff/c/seed/comments/{letter}")
    assert "系统识别出 5 条意见" in page.locator("main").inner_text()
    page.get_by_role("button", name="按条款拆分").click()
    page.get_by_text("已按条款拆分为 5 条意见").wait_for()
    main = page.locator("main").inner_text()
    assert "还有 5 条意见尚未作出决定" in main and "请在拆分后的各条意见上处理" in main
    # The letter kept as received offers no grouping, clause or status form; no script trips over their absence.
    assert page.get_by_role("button", name="移动").count() == 0
    assert page.get_by_role("button", name="调整条款").count() == 0

    parts = page.locator("ol.parts > li")
    assert parts.count() == 5
    parts.nth(1).get_by_role("link").click()
    page.wait_for_url(re.compile(r"/comments/\d+$"))
    assert "（本条）" in page.locator("ol.parts").inner_text()
    form = page.locator("form.decision-form")
    form.get_by_label("采纳情况", exact=True).select_option("未采纳")
    form.get_by_label("理由说明", exact=True).fill("园区评定标准将另行制定。")
    form.get_by_role("button", name=re.compile("^保存")).click()
    page.get_by_text("本条已单独决定").wait_for()
    assert "还有 4 条意见尚未作出决定" in page.locator("main").inner_text()
    page.get_by_role("link", name=f"查看原件（意见 {letter}）").click()
    page.wait_for_url(f"**/comments/{letter}")
    assert "已决定（未采纳，单条决定）" in page.locator("ol.parts").inner_text()
    assert asked == [] and not errors, (asked, errors)
    context.close()
