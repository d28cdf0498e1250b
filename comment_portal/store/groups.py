"""Queries on groups: a set of comments staff review and summarise as one opinion.

A group is never deleted. Merging keeps the merged group's row with ``merged_into`` set; a group whose
members a rerun of the analysis placed elsewhere is marked the same way (merged into the group that took
most of them). "Active" groups are those not merged. Every membership or wording change made by staff
sets ``edited``, so a rerun of the analysis keeps the group as it is.

Each change staff make (a new group, a comment moved, renamed, merged, split, marked as a campaign, new
members seen) is one function that opens its ``write`` transaction, changes the rows and records the audit
row in it. The building blocks below them (:func:`create`, :func:`move_comments`, :func:`mark_edited`, and
what an analysis run uses: :func:`reform`, :func:`mark_superseded`) run inside a caller's ``write``.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from ..clock import iso
from ..db import one, placeholders, rows, scalar, sql_list, write
from ..vocabulary import NOT_COUNTED, SPLIT
from . import audit
from .rows import Comment, Group, StaffAccount, all_as, one_as

_SIZE = (
    "(SELECT count(*) FROM comments m WHERE m.consultation_id = g.consultation_id AND m.group_id = g.id "
    f"AND m.status NOT IN {sql_list(NOT_COUNTED)})"
)
_MEMBERS = "(SELECT count(*) FROM comments m WHERE m.consultation_id = g.consultation_id AND m.group_id = g.id)"


#: Why a letter split by clause joins no group: only its parts are triaged (the letter stays as received).
SPLIT_UNGROUPED = "这份材料已按条款拆分为多条意见，原件不归入分组：请在拆分后的各条意见上处理。"


class GroupError(ValueError):
    """A change staff cannot make to a group, with a message in Chinese saying why."""


def get(db: Database, consultation_id: int, group_id: int) -> Group | None:
    return one_as(
        Group,
        db,
        f"SELECT g.*, {_SIZE} AS size, {_MEMBERS} AS member_count, cl.label AS clause_label, "
        "cl.heading AS clause_heading FROM groups g "
        "LEFT JOIN clauses cl ON cl.consultation_id = g.consultation_id AND cl.key = g.clause_key "
        "WHERE g.consultation_id = ? AND g.id = ?",
        [consultation_id, group_id],
    )


def active(db: Database, consultation_id: int) -> list[Group]:
    """Groups not merged into another, with size (campaign copies counted), representative text and the
    group decision's category if any; in draft order (whole draft first), largest first within a clause."""
    found = all_as(
        Group,
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
    return [group for group in found if group.size or group.edited]


def members(db: Database, group_id: int) -> list[Comment]:
    return all_as(
        Comment,
        db,
        "SELECT m.*, cl.label AS clause_label, cl.heading AS clause_heading FROM comments m "
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
    ).lastrowid or 0


def reform(db: Database, group_id: int, *, kind: str, clause_key: str | None, title: str, label_terms: list[str],
           representative_id: int | None, run_id: int, now: datetime) -> None:
    """An analysis run re-forms an unedited group in place (its row, and so its links, are kept)."""
    db.execute(
        "UPDATE groups SET kind = ?, clause_key = ?, title = ?, label_terms = ?, representative_id = ?, "
        "run_id = ?, updated_at = ? WHERE id = ?",
        [kind, clause_key, title, json.dumps(label_terms, ensure_ascii=False), representative_id, run_id,
         iso(now), group_id],
    )


def set_measures(db: Database, group_id: int, *, cohesion: float | None, too_mixed: bool,
                 noise_reason: str | None) -> None:
    """An analysis run records what it measured of a group it formed (inside the run's ``write``)."""
    db.execute("UPDATE groups SET cohesion = ?, too_mixed = ?, noise_reason = ? WHERE id = ?",
               [cohesion, int(too_mixed), noise_reason, group_id])


def mark_superseded(db: Database, group_id: int, target_id: int, *, now: datetime) -> None:
    """An analysis run left ``group_id`` without members: it is marked merged into the group that took most
    of them, and the members the analysis did not see (spam, duplicates) follow, so a restored one is in a
    live group."""
    db.execute("UPDATE groups SET merged_into = ?, updated_at = ? WHERE id = ?", [target_id, iso(now), group_id])
    db.execute("UPDATE comments SET group_id = ? WHERE group_id = ?", [target_id, group_id])


def mark_edited(db: Database, group_ids: list[int], now: datetime) -> None:
    """Staff changed these groups' members: a rerun keeps them as they are, and the analysis' cohesion and
    too-mixed flag, measured on the members it had put together, no longer describe them and are cleared (the
    pages say 已人工调整 instead of a stale figure; a group with no figure sorts after the measured ones)."""
    ids = [g for g in group_ids if g is not None]
    if ids:
        db.execute(f"UPDATE groups SET edited = 1, cohesion = NULL, too_mixed = 0, updated_at = ? "
                   f"WHERE id IN ({placeholders(ids)})", [iso(now), *ids])


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


def _audit(db: Database, consultation_id: int, group_id: int, action: str, *, staff: StaffAccount | None,
           now: datetime, before: Any = None, after: Any = None) -> None:
    audit.record(db, action=action, now=now, staff=staff, consultation_id=consultation_id, entity="group",
                 entity_id=group_id, before=before, after=after)


def _active_or_refuse(db: Database, consultation_id: int, group_id: int) -> dict[str, Any]:
    group = one(db, "SELECT * FROM groups WHERE id = ? AND consultation_id = ?", [group_id, consultation_id])
    if group is None:
        raise GroupError("未找到该分组。")
    if group["merged_into"]:
        raise GroupError("该分组已并入其他分组，请在合并后的分组上操作。")
    return group


def create_from_comments(db: Database, consultation_id: int, comment_ids: list[int], *, title: str,
                         staff: StaffAccount | None, now: datetime) -> tuple[int, int]:
    """The comments checked in the queue become a new manual group; returns (group id, comments moved)."""
    with write(db):
        found = rows(db, f"SELECT id, group_id, clause_key, status FROM comments WHERE consultation_id = ? "
                         f"AND id IN ({placeholders(comment_ids)}) ORDER BY id", [consultation_id, *comment_ids]) \
            if comment_ids else []
        if not found:
            raise GroupError("所选意见不属于本次征求意见。")
        if containers := [str(r["id"]) for r in found if r["status"] == SPLIT]:
            raise GroupError(f"意见 {'、'.join(containers)}：{SPLIT_UNGROUPED}")
        ids = [r["id"] for r in found]
        before = {r["id"]: r["group_id"] for r in found}
        clause_keys = {r["clause_key"] for r in found}
        group_id = create(db, consultation_id, now=now, kind="manual", title=title or "新分组",
                          clause_key=clause_keys.pop() if len(clause_keys) == 1 else None, representative_id=ids[0])
        move_comments(db, ids, group_id, now=now)
        mark_edited(db, sorted({x for x in before.values() if x}), now)
        _audit(db, consultation_id, group_id, "group.create", staff=staff, now=now,
               before={"groups_of_members": before}, after=snapshot(db, group_id))
    return group_id, len(ids)


def move_comment(db: Database, consultation_id: int, comment_id: int, target_id: int | None, *, new_title: str = "",
                 staff: StaffAccount | None, now: datetime) -> int | None:
    """Move one comment into the group ``target_id``, or into a new manual group (``None``, named
    ``new_title``); returns the group it is in now, or None when it already was in ``target_id``."""
    with write(db):
        comment = one(db, "SELECT group_id, status, clause_key FROM comments WHERE id = ? AND consultation_id = ?",
                      [comment_id, consultation_id])
        if comment is None:
            raise GroupError("未找到该条意见。")
        if comment["status"] == SPLIT:
            raise GroupError(SPLIT_UNGROUPED)
        old_group = comment["group_id"]
        if target_id is not None and target_id == old_group:
            return None
        if target_id is None:
            target_id = create(db, consultation_id, now=now, kind="manual", title=new_title or "新分组",
                               clause_key=comment["clause_key"], representative_id=comment_id)
            _audit(db, consultation_id, target_id, "group.create", staff=staff, now=now,
                   after=snapshot(db, target_id) | {"members": [comment_id]})
        else:
            _active_or_refuse(db, consultation_id, target_id)
        move_comments(db, [comment_id], target_id, now=now)
        mark_edited(db, [old_group, target_id], now)
        status = scalar(db, "SELECT status FROM comments WHERE id = ?", [comment_id])
        audit.record(db, action="comment.group", now=now, staff=staff, consultation_id=consultation_id,
                     entity="comment", entity_id=comment_id, before={"group_id": old_group, "status": comment["status"]},
                     after={"group_id": target_id, "status": status})
    return target_id


def update_text(db: Database, consultation_id: int, group_id: int, *, title: str, summary: str,
                staff: StaffAccount | None, now: datetime) -> None:
    """Staff's name for the group and its 归纳意见 (the opinion as the report states it)."""
    with write(db):
        before = snapshot(db, group_id)
        db.execute("UPDATE groups SET title = ?, summary = ?, edited = 1, updated_at = ? WHERE id = ?",
                   [title, summary or None, iso(now), group_id])
        after = snapshot(db, group_id)
        _audit(db, consultation_id, group_id, "group.update", staff=staff, now=now,
               before={k: before[k] for k in ("title", "summary")}, after={k: after[k] for k in ("title", "summary")})


def merge(db: Database, consultation_id: int, source_id: int, target_id: int, *, staff: StaffAccount | None,
          now: datetime) -> list[int]:
    """Move every member of ``source`` into ``target``; ``source`` keeps its row with ``merged_into``.
    Returns the comments moved. A decided group is refused: its decision is cleared (audited) first."""
    with write(db):
        _active_or_refuse(db, consultation_id, source_id)
        _active_or_refuse(db, consultation_id, target_id)
        decided = scalar(db, "SELECT category FROM decisions WHERE group_id = ? AND category != ''", [source_id])
        if decided:
            # A decision never disappears without a trace: staff clear it (audited) first.
            raise GroupError(f"本组已作出处理决定（{decided}），合并后该决定将不再适用。请先在本页撤销决定，"
                             "再合并，并在合并后的分组上作出决定。")
        before = {"source": snapshot(db, source_id), "target": snapshot(db, target_id)}
        moved = member_ids(db, source_id)
        move_comments(db, moved, target_id, now=now, reviewed=False)
        db.execute("UPDATE groups SET merged_into = ?, edited = 1, updated_at = ? WHERE id = ?",
                   [target_id, iso(now), source_id])
        # Groups merged earlier into the source now point at the target.
        db.execute("UPDATE groups SET merged_into = ? WHERE merged_into = ?", [target_id, source_id])
        mark_edited(db, [target_id], now)
        after = {"source": snapshot(db, source_id), "target": snapshot(db, target_id)}
        _audit(db, consultation_id, source_id, "group.merge", staff=staff, now=now, before=before, after=after)
    return moved


def split(db: Database, consultation_id: int, group_id: int, comment_ids: list[int], *, title: str,
          staff: StaffAccount | None, now: datetime) -> int:
    """Selected members of a group → a new manual group on the same clause; returns its id."""
    with write(db):
        group = _active_or_refuse(db, consultation_id, group_id)
        members = set(member_ids(db, group_id))
        chosen = sorted(set(comment_ids) & members)
        if not chosen:
            raise GroupError("请至少勾选一条意见。")
        if len(chosen) == len(members):
            raise GroupError("不能把全部意见都拆出去：请只勾选要分出去的部分。")
        before = snapshot(db, group_id)
        new_id = create(db, consultation_id, now=now, kind="manual", title=title or f"{group['title'] or '分组'}（拆分）",
                        clause_key=group["clause_key"],
                        label_terms=json.loads(group["label_terms"]) if group["label_terms"] else None,
                        representative_id=chosen[0])
        move_comments(db, chosen, new_id, now=now)
        mark_edited(db, [group_id], now)
        _audit(db, consultation_id, group_id, "group.split", staff=staff, now=now, before=before,
               after={"source": snapshot(db, group_id), "new_group_id": new_id, "new_group": snapshot(db, new_id)})
    return new_id


def set_campaign(db: Database, consultation_id: int, group_id: int, campaign: bool, *, staff: StaffAccount | None,
                 now: datetime) -> str:
    """Mark a near-duplicate campaign as one opinion (kind ``campaign``; its size still counts every copy), or
    take the mark away (back to ``manual`` or ``cluster``); returns the kind."""
    with write(db):
        group = _active_or_refuse(db, consultation_id, group_id)
        kind = "campaign" if campaign else ("manual" if group["run_id"] is None else "cluster")
        db.execute("UPDATE groups SET kind = ?, edited = 1, updated_at = ? WHERE id = ?", [kind, iso(now), group_id])
        _audit(db, consultation_id, group_id, "group.update", staff=staff, now=now,
               before={"kind": group["kind"]}, after={"kind": kind})
    return kind


def mark_new_reviewed(db: Database, consultation_id: int, group_id: int, new_after: int | None, *,
                      staff: StaffAccount | None, now: datetime) -> int:
    """Staff have looked at the members that arrived after the first run (id > ``new_after``, not yet
    reviewed): they stop being shown as 新. Returns how many."""
    if new_after is None:
        return 0
    with write(db):
        new_ids = [r["id"] for r in rows(db, "SELECT id FROM comments WHERE group_id = ? AND consultation_id = ? "
                                             "AND id > ? AND reviewed_at IS NULL ORDER BY id",
                                         [group_id, consultation_id, new_after])]
        if new_ids:
            db.execute(f"UPDATE comments SET reviewed_at = ? WHERE id IN ({placeholders(new_ids)})",
                       [iso(now), *new_ids])
            _audit(db, consultation_id, group_id, "comment.reviewed", staff=staff, now=now,
                   before={"new": new_ids}, after={"new": []})
    return len(new_ids)


def superseded_target(former_members: list[int], placed: dict[int, int]) -> int | None:
    """The group that took most of a group's former members (ties: the lowest id)."""
    counts = Counter(placed[m] for m in former_members if m in placed)
    if not counts:
        return None
    top = max(counts.values())
    return min(g for g, n in counts.items() if n == top)


def ungrouped_pending(db: Database, consultation_id: int) -> int:
    """Comments still to be triaged that no group holds (the groups page links to them in the queue)."""
    return scalar(db, "SELECT count(*) FROM comments WHERE consultation_id = ? AND group_id IS NULL "
                      "AND status = 'pending'", [consultation_id]) or 0


def exists(db: Database, consultation_id: int, group_id: int) -> bool:
    return bool(scalar(db, "SELECT 1 FROM groups WHERE id = ? AND consultation_id = ? AND merged_into IS NULL",
                       [group_id, consultation_id]))


# -- the groups page: a page of groups, filtered, with counts per filter value (read-only) -------------------

#: Group sizes the groups page filters by: value → (label, smallest, largest or None).
SIZES: dict[str, tuple[str, int, int | None]] = {
    "1": ("1条", 1, 1), "2-9": ("2–9条", 2, 9), "10-99": ("10–99条", 10, 99), "100+": ("100条及以上", 100, None),
}
DECIDED = {"yes": "已作决定", "no": "未作决定"}
LIST_PAGE_SIZE = 50
WHOLE = "__whole__"  # the clause filter value for groups on the draft as a whole (as the queue's)


@dataclass
class ListFilters:
    clause: str = ""  # clause key, WHOLE, or "" for all
    decided: str = ""  # "yes", "no" or ""
    kind: str = ""  # a GROUP_KINDS key or ""
    size: str = ""  # a SIZES key or ""
    sort: str = ""  # "cohesion": least alike first within each clause; "": largest first

    def active(self) -> dict[str, str]:
        values = {"clause": self.clause, "decided": self.decided, "kind": self.kind, "size": self.size,
                  "sort": self.sort}
        return {k: v for k, v in values.items() if v}


@dataclass
class ListPage:
    items: list[Group]  # this page's groups, in draft order, largest first within a clause
    total: int  # groups matching the filters
    counts: dict[str, Counter[str]]  # per filter: groups per value, given the OTHER filters
    shown: int  # active groups with something to decide (the unfiltered total)
    mixed: int = 0  # groups matching the filters that the analysis flagged too mixed for one answer


def _size_bucket(size: int) -> str:
    return next((key for key, (_, low, high) in SIZES.items() if size >= low and (high is None or size <= high)), "")


FACETS = ("clause", "decided", "kind", "size")


def listing(db: Database, consultation_id: int, f: ListFilters, page_no: int = 1,
            page_size: int = LIST_PAGE_SIZE) -> ListPage:
    """One page of the consultation's active groups matching ``f``, with facet counts.

    Sizes come from one pass over the comments' (consultation, group, status) index, not a count per group;
    filtering, counting and ordering happen in one pass over a few light columns per group, and only the page's
    groups are read in full (bench/groups_page.py measures it at 5,000 groups).
    """
    light = rows(
        db,
        f"""
        WITH sizes AS (SELECT group_id, count(*) AS size FROM comments
                       WHERE consultation_id = ? AND group_id IS NOT NULL AND status NOT IN {sql_list(NOT_COUNTED)}
                       GROUP BY group_id),
             proposals AS (SELECT group_id, count(*) AS open FROM comments
                           WHERE consultation_id = ? AND group_id IS NOT NULL AND noise_reason IS NOT NULL
                           AND noise_review IS NULL AND status IN ('pending', 'grouped') GROUP BY group_id)
        SELECT g.id, g.clause_key, g.kind, g.edited, g.cohesion, g.too_mixed, coalesce(s.size, 0) AS size,
               coalesce(d.category, '') != '' AS decided, cl.position AS clause_position,
               coalesce(p.open, 0) AS open_proposals
        FROM groups g
        LEFT JOIN sizes s ON s.group_id = g.id
        LEFT JOIN proposals p ON p.group_id = g.id
        LEFT JOIN decisions d ON d.group_id = g.id
        LEFT JOIN clauses cl ON cl.consultation_id = g.consultation_id AND cl.key = g.clause_key
        WHERE g.consultation_id = ? AND g.merged_into IS NULL
        """,
        [consultation_id, consultation_id, consultation_id],
    )
    wanted = {k: v for k, v in f.active().items() if k != "sort"}
    counts: dict[str, Counter[str]] = {name: Counter() for name in FACETS}
    buckets: dict[int, str] = {}
    matching = []
    shown = 0
    for r in light:
        # A group whose members are all spam, duplicates or withdrawn has nothing to decide: hidden unless staff
        # made it theirs (as in :func:`active`).
        if not (r["size"] or r["edited"]):
            continue
        # A noise group is a list of proposals to settle: once staff settled every one (the comments are then
        # invalid, answered as 不属于征求意见范围 or back in the analysis) it has nothing left to show here.
        if r["kind"] == "noise" and not r["open_proposals"]:
            continue
        shown += 1
        size = r["size"]
        if size not in buckets:
            buckets[size] = _size_bucket(size)
        value = {"clause": WHOLE if r["clause_key"] is None else r["clause_key"],
                 "decided": "yes" if r["decided"] else "no", "kind": r["kind"], "size": buckets[size]}
        missed = [name for name, x in wanted.items() if value[name] != x]
        if not missed:
            matching.append(r)
            for name in FACETS:  # a facet counts the groups that match every OTHER filter
                counts[name][value[name]] += 1
        elif len(missed) == 1:
            counts[missed[0]][value[missed[0]]] += 1
    if f.sort == "cohesion":  # the groups to check before answering them as one first
        matching.sort(key=lambda r: (r["clause_key"] is not None, r["clause_position"] or 0,
                                     r["cohesion"] if r["cohesion"] is not None else 2.0, r["id"]))
    else:
        matching.sort(key=lambda r: (r["clause_key"] is not None, r["clause_position"] or 0, -r["size"], r["id"]))
    start = max(0, page_no - 1) * page_size
    ids = [r["id"] for r in matching[start:start + page_size]]
    sizes = {r["id"]: r["size"] for r in matching}
    full = {group.id: group for group in all_as(
        Group,
        db,
        f"""
        SELECT g.*, {_MEMBERS} AS member_count, r.body AS representative_text, d.category AS decision_category,
               cl.label AS clause_label, cl.heading AS clause_heading
        FROM groups g
        LEFT JOIN comments r ON r.id = g.representative_id
        LEFT JOIN decisions d ON d.group_id = g.id
        LEFT JOIN clauses cl ON cl.consultation_id = g.consultation_id AND cl.key = g.clause_key
        WHERE g.id IN ({placeholders(ids)})
        """, ids)} if ids else {}
    items = [full[i] for i in ids]
    for group in items:
        group.size = sizes[group.id]
    return ListPage(items=items, total=len(matching), counts=counts, shown=shown,
                    mixed=sum(1 for r in matching if r["too_mixed"]))
