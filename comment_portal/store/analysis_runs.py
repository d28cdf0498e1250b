"""Run the analysis over a consultation's stored comments and turn its result into groups staff review.

- Comments go to ``analysis.group_comments`` with their STORED tokens (computed once when each comment was
  stored; a row that lacks them gets them now, stored, and is never tokenised again).
- Every run is saved in ``analysis_runs`` (params, software version, who and when, the Grouping as JSON,
  how many comments, the largest comment id it saw) so runs can be compared and reproduced.
- Groups: each campaign (near-duplicate copies) becomes a group of kind ``campaign`` holding every copy (its
  size counts); each cluster becomes a ``cluster`` group with the rest of its members; a comment alone is a
  ``singleton`` group. Comments that only agree form a ``supportive`` group per clause (answered with thanks);
  comments the engine proposes as 疑似广告 / 与征求意见无关 form ``noise`` groups, kept out of the substantive
  groups, each comment with its evidence (``comments.noise_reason/noise_evidence``) until staff confirm or
  reject it (``store.noise``); a rejected proposal is analysed like any comment from then on. Every group keeps
  the engine's title, cohesion and too-mixed flag.
- Quotations of the draft are recorded per comment (``comments.quotations``) for those that have none yet.
- A rerun keeps staff's work. A group is *locked* when staff edited it (renamed, summarised, merged, split,
  members moved, made by hand) or it or one of its members has a decision: it keeps its title, summary and
  members. Comments that arrived after the previous run and that the analysis puts with members of a locked
  group are placed into that group; otherwise they land in a group the analysis formed. Unlocked groups are
  re-formed; a re-formed group reuses the old row that shares most members with it, so links stay valid, and
  an old group left without members is marked merged into the group that took most of them (never deleted).
- Statuses: pending → grouped when placed; decided, duplicate and spam stay as they are (spam and
  duplicates are not analysed).

How a run is saved (the path to follow when the engine's result grows, e.g. per-comment flags):

1. :func:`run` reads the comments (no lock), calls the engine (no lock; ``progress`` reports its stages) and hands
   the ``analysis.Grouping`` to :func:`_save`.
2. :func:`_save` turns it into plain units (:func:`_units`) and a plan (``run_save.plan``: which groups are
   re-formed, created or superseded, which comment moves where) without writing anything.
3. ``run_save.start`` stores the run row with ``complete = 0`` (readers such as :func:`last_run` ignore it);
   ``run_save.apply`` writes the plan in short transactions (``batches.paced``: ~40 ms each, a pause between,
   so comment POSTs never wait behind it), each journaled in ``run_undo``; ``run_save.complete`` marks the run
   complete and writes its audit row in the last transaction.
4. Any error (or a killed process, found by the next job runner) undoes the journal: the previous run stays.

To save something new per run, add a step to ``run_save.apply`` that writes through ``batches.paced`` and
journals an undo entry of a new kind registered in ``run_save.UNDO``; never one long write transaction.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlite_utils import Database

import analysis

from .. import __version__ as PORTAL_VERSION
from ..db import one, rows, scalar, sql_list
from ..tokens import tokenize_many
from ..vocabulary import COUNTED, TITLE_MAX
from . import audit, batches, run_save
from . import comments as comment_q
from . import consultations as consultation_q
from . import groups as group_q
from .rows import Consultation, Group, StaffAccount

#: The stages of a run, in order (the engine reports its own stages within ``analyse``).
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
    supportive_count: int = 0  # supportive comments set aside in their own groups (answered with thanks)
    noise_count: int = 0  # comments proposed as noise (疑似广告 / 与征求意见无关), awaiting staff


def software_version() -> str:
    return f"analysis {analysis.ANALYSIS_VERSION}; comment-portal {PORTAL_VERSION}"


def _unit(g: analysis.Group, kind: str, members: list[int], representative_id: int) -> run_save.Unit:
    return run_save.Unit(kind, g.clause_key, members, list(g.label_terms), representative_id, title=g.title,
                         cohesion=g.cohesion, too_mixed=g.too_mixed, noise_reason=g.noise_reason)


def _units(grouping: analysis.Grouping, bodies: dict[int, str]) -> list[run_save.Unit]:
    """Campaigns on their own (every copy); clusters and singletons with the remaining members; supportive and
    noise groups as the engine formed them."""
    out: list[run_save.Unit] = []
    in_campaign: set[Any] = set()
    for g in grouping.groups:
        if g.kind == "campaign":
            out.append(_unit(g, "campaign", [int(m) for m in g.member_ids], int(g.representative_id)))
            in_campaign.update(g.member_ids)
    for g in grouping.groups:
        if g.kind == "campaign" or g.parent is not None:
            continue
        rest = [int(m) for m in g.member_ids if m not in in_campaign]
        if not rest:
            continue
        kind = g.kind if g.kind in ("supportive", "noise") else "cluster" if len(rest) > 1 else "singleton"
        rep = int(g.representative_id) if g.representative_id in rest else rest[0]
        out.append(_unit(g, kind, rest, rep))
    for unit in out:
        unit.title = _title(unit, bodies)
    return out


def _title(unit: run_save.Unit, bodies: dict[int, str]) -> str:
    """A working name staff can read at a glance: the engine's title (a short phrase without quotations or contact
    details), else the representative comment's first sentence (「建议对海外仓建设给予补贴」); the label terms stay
    visible beside it as 关键词."""
    if unit.title:
        return unit.title[:TITLE_MAX]
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
    progress: Callable[[str, int, int], None] | None = None,
) -> RunSummary:
    """Analyse every stored comment of ``consultation`` and update its groups (see the module docstring).

    ``progress(stage, done, total)`` reports the stages (:data:`STAGES`, and the engine's own within
    ``analyse``). Reads take no lock; the writes (missing tokens, the save) are short transactions. When the
    save fails part-way it is undone before the error is raised again: the previous grouping stays.
    """
    step = progress or (lambda stage, done, total: None)
    cid = consultation.id
    draft = consultation_q.load_draft(consultation)

    step("load", 0, 0)
    max_id = scalar(db, "SELECT max(id) FROM comments WHERE consultation_id = ?", [cid]) or 0
    stored = rows(
        db,
        f"SELECT id, body, clause_key, tokens, status, group_id, noise_reason, noise_review, "
        f"quotations IS NULL AS unquoted FROM comments WHERE consultation_id = ? "
        f"AND id <= ? AND status IN {sql_list(COUNTED)} ORDER BY id",
        [cid, max_id],
    )
    step("load", len(stored), len(stored))

    missing = [r for r in stored if r["tokens"] is None]
    if missing:  # rows stored before tokens were kept: compute once, store, never again
        step("tokens", 0, len(missing))
        computed = tokenize_many([r["body"] for r in missing], consultation)
        pairs = [(r["id"], t) for r, t in zip(missing, computed)]
        batches.paced(db, pairs, lambda db, chunk: comment_q.store_tokens(db, list(chunk)),
                      progress=lambda done: step("tokens", done, len(pairs)))
        for r, t in zip(missing, computed):
            r["tokens"] = json.dumps(t, ensure_ascii=False)
    inputs = [analysis.CommentIn(id=r["id"], text=r["body"], clause_key=r["clause_key"], tokens=json.loads(r["tokens"]))
              for r in stored]

    step("analyse", 0, 0)
    # Staff said these are not noise: they are analysed like any comment (the engine never proposes them again).
    grouping = analysis.group_comments(inputs, draft, progress=step,
                                       not_noise={r["id"] for r in stored if r["noise_review"] == "rejected"})
    unquoted = [r for r in stored if r["unquoted"]]
    quotations = analysis.find_quotations_many([r["body"] for r in unquoted], draft)

    summary = _save(db, consultation, stored, grouping, staff=staff, now=now, max_id=max_id,
                    progress=lambda done, total: step("save", done, total))
    # Quotations are facts about a text (the same text quotes the same passages whatever the run): recorded once,
    # in short transactions, after the run is saved.
    found = [(r["id"], [q.to_dict() for q in qs]) for r, qs in zip(unquoted, quotations)]
    batches.paced(db, found, lambda db, chunk: comment_q.store_quotations(db, list(chunk)))
    summary.supportive_count = int(grouping.params.get("supportive", 0))
    summary.noise_count = len(grouping.noise_evidence)
    return summary


def _proposals(grouping: analysis.Grouping, stored: list[dict[str, Any]]) -> list[tuple[int, str | None, str | None]]:
    """Noise proposals to record: (comment, reason, evidence as JSON) for every comment the engine proposes, and
    (comment, None, None) for one proposed before that it no longer proposes. Comments staff reviewed keep
    theirs (``run_save`` writes only where ``noise_review`` is NULL)."""
    out: dict[int, tuple[int, str | None, str | None]] = {}
    for g in grouping.groups:
        if g.kind == "noise" and g.noise_reason:
            for m in g.member_ids:
                evidence = json.dumps(list(grouping.noise_evidence.get(m, ())), ensure_ascii=False)
                out[int(m)] = (int(m), g.noise_reason, evidence)
    for r in stored:
        if r["noise_reason"] and r["id"] not in out:
            out[r["id"]] = (r["id"], None, None)
    return list(out.values())


def _save(db: Database, consultation: Consultation, stored: list[dict[str, Any]], grouping: analysis.Grouping, *,
          staff: StaffAccount | None, now: datetime, max_id: int,
          progress: Callable[[int, int], None]) -> RunSummary:
    cid = consultation.id
    previous = scalar(db, "SELECT max_comment_id FROM analysis_runs WHERE consultation_id = ? AND complete = 1 "
                          "ORDER BY id DESC LIMIT 1", [cid])
    bodies = {r["id"]: r["body"] for r in stored}
    locked = _locked_groups(db, cid)
    the_plan = run_save.plan(
        _units(grouping, bodies), {r["id"]: r["group_id"] for r in stored}, locked,
        {r["id"] for r in rows(db, "SELECT id FROM groups WHERE consultation_id = ? AND merged_into IS NULL", [cid])},
        previous_max=previous if previous is not None else 0, has_previous=previous is not None,
        unprocessed={int(u.id) for u in grouping.unprocessed}, proposals=_proposals(grouping, stored))
    progress(0, the_plan.size)
    run_id = run_save.start(db, consultation_id=cid, now=now, staff=staff, version=software_version(),
                            params=grouping.params, result=grouping.to_dict(), comment_count=len(stored),
                            max_id=max_id)
    try:
        run_save.apply(db, cid, run_id, the_plan, now=now, locked=_locked_groups, progress=progress)

        # The summary is read before the last transaction (a read of every group must not hold the write lock).
        active = group_q.active(db, cid)
        result = RunSummary(
            run_id=run_id,
            comment_count=len(stored),
            group_count=len(active),
            campaign_count=sum(1 for group in active if group.kind == "campaign"),
            unprocessed_count=len(grouping.unprocessed),
            unprocessed=[u.to_dict() for u in grouping.unprocessed],
            new_placed=the_plan.new_placed,
            new_into_existing=the_plan.new_into_existing,
        )

        def record(db: Database) -> None:
            audit.record(db, action="analysis.run", now=now, staff=staff, consultation_id=cid, entity="analysis_run",
                         entity_id=run_id, after={
                             "version": software_version(), "comments": result.comment_count,
                             "groups": result.group_count, "campaigns": result.campaign_count,
                             "unprocessed": result.unprocessed_count, "new_placed": result.new_placed,
                             "new_into_existing": result.new_into_existing, "locked_groups": len(locked)})

        run_save.complete(db, run_id, record)
        return result
    except BaseException:
        run_save.undo(db, run_id)
        raise


def last_run(db: Database, consultation_id: int) -> dict[str, Any] | None:
    return one(db, "SELECT r.id, r.created_at, r.created_by, r.software_version, r.comment_count, r.max_comment_id, "
                   "s.username AS created_by_name FROM analysis_runs r LEFT JOIN staff s ON s.id = r.created_by "
                   "WHERE r.consultation_id = ? AND r.complete = 1 ORDER BY r.id DESC LIMIT 1", [consultation_id])


def first_run_max(db: Database, consultation_id: int) -> int | None:
    """Comments with a larger id arrived after the first analysis: they are 新 until staff act on them."""
    return scalar(db, "SELECT max_comment_id FROM analysis_runs WHERE consultation_id = ? AND complete = 1 "
                      "ORDER BY id LIMIT 1", [consultation_id])


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
