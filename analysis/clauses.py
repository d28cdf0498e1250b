"""Which clause is a comment about? For comments on the whole draft and for letters and e-mails staff type in.

Three kinds of evidence, added up: explicit mentions (第十二条, 第12项, 第三部分, a quoted or copied clause heading
such as “创新外汇管理服务”), quotations of the clause's text (see :mod:`analysis.quotes`; a quotation of 20 or more
characters counts like a mention) and similarity to each clause's text (cosine of word TF-IDF on jieba tokens and
of character 2–3-gram TF-IDF, averaged; the heading counts twice).
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from draft.model import Clause, Draft
from draft.numbers import to_int

from .normalize import canonical, normalize
from .terms import terms_from_draft
from .tokenize import Tokenizer, tokenizer_for_terms
from .vectorize import pretokenized

if TYPE_CHECKING:
    from sklearn.feature_extraction.text import TfidfVectorizer

    from .quotes import Quotation

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
INHERITED_MENTION = 0.5
#: From a part or section that is only a heading (四、保障措施): what is said about it is about one of its clauses.
INHERITED_FROM_HEADING = 0.75
QUOTATION = 1.0
#: A quotation this long (letters and digits) counts fully; shorter ones in proportion.
FULL_QUOTATION_CHARS = 20
MIN_HEADING_CHARS = 4
#: Headings this long count as a mention wherever they occur; shorter ones only where they are cited.
LONG_HEADING_CHARS = 8


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
    descendants: list[list[int]]
    heading_only: np.ndarray


_CACHE: OrderedDict[tuple[Any, ...], _ClauseIndex] = OrderedDict()


def _index(draft: Draft) -> _ClauseIndex:
    from sklearn.feature_extraction.text import TfidfVectorizer  # see analysis/__init__: scikit-learn loads on use

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
    position = {id(c): i for i, c in enumerate(clauses)}
    descendants = [[position[id(d)] for d in c.walk() if d is not c and id(d) in position] for c in clauses]
    index = _ClauseIndex(clauses, in_annex, [_label_style(c) for c in clauses], [_label_number(c) for c in clauses],
                         [canonical(c.heading) for c in clauses], tokenizer, words, word_matrix, chars, char_matrix,
                         descendants, np.array([not c.body for c in clauses], dtype=bool))
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


_CITING_BEFORE = ("关于", "对于", "针对", "部分", "第", "中的", "里的", "“", '"', "《", "「")
_CITING_AFTER = ("中", "里", "部分", "一节", "一条", "这一", "提到", "提出", "规定", "写", "的内容", "条款", "”", '"', "》", "」",
                 "方面")


def _cites(heading: str, comment: str, norm: str) -> bool:
    """Whether the comment names this heading as a reference: a long heading (创新外汇管理服务) wherever it occurs;
    a short one (保障措施, 滨海新区) only next to citing words (保障措施中提出, 关于滨海新区), since short headings
    are also ordinary words and place names."""
    if heading not in comment:
        return False
    if len(heading) >= LONG_HEADING_CHARS:
        return True
    plain = norm.replace(" ", "")
    at = plain.find(heading)
    while at >= 0:
        before, after = plain[max(0, at - 3):at], plain[at + len(heading):at + len(heading) + 3]
        if any(before.endswith(w) for w in _CITING_BEFORE) or any(after.startswith(w) for w in _CITING_AFTER):
            return True
        at = plain.find(heading, at + 1)
    return False


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
        if len(heading) >= MIN_HEADING_CHARS and (_cites(heading, comment, norm) or any(
                len(q) >= MIN_HEADING_CHARS and q in heading for q in quoted)):
            scores[i] = max(scores[i], HEADING_MENTION)
    # A mention of a part or section is also weaker evidence for each clause inside it ("保障措施中的政企沟通机制":
    # 4.4 with its similarity should beat 四、 alone).
    for i, clause in enumerate(index.clauses):
        if scores[i] > 0:
            inherited = INHERITED_MENTION if clause.body else INHERITED_FROM_HEADING
            for j in index.descendants[i]:
                scores[j] = max(scores[j], scores[i] * inherited)
    if annex:
        scores[np.array(index.in_annex, dtype=bool)] += ANNEX_MENTION
    return scores


def _quotation_scores(text: str, draft: Draft, index: _ClauseIndex,
                      quotations: Sequence[Quotation] | None) -> np.ndarray:
    from .quotes import find_quotations

    scores = np.zeros(len(index.clauses))
    position = {c.key: i for i, c in enumerate(index.clauses)}
    if quotations is None:
        quotations = find_quotations(text, draft, tokenizer=index.tokenizer)
    for q in quotations:
        i = position.get(q.clause_key) if q.clause_key is not None else None
        if i is not None:
            scores[i] = max(scores[i], QUOTATION * min(1.0, len(canonical(q.text)) / FULL_QUOTATION_CHARS))
    return scores


def clause_scores(text: str, draft: Draft, *,
                  quotations: Sequence[Quotation] | None = None) -> list[tuple[str, float]]:
    """(clause key, score) for every clause with text, best first (ties in document order).

    ``quotations`` (:class:`analysis.quotes.Quotation` values) saves finding them again when the caller has them."""
    index = _index(draft)
    if not index.clauses or not text or not text.strip():
        return []
    word = (index.word_matrix @ index.words.transform([index.tokenizer.tokenize(text)]).T).toarray().ravel()
    char = (index.char_matrix @ index.chars.transform([canonical(text)]).T).toarray().ravel()
    # A heading without text is found through mentions; its words alone say little about similarity.
    word[index.heading_only] = 0.0
    char[index.heading_only] = 0.0
    scores = (_mention_scores(text, index) + _quotation_scores(text, draft, index, quotations)
              + 0.5 * (word + char))
    order = sorted(range(len(scores)), key=lambda i: (-scores[i], i))
    return [(index.clauses[i].key, float(scores[i])) for i in order]


def suggest_clauses(text: str, draft: Draft, top: int = 3, *,
                    quotations: Sequence[Quotation] | None = None) -> list[str]:
    """Keys of the ``top`` clauses a comment most likely addresses, best first; [] when nothing matches."""
    return [key for key, score in clause_scores(text, draft, quotations=quotations)[:top] if score > 0]
