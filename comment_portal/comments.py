"""Queries on comments: insert (committed before any receipt is shown), one comment per form load, lookup."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import sqlite3
import unicodedata
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from . import audit
from .clock import iso
from .db import one, placeholders, rows, sql_list, write
from .vocabulary import IGNORED, NOT_COUNTED, ORGANISATION_TYPES

#: Crockford-like alphabet: no 0/O/1/I, so a code read aloud or copied by hand is unambiguous.
RECEIPT_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
RECEIPT_GROUPS = 3
RECEIPT_GROUP_LEN = 4  # 12 symbols x 5 bits = 60 bits



def new_receipt_code() -> str:
    symbols = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_GROUPS * RECEIPT_GROUP_LEN))
    return "-".join(symbols[i : i + RECEIPT_GROUP_LEN] for i in range(0, len(symbols), RECEIPT_GROUP_LEN))


def normalise_receipt_code(text: str) -> str | None:
    """Accept a code as people type it (lower case, spaces, missing or extra dashes); None if invalid."""
    cleaned = "".join(ch for ch in unicodedata.normalize("NFKC", text).upper() if ch not in " -—_")
    if len(cleaned) != RECEIPT_GROUPS * RECEIPT_GROUP_LEN or any(ch not in RECEIPT_ALPHABET for ch in cleaned):
        return None
    return "-".join(cleaned[i : i + RECEIPT_GROUP_LEN] for i in range(0, len(cleaned), RECEIPT_GROUP_LEN))


def fingerprint(secret: str | bytes, client: str) -> str:
    """Keyed hash of the client address: enough to spot abuse, useless for identifying anyone."""
    key = secret.encode() if isinstance(secret, str) else secret
    return hmac.new(key, client.encode(), hashlib.sha256).hexdigest()[:32]


def body_hash(body: str) -> str:
    return hashlib.sha256(" ".join(body.split()).encode()).hexdigest()


_COLUMNS = (
    "consultation_id", "clause_key", "body", "submitter_type", "name", "contact", "channel", "received_on",
    "created_at", "fingerprint", "body_hash", "status", "tokens", "entered_by", "receipt_code", "form_token",
    "publish_organisation",
)
_INSERT = f"INSERT INTO comments ({', '.join(_COLUMNS)}) VALUES ({', '.join(':' + c for c in _COLUMNS)})"


def _record(
    *,
    consultation_id: int,
    clause_key: str | None,
    body: str,
    submitter_type: str,
    name: str,
    contact: str,
    now: datetime,
    client_fingerprint: str = "",
    status: str = "pending",
    channel: str = "web",
    received_on: str | None = None,
    tokens: list[str] | None = None,
    entered_by: int | None = None,
    form_token: str | None = None,
    publish_organisation: bool = False,
) -> dict[str, Any]:
    """``publish_organisation``: the submitter ticked 同意公开单位名称 (kept only for an organisation)."""
    return {
        "consultation_id": consultation_id,
        "clause_key": clause_key,
        "body": body,
        "submitter_type": submitter_type,
        "name": name or None,
        "contact": contact or None,
        "channel": channel,
        "received_on": received_on,
        "created_at": iso(now),
        "fingerprint": client_fingerprint,
        "body_hash": body_hash(body),
        "status": status,
        "tokens": json.dumps(tokens, ensure_ascii=False) if tokens is not None else None,
        "entered_by": entered_by,
        "form_token": form_token,
        "publish_organisation": int(bool(publish_organisation) and submitter_type in ORGANISATION_TYPES),
    }


def insert(db: Database, **fields: Any) -> dict[str, Any]:
    """Insert and COMMIT one comment (fields as :func:`_record` takes them); returns the stored row."""
    record = _record(**fields)
    with write(db):
        _store(db, record)
    return record


def submit_form(db: Database, *, form_token: str, **fields: Any) -> tuple[dict[str, Any], bool]:
    """Store a comment from the web form once per form load and COMMIT it: ``(row, repeated)``.

    When a comment with this ``form_token`` is already stored, nothing is written and that comment comes
    back with ``repeated=True``. The check and the insert share one ``BEGIN IMMEDIATE`` transaction, so
    two racing requests are serialised; the unique index on ``form_token`` guarantees one row even so.
    """
    record = _record(form_token=form_token, **fields)
    try:
        with write(db):
            earlier = by_form_token(db, form_token)
            if earlier is not None:
                return earlier, True
            _store(db, record)
    except sqlite3.IntegrityError as exc:
        if "form_token" not in str(exc):
            raise
        earlier = by_form_token(db, form_token)
        assert earlier is not None
        return earlier, True
    return record, False


def enter(db: Database, *, staff: dict[str, Any], now: datetime, **fields: Any) -> dict[str, Any]:
    """A comment staff typed in (letter, e-mail, phone, meeting), with its audit row; COMMITTED."""
    record = _record(now=now, entered_by=staff["id"], **fields)
    with write(db):
        _store(db, record)
        audit.record(db, action="comment.enter", now=now, staff=staff, consultation_id=record["consultation_id"],
                     entity="comment", entity_id=record["id"],
                     after={k: record[k] for k in ("clause_key", "channel", "received_on", "submitter_type",
                                                   "receipt_code")} | {"length": len(record["body"])})
    return record


def stored_identities(db: Database, consultation_id: int, body_hashes: list[str]) -> dict[tuple[Any, ...], int]:
    """(body hash, clause, channel, date received, name, contact) → the first stored comment with them."""
    found: dict[tuple[Any, ...], int] = {}
    for start in range(0, len(body_hashes), 500):
        chunk = body_hashes[start:start + 500]
        for row in rows(db, f"SELECT id, body_hash, clause_key, channel, received_on, name, contact FROM comments "
                            f"WHERE consultation_id = ? AND body_hash IN ({placeholders(chunk)}) ORDER BY id",
                        [consultation_id, *chunk]):
            key = (row["body_hash"], row["clause_key"], row["channel"], row["received_on"], row["name"], row["contact"])
            found.setdefault(key, row["id"])
    return found


def import_rows(db: Database, consultation_id: int, rows_: list[dict[str, Any]], *, staff: dict[str, Any] | None,
                now: datetime, filename: str, bad_rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Store the good rows of an imported file (fields as :func:`_record` takes them) and one audit row for
    the import, in one transaction; returns the stored records (with ids and receipt codes)."""
    records = [_record(consultation_id=consultation_id, now=now, entered_by=staff["id"] if staff else None, **fields)
               for fields in rows_]
    with write(db):
        for record in records:
            _store(db, record)
        audit.record(db, action="comment.import", now=now, staff=staff, consultation_id=consultation_id,
                     entity="comments", entity_id=f"{records[0]['id']}-{records[-1]['id']}",
                     after={"file": filename, "imported": len(records), "first_id": records[0]["id"],
                            "last_id": records[-1]["id"], "bad_rows": bad_rows[:200]})
    return records


