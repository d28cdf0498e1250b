"""Files sent with a comment (the ``attachments`` table): their names, kinds, sizes and extracted text.

The files themselves live under ``ATTACHMENT_FOLDER`` by a random name (``comment_portal/uploads.py``);
this module keeps what is known about them. A file belongs to the comment the person sent: a single
comment, or the container of a multi-clause submission. Its text is part of that comment's analysable
text (:func:`analysable_text`), never of any public output.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlite_utils import Database

from ..clock import iso
from ..db import placeholders
from .rows import Attachment, all_as, one_as

#: ``attachments.text_state``: extracted (or nothing to extract), read by a background job later, unreadable.
DONE, PENDING, FAILED = "done", "pending", "failed"


def add(db: Database, comment_id: int, *, original_name: str, stored_name: str, kind: str, size: int, sha256: str,
        text: str, has_text_layer: bool, pages: int | None, now: datetime, text_state: str = DONE) -> int:
    """One file's row, inside the caller's ``write`` (the comment it belongs to is stored in the same one)."""
    cursor = db.execute(
        "INSERT INTO attachments (comment_id, original_name, stored_name, kind, size, sha256, text, has_text_layer, "
        "pages, created_at, text_state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [comment_id, original_name, stored_name, kind, size, sha256, text, int(has_text_layer), pages, iso(now),
         text_state],
    )
    assert cursor.lastrowid is not None
    return cursor.lastrowid


def set_text(db: Database, attachment_id: int, *, text: str, has_text_layer: bool, pages: int | None,
             state: str) -> None:
    """What a background job read from a file accepted with its text pending (inside the caller's ``write``)."""
    db.execute("UPDATE attachments SET text = ?, has_text_layer = ?, pages = ?, text_state = ? WHERE id = ?",
               [text, int(has_text_layer), pages, state, attachment_id])


def mask(db: Database, attachment_id: int, *, text: str, original_name: str) -> None:
    """The text and file name of an attachment with personal data masked (erasure on request; the caller holds the
    transaction)."""
    db.execute("UPDATE attachments SET text = ?, original_name = ? WHERE id = ?", [text, original_name, attachment_id])


def of_comments(db: Database, comment_ids: Iterable[int]) -> dict[int, list[Attachment]]:
    """comment id → its attachments in the order they were sent."""
    ids = list(comment_ids)
    out: dict[int, list[Attachment]] = {i: [] for i in ids}
    if ids:
        for found in all_as(Attachment, db, f"SELECT * FROM attachments WHERE comment_id IN ({placeholders(ids)}) "
                                            "ORDER BY id", ids):
            out[found.comment_id].append(found)
    return out


def of_comment(db: Database, comment_id: int) -> list[Attachment]:
    return of_comments(db, [comment_id])[comment_id]


def get(db: Database, consultation_id: int, attachment_id: int) -> Attachment | None:
    """One attachment of a comment in this consultation."""
    return one_as(Attachment, db, "SELECT a.* FROM attachments a JOIN comments m ON m.id = a.comment_id "
                                  "WHERE a.id = ? AND m.consultation_id = ?", [attachment_id, consultation_id])


def analysable_text(body: str, file_texts: Iterable[str], proposal_changes: str = "") -> str:
    """What the analysis reads for one comment: the typed text, the words a 建议修改为 proposal adds, and the
    text of its attachments, in that order (letter segmentation, tokens and clause suggestions use this)."""
    return "\n\n".join(t for t in [body.strip(), proposal_changes.strip(), *(text.strip() for text in file_texts)]
                       if t)
