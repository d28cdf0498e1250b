"""The analysis functions take any str (issue 10, h12 session 9): a lone surrogate (U+D800–U+DFFF on its own) made
OpenCC's traditional → simplified conversion raise UnicodeEncodeError, so suggest_clauses, segment_letter,
analyse_comment and noise_reason failed on it.

The portal cannot hand one down today (form bodies are decoded as strict UTF-8, PDF text by pypdfium2 with
``errors="ignore"``, .docx/.xlsx XML refuses a reference to a surrogate, and SQLite cannot store one), but these are
library functions: a script importing letters, or a future input path, must not crash the analysis of a whole run."""

from __future__ import annotations

import pytest

import analysis
from analysis.normalize import canonical, normalize

QUOTE = "支持跨境电商企业在综保区内设立退货中心仓"
TEXTS = [
    f"第十条\ud800退货中心仓“{QUOTE}”建议扩大到区外。",
    "\udfff",
    "\ud83d\ude00好政策",   # a pair of surrogates written as two code points (not one emoji): still lone each
    f"關於「提升通關便利化水平」\udc80，建議延長查驗時間。{QUOTE}",
    ("尊敬的商务局：\n1. 关于第十四条\ud800，建议加密至东南亚的外贸航线，增加货运包机班次。\n"
    "2. 关于第三条\udbff产业带，建议将宁河的五金企业纳入产业带重点企业清单，给予支持。\n"
    "3. 关于保障措施第三项，各区配套资金政策应明确比例，不能一句话带过，请予考虑。"),
]


@pytest.mark.parametrize("text", TEXTS)
def test_every_analysis_function_takes_a_lone_surrogate(seed_draft, text):
    keys = {c.key for c in seed_draft.walk()}
    assert set(analysis.suggest_clauses(text, seed_draft)) <= keys
    assert all(s.clause_key in keys | {None} for s in analysis.segment_letter(text, seed_draft))
    result = analysis.analyse_comment(text, seed_draft)
    analysis.noise_reason(text, seed_draft)
    analysis.is_supportive(text)
    for q in analysis.find_quotations(text, seed_draft) + result.quotations:
        assert text[q.start:q.end] == q.text


def test_the_conversion_goes_around_a_surrogate_and_keeps_it(seed_draft):
    assert normalize("關於\ud800通關") == "关于\ud800通关"
    assert canonical("關於\ud800通關") == "关于通关"
    found = analysis.suggest_clauses("關於「提升通關便利化水平」\ud800，建議延長查驗時間。", seed_draft)
    assert found[0] == "3.3.10"
    letter = analysis.segment_letter(TEXTS[-1], seed_draft)
    assert [s.clause_key for s in letter if s.kind == "opinion"] == ["3.4.14", "3.1.3", "4.3"]
