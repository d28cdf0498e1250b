"""Saving an analysis run in short transactions, undoable until it is complete.

The run's result becomes a *plan* first, without writing: which groups are re-formed (reusing the old row that
shares most members), which are created, which comment goes to which group, which old groups are left without
members (marked merged into the group that took most of them). The plan is then applied in short transactions
(:func:`batches.paced`), so comment POSTs never wait behind the save. Each transaction records in ``run_undo``
what it changed; the run row stays ``complete = 0`` until the last one, which records the audit row. A run that
fails part-way — an error, or its process killed — is undone from that journal (:func:`undo`: at once for an
error, by the next job runner for a killed process), so the previous grouping stays as it was.

Staff keep working while a run is saved, so every write re-checks what it relies on: a comment is moved only
while it is still where the plan found it and never out of a group staff edited or decided meanwhile; a group
is re-formed or superseded only while nobody has edited or decided it. Undoing restores only what the run wrote
and nobody changed since.

To save more per run (e.g. per-comment flags from the engine): add a step to :func:`apply` that writes through
:func:`batches.paced` and records an undo entry of a new kind, and register how to undo it in ``UNDO``.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from ..clock import iso
from ..db import placeholders, rows, scalar, write
from . import batches
from . import groups as group_q
from .rows import StaffAccount

Progress = Callable[[int, int], None]

#: Columns an analysis run sets when it re-forms a group (what undo restores).
REFORMED = ("kind", "clause_key", "title", "label_terms", "representative_id", "run_id", "cohesion", "too_mixed",
            "noise_reason")


@dataclass
class Unit:
    """A group as the portal stores it, from the analysis result."""

    kind: str
    clause_key: str | None
    members: list[int]
    label_terms: list[str]
    representative_id: int | None
    title: str = ""
    cohesion: float | None = None  # what the engine measured of the group (m015)
    too_mixed: bool = False
    noise_reason: str | None = None  # a noise group: advert | off_topic


@dataclass
class Plan:
    """What a run changes. Groups to create have negative placeholder ids until they exist."""

    reform: list[tuple[int, Unit]] = field(default_factory=list)
    create: list[tuple[int, Unit]] = field(default_factory=list)
    moves: list[tuple[int, int | None, int | None]] = field(default_factory=list)  # comment, from, to
    superseded: list[tuple[int, int]] = field(default_factory=list)  # old group, the group that took its members
    proposals: list[tuple[int, str | None, str | None]] = field(default_factory=list)  # comment, noise reason, evidence
    new_placed: int = 0
    new_into_existing: int = 0

    @property
    def size(self) -> int:
        return len(self.reform) + len(self.create) + len(self.moves) + len(self.superseded) + len(self.proposals)


def plan(units: list[Unit], current: dict[int, int | None], locked: set[int], existing: set[int], *,
         previous_max: int, has_previous: bool, unprocessed: set[int],
         proposals: Sequence[tuple[int, str | None, str | None]] = ()) -> Plan:
    """The changes that turn the stored grouping into the run's (see analysis_runs' module docstring).

    ``current``: each analysed comment's group now; ``locked``: groups staff edited or decided (kept as they
    are; comments that arrived since the previous run join them when the analysis puts them with their
    members); ``existing``: the consultation's active groups; ``proposals``: the noise proposals to record per
    comment (reason and evidence, or None to withdraw one), only where staff have not reviewed it.
    """
    out = Plan(proposals=list(proposals))
    unlocked = existing - locked
    locked_member = {m: g for m, g in current.items() if g is not None and g in locked}
    former: dict[int, list[int]] = {}
    for m, g in current.items():
        if g is not None and g in unlocked:
            former.setdefault(g, []).append(m)
    placed: dict[int, int] = {}
    used: set[int] = set()
    for unit in units:
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
            out.new_into_existing += sum(1 for m in arrivals if m > previous_max and has_previous)
            free = [m for m in free if m not in placed]
            if not free:
                continue
        old = Counter(g for g in (current.get(m) for m in free) if g is not None and g in unlocked and g not in used)
        rep = unit.representative_id if unit.representative_id in free else free[0]
        unit = replace(unit, members=free, representative_id=rep)
        if old:
            top = max(old.values())
            group_id = min(g for g, n in old.items() if n == top)
            used.add(group_id)
            out.reform.append((group_id, unit))
        else:
            group_id = -(len(out.create) + 1)
            out.create.append((group_id, unit))
        for m in free:
            placed[m] = group_id
    if has_previous:
        out.new_placed = sum(1 for m in placed if m > previous_max)
    # Unprocessed comments (no text to analyse) keep a locked group; otherwise they wait in no group.
    for m, was in current.items():
        if m in locked_member and m not in placed:
            continue
        destination = placed.get(m) if m not in unprocessed else None
        if was != destination:
            out.moves.append((m, was, destination))
    for g, members in former.items():
        if g in used:
            continue
        taker = group_q.superseded_target(members, placed)
        if taker is not None and taker != g:
            out.superseded.append((g, taker))
    return out


class _Locks:
    """The groups staff have made theirs (edited, manual, decided), re-read whenever the audit log grew: every
    staff change writes an audit row, so an unchanged log means an unchanged set."""

    def __init__(self, db: Database, consultation_id: int, locked: Callable[[Database, int], set[int]]):
        self.consultation_id, self.read = consultation_id, locked
        self.seen: int | None = -1
        self.groups: set[int] = set()

    def now(self, db: Database) -> set[int]:
        latest = scalar(db, "SELECT max(id) FROM audit_log")
        if latest != self.seen:
            self.groups, self.seen = self.read(db, self.consultation_id), latest
        return self.groups


class _Journal:
    def __init__(self, run_id: int):
        self.run_id, self.seq = run_id, 0

    def record(self, db: Database, kind: str, payload: list[Any]) -> None:
        if not payload:
            return
        self.seq += 1
        db.execute("INSERT INTO run_undo (run_id, seq, kind, payload_json) VALUES (?, ?, ?, ?)",
                   [self.run_id, self.seq, kind, json.dumps(payload, ensure_ascii=False)])


def apply(db: Database, consultation_id: int, run_id: int, the_plan: Plan, *, now: datetime,
          locked: Callable[[Database, int], set[int]], progress: Progress | None = None) -> None:
    """Write the plan in short transactions, journaled (see the module docstring). The caller completes the run
    (:func:`complete`) or, when this raises, undoes it (:func:`undo`)."""
    journal = _Journal(run_id)
    locks = _Locks(db, consultation_id, locked)
    total = the_plan.size
    base = 0

    def report(done: int) -> None:
        if progress is not None:
            progress(base + done, total)

    ids: dict[int, int] = {}  # placeholder → the created group's id

    def create(db: Database, chunk: Sequence[tuple[int, Unit]]) -> None:
        made = []
        for placeholder, unit in chunk:
            ids[placeholder] = group_q.create(
                db, consultation_id, now=now, kind=unit.kind, title=unit.title, clause_key=unit.clause_key,
                label_terms=unit.label_terms, representative_id=unit.representative_id, run_id=run_id, edited=False)
            group_q.set_measures(db, ids[placeholder], cohesion=unit.cohesion, too_mixed=unit.too_mixed,
                                 noise_reason=unit.noise_reason)
            made.append(ids[placeholder])
        journal.record(db, "groups_created", made)

    def reform(db: Database, chunk: Sequence[tuple[int, Unit]]) -> None:
        mine = locks.now(db)
        changed = []
        for group_id, unit in chunk:
            if group_id in mine:
                continue  # staff made it theirs meanwhile: it keeps its name; the comments still join it
            before = _columns(db, group_id)
            if before is None or before.pop("merged_into") is not None:
                continue
            group_q.reform(db, group_id, kind=unit.kind, clause_key=unit.clause_key, title=unit.title,
                           label_terms=unit.label_terms, representative_id=unit.representative_id, run_id=run_id,
                           now=now)
            group_q.set_measures(db, group_id, cohesion=unit.cohesion, too_mixed=unit.too_mixed,
                                 noise_reason=unit.noise_reason)
            after = _columns(db, group_id)
            assert after is not None
            after.pop("merged_into")
            changed.append({"id": group_id, "before": before, "after": after})
        journal.record(db, "groups_reformed", changed)

    def move(db: Database, chunk: Sequence[tuple[int, int | None, int | None]]) -> None:
        mine = locks.now(db)
        where = {r["id"]: r["group_id"] for r in rows(
            db, f"SELECT id, group_id FROM comments WHERE id IN ({placeholders(chunk)})", [c for c, _, _ in chunk])}
        done = []
        for comment_id, was, target in chunk:
            if comment_id not in where or where[comment_id] != was or (was is not None and was in mine):
                continue  # staff moved it, or made its group theirs, since the run read it
            done.append((comment_id, was, ids.get(target, target) if target is not None else None))
        if not done:
            return
        db.conn.executemany("UPDATE comments SET group_id = ? WHERE id = ?", [(t, c) for c, _, t in done])
        group_q.sync_status(db, [c for c, _, _ in done])
        journal.record(db, "moves", done)

    def supersede(db: Database, chunk: Sequence[tuple[int, int]]) -> None:
        mine = locks.now(db)
        done = []
        for group_id, target in chunk:
            target = ids.get(target, target)
            if group_id in mine or scalar(db, "SELECT merged_into FROM groups WHERE id = ?", [group_id]) is not None:
                continue
            members = [r["id"] for r in rows(db, "SELECT id FROM comments WHERE group_id = ?", [group_id])]
            group_q.mark_superseded(db, group_id, target, now=now)
            done.append({"id": group_id, "target": target, "members": members})
        journal.record(db, "superseded", done)

    def propose(db: Database, chunk: Sequence[tuple[int, str | None, str | None]]) -> None:
        before = {r["id"]: (r["noise_reason"], r["noise_evidence"]) for r in rows(
            db, f"SELECT id, noise_reason, noise_evidence FROM comments WHERE noise_review IS NULL "
                f"AND id IN ({placeholders(chunk)})", [c for c, _, _ in chunk])}
        done = [(c, *before[c], reason, evidence) for c, reason, evidence in chunk
                if c in before and before[c] != (reason, evidence)]
        db.conn.executemany("UPDATE comments SET noise_reason = ?, noise_evidence = ? WHERE id = ?",
                            [(reason, evidence, c) for c, _, _, reason, evidence in done])
        journal.record(db, "proposals", done)

    # Created groups first (moves refer to them), superseded last (once their members have moved).
    batches.paced(db, the_plan.create, create, progress=report)
    base += len(the_plan.create)
    batches.paced(db, the_plan.reform, reform, progress=report)
    base += len(the_plan.reform)
    batches.paced(db, the_plan.moves, move, progress=report)
    base += len(the_plan.moves)
    batches.paced(db, the_plan.superseded, supersede, progress=report)
    base += len(the_plan.superseded)
    batches.paced(db, the_plan.proposals, propose, progress=report)


def _columns(db: Database, group_id: int) -> dict[str, Any] | None:
    found = rows(db, f"SELECT {', '.join(REFORMED)}, merged_into FROM groups WHERE id = ?", [group_id])
    return found[0] if found else None


def start(db: Database, *, consultation_id: int, now: datetime, staff: StaffAccount | None, version: str,
          params: dict[str, Any], result: dict[str, Any], comment_count: int, max_id: int) -> int:
    """The run's row, incomplete until :func:`complete` (readers ignore it meanwhile). The grouping's JSON (megabytes
    at 100,000 comments) is built before the write lock is taken."""
    values = [consultation_id, iso(now), staff.id if staff else None, version,
              json.dumps(params, ensure_ascii=False, sort_keys=True), json.dumps(result, ensure_ascii=False),
              comment_count, max_id]
    with write(db):
        return db.execute(
            "INSERT INTO analysis_runs (consultation_id, created_at, created_by, software_version, params_json, "
            "result_json, comment_count, max_comment_id, complete) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)",
            values,
        ).lastrowid or 0


def complete(db: Database, run_id: int, record: Callable[[Database], Any]) -> Any:
    """The last transaction of a save: the run becomes complete and ``record(db)`` writes its audit row (and only
    writes: what it records is read before). The journal is then dropped (a few rows at a time; a leftover is
    dropped by :func:`recover`)."""
    with write(db):
        db.execute("UPDATE analysis_runs SET complete = 1 WHERE id = ?", [run_id])
        out = record(db)
    _drop_journal(db, run_id)
    return out


def _drop_journal(db: Database, run_id: int) -> None:
    while True:
        with write(db):
            gone = db.execute("DELETE FROM run_undo WHERE run_id = ? AND seq IN (SELECT seq FROM run_undo "
                              "WHERE run_id = ? LIMIT 50)", [run_id, run_id]).rowcount
        if not gone:
            return
        batches.pause()


# -- undo -----------------------------------------------------------------------------------------------------


def _undo_created(db: Database, payload: list[int]) -> None:
    """Groups the run created: deleted when nothing refers to them any more (their members went back first);
    one staff renamed or decided meanwhile is kept, as staff's."""
    for group_id in payload:
        db.execute(
            "DELETE FROM groups WHERE id = ? AND edited = 0 AND kind != 'manual' "
            "AND NOT EXISTS (SELECT 1 FROM comments WHERE group_id = ?) "
            "AND NOT EXISTS (SELECT 1 FROM decisions WHERE group_id = ?) "
            "AND NOT EXISTS (SELECT 1 FROM groups WHERE merged_into = ?)", [group_id] * 4)


