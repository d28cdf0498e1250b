"""Everything the analysis says about ONE comment, for the portal to store when the comment arrives.

:func:`analyse_comment` is the per-comment entry point the portal integration builds on:

- ``quotations``: text copied from the draft, each with its clause and its span in the comment as written (show it
  to staff greyed; it is evidence for ``clause_suggestions`` but not part of the opinion);
- ``noise``: None, or a :class:`analysis.noise.NoiseFlag` (``advert`` / ``off_topic`` with the evidence in
  Chinese) to propose the comment as 疑似广告 / 与征求意见无关 in the staff queue until staff confirm or reject;
- ``supportive``: the comment only agrees (answered together with thanks);
- ``segments``: the parts of a letter, each a unit of triage with its own clause (one segment for an ordinary
  comment); ``kind == "remark"`` marks greetings and signatures, which need no decision;
- ``tokens``: the tokens of the whole text — store these with the comment (``CommentIn.tokens``) and the grouping
  never tokenises it again; ``opinion_tokens``: the same without the quoted text (what grouping compares);
- ``title``: a short readable phrase for lists.

:func:`parts_by_clause` turns what one submission sent (its typed text, its files' text) into one part per clause it
comments on, so a position paper becomes one opinion per clause when it arrives.

:func:`letter_units` turns a stored letter into one :class:`CommentIn` per opinion segment (ids ``"<id>#<n>"``), so
each part is grouped and decided on its own while staying linked to its letter by the id prefix.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from draft.model import Draft

from .clauses import clause_scores
from .grouping import CommentIn
from .labels import readable_title
from .noise import NoiseFlag, noise_flag
from .quotes import Quotation, canonical_offsets, draft_index, find_canonical_quotes, to_quotations
from .segments import MIN_POINT_SCORE, MIN_SCORE, Segment, segment_letter
from .support import is_supportive
from .terms import tokenizer_for_draft
from .tokenize import Tokenizer

#: Comments at least this long are looked at as letters (split at their structure).
LETTER_MIN_CHARS = 120


@dataclass
class CommentAnalysis:
    """The result of :func:`analyse_comment` (see the module docstring)."""

    text: str
    quotations: list[Quotation]
    clause_suggestions: list[str]
    noise: NoiseFlag | None
    supportive: bool
    segments: list[Segment]
    tokens: list[str]
    opinion_tokens: list[str]
    title: str
    scores: dict[str, float] = field(default_factory=dict)

    @property
    def noise_reason(self) -> str | None:
        return self.noise.reason if self.noise else None

    @property
    def is_letter(self) -> bool:
        return sum(1 for s in self.segments if s.kind == "opinion") > 1

    def to_dict(self) -> dict[str, Any]:
        return {"quotations": [q.to_dict() for q in self.quotations], "clause_suggestions": list(self.clause_suggestions),
                "noise": self.noise.to_dict() if self.noise else None, "supportive": self.supportive,
                "segments": [s.to_dict() for s in self.segments], "tokens": list(self.tokens),
                "opinion_tokens": list(self.opinion_tokens), "title": self.title}


def analyse_comment(text: str, draft: Draft, *, tokenizer: Tokenizer | None = None,
                    letter_min_chars: int = LETTER_MIN_CHARS) -> CommentAnalysis:
    """Quotations, clause suggestions, noise, support, letter segments, tokens and a title for one comment.

    Deterministic; about 30 ms for a short comment and a few hundred for a long letter (clause scoring per part).
    """
    from .quotes import without_quoted_tokens

    tokenizer = tokenizer or tokenizer_for_draft(draft)
    text = text or ""
    index = draft_index(draft, tokenizer)
    canon, offsets = canonical_offsets(text)
    canonical_quotes = find_canonical_quotes([canon], index)[0] if canon else []
    quotations = to_quotations(text, offsets, canonical_quotes, index)
    tokens = tokenizer.tokenize(text)
    opinion = without_quoted_tokens(tokens, index.quoted_tokens(canonical_quotes)) or tokens
    scores = dict(clause_scores(text, draft, quotations=quotations)) if text.strip() else {}
    suggestions = [k for k, s in sorted(scores.items(), key=lambda kv: -kv[1])[:3] if s > 0]
    segments: list[Segment] = []
    if len(text.strip()) >= letter_min_chars:
        segments = segment_letter(text, draft)
    if sum(1 for s in segments if s.kind == "opinion") < 2 and text.strip():
        best = suggestions[0] if suggestions and scores[suggestions[0]] >= MIN_POINT_SCORE else None
        stripped = len(text) - len(text.lstrip())
        segments = [Segment(text.strip(), best, stripped, stripped + len(text.strip()),
                            scores.get(best, 0.0) if best else 0.0)]
    return CommentAnalysis(
        text=text, quotations=quotations, clause_suggestions=suggestions,
        noise=noise_flag(text, draft, tokens=tokens, tokenizer=tokenizer), supportive=is_supportive(text),
        segments=segments, tokens=tokens, opinion_tokens=opinion,
        title=readable_title(text, [(q.start, q.end) for q in quotations]), scores=scores)


def letter_units(comment: CommentIn, draft: Draft, *, tokenizer: Tokenizer | None = None,
                 letter_min_chars: int = LETTER_MIN_CHARS) -> list[CommentIn]:
    """One :class:`CommentIn` per opinion of a letter (ids ``"<id>#1"``, ``"<id>#2"``…, each part's clause, or the
    letter's own clause when the part has none); ``[comment]`` when it is not a letter. Remarks (greeting,
    signature) are not units: they need no decision."""
    text = comment.text or ""
    if len(text.strip()) < letter_min_chars:
        return [comment]
    tokenizer = tokenizer or tokenizer_for_draft(draft)
    opinions = [s for s in segment_letter(text, draft) if s.kind == "opinion"]
    if len(opinions) < 2:
        return [comment]
    return [CommentIn(f"{comment.id}#{n}", s.text, s.clause_key or comment.clause_key, tokenizer.tokenize(s.text))
            for n, s in enumerate(opinions, start=1)]


#: A short typed line that only points to the files ("意见详见附件"): it says nothing to decide on.
_POINTS_TO_FILES = re.compile(r"(?:详见|见|请见|参见|具体见|均在|附)[^。；;\n]{0,8}附件")
#: A typed text shorter than this that points to the files is a remark (see :data:`_POINTS_TO_FILES`).
_POINTER_MAX_CHARS = 60


def _source_segments(text: str, draft: Draft, *, typed: bool, letter_min_chars: int) -> list[Segment]:
    """The segments of one text of a submission: a letter's points, or the whole text as one segment."""
    text = text.strip()
    if not text:
        return []
    if typed and len(text) < _POINTER_MAX_CHARS and _POINTS_TO_FILES.search(text):
        return [Segment(text, None, 0, len(text), kind="remark")]
    if len(text) >= letter_min_chars:
        return segment_letter(text, draft)
    scores = clause_scores(text, draft)
    key, score = scores[0] if scores else (None, 0.0)
    return [Segment(text, key if score >= MIN_SCORE else None, 0, len(text), score)]


