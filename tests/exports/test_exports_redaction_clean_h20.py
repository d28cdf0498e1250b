"""A false-positive hostile set (tests/exports/data/redaction_clean_h20.json): clean texts a consultation on
cross-border e-commerce in Tianjin would receive (places, historic buildings, brands named after people, words that
begin with a surname character, the draft's own sentences, organisation signatures), written before reading the name
rules and measured once before any change (``.venv/bin/python bench/redaction_corpus.py -v``: 73/76 clean texts
unchanged; every other set as before, 49 of the 9,210 real messages changed). Each must come out of
redaction unchanged: the owner's rule is that nothing a citizen typed is altered except personal data. What is still
altered is a strict xfail with the reason, so that a fix shows as XPASS (and its marker goes in the same commit)."""

from __future__ import annotations

import pytest

from exports import MemberComment
from exports.public import redact_comment
from tests.exports.redaction_corpus import Case, clean_h20, seed_vocabulary

CLEAN = clean_h20()
BY_ID = {c.id: c for c in CLEAN}

GAPS: dict[str, str] = {
    "zc-luowenhuahai": "bare_name_spans takes 罗文花 of the place 罗文花海 for a name without a cue",
    "zc-mingxingli": "the address rule masks a historic building's street number (明星里8号) like a home's",
    "zc-zhoudeng": "bare_name_spans takes 邓颖超 in 周恩来邓颖超纪念馆 (a museum named after public figures) for a name",
}


@pytest.fixture(scope="module")
def vocabulary() -> str:
    return seed_vocabulary()


@pytest.mark.parametrize("case", [
    pytest.param(c, marks=pytest.mark.xfail(reason=GAPS[c.id], strict=True)) if c.id in GAPS else c for c in CLEAN
], ids=[c.id for c in CLEAN])
def test_clean_text_is_left_alone(case: Case, vocabulary: str) -> None:
    assert redact_comment(MemberComment(case.text, name=case.name), vocabulary)[0] == case.text


def test_the_set_is_big_enough_and_every_gap_names_a_case() -> None:
    assert len(CLEAN) >= 60
    assert set(GAPS) <= set(BY_ID)
