"""Which clause is a comment about? For comments on the whole draft and for letters and e-mails staff type in.

Two kinds of evidence, added up: explicit mentions (第十二条, 第12项, 第三部分, a quoted or copied clause heading
such as “创新外汇管理服务”) and similarity to each clause's text (cosine of word TF-IDF on jieba tokens and of
character 2–3-gram TF-IDF, averaged; the heading counts twice).
"""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from draft.model import Clause, Draft
from draft.numbers import to_int

from .normalize import canonical, normalize
from .terms import terms_from_draft
from .tokenize import Tokenizer, tokenizer_for_terms
from .vectorize import pretokenized

_NUMERAL = r"[0-9一二三四五六七八九十百〇零两]+"
_MENTION = re.compile(rf"第\s*({_NUMERAL})\s*(条|项|点|款|部分|章|节|段|大点)")
_PAREN_MENTION = re.compile(r"[(]\s*([一二三四五六七八九十]+)\s*[)]")
_QUOTED = re.compile(r"[\"“「『《]([^\"”」』》]{2,40})[\"”」』》]")
_LABEL_NUMBER = re.compile(_NUMERAL)

#: Evidence weights. A mention outweighs any similarity (cosines are ≤ 1).
EXACT_MENTION = 1.0
WEAK_MENTION = 0.5
HEADING_MENTION = 1.0
ANNEX_MENTION = 0.2
MIN_HEADING_CHARS = 4


def _label_style(clause: Clause) -> str:
    label = normalize(clause.label)
    if label.startswith("第") and label.endswith("条"):
        return "article"
    if label.startswith("第") and label.endswith("章"):
        return "chapter"
    if label.startswith("第") and label.endswith("节"):
        return "section"
    if label.startswith("("):
        return "paren"
    if label[:1].isdigit():
        return "arabic"
    if label.endswith("、"):
        return "part"
    return "other"


def _label_number(clause: Clause) -> int | None:
    match = _LABEL_NUMBER.search(normalize(clause.label))
    return to_int(match.group()) if match else None


@dataclass
class _ClauseIndex:
    clauses: list[Clause]
    in_annex: list[bool]
    styles: list[str]
    numbers: list[int | None]
    headings: list[str]
    tokenizer: Tokenizer
    words: TfidfVectorizer
    word_matrix: object
    chars: TfidfVectorizer
    char_matrix: object


_CACHE: OrderedDict[tuple[Any, ...], _ClauseIndex] = OrderedDict()


def _index(draft: Draft) -> _ClauseIndex:
    fingerprint = tuple((c.key, c.label, c.heading, c.body) for c in draft.walk())
    cached = _CACHE.get(fingerprint)
    if cached is not None:
        _CACHE.move_to_end(fingerprint)
        return cached
    clauses, in_annex = [], []
    for top in draft.clauses:
        for clause in top.walk():
            if clause.heading or clause.body:
                clauses.append(clause)
                in_annex.append(top.kind == "annex")
    tokenizer = tokenizer_for_terms(tuple(terms_from_draft(draft)))
    documents = [f"{c.heading}。{c.heading}。{c.body}" for c in clauses]
    words = TfidfVectorizer(analyzer=pretokenized, sublinear_tf=True)
    word_matrix = words.fit_transform([tokenizer.tokenize(d) for d in documents] or [[]]) if clauses else None
    chars = TfidfVectorizer(analyzer="char", ngram_range=(2, 3), sublinear_tf=True)
    char_matrix = chars.fit_transform([canonical(d) for d in documents]) if clauses else None
    index = _ClauseIndex(clauses, in_annex, [_label_style(c) for c in clauses], [_label_number(c) for c in clauses],
                         [canonical(c.heading) for c in clauses], tokenizer, words, word_matrix, chars, char_matrix)
    _CACHE[fingerprint] = index
    if len(_CACHE) > 8:
        _CACHE.popitem(last=False)
    return index


def _credit(scores: np.ndarray, index: _ClauseIndex, n: int, styles: tuple[str, ...], weight: float,
            wants_annex: bool, top_level: bool = False) -> bool:
    """Credit clauses numbered ``n`` in one of ``styles``; True when one in the wanted part (body/annex) matched.

    Without 附件 in the comment, the annex's own numbering counts half: 第三部分 means the body's 三、.
    """
    hit = False
    for i, clause in enumerate(index.clauses):
        if index.numbers[i] != n or index.styles[i] not in styles:
            continue
        if top_level and clause.level != (2 if index.in_annex[i] else 1):
            continue
        if wants_annex and not index.in_annex[i]:
            continue
        wanted = index.in_annex[i] == wants_annex
        scores[i] = max(scores[i], weight if wanted else weight * 0.5)
        hit = hit or wanted
    return hit


def _mention_scores(text: str, index: _ClauseIndex) -> np.ndarray:
    scores = np.zeros(len(index.clauses))
    norm = normalize(text)
    annex = "附件" in norm
    for numeral, unit in _MENTION.findall(norm):
        n = to_int(numeral)
        if n is None:
            continue
        if unit in ("部分", "章", "大点"):
            _credit(scores, index, n, ("part", "chapter"), EXACT_MENTION, annex, top_level=True)
        elif unit == "节":
            _credit(scores, index, n, ("section", "paren"), EXACT_MENTION, annex)
        elif unit == "条":
            _ = (_credit(scores, index, n, ("article",), EXACT_MENTION, annex)
                 or _credit(scores, index, n, ("arabic",), EXACT_MENTION, annex)
                 or _credit(scores, index, n, ("paren",), WEAK_MENTION, annex))
        else:  # 项 点 款 段
            _ = (_credit(scores, index, n, ("arabic",), EXACT_MENTION, annex)
                 or _credit(scores, index, n, ("paren", "article"), WEAK_MENTION, annex))
    for numeral in _PAREN_MENTION.findall(norm):
        n = to_int(numeral)
        if n is not None:
            _credit(scores, index, n, ("paren",), WEAK_MENTION, annex)
    comment = canonical(text)
    quoted = [canonical(q) for q in _QUOTED.findall(norm)]
    for i, heading in enumerate(index.headings):
        if len(heading) >= MIN_HEADING_CHARS and (heading in comment or any(
                len(q) >= MIN_HEADING_CHARS and q in heading for q in quoted)):
            scores[i] = max(scores[i], HEADING_MENTION)
    if annex:
        scores[np.array(index.in_annex, dtype=bool)] += ANNEX_MENTION
    return scores


def clause_scores(text: str, draft: Draft) -> list[tuple[str, float]]:
    """(clause key, score) for every clause with text, best first (ties in document order)."""
    index = _index(draft)
    if not index.clauses or not text or not text.strip():
        return []
    word = (index.word_matrix @ index.words.transform([index.tokenizer.tokenize(text)]).T).toarray().ravel()
    char = (index.char_matrix @ index.chars.transform([canonical(text)]).T).toarray().ravel()
    scores = _mention_scores(text, index) + 0.5 * (word + char)
    order = sorted(range(len(scores)), key=lambda i: (-scores[i], i))
    return [(index.clauses[i].key, float(scores[i])) for i in order]


def suggest_clauses(text: str, draft: Draft, top: int = 3) -> list[str]:
    """Keys of the ``top`` clauses a comment most likely addresses, best first; [] when nothing matches."""
    return [key for key, score in clause_scores(text, draft)[:top] if score > 0]
