"""Other people's 汉字 names that a comment marks as names: a full name before 先生/女士/小姐 is masked, a surname
alone with its form of address (王先生) and ordinary words before one stay."""

from __future__ import annotations

import pytest

from exports.redact import redact


@pytest.mark.parametrize(("text", "expected"), [
    ("我们公司的刘建国先生建议简化流程。", "我们公司的【姓名已隐去】先生建议简化流程。"),
    ("感谢李娜女士的建议。", "感谢【姓名已隐去】女士的建议。"),
    ("欧阳明华先生认为补贴太少。", "【姓名已隐去】先生认为补贴太少。"),
    ("刘\u200b建国先生认为补贴太少。", "【姓名已隐去】先生认为补贴太少。"),
    ("谢谢王芳女士，也谢谢向刘建国先生转达意见的同事。", "谢谢【姓名已隐去】女士，也谢谢向【姓名已隐去】先生转达意见的同事。"),
])
def test_a_full_name_before_a_form_of_address_is_masked(text: str, expected: str) -> None:
    assert redact(text)[0] == expected


@pytest.mark.parametrize("text", ["王先生建议简化流程。", "尊敬的各位先生、女士：", "请转告商务局女士们。",
                                  "本地商户先生们都很支持。", "张先生和李女士都同意。"])
def test_a_surname_alone_and_ordinary_words_stay(text: str) -> None:
    assert redact(text)[0] == text