def by_form_token(db: Database, form_token: str) -> dict[str, Any] | None:
    return one(db, "SELECT * FROM comments WHERE form_token = ?", [form_token])


def _store(db: Database, record: dict[str, Any]) -> int:
    """INSERT one comment row with a fresh receipt code, inside the caller's ``write`` transaction.

    Sets ``record["receipt_code"]`` and ``record["id"]`` (``form_token`` and ``publish_organisation``
    default to none). A failed INSERT leaves the transaction intact, so a receipt-code collision
    (astronomically rare at 60 bits) is simply retried.
    """
    record.setdefault("form_token", None)
    record.setdefault("publish_organisation", 0)
    for _ in range(5):
        record["receipt_code"] = new_receipt_code()
        try:
            record["id"] = db.execute(_INSERT, record).lastrowid
            return record["id"]
        except sqlite3.IntegrityError as exc:
            if "receipt_code" not in str(exc):
                raise
    raise RuntimeError("could not allocate a unique receipt code")


def by_receipt(db: Database, code: str) -> dict[str, Any] | None:
    return one(
        db,
        "SELECT m.id, m.clause_key, m.created_at, m.status, m.channel, m.receipt_code, m.consultation_id, "
        "m.withdrawn_at, c.slug, c.title, c.opens_on, c.closes_on "
        "FROM comments m JOIN consultations c ON c.id = m.consultation_id "
        "WHERE m.receipt_code = ?",
        [code],
    )


def status_counts_all(db: Database) -> dict[tuple[int, str], int]:
    """(consultation id, status) → number of comments, for every consultation."""
    return {
        (r["consultation_id"], r["status"]): r["n"]
        for r in rows(db, "SELECT consultation_id, status, count(*) AS n FROM comments GROUP BY 1, 2")
    }


def status_counts(db: Database, consultation_id: int) -> dict[str, int]:
    return {
        r["status"]: r["n"]
        for r in rows(db, "SELECT status, count(*) AS n FROM comments WHERE consultation_id = ? GROUP BY status",
                      [consultation_id])
    }


def channel_counts(db: Database, consultation_id: int) -> dict[str, int]:
    """Comments per channel, spam and withdrawn comments excluded."""
    return {
        r["channel"]: r["n"]
        for r in rows(db, "SELECT channel, count(*) AS n FROM comments WHERE consultation_id = ? "
                          f"AND status NOT IN {sql_list(IGNORED)} GROUP BY channel", [consultation_id])
    }


def counts_by_clause_all_statuses(db: Database, consultation_id: int) -> dict[str, dict[str | None, int]]:
    """{"valid": {clause_key: n}, "all": {...}}: valid excludes spam, duplicates and withdrawn comments."""
    out: dict[str, dict[str | None, int]] = {"valid": {}, "all": {}}
    for r in rows(db, "SELECT clause_key, status, count(*) AS n FROM comments WHERE consultation_id = ? "
                      "GROUP BY clause_key, status", [consultation_id]):
        out["all"][r["clause_key"]] = out["all"].get(r["clause_key"], 0) + r["n"]
        if r["status"] not in NOT_COUNTED:
            out["valid"][r["clause_key"]] = out["valid"].get(r["clause_key"], 0) + r["n"]
    return out


def store_tokens(db: Database, tokens_by_id: list[tuple[int, list[str]]]) -> None:
    """Analysis tokens for comments stored before tokens were kept: computed once, stored, never again."""
    with write(db):
        db.conn.executemany("UPDATE comments SET tokens = ? WHERE id = ?",
                            [(json.dumps(tokens, ensure_ascii=False), comment_id) for comment_id, tokens in tokens_by_id])
