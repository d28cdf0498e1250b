"""Analysis tokens for stored comments, computed once when a comment is stored.

Tokens are made with the consultation's own tokenizer: jieba loaded with the draft's vocabulary
(``analysis.terms_from_draft``: quoted terms, customs codes, departments, places), the same one
``analysis.group_comments`` would use, so stored tokens and analysis agree. Tokenizers are cached per
worker process by consultation and its last update (jieba's base dictionary loads once per process).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence

from analysis import Tokenizer, default_tokenizer, terms_from_draft, tokenizer_for_terms
from draft import Draft

from .store.rows import Consultation

_lock = threading.Lock()
_terms: dict[tuple[int, str], tuple[str, ...]] = {}


def tokenizer_for(consultation: Consultation | None) -> Tokenizer:
    if consultation is None or not consultation.draft_json:
        return default_tokenizer()
    key = (consultation.id, consultation.updated_at)
    terms = _terms.get(key)
    if terms is None:
        draft = Draft.from_dict(json.loads(consultation.draft_json))
        terms = tuple(terms_from_draft(draft))
        with _lock:
            _terms[key] = terms
    return tokenizer_for_terms(terms)


def tokenize(text: str, consultation: Consultation | None) -> list[str]:
    return tokenizer_for(consultation).tokenize(text)


def tokenize_many(texts: Sequence[str], consultation: Consultation | None) -> list[list[str]]:
    """Big batches use every core (``analysis.Tokenizer.tokenize_many``)."""
    return tokenizer_for(consultation).tokenize_many(list(texts))


def warm_up() -> None:
    """Load jieba's dictionary now (worker start), not on the first comment."""
    default_tokenizer().tokenize("预热")
