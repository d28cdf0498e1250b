"""Queries on comments: storing one (committed before any receipt is shown: from the web form once per form
load, typed in by staff, imported), looking it up by receipt, counting, and the changes staff make to it in
triage (status, note, clause, seen, bulk actions), each with its audit row in the same transaction. Nothing
is deleted: spam, duplicates and withdrawn comments are statuses."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import sqlite3
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from ..clock import iso
from ..db import one, placeholders, rows, scalar, sql_list, write
from ..vocabulary import IGNORED, NOT_COUNTED, ORGANISATION_TYPES, SPLIT, WITHDRAWN
from . import analysis_runs, attachments, audit, groups, jobs, outbox
from .rows import Comment, StaffAccount, all_as, from_row, one_as

#: Crockford-like alphabet: no 0/O/1/I, so a code read aloud or copied by hand is unambiguous.
RECEIPT_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
RECEIPT_GROUPS = 3
RECEIPT_GROUP_LEN = 4  # 12 symbols x 5 bits = 60 bits



#: Who split a multi-clause form into its parts, in the audit log.
FORM_ACTOR = "提出人（多条款意见表）"
#: Who split a position paper (a whole-draft comment covering several clauses) when it arrived.
LETTER_ACTOR = "系统（意见书按条款拆分）"
#: The job kind that reads a submission's pending file text and splits a paper (``comment_portal/attachment_text.py``).
ATTACHMENT_TEXT_JOB = "attachment_text"


@dataclass(frozen=True)
class FormPart:
    """One opinion of a multi-clause form: its clause (None: the draft as a whole), text, 建议修改为 and
    analysis tokens."""

    clause_key: str | None
    body: str
    proposal: str | None = None
    tokens: list[str] = field(default_factory=list)


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
    "publish_organisation", "proposal", "email_receipt",
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
    proposal: str | None = None,
    email_receipt: bool = False,
) -> dict[str, Any]:
    """``publish_organisation``: the submitter ticked 同意公开单位名称 (kept only for an organisation);
    ``proposal``: the 建议修改为 wording; ``email_receipt``: the submitter ticked 发送回执到邮箱."""
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
        "proposal": proposal or None,
        "email_receipt": int(bool(email_receipt)),
    }


def insert(db: Database, **fields: Any) -> Comment:
    """Insert and COMMIT one comment (fields as :func:`_record` takes them); returns the stored row."""
    record = _record(**fields)
    with write(db):
        _store(db, record)
    return from_row(Comment, record)


def submit_form(db: Database, *, form_token: str, files: Sequence[dict[str, Any]] = (),
                parts: Sequence[FormPart] = (), split_by: str = FORM_ACTOR, later: bool = False,
                **fields: Any) -> tuple[Comment, bool]:
    """Store what one load of a public comment form sent and COMMIT it: ``(row, repeated)``.

    When a comment with this ``form_token`` is already stored, nothing is written and that comment comes
    back with ``repeated=True``. The check and the insert share one ``BEGIN IMMEDIATE`` transaction, so
    two racing requests are serialised; the unique index on ``form_token`` guarantees one row even so.

    ``files``: the attachments' rows (``attachments.add`` fields, the files already saved). ``parts``: the
    opinions of a multi-clause form (two or more): the row stored from ``fields`` is then their container,
    and each part an ordinary comment (:func:`split_into_parts`, audited as done by ``split_by``) carrying its own
    建议修改为. A submitter
    who ticked 发送回执到邮箱 gets a receipt mail queued in the same transaction (sent after the commit).
    ``later``: a job that reads the files' pending text and splits a paper by clause (``attachment_text.py``)
    is queued in the same transaction too, so no stored submission misses it.
    """
    record = _record(form_token=form_token, **fields)
    try:
        with write(db):
            earlier = by_form_token(db, form_token)
            if earlier is not None:
                return earlier, True
            _store(db, record)
            for file in files:
                attachments.add(db, record["id"], now=fields["now"], **file)
            if parts:
                stored = split_into_parts(db, record["consultation_id"], record["id"],
                                          [(p.clause_key, p.body) for p in parts], tokens=[p.tokens for p in parts],
                                          staff=None, now=fields["now"], actor=split_by)
                for part, row in zip(parts, stored, strict=True):
                    if part.proposal:
                        db.execute("UPDATE comments SET proposal = ? WHERE id = ?", [part.proposal, row.id])
                record["status"] = SPLIT
            if record["email_receipt"]:
                outbox.enqueue(db, record["id"], outbox.RECEIPT, now=fields["now"])
            if later:
                jobs.enqueue(db, kind=ATTACHMENT_TEXT_JOB, consultation_id=record["consultation_id"], staff=None,
                             now=fields["now"], params={"comment_id": record["id"]})
    except sqlite3.IntegrityError as exc:
        if "form_token" not in str(exc):
            raise
        earlier = by_form_token(db, form_token)
        assert earlier is not None
        return earlier, True
    return from_row(Comment, record), False


def enter(db: Database, *, staff: StaffAccount, now: datetime, **fields: Any) -> Comment:
    """A comment staff typed in (letter, e-mail, phone, meeting), with its audit row; COMMITTED."""
    return enter_once(db, staff=staff, now=now, form_token=None, **fields)[0]


def enter_once(db: Database, *, staff: StaffAccount, now: datetime, form_token: str | None,
               **fields: Any) -> tuple[Comment, bool]:
    """:func:`enter` once per load of the 录入 form (``form_token``): ``(row, repeated)``. A double click
    stores one row and the second request gets the first comment back with ``repeated=True``."""
    record = _record(now=now, entered_by=staff.id, form_token=form_token, **fields)
    with write(db):
        earlier = by_form_token(db, form_token) if form_token else None
        if earlier is not None:
            return earlier, True
        _store(db, record)
        audit.record(db, action="comment.enter", now=now, staff=staff, consultation_id=record["consultation_id"],
                     entity="comment", entity_id=record["id"],
                     after={k: record[k] for k in ("clause_key", "channel", "received_on", "submitter_type",
                                                   "receipt_code")} | {"length": len(record["body"])})
    return from_row(Comment, record), False


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


def import_rows(db: Database, consultation_id: int, rows_: list[dict[str, Any]], *, staff: StaffAccount | None,
                now: datetime, filename: str, bad_rows: list[dict[str, Any]]) -> list[Comment]:
    """Store the good rows of an imported file (fields as :func:`_record` takes them) and one audit row for
    the import, in one transaction; returns the stored records (with ids and receipt codes)."""
    records = [_record(consultation_id=consultation_id, now=now, entered_by=staff.id if staff else None, **fields)
               for fields in rows_]
    with write(db):
        for record in records:
            _store(db, record)
        audit.record(db, action="comment.import", now=now, staff=staff, consultation_id=consultation_id,
                     entity="comments", entity_id=f"{records[0]['id']}-{records[-1]['id']}",
                     after={"file": filename, "imported": len(records), "first_id": records[0]["id"],
                            "last_id": records[-1]["id"], "bad_rows": bad_rows[:200]})
    return [from_row(Comment, record) for record in records]


def by_form_token(db: Database, form_token: str) -> Comment | None:
    return one_as(Comment, db, "SELECT * FROM comments WHERE form_token = ?", [form_token])


def _store(db: Database, record: dict[str, Any]) -> int:
    """INSERT one comment row with a fresh receipt code, inside the caller's ``write`` transaction.

    Sets ``record["receipt_code"]`` and ``record["id"]`` (``form_token``, ``publish_organisation``,
    ``proposal`` and ``email_receipt`` default to none). A failed INSERT leaves the transaction intact, so a receipt-code collision
    (astronomically rare at 60 bits) is simply retried.
    """
    record.setdefault("form_token", None)
    record.setdefault("publish_organisation", 0)
    record.setdefault("proposal", None)
    record.setdefault("email_receipt", 0)
    for _ in range(5):
        record["receipt_code"] = new_receipt_code()
        try:
            record["id"] = db.execute(_INSERT, record).lastrowid
            return record["id"]
        except sqlite3.IntegrityError as exc:
            if "receipt_code" not in str(exc):
                raise
    raise RuntimeError("could not allocate a unique receipt code")


def by_receipt(db: Database, code: str) -> Comment | None:
    return one_as(Comment, db, "SELECT * FROM comments WHERE receipt_code = ?", [code])


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


def store_quotations(db: Database, quotations: list[tuple[int, list[dict[str, Any]]]]) -> None:
    """The quotations of the draft an analysis run found in comments that had none recorded (inside a ``write``)."""
    db.conn.executemany("UPDATE comments SET quotations = ? WHERE id = ?",
                        [(json.dumps(found, ensure_ascii=False), comment_id) for comment_id, found in quotations])


# -- staff's changes to a comment: each opens its write and records its audit row ----------------------------
class CommentError(ValueError):
    """A change staff cannot make, with a message in Chinese saying why."""


def is_new(comment: Comment, new_after: int | None) -> bool:
    return new_after is not None and comment.id > new_after and not comment.reviewed_at


def get(db: Database, consultation_id: int, comment_id: int) -> Comment | None:
    found = one_as(
        Comment,
        db,
        "SELECT m.*, cl.label AS clause_label, cl.heading AS clause_heading, cl.body AS clause_body, "
        "g.title AS group_title, g.merged_into AS group_merged_into, s.username AS entered_by_name "
        "FROM comments m "
        "LEFT JOIN clauses cl ON cl.consultation_id = m.consultation_id AND cl.key = m.clause_key "
        "LEFT JOIN groups g ON g.id = m.group_id LEFT JOIN staff s ON s.id = m.entered_by "
        "WHERE m.consultation_id = ? AND m.id = ?",
        [consultation_id, comment_id],
    )
    if found:
        found.is_new = is_new(found, analysis_runs.first_run_max(db, consultation_id))
    return found


def snapshot(db: Database, comment_id: int) -> dict[str, Any]:
    """The fields staff can change, for the audit log's before/after."""
    return dict(one(db, "SELECT status, duplicate_of, staff_note, clause_key, group_id FROM comments WHERE id = ?",
                    [comment_id]) or {})


