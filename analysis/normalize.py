"""Text normalisation shared by tokenising, duplicate detection and clause suggestion."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import opencc

_SPACE = re.compile(r"\s+")
_NOT_ALNUM = re.compile(r"[\W_]+")
# Sentence ends (after NFKC the full-width forms are already half-width) and line breaks.
_SENTENCE_END = re.compile(r"(?<=[。!?;…])|\n+")


@lru_cache(maxsize=1)
def _to_simplified() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def normalize(text: str) -> str:
    """NFKC (full-width → half-width digits, Latin letters and punctuation), traditional → simplified
    characters (OpenCC ``t2s``), lower-case Latin, runs of whitespace → one space.
    """
    if not text:
        return ""
    text = _to_simplified().convert(unicodedata.normalize("NFKC", text)).lower()
    return _SPACE.sub(" ", text).strip()


def canonical(text: str) -> str:
    """The normalised text with everything but letters and digits removed: the key for exact duplicates."""
    return _NOT_ALNUM.sub("", normalize(text))


def split_sentences(text: str) -> list[str]:
    """Split normalised text into sentences at 。!?;… and line breaks; empty pieces are dropped."""
    norm = unicodedata.normalize("NFKC", text or "")
    parts = _SENTENCE_END.split(norm)
    return [p.strip() for p in parts if p and p.strip()]
