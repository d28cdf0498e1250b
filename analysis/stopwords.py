"""Stop words: stopwordsiso's Chinese list plus the comment boilerplate shipped in ``data/boilerplate_zh.txt``."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import stopwordsiso

from .normalize import normalize


def _read_list(name: str) -> list[str]:
    text = resources.files("analysis").joinpath("data", name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


@lru_cache(maxsize=1)
def boilerplate_words() -> frozenset[str]:
    return frozenset(normalize(w) for w in _read_list("boilerplate_zh.txt"))


@lru_cache(maxsize=1)
def default_stopwords() -> frozenset[str]:
    """Normalised stop words (so ``，`` and ``,`` are the same entry)."""
    maintained = {normalize(w) for w in stopwordsiso.stopwords("zh")}
    return frozenset(w for w in maintained | boilerplate_words() if w)
