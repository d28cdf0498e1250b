"""What a submitter's receipt shows: the submission found by its receipt code, its text with personal data
masked, its parts (a multi-clause form), the names of its attachments, and what a PUBLISHED report says
about each part. Never contact details, never an unpublished decision, never an attachment's content.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from ..db import one
from ..vocabulary import PUBLIC_STATUSES, SPLIT, WITHDRAWN
from . import attachments, comments, published


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
    attachments: list[str] = field(default_factory=list)  # original file names
    email_receipt: bool = False

    @property
    def withdrawn(self) -> bool:
        return self.status == WITHDRAWN

    @property
    def several(self) -> bool:
        return self.status == SPLIT or len(self.parts) > 1


def find(db: Database, code: str) -> SubmissionReceipt | None:
    """The submission with this receipt code (a container's or a plain comment's; parts' own codes are
    internal and never found here)."""
    row = one(db, "SELECT m.*, c.slug, c.title FROM comments m JOIN consultations c ON c.id = m.consultation_id "
                  "WHERE m.receipt_code = ? AND m.part_of IS NULL", [code])
    return build(db, row) if row else None


def of_comment(db: Database, comment_id: int) -> SubmissionReceipt | None:
    row = one(db, "SELECT m.*, c.slug, c.title FROM comments m JOIN consultations c ON c.id = m.consultation_id "
                  "WHERE m.id = ? AND m.part_of IS NULL", [comment_id])
    return build(db, row) if row else None


def build(db: Database, row: dict[str, Any]) -> SubmissionReceipt:
    mask = published.redactor_for(db, row["consultation_id"], row["id"])
    withdrawn = row["status"] == WITHDRAWN
    members = comments.parts_of(db, row["id"]) or [row]

    def outcome(comment_id: int) -> dict[str, Any] | None:
        return None if withdrawn else published.receipt_outcome(db, row["consultation_id"], comment_id)

    parts = [ReceiptPart(comment_id=m["id"], clause_key=m["clause_key"], text=mask(m["body"] or ""),
                         proposal=mask(m["proposal"] or ""),
                         status_label=PUBLIC_STATUSES.get(m["status"], "已收到"), outcome=outcome(m["id"]))
             for m in members]
    return SubmissionReceipt(
        comment_id=row["id"], code=row["receipt_code"], consultation_id=row["consultation_id"], slug=row["slug"],
        title=row["title"], created_at=row["created_at"], status=row["status"],
        status_label=PUBLIC_STATUSES.get(row["status"], "已收到"), withdrawn_at=row["withdrawn_at"] if withdrawn else None,
        parts=parts, attachments=[a["original_name"] for a in attachments.of_comment(db, row["id"])],
        email_receipt=bool(row["email_receipt"]),
    )
