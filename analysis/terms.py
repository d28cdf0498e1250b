"""The draft's own vocabulary, for jieba's user dictionary: so ``跨境电商+产业带`` or ``9610`` stay one token."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from draft.model import Draft

from .tokenize import CUSTOMS_CODES, Tokenizer, tokenizer_for_terms

_QUOTED = re.compile(r"[“\"「『]([^”\"」』]{2,30})[”\"」』]")
_TITLE = re.compile(r"《([^》]{2,60})》")
_CODE_IN_PARENS = re.compile(r"[(（]\s*(\d{4})\s*[)）]")
_FOUR_DIGITS = re.compile(r"(?<!\d)(\d{4})(?!\d)")
_ACRONYM = re.compile(r"(?<![A-Za-z0-9])([A-Za-z0-9]*[A-Z][A-Za-z0-9]*)(?![A-Za-z0-9])")
_RESPONSIBLE = re.compile(r"责任单位[:：]([^)）]+)")
_DEPARTMENT = re.compile(r"(?:天津市|国家|市委|市)[\u4e00-\u9fff]{1,8}?(?:局|委员会|委|办|厅|分局|分行|管委会)")
# A list of short names ending in 等 (静海、津南、东丽、宁河等区): places, parks, products.
_VERBS_ENDING_IN_BAN = ("举办", "开办", "创办", "主办", "承办", "协办", "兴办", "督办")
_NAME_LIST = re.compile(r"((?:[\u4e00-\u9fff]{2,6}、)+[\u4e00-\u9fff]{2,6})等")
_SPLIT = re.compile(r"[、,，;；及和与]")
_HAN = re.compile(r"[\u4e00-\u9fff]")


def _texts(draft: Draft) -> Iterator[str]:
    yield draft.title
    yield draft.preamble
    for clause in draft.walk():
        yield clause.heading
        yield clause.body


def _pieces(text: str) -> list[str]:
    return [p.strip() for p in _SPLIT.split(text) if p.strip()]


def terms_from_draft(draft: Draft) -> list[str]:
    """Quoted terms, 《titles》, customs codes, acronyms, department names and listed place/park names.

    Returned in order of first appearance, without repeats; quoted phrases that are enumerations
    (“研判、会商、分析”) contribute their parts.
    """
    found: dict[str, None] = {}

    def add(term: str, *, min_len: int = 2) -> None:
        term = unicodedata.normalize("NFKC", term).strip(" \t·.。,，")
        if len(term) >= min_len and not term.isspace():
            found.setdefault(term, None)

    for raw in _texts(draft):
        text = unicodedata.normalize("NFKC", raw or "")
        # NFKC turns “ ” into plain quotes only for some forms; match both.
        for quoted in _QUOTED.findall(raw or "") + _QUOTED.findall(text):
            for piece in _pieces(quoted) if _SPLIT.search(quoted) else [quoted]:
                if len(piece) <= 16:
                    add(piece)
        for title in _TITLE.findall(text):
            add(title)
        for code in _CODE_IN_PARENS.findall(text):
            add(code, min_len=4)
        for code in _FOUR_DIGITS.findall(text):
            if code in CUSTOMS_CODES:
                add(code, min_len=4)
        for acronym in _ACRONYM.findall(text):
            if not acronym.isdigit() and len(acronym) <= 10:
                add(acronym)
        for units in _RESPONSIBLE.findall(text):
            for unit in _pieces(units):
                add(unit.removeprefix("各"))
        for department in _DEPARTMENT.findall(text):
            if not department.endswith(_VERBS_ENDING_IN_BAN):
                add(department)
        for names in _NAME_LIST.findall(text):
            items = names.split("、")
            # The first item may carry the words before the list (在现有高新区): keep it only when short.
            for i, item in enumerate(items):
                if (i > 0 or len(item) <= 3) and len(item) <= 6 and _HAN.search(item):
                    add(item)
    return list(found)


def tokenizer_for_draft(draft: Draft) -> Tokenizer:
    """The shared tokenizer with this draft's terms (built once per process and term set).

    The portal should tokenise stored comments with it, so their tokens match what :func:`group_comments`
    would compute for the same draft.
    """
    return tokenizer_for_terms(tuple(terms_from_draft(draft)))
