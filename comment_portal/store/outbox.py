"""Mail to send (the ``outbox`` table): a receipt when a comment is stored, a notice when a report is published.

A row is written in the transaction that makes the mail due (the comment's own), so nothing is lost if the
process stops before sending; ``comment_portal/mail.py`` sends due rows after the commit and records each
attempt here. The address is never copied: it is read from the comment's contact when the mail is sent, so a
contact erased on request sends nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlite_utils import Database

from ..clock import iso
from ..db import rows, scalar, sql_list, write
from ..vocabulary import WITHDRAWN

RECEIPT = "receipt"
REPORT = "report"
#: After this many failed attempts a mail is given up and shown to staff as failed.
MAX_ATTEMPTS = 6
#: Wait before the n-th retry (doubling from one minute, at most six hours).
FIRST_RETRY = timedelta(minutes=1)
#: Mails (receipts and report notices) one address is sent in 24 hours at most (see comment_portal.mail._flooded).
MAILS_PER_ADDRESS_PER_DAY = 10


def enqueue(db: Database, comment_id: int, kind: str, *, now: datetime, version: int = 0) -> None:
    """Queue one mail inside the caller's ``write`` (a second identical one is ignored)."""
    db.execute("INSERT OR IGNORE INTO outbox (comment_id, kind, version, created_at, next_attempt_at) "
               "VALUES (?, ?, ?, ?, ?)", [comment_id, kind, version, iso(now), iso(now)])


def queue_report_notices(db: Database, consultation_id: int, version: int, *, now: datetime) -> int:
    """A notice of report ``version`` to every submission of the consultation whose submitter asked for mail
    (withdrawn ones excepted); returns how many were queued. Safe to repeat."""
    with write(db):
        cursor = db.execute(
            "INSERT OR IGNORE INTO outbox (comment_id, kind, version, created_at, next_attempt_at) "
            "SELECT id, ?, ?, ?, ? FROM comments WHERE consultation_id = ? AND email_receipt = 1 "
            f"AND part_of IS NULL AND status NOT IN {sql_list((WITHDRAWN,))}",
            [REPORT, version, iso(now), iso(now), consultation_id])
    return cursor.rowcount


def due(db: Database, now: datetime, limit: int = 50) -> list[dict[str, Any]]:
    """Unsent mails whose time has come, oldest first, with the comment's address and consultation."""
    return rows(db, "SELECT o.*, m.contact, m.receipt_code, m.consultation_id FROM outbox o "
                    "JOIN comments m ON m.id = o.comment_id "
                    "WHERE o.sent_at IS NULL AND o.attempts < ? AND o.next_attempt_at <= ? ORDER BY o.id LIMIT ?",
                [MAX_ATTEMPTS, iso(now), limit])


def sent_to(db: Database, address: str, *, since: datetime) -> int:
    """Mails sent to ``address`` (any case) since ``since`` (skipped ones do not count)."""
    return int(scalar(db, "SELECT count(*) FROM outbox o JOIN comments m ON m.id = o.comment_id "
                          "WHERE o.sent_at >= ? AND o.last_error IS NULL AND lower(trim(m.contact)) = lower(?)",
                      [iso(since), address]) or 0)


def mark_sent(db: Database, outbox_id: int, *, now: datetime) -> None:
    with write(db):
        db.execute("UPDATE outbox SET sent_at = ?, attempts = attempts + 1, last_error = NULL WHERE id = ?",
                   [iso(now), outbox_id])


def mark_failed(db: Database, outbox_id: int, error: str, *, now: datetime) -> None:
    """One failed attempt: retried later (1, 2, 4 … minutes, at most 6 hours), given up after MAX_ATTEMPTS."""
    with write(db):
        attempts = int(scalar(db, "SELECT attempts FROM outbox WHERE id = ?", [outbox_id]) or 0) + 1
        wait = min(FIRST_RETRY * 2 ** (attempts - 1), timedelta(hours=6))
        db.execute("UPDATE outbox SET attempts = ?, last_error = ?, next_attempt_at = ? WHERE id = ?",
                   [attempts, error[:500], iso(now + wait), outbox_id])


def mark_skipped(db: Database, outbox_id: int, reason: str, *, now: datetime) -> None:
    """Nothing to send (no address any more, withdrawn): closed without a mail."""
    with write(db):
        db.execute("UPDATE outbox SET sent_at = ?, last_error = ? WHERE id = ?", [iso(now), reason, outbox_id])


def problems(db: Database, consultation_id: int) -> dict[str, int]:
    """For staff: mails given up (``failed``) and mails still being retried (``retrying``)."""
    found = rows(db, "SELECT sum(o.attempts >= ?) AS failed, sum(o.attempts BETWEEN 1 AND ? - 1) AS retrying "
                     "FROM outbox o JOIN comments m ON m.id = o.comment_id "
                     "WHERE m.consultation_id = ? AND o.sent_at IS NULL",
                 [MAX_ATTEMPTS, MAX_ATTEMPTS, consultation_id])[0]
    return {"failed": int(found["failed"] or 0), "retrying": int(found["retrying"] or 0)}
