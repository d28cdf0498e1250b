"""Run the analysis over a consultation's stored comments and turn its result into groups staff review.

- Comments go to ``analysis.group_comments`` with their STORED tokens (computed once when each comment was
  stored; a row that lacks them gets them now, stored, and is never tokenised again).
- Every run is saved in ``analysis_runs`` (params, software version, who and when, the Grouping as JSON,
  how many comments, the largest comment id it saw) so runs can be compared and reproduced.
- Groups: each campaign (near-duplicate copies) becomes a group of kind ``campaign`` holding every copy (its
  size counts); each cluster becomes a ``cluster`` group with the rest of its members; a comment alone is a
  ``singleton`` group.
- A rerun keeps staff's work. A group is *locked* when staff edited it (renamed, summarised, merged, split,
  members moved, made by hand) or it or one of its members has a decision: it keeps its title, summary and
  members. Comments that arrived after the previous run and that the analysis puts with members of a locked
  group are placed into that group; otherwise they land in a group the analysis formed. Unlocked groups are
  re-formed; a re-formed group reuses the old row that shares most members with it, so links stay valid, and
  an old group left without members is marked merged into the group that took most of them (never deleted).
- Statuses: pending → grouped when placed; decided, duplicate and spam stay as they are (spam and
  duplicates are not analysed).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlite_utils import Database

import analysis

from .. import __version__ as PORTAL_VERSION
from ..clock import iso
from ..db import one, rows, scalar, sql_list, write
from ..supportive import is_supportive
from ..tokens import tokenize_many
from ..vocabulary import COUNTED, TITLE_MAX
from . import audit
from . import comments as comment_q
from . import consultations as consultation_q
from . import groups as group_q
from .rows import Consultation, Group, StaffAccount

STAGES = ("load", "tokens", "analyse", "save")


@dataclass
class RunSummary:
    run_id: int
    comment_count: int
    group_count: int  # active groups after the run
    campaign_count: int
    unprocessed_count: int
    unprocessed: list[dict[str, Any]] = field(default_factory=list)
    new_placed: int = 0  # comments that arrived after the previous run and were placed now
    new_into_existing: int = 0  # ... of them into a group staff had already edited
    supportive_count: int = 0  # supportive one-liners left out of clustering (answered in bulk)


@dataclass
class _Unit:
    """A group as the portal stores it, from the analysis result."""

    kind: str
    clause_key: str | None
    members: list[int]
    label_terms: list[str]
    representative_id: int | None


def software_version() -> str:
    return f"analysis {analysis.ANALYSIS_VERSION}; comment-portal {PORTAL_VERSION}"


def _units(grouping: analysis.Grouping) -> list[_Unit]:
    """Campaigns on their own (every copy); clusters and singletons with the remaining members."""
    out: list[_Unit] = []
    in_campaign: set[Any] = set()
    for g in grouping.groups:
        if g.kind == "campaign":
            out.append(_Unit("campaign", g.clause_key, [int(m) for m in g.member_ids], list(g.label_terms),
                             int(g.representative_id)))
            in_campaign.update(g.member_ids)
    for g in grouping.groups:
        if g.kind == "campaign" or g.parent is not None:
            continue
        rest = [int(m) for m in g.member_ids if m not in in_campaign]
        if not rest:
            continue
        kind = "cluster" if len(rest) > 1 else "singleton"
        rep = int(g.representative_id) if g.representative_id in rest else rest[0]
        out.append(_Unit(kind, g.clause_key, rest, list(g.label_terms), rep))
    return out


def _title(unit: _Unit, bodies: dict[int, str]) -> str:
    """A working name staff can read at a glance: the representative comment's first sentence
    (「建议对海外仓建设给予补贴」); the label terms stay visible beside it as 关键词."""
    text = " ".join((bodies.get(unit.representative_id or 0) or "").split())
    first = re.split(r"[。！？!?；;]", text, maxsplit=1)[0].strip(" ，,、：:")
    if first:
        return first[:30] + ("…" if len(first) > 30 else "")
    return "、".join(term[:12] for term in unit.label_terms[:3])[:TITLE_MAX]


def _locked_groups(db: Database, consultation_id: int) -> set[int]:
    """Groups a rerun keeps as they are: edited or made by staff, decided, or holding a decided comment."""
    found = rows(
        db,
        "SELECT id FROM groups WHERE consultation_id = ? AND merged_into IS NULL AND (edited = 1 OR kind = 'manual') "
        "UNION SELECT d.group_id FROM decisions d WHERE d.consultation_id = ? AND d.group_id IS NOT NULL "
        "UNION SELECT m.group_id FROM comments m WHERE m.consultation_id = ? AND m.group_id IS NOT NULL "
        "AND m.status = 'decided' "
        "UNION SELECT m.group_id FROM decisions d JOIN comments m ON m.id = d.comment_id "
        "WHERE d.consultation_id = ? AND m.group_id IS NOT NULL",
        [consultation_id] * 4,
    )
    active = {r["id"] for r in rows(db, "SELECT id FROM groups WHERE consultation_id = ? AND merged_into IS NULL",
                                    [consultation_id])}
    return {r["id"] for r in found} & active


def run(
    db: Database,
    consultation: Consultation,
    *,
    staff: StaffAccount | None,
    now: datetime,
    progress: Callable[[str], None] | None = None,
) -> RunSummary:
    """Analyse every stored comment of ``consultation`` and update its groups (see the module docstring)."""
    step = progress or (lambda stage: None)
    cid = consultation.id
    draft = consultation_q.load_draft(consultation)

    step("load")
    max_id = scalar(db, "SELECT max(id) FROM comments WHERE consultation_id = ?", [cid]) or 0
    stored = rows(
        db,
        f"SELECT id, body, clause_key, tokens, status, group_id FROM comments WHERE consultation_id = ? "
        f"AND id <= ? AND status IN {sql_list(COUNTED)} ORDER BY id",
        [cid, max_id],
    )

    step("tokens")
    missing = [r for r in stored if r["tokens"] is None]
    if missing:  # rows stored before tokens were kept: compute once, store, never again
        computed = tokenize_many([r["body"] for r in missing], consultation)
        comment_q.store_tokens(db, [(r["id"], t) for r, t in zip(missing, computed)])
        for r, t in zip(missing, computed):
            r["tokens"] = json.dumps(t, ensure_ascii=False)
    # Comments that only say 同意/支持 are answered in bulk with thanks, not clustered with real proposals
    # (a "完全同意本计划" would otherwise join whichever cluster shares its clause words).
    supportive = {r["id"] for r in stored if is_supportive(r["body"])}
    inputs = [analysis.CommentIn(id=r["id"], text=r["body"], clause_key=r["clause_key"], tokens=json.loads(r["tokens"]))
              for r in stored if r["id"] not in supportive]

    step("analyse")
    grouping = analysis.group_comments(inputs, draft)

    step("save")
    with write(db):
        summary = _save(db, consultation, stored, grouping, staff=staff, now=now, max_id=max_id)
        summary.supportive_count = len(supportive)
    return summary


def _save(db: Database, consultation: Consultation, stored: list[dict[str, Any]], grouping: analysis.Grouping, *,
          staff: StaffAccount | None, now: datetime, max_id: int) -> RunSummary:
    cid = consultation.id
    previous = scalar(db, "SELECT max_comment_id FROM analysis_runs WHERE consultation_id = ? ORDER BY id DESC LIMIT 1",
                      [cid])
    previous_max = previous if previous is not None else 0
    run_id = db.execute(
        "INSERT INTO analysis_runs (consultation_id, created_at, created_by, software_version, params_json, "
        "result_json, comment_count, max_comment_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [cid, iso(now), staff.id if staff else None, software_version(),
         json.dumps(grouping.params, ensure_ascii=False, sort_keys=True),
         json.dumps(grouping.to_dict(), ensure_ascii=False), len(stored), max_id],
    ).lastrowid or 0

    bodies = {r["id"]: r["body"] for r in stored}
    current: dict[int, int | None] = {r["id"]: r["group_id"] for r in stored}
    locked = _locked_groups(db, cid)
    locked_member = {m: g for m, g in current.items() if g is not None and g in locked}
    existing = {r["id"] for r in rows(db, "SELECT id FROM groups WHERE consultation_id = ? AND merged_into IS NULL",
                                      [cid])}
    unlocked = existing - locked
    former: dict[int, list[int]] = {}
    for m, g in current.items():
        if g is not None and g in unlocked:
            former.setdefault(g, []).append(m)

    placed: dict[int, int] = {}
    used: set[int] = set()
    new_placed = new_into_existing = 0
    for unit in _units(grouping):
        free = [m for m in unit.members if m not in locked_member]
        if not free:
            continue
        hits = Counter(locked_member[m] for m in unit.members if m in locked_member)
        if hits:
            top = max(hits.values())
            target = min(g for g, n in hits.items() if n == top)
            arrivals = [m for m in free if m > previous_max or current.get(m) is None]
            for m in arrivals:
                placed[m] = target
            new_into_existing += sum(1 for m in arrivals if m > previous_max and previous is not None)
            free = [m for m in free if m not in placed]
            if not free:
                continue
        old = Counter(g for g in (current.get(m) for m in free) if g is not None and g in unlocked and g not in used)
        rep = unit.representative_id if unit.representative_id in free else free[0]
        if old:
            top = max(old.values())
            group_id = min(g for g, n in old.items() if n == top)
            used.add(group_id)
            group_q.reform(db, group_id, kind=unit.kind, clause_key=unit.clause_key, title=_title(unit, bodies),
                           label_terms=unit.label_terms, representative_id=rep, run_id=run_id, now=now)
        else:
            group_id = group_q.create(db, cid, now=now, kind=unit.kind, title=_title(unit, bodies),
                                      clause_key=unit.clause_key, label_terms=unit.label_terms,
                                      representative_id=rep, run_id=run_id, edited=False)
        for m in free:
            placed[m] = group_id
    if previous is not None:
        new_placed = sum(1 for m in placed if m > previous_max)

    # Unprocessed comments (no text to analyse) keep a locked group; otherwise they wait in no group.
    unprocessed = {int(u.id) for u in grouping.unprocessed}
    by_group: dict[int | None, list[int]] = {}
    for m, was in current.items():
        if m in locked_member and m not in placed:
            continue
        destination = placed.get(m) if m not in unprocessed else None
        if was != destination:
            by_group.setdefault(destination, []).append(m)
    for destination, ids in by_group.items():
        for start in range(0, len(ids), 500):
            group_q.move_comments(db, ids[start:start + 500], destination, now=now, reviewed=False)

    # Old unlocked groups left without members: marked merged into the group that took most of them.
    for g, members in former.items():
        if g in used:
            continue
        taker = group_q.superseded_target(members, placed)
        if taker is not None and taker != g:
            group_q.mark_superseded(db, g, taker, now=now)

    active = group_q.active(db, cid)
    result = RunSummary(
        run_id=run_id,
        comment_count=len(stored),
        group_count=len(active),
        campaign_count=sum(1 for group in active if group.kind == "campaign"),
        unprocessed_count=len(grouping.unprocessed),
        unprocessed=[u.to_dict() for u in grouping.unprocessed],
        new_placed=new_placed,
        new_into_existing=new_into_existing,
    )
    audit.record(db, action="analysis.run", now=now, staff=staff, consultation_id=cid, entity="analysis_run",
                 entity_id=run_id, after={
                     "version": software_version(), "comments": result.comment_count, "groups": result.group_count,
                     "campaigns": result.campaign_count, "unprocessed": result.unprocessed_count,
                     "new_placed": new_placed, "new_into_existing": new_into_existing, "locked_groups": len(locked)})
    return result


def last_run(db: Database, consultation_id: int) -> dict[str, Any] | None:
    return one(db, "SELECT r.id, r.created_at, r.created_by, r.software_version, r.comment_count, r.max_comment_id, "
                   "s.username AS created_by_name FROM analysis_runs r LEFT JOIN staff s ON s.id = r.created_by "
                   "WHERE r.consultation_id = ? ORDER BY r.id DESC LIMIT 1", [consultation_id])


def first_run_max(db: Database, consultation_id: int) -> int | None:
    """Comments with a larger id arrived after the first analysis: they are 新 until staff act on them."""
    return scalar(db, "SELECT max_comment_id FROM analysis_runs WHERE consultation_id = ? ORDER BY id LIMIT 1",
                  [consultation_id])


def campaign_additions(db: Database, group: Group) -> dict[int, list[str]]:
    """For a campaign group: what each copy added beyond the template (sentences), from the run that formed it,
    so unique content inside a campaign is not overlooked."""
    if group.kind != "campaign" or not group.run_id:
        return {}
    result = scalar(db, "SELECT result_json FROM analysis_runs WHERE id = ?", [group.run_id])
    if not result:
        return {}
    members = set(group_q.member_ids(db, group.id))
    best: dict[str, Any] | None = None
    overlap = 0
    for found in json.loads(result).get("groups", []):
        if found.get("kind") != "campaign":
            continue
        shared = len(members & {int(m) for m in found.get("member_ids", [])})
        if shared > overlap:
            best, overlap = found, shared
    if best is None:
        return {}
    return {int(a["id"]): list(a["sentences"]) for a in best.get("additions", []) if a.get("sentences")
            and int(a["id"]) in members}
