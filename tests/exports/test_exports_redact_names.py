"""Other people's 汉字 names before 先生/女士/小姐: a full name is masked (test_exports_redaction_corpus.py), a surname
alone with its form of address (王先生) and ordinary words before one stay."""

from __future__ import annotations

import pytest

from exports.redact import redact


@pytest.mark.parametrize("text", ["王先生建议简化流程。", "尊敬的各位先生、女士：", "请转告商务局女士们。",
                                  "本地商户先生们都很支持。", "张先生和李女士都同意。", "感谢李女士的建议。"])
def test_a_surname_alone_and_ordinary_words_stay(text: str) -> None:
    assert redact(text)[0] == text


def test_a_person_named_inside_an_organisations_name_is_masked() -> None:
    """identity="full" (an organisation's name field, published as written) keeps the organisation's own name, not a
    contact person the field names after a cue, nor their phone."""
    field = "天津某某跨境电商有限公司 联系人王建国 13902211234"
    assert redact(field, identity="full")[0] == "天津某某跨境电商有限公司 联系人【姓名已隐去】 【手机号码已隐去】"
    assert redact("王建国商贸有限公司", names=["王建国"], identity="full")[0] == "王建国商贸有限公司"
