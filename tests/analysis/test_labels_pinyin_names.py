"""Group titles leave out names written in pinyin, as redaction masks them (draft.pinyin_names): a title is shown to
staff and may be copied into the published 采纳情况反馈. English, brands and places in a title stay."""

from __future__ import annotations

import pytest

from analysis import readable_title


@pytest.mark.parametrize(("text", "name", "title"), [
    ("Liu Jianguo建议简化出口退税流程。", "Liu Jianguo", "建议简化出口退税流程"),
    ("LIU Jianguo：建议扩大海外仓补贴范围。", "LIU Jianguo", "建议扩大海外仓补贴范围"),
    ("Zhang Xiaoming 先生建议增加跨境电商补贴。", "Zhang Xiaoming", "建议增加跨境电商补贴"),
    ("Jianguo Liu认为申报材料太多，建议精简。", "Jianguo Liu", "认为申报材料太多，建议精简"),
])
def test_a_name_in_pinyin_is_not_in_the_title(text: str, name: str, title: str) -> None:
    got = readable_title(text)
    assert name.lower() not in got.lower() and got == title


@pytest.mark.parametrize(("text", "kept"), [
    ("Hong Kong 转口贸易需要支持", "Hong Kong"),
    ("建议支持 Temu、SHEIN 卖家", "Temu"),
    ("Tianjin Binhai 需要更多海外仓", "Tianjin Binhai"),
])
def test_places_and_brands_stay_in_the_title(text: str, kept: str) -> None:
    assert kept in readable_title(text)
