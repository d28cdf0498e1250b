"""Recognise the number that opens a line (``三、``, ``(一)``, ``12.``, ``第十二条``, ``附件1`` …).

Each numbering style has a name; the tree builder nests by style (a style already open closes
back to that level, a new style opens a child). The ``第…编/章/节/条`` family and decimal headings
have a fixed rank, so a ``第二节`` never nests inside a ``第一条``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .numbers import CIRCLED_CHARS, to_int

_CN = "〇零一二两三四五六七八九十百"
_SP = r"[ \t\u3000\u00a0]"

# (style, regex, family rank) — order matters: more specific first.
_DI = re.compile(rf"^第{_SP}*([{_CN}\d０-９]+){_SP}*([编章节条]){_SP}*(.*)$")
_DI_KIND = {"编": ("di_bian", 0, "part"), "章": ("di_zhang", 1, "chapter"),
            "节": ("di_jie", 2, "section"), "条": ("di_tiao", 3, "article")}
_CN_DUN = re.compile(rf"^([{_CN}]{{1,4}})[、，,．.]{_SP}*(.*)$")
_CN_PAREN = re.compile(rf"^[（(]{_SP}*([{_CN}]{{1,4}}){_SP}*[）)]{_SP}*(.*)$")
_AR_PAREN = re.compile(rf"^[（(]{_SP}*([0-9０-９]{{1,3}}){_SP}*[）)]{_SP}*(.*)$")
_AR_RPAREN = re.compile(rf"^([0-9０-９]{{1,3}})[）)]{_SP}*(.+)$")
_AR_DOT = re.compile(rf"^([0-9０-９]{{1,3}})(?:[.．、](?![0-9０-９]))(?!{_SP}*$){_SP}*(.*)$")
_CIRCLED = re.compile(rf"^([{CIRCLED_CHARS}]){_SP}*(.*)$")
_DECIMAL = re.compile(rf"^([0-9]{{1,2}}(?:\.[0-9]{{1,2}}){{1,3}})(?:{_SP}+(.*)|([\u4e00-\u9fff].*))$")
_DECIMAL_TOP = re.compile(rf"^([0-9]{{1,2}}){_SP}+([\u4e00-\u9fff].*)$")
_ANNEX = re.compile(rf"^附{_SP}*件{_SP}*([0-9０-９{_CN}]{{0,3}}){_SP}*(?:[:：]{_SP}*(.*)|{_SP}+(.*)|)$")
_ANNEX_NUMBERED_NAME = re.compile(rf"^附{_SP}*件{_SP}*([0-9０-９]{{1,3}})([\u4e00-\u9fff《].*)$")

TERMINAL = "。！？!?；;：:…”’」』）)"


@dataclass(frozen=True)
class Marker:
    style: str          # e.g. "cn_dun" (一、), "cn_paren" ((一)), "ar_dot" (1.), "di_tiao" (第一条), "annex"
    label: str          # the number exactly as written, trimmed: "三、", "(一)", "第十二条", "附件1"
    segment: str        # key segment derived from the number: "3", "12", "1.2.1"
    rest: str           # the text after the number on the same line
    rank: int | None = None   # fixed rank inside a family (第…编/章/节/条, decimal depth)
    kind: str | None = None   # fixed kind for styles that carry one (chapter, article …)

    @property
    def family(self) -> str | None:
        if self.style.startswith("di_"):
            return "di"
        if self.style.startswith("dec"):
            return "dec"
        return None


def _label(line: str, rest: str) -> str:
    return line[: len(line) - len(rest)].rstrip(" \t\u3000\u00a0") if rest else line.strip()


def match_annex(line: str) -> Marker | None:
    m = _ANNEX.match(line) or _ANNEX_NUMBERED_NAME.match(line)
    if not m:
        return None
    number = m.group(1)
    name = next((g for g in m.groups()[1:] if g), "").strip()
    value = to_int(number) if number else None
    label = re.sub(rf"{_SP}+", "", f"附件{number}")
    return Marker("annex", label, str(value) if value is not None else "", name, kind="annex")


def match_marker(line: str, decimal_headings: bool = False) -> Marker | None:
    """The numbering that opens ``line`` (already stripped), or ``None`` for a plain paragraph."""
    annex = match_annex(line)
    if annex:
        return annex
    m = _DI.match(line)
    if m:
        value = to_int(m.group(1))
        if value is not None:
            style, rank, kind = _DI_KIND[m.group(2)]
            return Marker(style, _label(line, m.group(3)), str(value), m.group(3), rank, kind)
    if decimal_headings:
        m = _DECIMAL.match(line)
        if m:
            number = m.group(1)
            rest = m.group(2) if m.group(2) is not None else m.group(3)
            if m.group(2) is None and (len(rest) > 30 or any(ch in "。，,；;" for ch in rest)):
                return None  # "1.5倍以上…" is a sentence, not a heading
            depth = number.count(".") + 1
            return Marker(f"dec{depth}", number, number, rest or "", depth)
        m = _DECIMAL_TOP.match(line)
        if m:
            return Marker("dec1", m.group(1), m.group(1), m.group(2), 1)
    for style, regex in (("cn_paren", _CN_PAREN), ("ar_paren", _AR_PAREN), ("cn_dun", _CN_DUN),
                         ("ar_dot", _AR_DOT), ("ar_rparen", _AR_RPAREN), ("circled", _CIRCLED)):
        m = regex.match(line)
        if m:
            value = to_int(m.group(1))
            if value is None or value == 0:
                continue
            rest = m.group(2)
            return Marker(style, _label(line, rest), str(value), rest)
    return None


def has_decimal_headings(lines: list[str]) -> bool:
    """Decimal headings (1 / 1.1 / 1.2.1) are only trusted when the text has at least two
    second-level ones followed by a space — otherwise ``1.5倍`` would open a clause."""
    pattern = re.compile(rf"^[0-9]{{1,2}}\.[0-9]{{1,2}}{_SP}+[\u4e00-\u9fff]")
    return sum(1 for line in lines if pattern.match(line)) >= 2
