"""Queries on groups: a set of comments staff review and summarise as one opinion.

A group is never deleted. Merging keeps the merged group's row with ``merged_into`` set; a group whose
members a rerun of the analysis placed elsewhere is marked the same way (merged into the group that took
most of them). "Active" groups are those not merged. Every membership or wording change made by staff
sets ``edited``, so a rerun of the analysis keeps the group as it is.

The functions that write expect to run inside the caller's ``write`` transaction (with its audit row).
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from .clock import iso
from .db import one, placeholders, rows, scalar

KINDS = {"cluster": "聚类", "campaign": "集中意见", "singleton": "单条", "manual": "人工分组"}
#: Member statuses that do not count towards a group's size (spam, duplicates staff marked by hand, comments
#: their submitter withdrew).
NOT_COUNTED = ("spam", "duplicate", "withdrawn")

_SIZE = (
    "(SELECT count(*) FROM comments m WHERE m.consultation_id = g.consultation_id AND m.group_id = g.id "
    "AND m.status NOT IN ('spam', 'duplicate', 'withdrawn'))"
)
_MEMBERS = "(SELECT count(*) FROM comments m WHERE m.consultation_id = g.consultation_id AND m.group_id = g.id)"



def _decorate(row: dict[str, Any]) -> dict[str, Any]:
    row["label_terms_list"] = json.loads(row["label_terms"]) if row.get("label_terms") else []
    row["kind_label"] = KINDS.get(row["kind"], row["kind"])
    return row


def get(db: Database, consultation_id: int, group_id: int) -> dict[str, Any] | None:
    row = one(
        db,
        f"SELECT g.*, {_SIZE} AS size, {_MEMBERS} AS member_count, cl.label AS clause_label, "
        "cl.heading AS clause_heading FROM groups g "
        "LEFT JOIN clauses cl ON cl.consultation_id = g.consultation_id AND cl.key = g.clause_key "
        "WHERE g.consultation_id = ? AND g.id = ?",
        [consultation_id, group_id],
    )
    return _decorate(row) if row else None


def active(db: Database, consultation_id: int) -> list[dict[str, Any]]:
    """Groups not merged into another, with size (campaign copies counted), representative text and the
    group decision's category if any; in draft order (whole draft first), largest first within a clause."""
    found = rows(
        db,
        f"""
        SELECT g.*, {_SIZE} AS size,
               {_MEMBERS} AS member_count,
               r.body AS representative_text,
               d.category AS decision_category,
               cl.label AS clause_label, cl.heading AS clause_heading, cl.position AS clause_position
        FROM groups g
        LEFT JOIN comments r ON r.id = g.representative_id
        LEFT JOIN decisions d ON d.group_id = g.id
        LEFT JOIN clauses cl ON cl.consultation_id = g.consultation_id AND cl.key = g.clause_key
        WHERE g.consultation_id = ? AND g.merged_into IS NULL
        ORDER BY g.clause_key IS NOT NULL, cl.position, size DESC, g.id
        """,
        [consultation_id],
    )
    # A group whose members are all spam, duplicates or withdrawn has nothing to decide: hidden unless staff made
    # it theirs.
    return [_decorate(r) for r in found if r["size"] or r["edited"]]


def choices(db: Database, consultation_id: int) -> list[dict[str, Any]]:
    """Active groups for a select list: id, title, clause label."""
    return [
        {"id": g["id"], "title": g["title"] or f"分组{g['id']}", "clause_label": g["clause_label"] or "整体",
         "size": g["size"]}
        for g in active(db, consultation_id)
    ]


def members(db: Database, group_id: int) -> list[dict[str, Any]]:
    return rows(
        db,
        "SELECT m.id, m.body, m.clause_key, m.status, m.submitter_type, m.name, m.channel, m.received_on, "
        "m.created_at, m.receipt_code, m.duplicate_of, m.reviewed_at, cl.label AS clause_label, "
        "cl.heading AS clause_heading FROM comments m "
        "LEFT JOIN clauses cl ON cl.consultation_id = m.consultation_id AND cl.key = m.clause_key "
        "WHERE m.consultation_id = (SELECT consultation_id FROM groups WHERE id = ?) AND m.group_id = ? ORDER BY m.id",
        [group_id, group_id],
    )


def member_ids(db: Database, group_id: int) -> list[int]:
    return [r["id"] for r in rows(db, "SELECT id FROM comments WHERE consultation_id = (SELECT consultation_id "
                                      "FROM groups WHERE id = ?) AND group_id = ? ORDER BY id", [group_id, group_id])]


def snapshot(db: Database, group_id: int) -> dict[str, Any]:
    """What the audit log keeps as before/after for a group change."""
    row = one(db, "SELECT title, summary, kind, clause_key, merged_into, edited FROM groups WHERE id = ?", [group_id])
    return dict(row or {}, members=member_ids(db, group_id))


