"""What a submitter's receipt shows: the submission found by its receipt code, its text with personal data
masked, its parts (a multi-clause form), the names of its attachments, and what a PUBLISHED report says
about each part. Never contact details, never an unpublished decision, never an attachment's content.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from ..vocabulary import PUBLIC_STATUSES, SPLIT, WITHDRAWN
from . import attachments, comments, consultations, published
from .rows import Comment, one_as


@dataclass(frozen=True)
class ReceiptPart:
    comment_id: int
    clause_key: str | None
    text: str  # masked
    proposal: str  # masked; "" when none
    status_label: str
    outcome: dict[str, Any] | None = None  # from the latest published report; None before publication


@dataclass(frozen=True)
class SubmissionReceipt:
    comment_id: int
    code: str
    consultation_id: int
    slug: str
    title: str
    created_at: str
    status: str
    status_label: str
    withdrawn_at: str | None
    parts: list[ReceiptPart]
    attachments: list[str] = field(default_factory=list)  # original file names, personal data masked like the text
    email_receipt: bool = False
    text_pending: bool = False  # a file's text is still being read (a long PDF: a background job)
    #: A letter split after the latest published version answered it whole: that answer (the parts have none yet).
    whole_outcome: dict[str, Any] | None = None

    @property
    def withdrawn(self) -> bool:
        return self.status == WITHDRAWN

    @property
    def several(self) -> bool:
        return self.status == SPLIT or len(self.parts) > 1


def find(db: Database, code: str) -> SubmissionReceipt | None:
    """The submission with this receipt code (a container's or a plain comment's; parts' own codes are
    internal and never found here)."""
    found = comments.by_receipt(db, code)
    return build(db, found) if found and found.part_of is None else None


def of_comment(db: Database, comment_id: int) -> SubmissionReceipt | None:
    found = one_as(Comment, db, "SELECT * FROM comments WHERE id = ? AND part_of IS NULL", [comment_id])
    return build(db, found) if found else None


def build(db: Database, comment: Comment) -> SubmissionReceipt:
    consultation = consultations.get(db, comment.consultation_id)
    assert consultation is not None  # a comment's consultation is never deleted
    mask = published.redactor_for(db, comment.consultation_id, comment.id)
    withdrawn = comment.status == WITHDRAWN
    members = comments.parts_of(db, comment.id) or [comment]
    files = attachments.of_comment(db, comment.id)

    def outcome(comment_id: int) -> dict[str, Any] | None:
        return None if withdrawn else published.receipt_outcome(db, comment.consultation_id, comment_id)

    # Split after the latest published version, which answered the letter whole: that answer stands for the parts
    # it does not list yet (rather than telling the submitter each part was "not listed").
    whole = outcome(comment.id) if comment.status == SPLIT else None
    whole = whole if whole and whole["listed"] else None

    def part_outcome(comment_id: int) -> dict[str, Any] | None:
        found = outcome(comment_id)
        return None if whole and found and not found["listed"] else found

    parts = [ReceiptPart(comment_id=m.id, clause_key=m.clause_key, text=mask(m.body or ""),
                         proposal=mask(m.proposal or ""),
                         status_label=PUBLIC_STATUSES.get(m.status, "已收到"), outcome=part_outcome(m.id))
             for m in members]
    return SubmissionReceipt(
        comment_id=comment.id, code=comment.receipt_code, consultation_id=comment.consultation_id,
        slug=consultation.slug, title=consultation.title, created_at=comment.created_at, status=comment.status,
        status_label=PUBLIC_STATUSES.get(comment.status, "已收到"),
        withdrawn_at=comment.withdrawn_at if withdrawn else None,
        parts=parts, attachments=[mask(a.original_name) for a in files], email_receipt=bool(comment.email_receipt),
        text_pending=any(a.text_state == attachments.PENDING for a in files),
        whole_outcome=whole if whole and any(p.outcome is None for p in parts) else None,
    )
