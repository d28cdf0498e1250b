"""Queries for staff triage of comments: the filtered queue with counts, one comment, and its changes.

Each change (status, note, clause, seen, a bulk action) is one function that opens its ``write``
transaction, changes the rows and records the audit row in it. Nothing is deleted: spam and duplicates
are statuses.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from . import audit
from . import groups as group_q
from .clock import iso
from .db import one, rows, scalar, sql_list, write
from .vocabulary import IGNORED, NOT_COUNTED, WITHDRAWN

WHOLE = "__whole__"  # the clause filter value for comments on the draft as a whole
PAGE_SIZE = 50


class TriageError(ValueError):
    """A change staff cannot make, with a message in Chinese saying why."""


@dataclass
class Filters:
    clause: str = ""  # clause key, WHOLE, or "" for all
    status: str = ""
    channel: str = ""
    submitter_type: str = ""
    group: str = ""  # group id, "none" for comments in no group, "" for all
    q: str = ""
    new: bool = False  # only comments that arrived after the last analysis run

    def active(self) -> dict[str, Any]:
        values = {"clause": self.clause, "status": self.status, "channel": self.channel,
                  "type": self.submitter_type, "group": self.group, "q": self.q, "new": "1" if self.new else ""}
        return {k: v for k, v in values.items() if v}


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def last_run(db: Database, consultation_id: int) -> dict[str, Any] | None:
    return one(db, "SELECT r.id, r.created_at, r.created_by, r.software_version, r.comment_count, r.max_comment_id, "
                   "s.username AS created_by_name FROM analysis_runs r LEFT JOIN staff s ON s.id = r.created_by "
                   "WHERE r.consultation_id = ? ORDER BY r.id DESC LIMIT 1", [consultation_id])


def first_run_max(db: Database, consultation_id: int) -> int | None:
    """Comments with a larger id arrived after the first analysis: they are 新 until staff act on them."""
    return scalar(db, "SELECT max_comment_id FROM analysis_runs WHERE consultation_id = ? ORDER BY id LIMIT 1",
                  [consultation_id])


def _where(consultation_id: int, f: Filters, last_max: int | None, skip: str = "") -> tuple[str, list[Any]]:
    clauses = ["m.consultation_id = ?"]
    params: list[Any] = [consultation_id]
    group = (int(f.group) if f.group.isdigit() else -1) if f.group != "none" else None
    # (filter name, column, value to match (None: IS NULL), the filter as given): each facet is left out when
    # counting its own values.
    facets = (("clause", "m.clause_key", None if f.clause == WHOLE else f.clause, f.clause),
              ("status", "m.status", f.status, f.status), ("channel", "m.channel", f.channel, f.channel),
              ("type", "m.submitter_type", f.submitter_type, f.submitter_type), ("group", "m.group_id", group, f.group))
    for name, column, value, given in facets:
        if given and skip != name:
            clauses.append(f"{column} IS NULL" if value is None else f"{column} = ?")
            params.extend([] if value is None else [value])
    if f.q:
        like = f"%{_escape_like(f.q)}%"
        clauses.append("(m.body LIKE ? ESCAPE '\\' OR m.name LIKE ? ESCAPE '\\' OR m.receipt_code LIKE ? ESCAPE '\\')")
        params += [like, like, like]
    if f.new and skip != "new":
        clauses.append("m.id > ?")
        params.append(last_max or 0)
    return " AND ".join(clauses), params


def counts(db: Database, consultation_id: int, f: Filters) -> dict[str, dict[Any, int]]:
    """For each filter, the number of comments per value given all the OTHER filters (facet counts)."""
    last = last_run(db, consultation_id)
    last_max = last["max_comment_id"] if last else None
    out: dict[str, dict[Any, int]] = {}
    for name, column in (("clause", "m.clause_key"), ("status", "m.status"), ("channel", "m.channel"),
                         ("type", "m.submitter_type"), ("group", "m.group_id")):
        where, params = _where(consultation_id, f, last_max, skip=name)
        out[name] = {r["v"]: r["n"] for r in rows(db, f"SELECT {column} AS v, count(*) AS n FROM comments m "
                                                      f"WHERE {where} GROUP BY 1", params)}
    where, params = _where(consultation_id, f, last_max, skip="new")
    out["new"] = {
        "1": scalar(db, f"SELECT count(*) FROM comments m WHERE {where} AND m.id > ?", [*params, last_max or 0]) or 0
    }
    return out


def page(db: Database, consultation_id: int, f: Filters, page_no: int = 1,
         page_size: int = PAGE_SIZE) -> tuple[list[dict[str, Any]], int]:
    """One page of the queue (oldest first) and the total number of matching comments."""
    last = last_run(db, consultation_id)
    last_max = last["max_comment_id"] if last else None
    new_after = first_run_max(db, consultation_id)
    where, params = _where(consultation_id, f, last_max)
    total = scalar(db, f"SELECT count(*) FROM comments m WHERE {where}", params) or 0
    found = rows(
        db,
        f"""
        SELECT m.id, m.body, m.clause_key, m.status, m.channel, m.submitter_type, m.name, m.created_at,
               m.received_on, m.receipt_code, m.group_id, m.duplicate_of, m.reviewed_at,
               cl.label AS clause_label, cl.heading AS clause_heading, g.title AS group_title
        FROM comments m
        LEFT JOIN clauses cl ON cl.consultation_id = m.consultation_id AND cl.key = m.clause_key
        LEFT JOIN groups g ON g.id = m.group_id
        WHERE {where} ORDER BY m.id LIMIT ? OFFSET ?
        """,
        [*params, page_size, max(0, page_no - 1) * page_size],
    )
    for r in found:
        r["is_new"] = is_new(r, new_after)
    return found, total


def is_new(comment: dict[str, Any], new_after: int | None) -> bool:
    return new_after is not None and comment["id"] > new_after and not comment.get("reviewed_at")


def get(db: Database, consultation_id: int, comment_id: int) -> dict[str, Any] | None:
    row = one(
        db,
        "SELECT m.*, cl.label AS clause_label, cl.heading AS clause_heading, cl.body AS clause_body, "
        "g.title AS group_title, g.merged_into AS group_merged_into, s.username AS entered_by_name "
        "FROM comments m "
        "LEFT JOIN clauses cl ON cl.consultation_id = m.consultation_id AND cl.key = m.clause_key "
        "LEFT JOIN groups g ON g.id = m.group_id LEFT JOIN staff s ON s.id = m.entered_by "
        "WHERE m.consultation_id = ? AND m.id = ?",
        [consultation_id, comment_id],
    )
    if row:
        row["is_new"] = is_new(row, first_run_max(db, consultation_id))
    return row


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


def _audit(db: Database, consultation_id: int, comment_id: int, action: str, *, staff: dict[str, Any] | None,
           now: datetime, before: Any, after: Any) -> None:
    audit.record(db, action=action, now=now, staff=staff, consultation_id=consultation_id, entity="comment",
                 entity_id=comment_id, before=before, after=after)


def set_status(db: Database, consultation_id: int, comment_id: int, status: str, *, duplicate_of: int | None = None,
               staff: dict[str, Any] | None, now: datetime) -> str:
    """Mark a comment as spam or a duplicate of another, or restore it; returns its new status.

    Raises :class:`TriageError` when the change would lose an opinion (see :func:`status_change_problem`).
    """
    duplicate_of = duplicate_of if status == "duplicate" else None
    with write(db):
        problem = status_change_problem(db, consultation_id, comment_id, status, duplicate_of)
        if problem:
            raise TriageError(problem)
        before = snapshot(db, comment_id)
        _set_status(db, comment_id, before["group_id"], status, now=now, duplicate_of=duplicate_of)
        after = snapshot(db, comment_id)
        _audit(db, consultation_id, comment_id, "comment.status", staff=staff, now=now, before=before, after=after)
    return str(after["status"])


def set_note(db: Database, consultation_id: int, comment_id: int, note: str, *, staff: dict[str, Any] | None,
             now: datetime) -> None:
    """Staff's private note on a comment (never public)."""
    with write(db):
        before = snapshot(db, comment_id)["staff_note"]
        db.execute("UPDATE comments SET staff_note = ? WHERE id = ?", [note or None, comment_id])
        _reviewed(db, comment_id, now)
        _audit(db, consultation_id, comment_id, "comment.note", staff=staff, now=now,
               before={"staff_note": before}, after={"staff_note": note or None})