def _reviewed(db: Database, comment_id: int, now: datetime) -> None:
    db.execute("UPDATE comments SET reviewed_at = ? WHERE id = ? AND reviewed_at IS NULL", [iso(now), comment_id])


def has_decision(db: Database, comment_id: int, group_id: int | None) -> bool:
    """A decision applies: its own override, or its group's decision."""
    return bool(scalar(
        db, "SELECT 1 FROM decisions WHERE comment_id = ? OR (group_id IS NOT NULL AND group_id = ?) LIMIT 1",
        [comment_id, group_id]))


def _live_group(db: Database, group_id: int | None) -> int | None:
    """Follow ``merged_into`` to the group that is still active."""
    seen: set[int] = set()
    while group_id is not None and group_id not in seen:
        seen.add(group_id)
        target = scalar(db, "SELECT merged_into FROM groups WHERE id = ?", [group_id])
        if target is None:
            return group_id
        group_id = target
    return group_id


def _set_status(db: Database, comment_id: int, group_id: int | None, status: str, *, now: datetime,
                duplicate_of: int | None = None) -> None:
    """``spam``, ``duplicate`` (of another comment) or back to the normal flow (``pending`` → pending,
    grouped or decided, whichever its group and decisions say). Inside the caller's ``write``."""
    if status == "pending":
        live = _live_group(db, group_id)
        if live != group_id:  # its group was merged meanwhile: follow it
            db.execute("UPDATE comments SET group_id = ? WHERE id = ?", [live, comment_id])
        if has_decision(db, comment_id, live):
            status = "decided"
        elif live:
            status = "grouped"
        duplicate_of = None
    elif status == "spam":
        duplicate_of = None
    elif status != "duplicate":
        raise ValueError(status)
    db.execute("UPDATE comments SET status = ?, duplicate_of = ? WHERE id = ?", [status, duplicate_of, comment_id])
    _reviewed(db, comment_id, now)


