"""Letters split by clause (segment_letter, letter_units) on slices of the development letters."""

import itertools
import re
from pathlib import Path

import pytest

from analysis import CommentIn, analyse_comment, letter_units, parts_by_clause, segment_letter, submission_opinions

FIXTURE = Path(__file__).parent / "data" / "letters.txt"


def _letters(path: Path = FIXTURE):
    """{letter id: (text, [(clause key, segment text)])} from a letters file (bench/data/letters_dev.txt format)."""
    letters, current = {}, None
    for line in path.read_text(encoding="utf-8").split("\n"):
        if line.startswith("=== "):
            current = line[4:].split("|")[0].strip()
            letters[current] = []
            continue
        m = re.match(r"@@(\+?) (\S+)$", line)
        if current and m:
            letters[current].append([None if m.group(2) == "-" else m.group(2), m.group(1) == "+", []])
        elif current and letters[current]:
            letters[current][-1][2].append(line)
    out = {}
    for key, segments in letters.items():
        text, truth = "", []
        for n, (clause, glued, lines) in enumerate(segments):
            body = "\n".join(lines).rstrip("\n")
            text += "" if not n or glued else "\n"
            truth.append((clause, body.strip()))
            text += body
        out[key] = (text, truth)
    return out


LETTERS = _letters()


@pytest.mark.parametrize("letter", sorted(LETTERS))
def test_each_point_gets_its_own_segment_and_clause(seed_draft, letter):
    text, truth = LETTERS[letter]
    segments = segment_letter(text, seed_draft)
    assert [(s.clause_key, s.text) for s in segments] == truth
    assert next(s.kind for s in segments) == "remark" and segments[-1].kind == "remark"
    assert all(text[s.start:s.end].strip() == s.text for s in segments)
    assert segments[0].start == 0 and segments[-1].end == len(text)
    assert all(a.end == b.start for a, b in itertools.pairwise(segments))


def test_letter_numbering_is_not_the_drafts(seed_draft):
    # The letter's 一、 is its first point; (三) is not the draft's section (三).
    text = ("关于倍增计划的意见\n一、建议加密天津港至东南亚的外贸航线，开通更多全货机航线。\n"
            "二、（三）建议统一集货仓的设立条件，允许多家企业共用集货仓，两仓联动模式要推广。\n天津市物流协会")
    keys = [s.clause_key for s in segment_letter(text, seed_draft) if s.kind == "opinion"]
    assert keys == ["3.4.14", "3.3.10"]


def test_a_short_comment_is_one_segment(seed_draft):
    result = analyse_comment("天津港外贸航线太少，建议加密。", seed_draft)
    assert len(result.segments) == 1 and result.segments[0].clause_key == "3.4.14" and not result.is_letter


def test_letter_units_are_the_opinions_with_ids_linked_to_the_letter(seed_draft):
    text, truth = LETTERS["D01"]
    units = letter_units(CommentIn(7, text, None), seed_draft)
    assert [u.id for u in units] == [f"7#{n}" for n in range(1, 6)]
    assert [u.clause_key for u in units] == [k for k, _ in truth if k is not None]
    assert all(u.tokens for u in units)
    short = CommentIn(8, "天津港外贸航线太少，建议加密。", "3.4.14")
    assert letter_units(short, seed_draft) == [short]


def test_submission_opinions_keep_two_opinions_on_one_clause_apart(seed_draft):
    # The portal's unit of triage: each opinion its own part (each may need its own decision); parts_by_clause joins
    # the two on 3.4.14 into one part.
    text = ("关于倍增计划的意见\n一、建议加密天津港至东南亚的外贸航线，开通更多全货机航线。\n"
            "二、建议统一集货仓的设立条件，允许多家企业共用集货仓，两仓联动模式要推广。\n"
            "三、外贸航线之外，建议对新开通的国际货运航线给予运营补贴。\n天津市物流协会")
    opinions = submission_opinions("", [text], seed_draft, letter_min_chars=60)
    assert [key for key, _ in opinions] == ["3.4.14", "3.3.10", "3.4.14"]
    assert [key for key, _ in parts_by_clause("", [text], seed_draft, letter_min_chars=60)] == ["3.4.14", "3.3.10"]
    assert opinions[0][1] in parts_by_clause("", [text], seed_draft, letter_min_chars=60)[0][1]
    assert submission_opinions("意见详见附件。", [], seed_draft) == []
