"""Where a quotation ends: the comment's own words after a passage of the draft are never part of it, even when
they spell, with the passage's last characters, a gram found elsewhere in the draft (小微跨境电商企业 + 建议 =
境电商企业建, a gram of 3.1.2's 跨境电商企业,建立)."""

from __future__ import annotations

import re

import pytest

from analysis import canonical, find_quotations

#: What a writer adds right after a pasted passage: words the draft uses everywhere, so that the passage's end and
#: the first of them often make a gram found in another place of the draft.
TAILS = ["，建议", "，建立", "。建议", "，要求", "，推动", "。能否", "，跨境电商", "，企业", "，平台", "，各区", "，加强"]


def _cases(draft):
    """(text, the passage it quotes, the passage's clause): for every clause with text, a passage ending at each
    of its sentence and clause breaks, followed by each tail whose characters do not continue the draft there."""
    for clause in draft.walk():
        if len(clause.body) < 24:
            continue
        for m in re.finditer(r"[，,。；;]", clause.body):
            passage = clause.body[max(0, m.start() - 30):m.start()]
            after = canonical(clause.body[m.start():])
            if len(canonical(passage)) < 16:
                continue
            for tail in TAILS:
                if not after.startswith(canonical(tail)[:1]):
                    yield passage + tail + "门槛提高到五十万美元。", passage, clause.key


def test_a_quotation_ends_where_the_pasted_passage_ends(seed_draft):
    bodies = {c.key: canonical(f"{c.heading}{c.body}") for c in seed_draft.walk()}
    wrong = []
    cases = list(_cases(seed_draft))
    for text, passage, key in cases:
        quotes = find_quotations(text, seed_draft)
        q = quotes[-1] if quotes else None
        if (q is None or not q.draft_text or canonical(q.text) != canonical(q.draft_text)
                or q.end > len(passage) or canonical(passage) not in bodies.get(q.clause_key or "", "")):
            wrong.append((key, text, q))
    assert len(cases) > 500
    assert wrong == []


@pytest.mark.parametrize(("text", "key", "quoted"), [
    ("鼓励内贸企业、国内电商企业，建立海外仓的门槛太高。", "3.1.2", "鼓励内贸企业、国内电商企业"),
    ("对年度货物贸易收汇或付汇累计金额低于等值20万美元（不含）的小微跨境电商企业，建议门槛提高到50万美元。", "3.3.12",
     "对年度货物贸易收汇或付汇累计金额低于等值20万美元（不含）的小微跨境电商企业"),
])
def test_the_comments_own_words_after_a_quotation_stay_the_comments(seed_draft, text, key, quoted):
    (q,) = find_quotations(text, seed_draft)
    assert (q.clause_key, q.text) == (key, quoted) and canonical(q.draft_text) == canonical(quoted)