#: Who acted, on the audit page, when copies of a withdrawn comment are given back (:func:`release_copies`).
RELEASE_ACTOR = "系统（原意见已被提出人撤回）"


def release_copies(db: Database, consultation_id: int, original_ids: list[int], *, now: datetime) -> list[int]:
    """Comments marked duplicates of ``original_ids`` (which have just left the count: withdrawn) would count
    nowhere: per original, its first copy goes back to the normal flow and any others become duplicates of that
    one. One audit row each; inside the caller's ``write``. Returns the copies changed."""
    if not original_ids:
        return []
    copies = rows(db, f"SELECT id, duplicate_of, group_id FROM comments WHERE consultation_id = ? AND status = "
                      f"'duplicate' AND duplicate_of IN ({placeholders(original_ids)}) ORDER BY duplicate_of, id",
                  [consultation_id, *original_ids])
    heirs: dict[int, int] = {}
    for copy in copies:
        before = snapshot(db, copy["id"])
        heir = heirs.setdefault(copy["duplicate_of"], copy["id"])
        if heir == copy["id"]:
            _set_status(db, copy["id"], copy["group_id"], "pending", now=now)
        else:
            _set_status(db, copy["id"], copy["group_id"], "duplicate", now=now, duplicate_of=heir)
        after = snapshot(db, copy["id"])
        audit.record(db, action="comment.status", now=now, staff=None, actor=RELEASE_ACTOR,
                     consultation_id=consultation_id, entity="comment", entity_id=copy["id"],
                     before={k: before[k] for k in ("status", "duplicate_of")},
                     after={k: after[k] for k in ("status", "duplicate_of")})
    return [c["id"] for c in copies]