def _undo_reformed(db: Database, payload: list[dict[str, Any]]) -> None:
    for change in payload:
        before, after = change["before"], change["after"]
        sets = ", ".join(f"{c} = ?" for c in REFORMED)
        same = " AND ".join(f"{c} IS ?" for c in REFORMED)
        db.execute(f"UPDATE groups SET {sets} WHERE id = ? AND {same}",
                   [*(before[c] for c in REFORMED), change["id"], *(after[c] for c in REFORMED)])


def _undo_moves(db: Database, payload: list[list[Any]]) -> None:
    db.conn.executemany("UPDATE comments SET group_id = ? WHERE id = ? AND group_id IS ?",
                        [(was, comment_id, target) for comment_id, was, target in payload])
    group_q.sync_status(db, [comment_id for comment_id, _, _ in payload])


def _undo_superseded(db: Database, payload: list[dict[str, Any]]) -> None:
    for change in payload:
        db.execute("UPDATE groups SET merged_into = NULL WHERE id = ? AND merged_into = ?",
                   [change["id"], change["target"]])
        if change["members"]:
            db.execute(f"UPDATE comments SET group_id = ? WHERE group_id = ? "
                       f"AND id IN ({placeholders(change['members'])})",
                       [change["id"], change["target"], *change["members"]])
            group_q.sync_status(db, change["members"])