def submission_opinions(typed: str, files: Sequence[str], draft: Draft, *,
                        letter_min_chars: int = LETTER_MIN_CHARS) -> list[tuple[str | None, str]]:
    """One ``(clause key or None, text)`` per opinion a submission raises, in the order it raises them: each opinion
    segment of the typed text and of each file's text, segmented on their own; remarks (greeting, introduction,
    closing, signature, a typed "意见详见附件") are left out. Two opinions on one clause stay two (the portal's unit of
    triage: each may need its own decision); :func:`parts_by_clause` joins them."""
    return [(segment.clause_key, segment.text)
            for n, text in enumerate([typed, *files])
            for segment in _source_segments(text, draft, typed=n == 0, letter_min_chars=letter_min_chars)
            if segment.kind == "opinion" and segment.text]


def parts_by_clause(typed: str, files: Sequence[str], draft: Draft, *,
                    letter_min_chars: int = LETTER_MIN_CHARS) -> list[tuple[str | None, str]]:
    """One ``(clause key, text)`` per clause a submission comments on, in the order it raises them; ``[]`` when it
    covers fewer than two clauses (it stays one comment).

    ``typed`` is the text typed on the form and ``files`` the text of each file sent with it (a position paper);
    each is segmented on its own (:func:`segment_letter`), so a typed opinion is never taken for the introduction
    of the paper that follows it. Opinions on the same clause are one part (their texts joined by a blank line);
    opinions on no clause are one part on the whole draft (key None). Remarks (greeting, introduction, closing,
    signature, a typed "意见详见附件") are no part: the caller keeps them with the submission as received.
    """
    by_clause: dict[str | None, list[str]] = {}
    for key, text in submission_opinions(typed, files, draft, letter_min_chars=letter_min_chars):
        by_clause.setdefault(key, []).append(text)
    if sum(1 for key in by_clause if key is not None) < 2:
        return []
    return [(key, "\n\n".join(texts)) for key, texts in by_clause.items()]