def _audit(db: Database, consultation_id: int, comment_id: int, action: str, *, staff: StaffAccount | None,
           now: datetime, before: Any, after: Any) -> None:
    audit.record(db, action=action, now=now, staff=staff, consultation_id=consultation_id, entity="comment",
                 entity_id=comment_id, before=before, after=after)


def set_status(db: Database, consultation_id: int, comment_id: int, status: str, *, duplicate_of: int | None = None,
               staff: StaffAccount | None, now: datetime) -> str:
    """Mark a comment as spam or a duplicate of another, or restore it; returns its new status.

    Raises :class:`CommentError` when the change would lose an opinion (see :func:`status_change_problem`).
    """
    duplicate_of = duplicate_of if status == "duplicate" else None
    with write(db):
        problem = status_change_problem(db, consultation_id, comment_id, status, duplicate_of)
        if problem:
            raise CommentError(problem)
        before = snapshot(db, comment_id)
        _set_status(db, comment_id, before["group_id"], status, now=now, duplicate_of=duplicate_of)
        after = snapshot(db, comment_id)
        _audit(db, consultation_id, comment_id, "comment.status", staff=staff, now=now, before=before, after=after)
    return str(after["status"])


def note_stamp(note: str | None) -> str:
    """The note a page showed, as a short hash (the note form carries it: ``seen``)."""
    return hashlib.sha256((note or "").encode()).hexdigest()[:20]


def set_note(db: Database, consultation_id: int, comment_id: int, note: str, *, staff: StaffAccount | None,
             now: datetime, seen: str | None = None) -> None:
    """Staff's private note on a comment (never public). ``seen``: the :func:`note_stamp` of the note the form was
    loaded with; when someone changed the note since, nothing is saved (their words would be silently replaced)."""
    with write(db):
        before = snapshot(db, comment_id)["staff_note"]
        if seen is not None and seen != note_stamp(before):
            raise CommentError("没有保存：您打开本页之后，内部备注已被他人修改（现在的备注见上方“内部备注”）。"
                               "您填写的内容仍在下面；请合并两者后再保存。")
        db.execute("UPDATE comments SET staff_note = ? WHERE id = ?", [note or None, comment_id])
        _reviewed(db, comment_id, now)
        _audit(db, consultation_id, comment_id, "comment.note", staff=staff, now=now,
               before={"staff_note": before}, after={"staff_note": note or None})


def set_clause(db: Database, consultation_id: int, comment_id: int, clause_key: str | None, *,
               staff: StaffAccount | None, now: datetime) -> None:
    """Tie a comment to another clause (``None``: the draft as a whole). A letter split by clause keeps its own:
    its parts carry the clauses."""
    with write(db):
        if scalar(db, "SELECT status FROM comments WHERE id = ?", [comment_id]) == SPLIT:
            raise CommentError("这份材料已按条款拆分为多条意见：请在拆分后的各条意见上调整对应条款。")
        before = snapshot(db, comment_id)["clause_key"]
        db.execute("UPDATE comments SET clause_key = ? WHERE id = ?", [clause_key, comment_id])
        _reviewed(db, comment_id, now)
        _audit(db, consultation_id, comment_id, "comment.clause", staff=staff, now=now,
               before={"clause_key": before}, after={"clause_key": clause_key})


