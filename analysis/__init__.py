"""The synthesis engine: comment texts in, tokens, duplicate campaigns, clusters and clause suggestions out.

A pure library: no Flask, no database. One function per stage plus :func:`group_comments`, which chains them.
"""

from .normalize import canonical, normalize, split_sentences
from .tokenize import Tokenizer, default_tokenizer, tokenizer_for_terms
from .version import ANALYSIS_VERSION

__all__ = [
    "ANALYSIS_VERSION",
    "Tokenizer",
    "canonical",
    "default_tokenizer",
    "normalize",
    "split_sentences",
    "tokenizer_for_terms",
]
