"""Analysis tokens for a stored comment, computed once when the comment is stored."""

from __future__ import annotations

from analysis import default_tokenizer


def tokenize(text: str) -> list[str]:
    """Tokens from the analysis engine; jieba's dictionary loads once per worker process."""
    return default_tokenizer().tokenize(text)


def warm_up() -> None:
    """Load the tokenizer's dictionary now (worker start), not on the first comment."""
    tokenize("预热")