def mark_seen(db: Database, consultation_id: int, comment_id: int, *, staff: StaffAccount | None,
              now: datetime) -> None:
    """Staff opened a comment that arrived after the first analysis run: it is no longer 新."""
    with write(db):
        _reviewed(db, comment_id, now)
        _audit(db, consultation_id, comment_id, "comment.reviewed", staff=staff, now=now,
               before={"new": True}, after={"new": False})


@dataclass
class BulkResult:
    changed: int  # comments the action applied to (or that were already where it would put them)
    skipped: list[int]  # comments left alone: others are marked as duplicates of them


def bulk_change(db: Database, consultation_id: int, comment_ids: list[int], action: str, *,
                group_id: int | None = None, staff: StaffAccount | None, now: datetime) -> BulkResult:
    """One action on the comments checked in the queue: ``spam``, ``pending`` (restore) or ``move`` into
    ``group_id``. Each comment gets its own audit row, all in one transaction."""
    if action not in ("spam", "pending", "move"):
        raise ValueError(action)
    skipped: list[int] = []
    with write(db):
        if action == "move" and (group_id is None or not groups.exists(db, consultation_id, group_id)):
            raise CommentError("请选择要移入的分组。")
        ids = existing_ids(db, consultation_id, comment_ids)
        touched: set[int] = set()
        for comment_id in ids:
            before = snapshot(db, comment_id)
            if action == "move":
                if before["group_id"] == group_id:
                    continue
                if before["status"] == SPLIT:  # a letter split by clause: only its parts join groups
                    skipped.append(comment_id)
                    continue
                groups.move_comments(db, [comment_id], group_id, now=now)
                touched.update(x for x in (before["group_id"], group_id) if x)
                kind, keys = "comment.group", ("group_id", "status")
            else:
                if status_change_problem(db, consultation_id, comment_id, action, None):
                    skipped.append(comment_id)  # withdrawn, or others are duplicates of it (it must keep counting)
                    continue
                _set_status(db, comment_id, before["group_id"], action, now=now)
                kind, keys = "comment.status", ("status", "duplicate_of")
            after = snapshot(db, comment_id)
            _audit(db, consultation_id, comment_id, kind, staff=staff, now=now,
                   before={k: before[k] for k in keys}, after={k: after[k] for k in keys})
        groups.mark_edited(db, sorted(touched), now)
    return BulkResult(changed=len(ids) - len(skipped), skipped=skipped)


def status_change_problem(db: Database, consultation_id: int, comment_id: int, status: str,
                          duplicate_of: int | None) -> str:
    """Why a status change would lose an opinion ("" when it is fine).

    A duplicate must point at a comment that itself counts (not spam, not a duplicate), so chains and
    cycles cannot hide every copy of an opinion; and a comment that others duplicate cannot leave the count.
    """
    current = scalar(db, "SELECT status FROM comments WHERE consultation_id = ? AND id = ?", [consultation_id, comment_id])
    if current == WITHDRAWN:
        return "提出人已撤回这条意见：已撤回的意见保留备查，不再修改状态。"
    if current == SPLIT:
        return "这份材料已拆分为多条意见：请处理拆分后的各条意见，原件保留备查。"
    if status == "duplicate":
        if duplicate_of == comment_id:
            return "不能标为与自己重复。"
        target = one(db, "SELECT status FROM comments WHERE consultation_id = ? AND id = ?",
                     [consultation_id, duplicate_of])
        if target is None:
            return f"本次征求意见中没有编号为 {duplicate_of} 的意见。"
        if target["status"] == SPLIT:  # a letter split by clause counts through its parts
            parts = "、".join(str(r["id"]) for r in rows(db, "SELECT id FROM comments WHERE part_of = ? "
                                                             "ORDER BY part_no, id", [duplicate_of]))
            return (f"意见 {duplicate_of} 已按条款拆分为多条意见（意见 {parts}），原件不计数：请标为与其中对应的"
                    "那条意见重复；如本条也涉及多个条款，请先将本条按条款拆分。")
        if target["status"] in NOT_COUNTED:
            return f"意见 {duplicate_of} 本身已标为重复或无效，或已被提出人撤回，请标为与其原始意见重复。"
    if status in ("spam", "duplicate"):
        copies = scalar(db, "SELECT count(*) FROM comments WHERE duplicate_of = ? AND status = 'duplicate'",
                        [comment_id])
        if copies:
            return f"有 {copies} 条意见被标为与本条重复，请先恢复或改标它们，再修改本条的状态。"
    return ""


