"""Unfilled template placeholders in text about to be published.

Reason templates carry gaps for staff to fill (``该建议已在《…》第X条中体现。``); one published as it
stood tells the public nothing. :func:`find_placeholders` lists what still looks like a gap:
``第X条``/``第某条``/``第  条``, ``《…》``/``《》``/``《XXX》``, ``XXX``/``××``/``X月X日``,
``【请填写】``-style brackets, empty brackets, ``____``, ``{{…}}``, ``TODO``, and an ellipsis
standing alone (``……`` as a whole field or between punctuation, not ``乐器……等``).

Run it on staff wording and report settings only: citizens may write ``XXX公司`` in a comment.
"""

from __future__ import annotations

import re

_PUNCT = r"\s，,。；;：:、！!？?（(）)“”\"'‘’【】《》"
_GAP = r"[XxＸｘ×＿_?？某○]"
_PATTERNS = [
    re.compile(r"第\s*(?:" + _GAP + r"+|\s+)\s*[条章节款项目篇部分批]"),
    re.compile(r"《\s*(?:…+|\.{2,}|。{2,}|" + _GAP + r"+)?\s*》"),
    re.compile(r"(?<![A-Za-zＡ-Ｚａ-ｚ])(?:[XxＸｘ]{2,}|×{2,})(?![A-Za-zＡ-Ｚａ-ｚ])"),
    re.compile(r"(?<![A-Za-z0-9Ａ-Ｚａ-ｚ０-９])[XxＸｘ×][年月日号元条款项个家%％]"),
    re.compile(r"(?<![一二三四五六七八九十〇零0-9])(?:○{2,}|〇{2,})(?![一二三四五六七八九十〇零0-9])"),
    re.compile(r"[【\[〔{(（]\s*(?:请|待)?(?:填写|填入|补充|补全|完善|确认|修改|输入|插入)[^】\]〕}）)]{0,12}[】\]〕}）)]"),
    re.compile(r"【\s*】|\[\s*\]|（\s*）|\(\s*\)|“\s*”|「\s*」|〔\s*〕"),
    re.compile(r"_{3,}|＿{2,}|﹍{2,}"),
    re.compile(r"\{\{.*?\}\}|\$\{.*?\}"),
    re.compile(r"(?<![A-Za-z])(?:TODO|TBD|FIXME)(?![A-Za-z])", re.IGNORECASE),
    re.compile(r"(?:^|(?<=[" + _PUNCT + r"]))(?:…+|\.{3,}|。{3,}|⋯+)(?=$|[" + _PUNCT + r"])"),
]


def find_placeholders(text: str) -> list[str]:
    """The placeholders in ``text`` as written, in order of appearance, each once."""
    spans = sorted((m.start(), -m.end()) for pattern in _PATTERNS for m in pattern.finditer(text or ""))
    kept: list[tuple[int, int]] = []
    for start, neg_end in spans:
        if not kept or start >= kept[-1][1]:  # drop a match inside a longer one (the X of 第X条)
            kept.append((start, -neg_end))
    return list(dict.fromkeys(text[start:end].strip() for start, end in kept))
