"""The independent hostile campaign set tests/analysis/data/hostile/campaigns_h16.tsv (written before reading the
duplicate rules) through find_duplicates: every copy of a campaign is grouped with its campaign's form letter, no
group mixes two campaigns, no distinct opinion joins a group. What still fails is a strict xfail with the reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis import find_duplicates

DATA = Path(__file__).resolve().parent / "data" / "hostile" / "campaigns_h16.tsv"
ROWS = [tuple(line.split("\t")) for line in DATA.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")]
TEXTS = [text for _, _, text in ROWS]
FORM = {key: next(i for i, row in enumerate(ROWS) if row[0] == key) for key, _, _ in ROWS}

LONG_WRAPPER = ("is_copy_of: a text more than twice its template's size is no copy however much of the template it "
                "keeps, and MinHash agreement (Jaccard) with the template is too low for a candidate pair")
SPLIT = ("half of the template: Jaccard with the template under 0.45 and a half is under MIN_CONTAINED_SHARE of it, "
         "so neither is_near_duplicate nor is_copy_of (which asks the template's shingles kept, not the text's)")
SYNONYMS = "retyped with synonyms: few character 3-grams left in common (no semantic comparison in duplicates)"
#: Copies not grouped with their form letter on the engine this set was measured on (c17a328).
MISSES = {
    "C1-story": LONG_WRAPPER, "C4-story": LONG_WRAPPER, "C6-story": LONG_WRAPPER, "C8-story": LONG_WRAPPER,
    "C3-greeting": LONG_WRAPPER, "C7-greeting": LONG_WRAPPER,
    "C2-split1": SPLIT + "; this half also ends in a note of its own (意见较长，分两条提交，此为第一部分)",
    "C2-split2": SPLIT, "C4-split2": SPLIT, "C6-split2": SPLIT, "C8-split2": SPLIT,
    **{f"C{n}-synonyms": SYNONYMS for n in range(1, 9)},
}


@pytest.fixture(scope="module")
def group_of() -> dict[int, int]:
    return {i: n for n, g in enumerate(find_duplicates(TEXTS)) for i in g.members}


def _copies() -> list:
    out = []
    for i, (key, variant, _) in enumerate(ROWS):
        if key.startswith("C") and i != FORM[key]:
            name = f"{key}-{variant}"
            marks = [pytest.mark.xfail(strict=True, reason=MISSES[name])] if name in MISSES else []
            out.append(pytest.param(i, id=name, marks=marks))
    return out


@pytest.mark.parametrize("i", _copies())
def test_a_copy_is_grouped_with_its_form_letter(group_of, i):
    form = FORM[ROWS[i][0]]
    assert form in group_of and group_of.get(i) == group_of[form]


GENERIC = ("the two generic lines 第十四条物流部分/第十六条人才部分建议加大支持力度，尽快落实 differ only in the clause they "
           "name: Jaccard over 0.45, one campaign (they are two opinions on two clauses)")


@pytest.mark.parametrize("i", [pytest.param(i, id=key, marks=[pytest.mark.xfail(strict=True, reason=GENERIC)]
                                            if key in ("O20", "O21") else [])
                               for i, (key, _, _) in enumerate(ROWS) if key.startswith("O")])
def test_a_distinct_opinion_joins_no_group(group_of, i):
    assert i not in group_of


def test_no_group_mixes_two_campaigns():
    for g in find_duplicates(TEXTS):
        assert len({ROWS[i][0] for i in g.members if ROWS[i][0].startswith("C")}) <= 1
