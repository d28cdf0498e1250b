"""What the analysis engine says about stored comments, for the staff pages (docs/analysis.md).

Quotations of the draft are recorded per comment by the analysis run (``comments.quotations``); a comment that
arrived after the last run has them found here when a page shows it (milliseconds: the draft's index is cached).
A long comment is looked at as a letter (``analysis.analyse_comment(...).is_letter``) so staff can split it into
one part per opinion (:func:`opinions`: the same parts a paper gets when it is split on arrival).
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import analysis
from analysis.comment import LETTER_MIN_CHARS
from draft.model import Draft

from .store.consultations import load_draft
from .store.rows import Comment, Consultation
from .tokens import tokenizer_for
from .vocabulary import SPLIT, WITHDRAWN


def with_quotations(consultation: Consultation, comments: Sequence[Comment]) -> None:
    """Fill in the quotations of comments that have none recorded yet (not stored: the next run records them)."""
    missing = [c for c in comments if c.quotations is None and c.body]
    if not missing:
        return
    found = analysis.find_quotations_many([c.body for c in missing], load_draft(consultation),
                                          tokenizer=tokenizer_for(consultation))
    for comment, quotations in zip(missing, found):
        comment.quotations = json.dumps([q.to_dict() for q in quotations], ensure_ascii=False)


def quotations(comment: Comment) -> list[analysis.Quotation]:
    return [analysis.Quotation(**q) for q in comment.quoted]


def _unsplit_letter(comment: Comment) -> bool:
    """Long enough to be a letter, and neither a part, a container nor withdrawn."""
    return (comment.part_of is None and comment.status not in (SPLIT, WITHDRAWN)
            and len(comment.body.strip()) >= LETTER_MIN_CHARS)


def can_split(comment: Comment) -> bool:
    """Offered 按条款拆分: an unsplit letter that is not marked spam or a duplicate (restored first)."""
    return _unsplit_letter(comment) and comment.status not in ("spam", "duplicate")


def _analysed(consultation: Consultation, comment: Comment) -> analysis.CommentAnalysis | None:
    result = analysis.analyse_comment(comment.body, load_draft(consultation), tokenizer=tokenizer_for(consultation))
    return result if result.is_letter else None


def letter(consultation: Consultation, comment: Comment) -> analysis.CommentAnalysis | None:
    """The analysis of a comment that covers several clauses (a letter) staff may split, or None."""
    return _analysed(consultation, comment) if can_split(comment) else None


def opinions(typed: str, files: Sequence[str], draft: Draft) -> list[tuple[str | None, str]]:
    """(clause key or None, text) of each opinion a submission raises, in the order it raises them: one per opinion
    segment of the typed text and of each file's text (``analysis.segment_letter``), greetings, introductions,
    closings, signatures and a typed 意见详见附件 left out. The unit of triage for both paths, the split on arrival
    (``submission.letter_parts``) and 按条款拆分 (:func:`letter_parts`).

    Two opinions on one clause stay two: each gets its own group and decision and the receipt answers each
    (``analysis.parts_by_clause`` would join them, and one part could then carry only one decision). Staff who want
    them answered together put them in one group; a joined part could not be split again."""
    return analysis.submission_opinions(typed, files, draft)


def letter_parts(consultation: Consultation, comment: Comment) -> list[tuple[str | None, str]]:
    """(clause key, text) of each opinion of a letter (:func:`opinions`), in order ([] when it has fewer than two);
    a part without a clause of its own keeps the letter's. A letter marked spam or a duplicate has its parts too:
    storing them refuses it with the reason (``store.comments.split_into_parts``)."""
    found = opinions(comment.body, [], load_draft(consultation)) if _unsplit_letter(comment) else []
    return [(key or comment.clause_key, text) for key, text in found] if len(found) > 1 else []
