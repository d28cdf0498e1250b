"""Group titles leave out what redaction masks, in the forms the independent hostile set (h10) wrote them."""

from __future__ import annotations

import pytest

from analysis.labels import is_label_term, readable_title
from tests.exports.redaction_corpus import flatten


@pytest.mark.parametrize(("text", "secret"), [
    ("我的车牌津A·12345经常在东疆港排队。", "津A12345"),
    ("车牌号 津 B 9X7Z8，通关太慢。", "津B9X7Z8"),
])
def test_title_leaves_out_personal_data(text: str, secret: str) -> None:
    title = readable_title(text)
    assert flatten(secret) not in flatten(title), title


@pytest.mark.parametrize(("text", "secret"), [
    # names and addresses the h10 set wrote, that redaction masks (draft.contacts), left out of titles too
    ("请转告刘建国先生，第十二条应细化。", "刘建国"),
    ("意见人：赵 丽 华\n建议简化退税流程。", "赵丽华"),
    ("我和同事陈志强、周美玲都认为第五条的园区补贴门槛太高。", "周美玲"),
    ("南开大学的李红霞教授在讲座中也提到过海外仓的问题。", "李红霞"),
    ("联系人欧阳明月，电话见表格。", "欧阳明月"),
    ("滨海新区塘沽福州道12栋3门402，建议设快递柜。", "12栋3门402"),
    ("我住在梅江芳水园7-3-201，小区里很多人做代购。", "7-3-201"),
    ("北辰区双街镇小街村三队45号的村民想卖农产品。", "三队45号"),
])
def test_title_leaves_out_names_and_addresses(text: str, secret: str) -> None:
    title = readable_title(text)
    assert flatten(secret) not in flatten(title), title
    assert len(title) >= 4, title  # something readable is left


@pytest.mark.parametrize(("term", "keyword"), [
    ("欧阳明月", False), ("欧阳明", False), ("上官婉儿", False), ("司马光", False),  # compound surnames (jieba: 欧阳明 / 月)
    ("东方明珠", True), ("西门子", True), ("第五届", True), ("百里挑一", True),  # words that begin like one
])
def test_names_with_a_compound_surname_are_no_keywords(term: str, keyword: bool) -> None:
    assert is_label_term(term) is keyword