def existing_ids(db: Database, consultation_id: int, ids: list[int]) -> list[int]:
    if not ids:
        return []
    marks = ",".join("?" for _ in ids)
    return [r["id"] for r in rows(db, f"SELECT id FROM comments WHERE consultation_id = ? AND id IN ({marks}) "
                                      "ORDER BY id", [consultation_id, *ids])]


# -- submissions with several opinions: one container row plus part rows ----------------------------------
#: Copied from the container to each part: who sent it, how and when (the part is the same submission).
_PART_IDENTITY = ("submitter_type", "name", "contact", "channel", "received_on", "created_at", "fingerprint",
                  "entered_by", "publish_organisation")


def parts_of(db: Database, comment_id: int) -> list[Comment]:
    """The parts of a container in their order ([] for a plain comment)."""
    return all_as(Comment, db, "SELECT * FROM comments WHERE part_of = ? ORDER BY part_no, id", [comment_id])


def container_of(db: Database, comment_id: int) -> Comment | None:
    """The container a part belongs to (None for a plain comment or a container)."""
    return one_as(Comment, db, "SELECT container.* FROM comments part JOIN comments container "
                               "ON container.id = part.part_of WHERE part.id = ?", [comment_id])


def split_into_parts(db: Database, consultation_id: int, container_id: int,
                     parts: list[tuple[str | None, str]], *, tokens: list[list[str]] | None = None,
                     staff: StaffAccount | None, now: datetime, action: str = "comment.split",
                     actor: str = "system") -> list[Comment]:
    """Store ``parts`` ((clause key or None, text), in order) as the opinions of one submission; COMMITTED.

    The container keeps what was sent, as received, and its receipt code; its status becomes ``split``
    (never counted, grouped or decided) and it leaves any group. Each part copies the container's identity
    fields and is an ordinary ``pending`` comment with its own internal receipt code (never shown: the
    container's receipt page lists the parts). One audit row, in the same transaction. ``tokens`` are the
    parts' analysis tokens (the caller's consultation tokenizer), aligned with ``parts``.
    """
    if not parts:
        raise CommentError("没有可拆分的意见。")
    if tokens is not None and len(tokens) != len(parts):
        raise ValueError("tokens must align with parts")
    with write(db):
        container = one(db, "SELECT * FROM comments WHERE consultation_id = ? AND id = ?",
                        [consultation_id, container_id])
        if container is None:
            raise CommentError("未找到这条意见。")
        if container["part_of"] is not None:
            raise CommentError("这条意见本身是拆分出的一部分，不能再拆分。")
        if container["status"] in (SPLIT, WITHDRAWN):
            raise CommentError("这条意见已拆分或已被提出人撤回，不能再拆分。")
        if container["status"] in ("spam", "duplicate"):  # splitting would bring it back into the count unannounced
            raise CommentError("这条意见已标为无效或重复：如需按条款拆分，请先恢复为正常处理。")
        decided = scalar(db, "SELECT category FROM decisions WHERE comment_id = ? AND category != ''", [container_id])
        if decided:  # the container is never reported: its decision would vanish without a trace
            raise CommentError(f"本条已作出处理决定（{decided}），拆分后该决定将不再适用。请先撤销本条的处理决定，"
                               "再按条款拆分，并对拆分后的各条意见分别作出决定。")
        copies = scalar(db, "SELECT count(*) FROM comments WHERE duplicate_of = ? AND status = 'duplicate'",
                        [container_id])
        if copies:  # a split letter no longer counts: its copies would count nowhere (as for spam, status_change_problem)
            raise CommentError(f"有 {copies} 条意见被标为与本条重复，请先恢复或改标它们，再按条款拆分本条。")
        stored: list[dict[str, Any]] = []
        for number, (clause_key, body) in enumerate(parts, start=1):
            record = {key: container[key] for key in _PART_IDENTITY}
            record.update(consultation_id=consultation_id, clause_key=clause_key, body=body,
                          body_hash=body_hash(body), status="pending", form_token=None,
                          tokens=json.dumps(tokens[number - 1], ensure_ascii=False) if tokens is not None else None)
            _store(db, record)
            db.execute("UPDATE comments SET part_of = ?, part_no = ? WHERE id = ?",
                       [container_id, number, record["id"]])
            record.update(part_of=container_id, part_no=number)
            stored.append(record)
        db.execute("UPDATE comments SET status = ?, group_id = NULL, duplicate_of = NULL WHERE id = ?",
                   [SPLIT, container_id])
        audit.record(db, action=action, now=now, staff=staff, actor=actor, consultation_id=consultation_id,
                     entity="comment", entity_id=container_id,
                     before={"status": container["status"], "group_id": container["group_id"]},
                     after={"status": SPLIT, "parts": [{"id": r["id"], "clause_key": r["clause_key"],
                                                         "length": len(r["body"])} for r in stored]})
    return [from_row(Comment, record) for record in stored]