def set_clause(db: Database, consultation_id: int, comment_id: int, clause_key: str | None, *,
               staff: dict[str, Any] | None, now: datetime) -> None:
    """Tie a comment to another clause (``None``: the draft as a whole)."""
    with write(db):
        before = snapshot(db, comment_id)["clause_key"]
        db.execute("UPDATE comments SET clause_key = ? WHERE id = ?", [clause_key, comment_id])
        _reviewed(db, comment_id, now)
        _audit(db, consultation_id, comment_id, "comment.clause", staff=staff, now=now,
               before={"clause_key": before}, after={"clause_key": clause_key})


def mark_seen(db: Database, consultation_id: int, comment_id: int, *, staff: dict[str, Any] | None,
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
                group_id: int | None = None, staff: dict[str, Any] | None, now: datetime) -> BulkResult:
    """One action on the comments checked in the queue: ``spam``, ``pending`` (restore) or ``move`` into
    ``group_id``. Each comment gets its own audit row, all in one transaction."""
    if action not in ("spam", "pending", "move"):
        raise ValueError(action)
    skipped: list[int] = []
    with write(db):
        if action == "move" and (group_id is None or not group_q.exists(db, consultation_id, group_id)):
            raise TriageError("请选择要移入的分组。")
        ids = existing_ids(db, consultation_id, comment_ids)
        touched: set[int] = set()
        for comment_id in ids:
            before = snapshot(db, comment_id)
            if action == "move":
                if before["group_id"] == group_id:
                    continue
                group_q.move_comments(db, [comment_id], group_id, now=now)
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
        group_q.mark_edited(db, sorted(touched), now)
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
    if status == "duplicate":
        if duplicate_of == comment_id:
            return "不能标为与自己重复。"
        target = one(db, "SELECT status FROM comments WHERE consultation_id = ? AND id = ?",
                     [consultation_id, duplicate_of])
        if target is None:
            return f"本次征求意见中没有编号为 {duplicate_of} 的意见。"
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


def new_since_last_run(db: Database, consultation_id: int) -> int:
    last = last_run(db, consultation_id)
    return scalar(db, "SELECT count(*) FROM comments WHERE consultation_id = ? AND id > ? "
                  f"AND status NOT IN {sql_list(IGNORED)}",
                  [consultation_id, last["max_comment_id"] or 0 if last else 0]) or 0
