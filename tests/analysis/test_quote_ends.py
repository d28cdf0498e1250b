"""Where a quotation ends: the comment's own words after a passage of the draft are never part of it, even when
they spell, with the passage's last characters, a gram found elsewhere in the draft (小微跨境电商企业 + 建议 =
境电商企业建, a gram of 3.1.2's 跨境电商企业,建立)."""

from __future__ import annotations

import pytest

from analysis import canonical, find_quotations


@pytest.mark.parametrize(("text", "key", "quoted"), [
    ("鼓励内贸企业、国内电商企业，建立海外仓的门槛太高。", "3.1.2", "鼓励内贸企业、国内电商企业"),
    ("对年度货物贸易收汇或付汇累计金额低于等值20万美元（不含）的小微跨境电商企业，建议门槛提高到50万美元。", "3.3.12",
     "对年度货物贸易收汇或付汇累计金额低于等值20万美元（不含）的小微跨境电商企业"),
])
def test_the_comments_own_words_after_a_quotation_stay_the_comments(seed_draft, text, key, quoted):
    (q,) = find_quotations(text, seed_draft)
    assert (q.clause_key, q.text) == (key, quoted) and canonical(q.draft_text) == canonical(quoted)
