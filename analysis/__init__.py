"""The synthesis engine: comment texts in; tokens, duplicate campaigns, clusters and clause suggestions out.

A pure library (no Flask, no database): one function per stage plus :func:`group_comments`, which chains them.

- :class:`Tokenizer` / :func:`default_tokenizer` — normalise and segment (jieba) one comment or a batch
- :func:`terms_from_draft` — the draft's vocabulary for the user dictionary; :func:`tokenizer_for_draft` — the
  shared tokenizer with those terms (what the portal should use to store tokens)
- :func:`find_duplicates` — exact and near-duplicate groups (mass campaigns)
- :func:`cluster` — topic clusters with labels and a representative
- :func:`group_comments` — the whole chain over :class:`CommentIn` values → :class:`Grouping`
- :func:`suggest_clauses` — likely clause keys for a comment on the whole draft
"""

from .clauses import clause_scores, suggest_clauses
from .clustering import Cluster, Clustering, cluster
from .duplicates import DuplicateGroup, find_duplicates
from .grouping import CommentIn, Group, Grouping, Unprocessed, group_comments
from .normalize import canonical, normalize, split_sentences
from .terms import terms_from_draft, tokenizer_for_draft
from .tokenize import Tokenizer, default_tokenizer, tokenizer_for_terms
from .version import ANALYSIS_VERSION

__version__ = ANALYSIS_VERSION

__all__ = [
    "ANALYSIS_VERSION",
    "Cluster",
    "Clustering",
    "CommentIn",
    "DuplicateGroup",
    "Group",
    "Grouping",
    "Tokenizer",
    "Unprocessed",
    "canonical",
    "clause_scores",
    "cluster",
    "default_tokenizer",
    "find_duplicates",
    "group_comments",
    "normalize",
    "split_sentences",
    "suggest_clauses",
    "terms_from_draft",
    "tokenizer_for_draft",
    "tokenizer_for_terms",
]
