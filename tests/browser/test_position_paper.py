"""A company uploads a .docx position paper covering three clauses on the whole-draft form and gets three parts on
its receipt (issue 12 §1: a position paper is split by clause)."""

from __future__ import annotations

import pytest

from tests.draft.builders import docx, p
from tests.helpers import PAPER_POINTS as POINTS
from tests.helpers import console_errors, send_paper_as_company
from tests.helpers import paper_lines as _paper

pytestmark = pytest.mark.browser

CITATIONS = ["12.创新外汇管理服务", "14.完善国际物流服务体系", "16.打造多层次跨境电商人才队伍"]


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}],
                         ids=["desktop", "phone"])
def test_a_docx_paper_on_three_clauses_gets_three_parts_on_the_receipt(browser, live_server, viewport, tmp_path):
    paper = tmp_path / "天津某某公司关于三年倍增计划的意见.docx"
    paper.write_bytes(docx([p(line) for line in _paper()]))
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    page = context.new_page()
    errors = console_errors(page)
    page.goto(f"{live_server}/c/seed/comment")
    page.get_by_label("意见内容").fill("我公司的意见详见附件。")
    send_paper_as_company(page, paper, "提交意见")
    assert "您的3条意见" in page.locator("main").inner_text()
    parts = page.locator("ol.receipt-parts > li")
    assert parts.count() == 3
    for n, (citation, text) in enumerate(zip(CITATIONS, POINTS.values(), strict=True)):
        assert citation in parts.nth(n).inner_text() and text in parts.nth(n).inner_text()
    assert paper.name in page.locator("main").inner_text()
    assert not errors, errors
    context.close()