def _undo_proposals(db: Database, payload: list[list[Any]]) -> None:
    """Noise proposals the run recorded go back to what they were, unless staff reviewed them meanwhile."""
    db.conn.executemany("UPDATE comments SET noise_reason = ?, noise_evidence = ? WHERE id = ? AND noise_review IS NULL "
                        "AND noise_reason IS ? AND noise_evidence IS ?",
                        [(old_r, old_e, c, new_r, new_e) for c, old_r, old_e, new_r, new_e in payload])


#: How each kind of journal entry is undone (inside a write transaction).
UNDO: dict[str, Callable[[Database, Any], None]] = {
    "groups_created": _undo_created,
    "groups_reformed": _undo_reformed,
    "moves": _undo_moves,
    "superseded": _undo_superseded,
    "proposals": _undo_proposals,
}


def undo(db: Database, run_id: int) -> None:
    """Undo an incomplete run, newest change first, each journal entry in its own short transaction; then the run
    row goes (kept, still incomplete, if a group staff made theirs meanwhile refers to it)."""
    while True:
        entry = rows(db, "SELECT seq, kind, payload_json FROM run_undo WHERE run_id = ? ORDER BY seq DESC LIMIT 1",
                     [run_id])
        if not entry:
            break
        with write(db):
            UNDO[entry[0]["kind"]](db, json.loads(entry[0]["payload_json"]))
            db.execute("DELETE FROM run_undo WHERE run_id = ? AND seq = ?", [run_id, entry[0]["seq"]])
        batches.checkpoint(db)
        batches.pause()
    with write(db):
        db.execute("DELETE FROM analysis_runs WHERE id = ? AND complete = 0 "
                   "AND NOT EXISTS (SELECT 1 FROM groups WHERE run_id = ?)", [run_id, run_id])


def recover(db: Database) -> list[int]:
    """Undo every run left incomplete by a process that died while saving it (the job runner calls this when it
    starts, holding the runner lock, so no save is in progress); drop journals of complete runs. Returns the
    runs undone."""
    incomplete = [r["id"] for r in rows(db, "SELECT id FROM analysis_runs WHERE complete = 0 AND (EXISTS "
                                            "(SELECT 1 FROM run_undo u WHERE u.run_id = analysis_runs.id) OR NOT "
                                            "EXISTS (SELECT 1 FROM groups g WHERE g.run_id = analysis_runs.id))")]
    for run_id in incomplete:
        undo(db, run_id)
    for run_id in [r["run_id"] for r in rows(db, "SELECT DISTINCT u.run_id FROM run_undo u JOIN analysis_runs r "
                                                 "ON r.id = u.run_id WHERE r.complete = 1")]:
        _drop_journal(db, run_id)
    return incomplete
