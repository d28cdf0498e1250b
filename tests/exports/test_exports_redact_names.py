"""Other people's 汉字 names before 先生/女士/小姐: a full name is masked (test_exports_redaction_corpus.py), a surname
alone with its form of address (王先生) and ordinary words before one stay."""

from __future__ import annotations

import pytest

from exports.redact import redact


@pytest.mark.parametrize("text", ["王先生建议简化流程。", "尊敬的各位先生、女士：", "请转告商务局女士们。",
                                  "本地商户先生们都很支持。", "张先生和李女士都同意。", "感谢李女士的建议。"])
def test_a_surname_alone_and_ordinary_words_stay(text: str) -> None:
    assert redact(text)[0] == text
