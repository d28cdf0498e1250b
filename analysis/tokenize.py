"""jieba tokenising with a per-draft user dictionary, stop words and a process pool for big batches.

jieba's module-level tokenizer logs at DEBUG and writes a cache file to the system temp folder. Here every
:class:`Tokenizer` owns a ``jieba.Tokenizer`` instance whose prefix dictionary is built in memory once per
process (about 0.5 s) and copied per instance (about 15 ms), so nothing is written to disk.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

import jieba

from .normalize import normalize, normalize_light
from .stopwords import default_stopwords

jieba.setLogLevel(logging.WARNING)
logging.getLogger("jieba").setLevel(logging.WARNING)

#: Customs supervision codes (海关监管方式代码) that stay tokens although they are pure numbers.
CUSTOMS_CODES = frozenset({"9610", "9710", "9810", "1210", "1239", "0110", "1039"})

_BASE_LOCK = threading.Lock()
_BASE_DICT: tuple[dict[str, int], int] | None = None

#: Batches smaller than this are tokenised in the calling process (a pool costs more than it saves).
PARALLEL_MIN_TEXTS = 2000
_CHUNK = 500
_DECISION_CACHE = 200_000


def base_prefix_dict() -> tuple[dict[str, int], int]:
    """jieba's default prefix dictionary, built once per process without touching the disk cache."""
    global _BASE_DICT
    with _BASE_LOCK:
        if _BASE_DICT is None:
            builder = jieba.Tokenizer()
            _BASE_DICT = builder.gen_pfdict(builder.get_dict_file())
        return _BASE_DICT


def _normalize_for_tokens(text: str) -> str:
    return normalize_light(text)


def _is_number(token: str) -> bool:
    return token.replace(".", "", 1).replace(",", "").isdigit()


class Tokenizer:
    """Normalise, segment with jieba, and keep only meaningful tokens.

    ``user_terms`` are added to the jieba dictionary (normalised the same way as text, so ``OEM`` matches
    ``oem`` and ``ＯＥＭ``) and never dropped, even when they are numbers (``9610``). ``stopwords`` replaces
    the default list (stopwordsiso zh + comment boilerplate) when given.
    """

    def __init__(self, user_terms: Iterable[str] = (), stopwords: Iterable[str] | None = None) -> None:
        self.user_terms: tuple[str, ...] = tuple(dict.fromkeys(t for t in (normalize(u) for u in user_terms) if t))
        self._custom_stopwords = None if stopwords is None else tuple(stopwords)
        base = default_stopwords() if stopwords is None else frozenset(normalize(w) for w in stopwords)
        self.stopwords: frozenset[str] = base - set(self.user_terms)
        self._keep_numbers = CUSTOMS_CODES | {t for t in self.user_terms if _is_number(t)}
        self._jieba = jieba.Tokenizer()
        self._jieba.tmp_dir = None
        freq, total = base_prefix_dict()
        self._jieba.FREQ = dict(freq)
        self._jieba.total = total
        self._jieba.initialized = True
        for term in self.user_terms:
            self._jieba.add_word(term)
        # jieba's output token → the token kept ("" = dropped); tokens repeat, so this saves most filtering.
        self._decided: dict[str, str] = {}

    # Pickling (for process pools that spawn instead of fork) rebuilds from the configuration.
    def __getstate__(self) -> dict[str, Any]:
        return {"user_terms": self.user_terms, "stopwords": self._custom_stopwords}

    def __setstate__(self, state: dict[str, Any]) -> None:
        Tokenizer.__init__(self, state["user_terms"], state["stopwords"])

    def _keep(self, token: str) -> bool:
        if token in self.stopwords or not any(ch.isalnum() for ch in token):
            return False
        if _is_number(token):
            return token in self._keep_numbers
        # A lone Latin letter is not a word (initials, list markers, anonymised place codes).
        return not (len(token) == 1 and "a" <= token <= "z")

    def tokenize(self, text: str) -> list[str]:
        """Tokens of one comment, in order; an empty list when nothing meaningful is left."""
        if not text:
            return []
        raw = self._jieba.lcut(_normalize_for_tokens(text))
        decided = self._decided
        for token in raw:
            if token not in decided:
                if len(decided) >= _DECISION_CACHE:
                    decided.clear()
                stripped = token.strip()
                decided[token] = stripped if stripped and self._keep(stripped) else ""
        return [kept for kept in map(decided.__getitem__, raw) if kept]

    def tokenize_many(self, texts: Sequence[str], workers: int | None = None) -> list[list[str]]:
        """Tokens of many comments, in input order, using ``workers`` processes (default: every core).

        Small batches (fewer than ``PARALLEL_MIN_TEXTS``) run in this process.
        """
        workers = workers or os.cpu_count() or 1
        if workers <= 1 or len(texts) < PARALLEL_MIN_TEXTS:
            return [self.tokenize(t) for t in texts]
        chunks = [list(texts[i:i + _CHUNK]) for i in range(0, len(texts), _CHUNK)]
        methods = multiprocessing.get_all_start_methods()
        ctx = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        with ctx.Pool(workers, initializer=_init_worker, initargs=(self,)) as pool:
            results = pool.map(_tokenize_chunk, chunks, chunksize=1)
        return [tokens for chunk in results for tokens in chunk]


_WORKER: Tokenizer | None = None


def _init_worker(tokenizer: Tokenizer) -> None:
    global _WORKER
    _WORKER = tokenizer


def _tokenize_chunk(texts: list[str]) -> list[list[str]]:
    assert _WORKER is not None
    return [_WORKER.tokenize(t) for t in texts]


@lru_cache(maxsize=8)
def tokenizer_for_terms(user_terms: tuple[str, ...] = ()) -> Tokenizer:
    """A shared tokenizer per user-term set (build once per process; cheap to call per comment)."""
    return Tokenizer(user_terms)


def default_tokenizer() -> Tokenizer:
    """The process-wide tokenizer without user terms, built on first use."""
    return tokenizer_for_terms(())
