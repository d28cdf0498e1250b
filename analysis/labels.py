"""Readable group labels: keywords without contact fragments or numbers, and a short title phrase.

Keywords never contain pieces of e-mail addresses, URLs or handles (``com``, ``example``, ``zhangwei2024``), tokens
that are only digits (phone or ID fragments, amounts), masked personal data (``张*``, ``138****``) or single
characters. Latin words are kept only when the draft uses them (OEM, B2B, DTC …) or they name a platform or trade
term everyone writes in Latin letters (亚马逊's ``amazon``, ``tiktok``, ``vat``…).

A title is a short readable phrase from the representative comment: its first clause that says something, once
greetings, quotations of the draft and contact details are taken out, cut at a natural break to at most
``TITLE_CHARS`` characters.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from draft.contacts import EMAIL, QQ_CUE, WECHAT_CUE

from .stopwords import _read_list

#: Latin words that are ordinary vocabulary in comments on cross-border e-commerce.
KNOWN_LATIN = frozenset(_read_list("latin_terms.txt"))
TITLE_CHARS = 24

_MASK = re.compile(r"[*＊×xX]{2,}|[*＊]")
_LATIN = re.compile(r"[a-z]")
# Contact details left out of titles: URLs, e-mail addresses, an account or number after a cue word (draft.contacts'
# WeChat/QQ cues, or 电话 / 邮箱 / 联系人 …; 加 taken first, so that 加vx abc1 is the cue vx and its account, not the
# cue 加v and an account "x"), and digit runs, masked ones included.
_CONTACT = re.compile(rf"https?://\S+|www\.\S+|{EMAIL.pattern}|"
                      rf"(?:(?:加|➕|\+|添加)\s*)?(?:{WECHAT_CUE}|{QQ_CUE}|电话|手机|邮箱|联系人|联系方式)[:：\s]*"
                      r"[A-Za-z0-9_\-*＊]+|"
                      r"[0-9*＊][0-9*＊\- ]{6,}[0-9*＊]", re.IGNORECASE)
_GREETING = re.compile(r"^(?:尊敬的[^，,：:。]{0,12}[，,：:]|各位领导[^，,：:]{0,4}[，,：:]|领导们?好[，,！!：:]?|您好[，,！!：:]?|"
                       r"你好[，,！!：:]?|[^，,：:。]{0,12}(?:局|处|领导)[：:])")
_BREAK = re.compile(r"[。！？!?；;\n]")
_SOFT_BREAK = re.compile(r"[，,、：:]")


@lru_cache(maxsize=200_000)
def is_label_term(term: str, allowed_latin: frozenset[str] = frozenset()) -> bool:
    """Whether ``term`` (a token, already normalised) may appear among a group's keywords (see the module
    docstring). ``allowed_latin``: normalised Latin words the draft uses."""
    if len(term) < 2 or term.isdigit() or _MASK.search(term):
        return False
    if any(ch in term for ch in "@./:\\_#&=%?"):
        return False
    if _LATIN.search(term):
        return term in KNOWN_LATIN or term in allowed_latin
    return not any(ch.isdigit() for ch in term) and any(ch.isalnum() for ch in term)


def label_terms(terms: Sequence[str], allowed_latin: Iterable[str] = (), top: int | None = None) -> list[str]:
    allowed = allowed_latin if isinstance(allowed_latin, frozenset) else frozenset(allowed_latin)
    kept = [t for t in terms if is_label_term(t, allowed)]
    return kept[:top] if top is not None else kept


def _cut(phrase: str) -> str:
    if len(phrase) <= TITLE_CHARS:
        return phrase
    cut = phrase[:TITLE_CHARS]
    soft = [m.start() for m in _SOFT_BREAK.finditer(cut)]
    if soft and soft[-1] >= TITLE_CHARS // 2:
        return cut[:soft[-1]]
    return cut + "…"


_EMPTY_QUOTES = re.compile(r"[“”\"'‘’「」『』《》（）()【】\[\]]")
_PUNCT_RUN = re.compile(r"[，,、：:；;\s]*[，,、：:；;][，,、：:；;\s]*")
_REFERENCE = re.compile(r"^(?:关于|对于|针对|原文|征求意见稿|文件|计划|第\s*[0-9一二三四五六七八九十]+\s*[条项款部分]|本条|这一?条)"
                        r"(?:[^，,]{0,4}?(?:说|写|写道|提到|提出|规定|中|里|的))?$")


def readable_title(text: str, quoted_spans: Sequence[tuple[int, int]] = (), fallback_terms: Sequence[str] = ()) -> str:
    """A short readable phrase naming what ``text`` says (``quoted_spans``: (start, end) of quotations of the draft
    in ``text``, left out); the fallback terms joined with 、 when nothing readable is left."""
    parts, at = [], 0
    for start, end in sorted(quoted_spans):
        parts.append(text[at:start])
        parts.append("，")
        at = max(at, end)
    parts.append(text[at:])
    plain = _CONTACT.sub("", "".join(parts))
    plain = " ".join(plain.split())
    plain = _GREETING.sub("", plain).strip()
    for sentence in _BREAK.split(plain):
        sentence = _PUNCT_RUN.sub("，", _EMPTY_QUOTES.sub("", sentence))
        clauses = [c.strip(" —-") for c in sentence.split("，") if c.strip(" —-")]
        while clauses and (_REFERENCE.match(clauses[0]) or _hans(clauses[0]) < 2):
            clauses.pop(0)
        phrase = "，".join(clauses)
        if _hans(phrase) >= 4:
            return _cut(phrase)
    return "、".join(fallback_terms[:3])


def _hans(text: str) -> int:
    return sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
