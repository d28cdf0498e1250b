"""The synthesis engine: comment texts in; tokens, quotations, noise, campaigns, clusters and clause suggestions out.

A pure library (no Flask, no database): one function per stage plus :func:`group_comments`, which chains them, and
:func:`analyse_comment`, which says everything about one comment when it arrives.

- :class:`Tokenizer` / :func:`default_tokenizer` — normalise and segment (jieba) one comment or a batch
- :func:`terms_from_draft` — the draft's vocabulary for the user dictionary; :func:`tokenizer_for_draft` — the
  shared tokenizer with those terms (what the portal should use to store tokens)
- :func:`find_quotations` — text copied from the draft (with small edits), per clause, with spans
- :func:`noise_reason` / :func:`noise_flag` — ``"advert"``, ``"off_topic"`` or None (with evidence for staff)
- :func:`is_supportive` — comments that only agree (支持！希望早日落地。)
- :func:`segment_letter` — a letter split into its points, each with its clause (:class:`Segment`)
- :func:`find_duplicates` — exact and near-duplicate campaigns (each member near the template, never chains)
- :func:`cluster` — topic clusters with labels, a representative, cohesion and a too-mixed flag
- :func:`group_comments` — the whole chain over :class:`CommentIn` values → :class:`Grouping`
- :func:`analyse_comment` — one comment → :class:`CommentAnalysis`; :func:`letter_units` — a letter → its parts;
  :func:`parts_by_clause` — a submission's typed text and files → one part per clause
  :func:`submission_opinions` — the same → one part per opinion (two on one clause stay two)
- :func:`suggest_clauses` — likely clause keys for a comment on the whole draft

docs/analysis.md describes how the portal is meant to use these.
"""

from .clauses import clause_scores, suggest_clauses
from .clustering import Cluster, Clustering, cluster
from .comment import CommentAnalysis, analyse_comment, letter_units, parts_by_clause, submission_opinions
from .duplicates import DuplicateGroup, find_duplicates
from .grouping import CommentIn, Group, Grouping, Unprocessed, group_comments
from .labels import is_label_term, readable_title
from .noise import NoiseFlag, noise_flag, noise_flags, noise_reason
from .normalize import canonical, normalize, split_sentences
from .quotes import Quotation, find_quotations, find_quotations_many
from .segments import Segment, segment_letter
from .support import is_supportive
from .terms import terms_from_draft, tokenizer_for_draft
from .tokenize import Tokenizer, default_tokenizer, tokenizer_for_terms
from .version import ANALYSIS_VERSION

__version__ = ANALYSIS_VERSION

__all__ = [
    "ANALYSIS_VERSION",
    "Cluster",
    "Clustering",
    "CommentAnalysis",
    "CommentIn",
    "DuplicateGroup",
    "Group",
    "Grouping",
    "NoiseFlag",
    "Quotation",
    "Segment",
    "Tokenizer",
    "Unprocessed",
    "analyse_comment",
    "canonical",
    "clause_scores",
    "cluster",
    "default_tokenizer",
    "find_duplicates",
    "find_quotations",
    "find_quotations_many",
    "group_comments",
    "is_label_term",
    "is_supportive",
    "letter_units",
    "noise_flag",
    "noise_flags",
    "noise_reason",
    "normalize",
    "parts_by_clause",
    "readable_title",
    "segment_letter",
    "split_sentences",
    "submission_opinions",
    "suggest_clauses",
    "terms_from_draft",
    "tokenizer_for_draft",
    "tokenizer_for_terms",
]