def create(
    db: Database,
    consultation_id: int,
    *,
    now: datetime,
    kind: str = "manual",
    title: str | None = None,
    clause_key: str | None = None,
    label_terms: list[str] | None = None,
    representative_id: int | None = None,
    run_id: int | None = None,
    edited: bool = True,
) -> int:
    return db.execute(
        "INSERT INTO groups (consultation_id, clause_key, title, kind, label_terms, representative_id, run_id, "
        "edited, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [consultation_id, clause_key, title, kind, json.dumps(label_terms or [], ensure_ascii=False),
         representative_id, run_id, int(edited), iso(now), iso(now)],
    ).lastrowid


def update_text(db: Database, group_id: int, *, title: str, summary: str, now: datetime) -> None:
    db.execute("UPDATE groups SET title = ?, summary = ?, edited = 1, updated_at = ? WHERE id = ?",
               [title, summary or None, iso(now), group_id])


def set_kind(db: Database, group_id: int, kind: str, now: datetime) -> None:
    if kind not in KINDS:
        raise ValueError(kind)
    db.execute("UPDATE groups SET kind = ?, edited = 1, updated_at = ? WHERE id = ?", [kind, iso(now), group_id])


def mark_edited(db: Database, group_ids: list[int], now: datetime) -> None:
    ids = [g for g in group_ids if g is not None]
    if ids:
        db.execute(f"UPDATE groups SET edited = 1, updated_at = ? WHERE id IN ({placeholders(ids)})", [iso(now), *ids])


def move_comments(db: Database, comment_ids: list[int], group_id: int | None, *, now: datetime,
                  reviewed: bool = True) -> None:
    """Put comments into a group (or none); their status follows (see :func:`sync_status`)."""
    if not comment_ids:
        return
    marks = placeholders(comment_ids)
    db.execute(f"UPDATE comments SET group_id = ? WHERE id IN ({marks})", [group_id, *comment_ids])
    sync_status(db, comment_ids)
    if reviewed:
        db.execute(f"UPDATE comments SET reviewed_at = ? WHERE reviewed_at IS NULL AND id IN ({marks})",
                   [iso(now), *comment_ids])


def sync_status(db: Database, comment_ids: list[int]) -> None:
    """Derive pending / grouped / decided from group membership and decisions; spam, duplicate and withdrawn stay.

    A comment is decided when it has its own decision or its group has one (a group decision applies to
    every member, also to a comment moved into the group later); grouped when it is in a group; else pending.
    """
    if not comment_ids:
        return
    db.execute(
        "UPDATE comments SET status = CASE "
        "WHEN EXISTS (SELECT 1 FROM decisions d WHERE d.comment_id = comments.id) THEN 'decided' "
        "WHEN group_id IS NOT NULL AND EXISTS (SELECT 1 FROM decisions d WHERE d.group_id = comments.group_id) "
        "THEN 'decided' "
        "WHEN group_id IS NOT NULL THEN 'grouped' ELSE 'pending' END "
        f"WHERE status IN ('pending', 'grouped', 'decided') AND id IN ({placeholders(comment_ids)})",
        comment_ids,
    )


def merge(db: Database, source_id: int, target_id: int, *, now: datetime) -> list[int]:
    """Move every member of ``source`` into ``target``; ``source`` keeps its row with ``merged_into``."""
    moved = member_ids(db, source_id)
    move_comments(db, moved, target_id, now=now, reviewed=False)
    db.execute("UPDATE groups SET merged_into = ?, edited = 1, updated_at = ? WHERE id = ?", [target_id, iso(now), source_id])
    # Groups merged earlier into the source now point at the target.
    db.execute("UPDATE groups SET merged_into = ? WHERE merged_into = ?", [target_id, source_id])
    mark_edited(db, [target_id], now)
    return moved


def split(db: Database, group: dict[str, Any], comment_ids: list[int], *, title: str, now: datetime) -> int:
    """Selected members of ``group`` → a new manual group on the same clause."""
    new_id = create(db, group["consultation_id"], now=now, kind="manual", title=title, clause_key=group["clause_key"],
                    label_terms=group.get("label_terms_list"), representative_id=comment_ids[0])
    move_comments(db, comment_ids, new_id, now=now)
    mark_edited(db, [group["id"]], now)
    return new_id


def superseded_target(former_members: list[int], placed: dict[int, int]) -> int | None:
    """The group that took most of a group's former members (ties: the lowest id)."""
    counts = Counter(placed[m] for m in former_members if m in placed)
    if not counts:
        return None
    top = max(counts.values())
    return min(g for g, n in counts.items() if n == top)


def count_active(db: Database, consultation_id: int) -> int:
    return len(active(db, consultation_id))


def exists(db: Database, consultation_id: int, group_id: int) -> bool:
    return bool(scalar(db, "SELECT 1 FROM groups WHERE id = ? AND consultation_id = ? AND merged_into IS NULL",
                       [group_id, consultation_id]))