def split_by_form(db: Database, container_id: int) -> bool:
    """The submission was split by its submitter on the multi-clause form (one box per clause), not by the engine
    on arrival nor by staff (the actor of its latest ``comment.split`` audit row)."""
    return scalar(db, "SELECT actor FROM audit_log WHERE action = 'comment.split' AND entity = 'comment' "
                      "AND entity_id = ? ORDER BY id DESC LIMIT 1", [str(container_id)]) == FORM_ACTOR


def _unsplit_problem(db: Database, consultation_id: int, container: dict[str, Any], parts: list[dict[str, Any]]) -> str:
    """Why a split cannot be undone ("" when it can): the multi-clause form is the citizen's own split, and a decision
    or a 无效/重复 mark on a part (or a published answer to one) would vanish without a trace."""
    if container["status"] != SPLIT or not parts:
        return "这条意见没有按条款拆分，无需撤销。"
    if split_by_form(db, container["id"]):
        return "这份意见是提出人在多条款意见表中按条款分别填写的，不是系统或工作人员拆分的，不能撤销拆分。"
    for part in parts:
        own = scalar(db, "SELECT category FROM decisions WHERE comment_id = ? AND category != ''", [part["id"]])
        if own:
            return (f"意见 {part['id']} 已作出处理决定（{own}）：撤销拆分后该决定将不再适用。"
                    "请先撤销该条意见的处理决定，再撤销拆分。")
        group = one(db, "SELECT g.title, d.category FROM groups g JOIN decisions d ON d.group_id = g.id "
                        "AND d.category != '' WHERE g.id = ?", [part["group_id"]]) if part["group_id"] else None
        if group:
            return (f"意见 {part['id']} 所在分组“{group['title'] or '未命名分组'}”已作出处理决定（{group['category']}）："
                    "请先将该条意见移出该分组，或撤销该分组的处理决定，再撤销拆分。")
        if part["status"] in ("spam", "duplicate"):
            marked = "无效" if part["status"] == "spam" else "重复"
            return f"意见 {part['id']} 已标为{marked}：请先将其恢复为正常处理，再撤销拆分。"
    from . import published  # published → reports → … → comments: imported when needed

    ids = {part["id"] for part in parts}
    for version in rows(db, "SELECT version, report_json FROM published_reports WHERE consultation_id = ? "
                            "ORDER BY version DESC", [consultation_id]):
        if any(ids & members for members in published.members(json.loads(version["report_json"])).values()):
            return (f"已发布的采纳情况反馈（第{version['version']}版）已对拆分后的各条意见逐条答复，提出人的回执按条显示这些答复；"
                    "撤销拆分会使回执与已发布的内容不一致，因此不能撤销。")
    return ""


@dataclass(frozen=True)
class Unsplit:
    """What :func:`unsplit` did: the parts removed, the comments marked 重复 of them (now of the letter), and how
    many staff notes on the parts went into the letter's note."""
    removed: list[int]
    copies: list[int]
    notes: int


