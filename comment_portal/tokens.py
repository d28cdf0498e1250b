"""Analysis tokens for a stored comment, computed once when the comment is stored."""

from __future__ import annotations


def tokenize(text: str) -> list[str] | None:
    """Tokens from the analysis engine; jieba's dictionary loads once per worker process."""
    try:
        from analysis import default_tokenizer
    except ImportError:  # the analysis engine is not installed in this build
        return None
    return default_tokenizer().tokenize(text)


def warm_up() -> None:
    """Load the tokenizer's dictionary now (worker start), not on the first comment."""
    tokenize("预热")
