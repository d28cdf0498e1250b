"""A citizen pastes a letter longer than the limit into a comment box (session 8, hostile tester of the forms).

The boxes carried ``maxlength=5000``: Chromium cut the paste to 5,000 characters without a word, so the form sent
the first 5,000 and the receipt looked fine while the end of the letter (its proposals, often) was gone. Without
the attribute the server says how long the text is, and the box keeps all of it."""

from __future__ import annotations

import pytest

from comment_portal.db import get_db, scalar

pytestmark = pytest.mark.browser

#: 6,000 characters whose last sentence is the one that matters.
LETTER = "关于海外仓补贴，我公司的情况说明如下。" * 315 + "建议：租赁海外仓同样给予补贴。"


def _stored(app) -> int:
    with app.app_context():
        return scalar(get_db(), "SELECT count(*) FROM comments")


def test_a_paste_over_the_limit_is_kept_whole_and_named(app, page, live_server):
    assert len(LETTER) > 5000
    page.goto(f"{live_server}/c/seed/comment")
    box = page.get_by_label("意见内容")
    box.focus()
    page.keyboard.insert_text(LETTER)  # what a paste does
    assert box.input_value() == LETTER
    page.get_by_label("我已阅读并同意上述个人信息处理说明").check()
    page.get_by_role("button", name="提交意见").click()
    main = page.locator("main").inner_text()
    assert f"当前{len(LETTER)}字" in main and "附件" in main
    assert page.get_by_label("意见内容").input_value() == LETTER
    assert _stored(app) == 0


def test_a_box_of_the_multi_clause_form_takes_a_long_paste_too(app, page, live_server):
    page.goto(f"{live_server}/c/seed/comment-many")
    box = page.locator("#body-whole")
    box.evaluate("el => el.closest('details').open = true")
    box.focus()
    page.keyboard.insert_text(LETTER)
    assert box.input_value() == LETTER