def unsplit(db: Database, consultation_id: int, container_id: int, *, tokens: list[str] | None,
            staff: StaffAccount | None, now: datetime) -> Unsplit:
    """撤销拆分: a letter split by clause (on arrival or by hand) is one comment again; COMMITTED.

    Refused (:class:`CommentError`, the reason in Chinese) for a multi-clause form, and while a part has a decision
    of its own, is in a decided group, is marked 无效/重复, or was answered in a published version. The letter goes
    back to the normal flow (pending, in no group: the next run or staff group it) with ``tokens`` (its text and its
    files' text: a paper split on arrival had none of its own); its parts are deleted (they were copies of the
    letter's text and submitter, so nothing the citizen sent is lost), staff notes on them are added to the
    letter's note, comments marked 重复 of a part point at the letter, and the groups the parts leave count as
    edited by staff. One audit row keeps what was removed (ids, clauses, groups, lengths, notes)."""
    with write(db):
        container = one(db, "SELECT * FROM comments WHERE consultation_id = ? AND id = ?",
                        [consultation_id, container_id])
        if container is None:
            raise CommentError("未找到这条意见。")
        parts = rows(db, "SELECT * FROM comments WHERE part_of = ? ORDER BY part_no, id", [container_id])
        problem = _unsplit_problem(db, consultation_id, container, parts)
        if problem:
            raise CommentError(problem)
        ids = [part["id"] for part in parts]
        marks = placeholders(ids)
        copies = [r["id"] for r in rows(db, f"SELECT id FROM comments WHERE duplicate_of IN ({marks}) "
                                            f"AND id NOT IN ({marks}) ORDER BY id", [*ids, *ids])]
        db.execute(f"UPDATE comments SET duplicate_of = ? WHERE duplicate_of IN ({marks})", [container_id, *ids])
        notes = [f"（原拆分出的意见 {p['id']} 的备注）{p['staff_note']}" for p in parts if p["staff_note"]]
        note = "\n".join(x for x in [container["staff_note"] or "", *notes] if x) or None
        groups_left = sorted({p["group_id"] for p in parts if p["group_id"]})
        db.execute(f"DELETE FROM decisions WHERE comment_id IN ({marks})", ids)  # empty rows only (checked above)
        db.execute(f"UPDATE decisions SET proposal_of = NULL WHERE proposal_of IN ({marks})", ids)
        db.execute(f"UPDATE attachments SET comment_id = ? WHERE comment_id IN ({marks})", [container_id, *ids])
        db.execute(f"DELETE FROM outbox WHERE comment_id IN ({marks})", ids)
        db.execute(f"DELETE FROM comments WHERE id IN ({marks})", ids)
        for group_id in groups_left:  # a representative that was a part: the first member left, if any
            db.execute("UPDATE groups SET representative_id = (SELECT min(id) FROM comments WHERE group_id = ?) "
                       f"WHERE id = ? AND representative_id IN ({marks})", [group_id, group_id, *ids])
        # A group left with members was changed by staff; one left empty by the undo goes unless staff made it theirs.
        groups.mark_edited(db, [g for g in groups_left
                                if scalar(db, "SELECT 1 FROM comments WHERE group_id = ? LIMIT 1", [g])], now)
        db.execute("UPDATE comments SET status = 'pending', group_id = NULL, staff_note = ?, tokens = ? WHERE id = ?",
                   [note, json.dumps(tokens, ensure_ascii=False) if tokens is not None else container["tokens"],
                    container_id])
        _reviewed(db, container_id, now)
        audit.record(db, action="comment.unsplit", now=now, staff=staff, consultation_id=consultation_id,
                     entity="comment", entity_id=container_id,
                     before={"status": SPLIT, "parts": [{"id": p["id"], "clause_key": p["clause_key"],
                                                         "group_id": p["group_id"], "length": len(p["body"]),
                                                         "staff_note": p["staff_note"]} for p in parts]},
                     after={"status": "pending", "duplicates_moved": copies, "groups_left": groups_left})
    return Unsplit(removed=ids, copies=copies, notes=len(notes))
