"""The redaction corpora (tests/exports/data) and how a leak is judged; shared by tests and bench.

A secret counts as leaked when it can still be read from the output after *flattening*: NFKC,
invisible characters and combining marks (keycaps) dropped, every 汉字 digit turned into ASCII, case
folded, the letter o read as 0, and separators removed. So ``1 3 9…`` or ``刘\u200b建国`` left in the output is a leak, as a reader would see it.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"

_HAN_DIGITS = str.maketrans("〇零一二三四五六七八九幺两壹贰叁肆伍陆柒捌玖", "0012345678912123456789")
_SEPARATORS = re.compile(r"[\s.\-/()\[\]{}（）【】_·—–,，、:：;；#@'\"“”]+")


def flatten(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(_HAN_DIGITS).casefold().replace("o", "0")
    text = "".join(ch for ch in text if unicodedata.category(ch) not in ("Cf", "Mn", "Me"))
    return _SEPARATORS.sub("", text)


@dataclass(frozen=True)
class Case:
    id: str
    text: str
    name: str = ""
    secrets: tuple[str, ...] = ()

    def leaks(self, output: str) -> list[str]:
        """The secrets still readable in ``output``."""
        flat = flatten(output)
        return [s for s in self.secrets if flatten(s) in flat]


def leaked(cases: list[Case], output: str) -> list[tuple[str, str]]:
    """(case id, secret) for every secret of ``cases`` still readable anywhere in ``output``."""
    flat = flatten(output)
    return [(c.id, s) for c in cases for s in c.secrets if flatten(s) in flat]


def load(name: str, key: str = "cases") -> list[Case]:
    data = json.loads((DATA / name).read_text(encoding="utf-8"))
    return [Case(c["id"], c["text"], c.get("name", ""), tuple(c.get("secrets", ()))) for c in data[key]]


def seed_vocabulary() -> str:
    """The seed draft's words, as the portal passes a draft to ``Report.draft_text``."""
    from draft import load_seed

    seed = load_seed()
    return "\n".join([seed.title, seed.preamble] + [f"{c.heading}\n{c.body}" for c in seed.walk()])


def masked(case: Case, vocabulary: str) -> str:
    """``case``'s text as a public output prints it (its submitter's own name masked too)."""
    from exports import MemberComment
    from exports.public import redact_comment

    return redact_comment(MemberComment(case.text, name=case.name), vocabulary)[0]


def evasions() -> list[Case]:
    return load("redaction_evasions.json")


def false_positives() -> list[Case]:
    return load("redaction_false_positives.json")


def holdout() -> tuple[list[Case], list[Case]]:
    """The second set (evasions, clean texts), written after the detector passed the first."""
    return load("redaction_holdout.json"), load("redaction_holdout.json", "clean")


def pinyin() -> tuple[list[Case], list[Case]]:
    """Names written in pinyin (evasions, clean texts): the development set of draft.pinyin_names."""
    return load("redaction_pinyin.json"), load("redaction_pinyin.json", "clean")


def pinyin_holdout() -> tuple[list[Case], list[Case]]:
    """Names written in pinyin, written before draft.pinyin_names existed (measured once before tuning)."""
    return load("redaction_pinyin_holdout.json"), load("redaction_pinyin_holdout.json", "clean")


def hostile_h10() -> tuple[list[Case], list[Case]]:
    """An independent hostile set (session 9), written before its author read the detector's rules, measured once
    before any change to the detector (evasions, clean texts)."""
    return load("redaction_hostile_h10.json"), load("redaction_hostile_h10.json", "clean")


def hostile_h10_round3() -> tuple[list[Case], list[Case]]:
    """A third set by the same author, written after the first two rounds were fixed (so knowing the rules), measured
    once before any change for it (evasions, clean texts)."""
    return load("redaction_hostile_h10_round3.json"), load("redaction_hostile_h10_round3.json", "clean")


def hostile_h15() -> tuple[list[Case], list[Case]]:
    """A fourth independent hostile set (session 10, h15), written before its author read the detector's rules,
    measured once before any change for it (evasions, clean texts)."""
    return load("redaction_hostile_h15.json"), load("redaction_hostile_h15.json", "clean")


KNOWN_GAPS: dict[str, str] = {}
"""Hold-out cases the detector is known to miss (id → why), kept as strict xfails."""


def clean_h20() -> list[Case]:
    """A false-positive hostile set (session 11, h20): clean texts written before their author read the name rules,
    measured once before any change for them; every one must come out unchanged."""
    return load("redaction_clean_h20.json", "clean")
