"""The revised draft (送审稿) as version 2, 3 … of a consultation, and the 修改对照表 it gives.

Version 1 is the draft consulted on (``consultations.draft_json``; comments stay tied to its clause keys).
An admin uploads the revised text; its clauses are matched to version 1 by their text
(``draft.revisions.match``, so a clause renumbered by an insertion is found under its new key), and the
upload is refused, as ``import-draft --replace`` is, when clauses that comments are tied to would vanish,
unless the admin confirms it. Staff's fixes of version 1's clause tree (the preview) are made on the revised text
too, where their clause is still there. The latest upload is the one the 修改对照表 is made from.

The 修改依据 of a row are the adopted and partly adopted opinions on that clause, by the numbers the
feedback report prints for them (意见N): :func:`basis` is the one place that decides what a change rests
on, and names the opinions whose 建议修改为 a decision adopted as its 修改后表述 (``decisions.adopted_proposals``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from draft import Draft, DraftError, load_bytes
from draft.fixes import apply_fixes
from draft.revisions import RevisionTable, match, moved_keys, revision_table
from exports import Report, clause_refs

from ..clock import iso
from ..db import scalar, write
from . import audit
from . import consultations as consultation_q
from . import decisions as decision_q
from . import drafts as draft_q
from .rows import Consultation, DraftVersion, StaffAccount, all_as, one_as

KIND = "送审稿"


class RevisionError(ValueError):
    """An upload staff must fix (unreadable file), with a message in Chinese."""


def versions(db: Database, consultation_id: int) -> list[DraftVersion]:
    """Every uploaded revised draft, newest first (without the stored file and text)."""
    return all_as(DraftVersion, db,
                  "SELECT v.id, v.consultation_id, v.version, v.kind, v.source_name, v.source_sha256, v.uploaded_by, "
                  "v.uploaded_at, length(v.source) AS size, s.username AS uploaded_by_name "
                  "FROM draft_versions v LEFT JOIN staff s ON s.id = v.uploaded_by "
                  "WHERE v.consultation_id = ? ORDER BY v.version DESC", [consultation_id])


def latest(db: Database, consultation_id: int) -> DraftVersion | None:
    """The latest revised draft with its text (``draft_json``) and file, or None."""
    return one_as(DraftVersion, db,
                  "SELECT * FROM draft_versions WHERE consultation_id = ? ORDER BY version DESC LIMIT 1", [consultation_id])


def all_with_files(db: Database, consultation_id: int) -> list[DraftVersion]:
    """Every revised draft with its text and file, oldest first (for the archive)."""
    return all_as(DraftVersion, db, "SELECT * FROM draft_versions WHERE consultation_id = ? ORDER BY version",
                  [consultation_id])


def load(row: DraftVersion) -> Draft:
    return Draft.from_dict(json.loads(row.draft_json))


def removed_commented(db: Database, consultation: Consultation, new: Draft) -> dict[str, int]:
    """Clauses of version 1 that comments are tied to and that have no counterpart in ``new``: key → comments."""
    kept = {m.old.key for m in match(consultation_q.load_draft(consultation), new) if m.old and m.new}
    return {k: n for k, n in consultation_q.commented_clauses(db, consultation.id).items() if k not in kept}


def upload(db: Database, consultation: Consultation, data: bytes, name: str, *, staff: StaffAccount | None,
           now: datetime, drop_clauses: bool = False) -> dict[str, Any]:
    """Store an uploaded revised draft as the next version; returns a summary for the page.

    Raises :class:`RevisionError` for a file that cannot be read and ``consultations.ClausesRemoved`` when
    commented clauses would vanish and ``drop_clauses`` is not set."""
    try:
        new = load_bytes(data, name)
    except DraftError as exc:
        raise RevisionError(str(exc)) from None
    if not list(new.walk()):
        raise RevisionError(f"没有从文件中读出任何条款：{name}（请检查文件内容）。")
    # The parser misreads the revised text where it misread the text consulted on: staff's fixes of version 1
    # are made again where their clause is still there, unchanged (else the 修改对照表 shows the misreading).
    replayed = apply_fixes(new, draft_q.fixes_of(db, consultation.id), relocate=True)
    new = replayed.draft
    old = consultation_q.load_draft(consultation)
    matches = match(old, new)
    orphans = removed_commented(db, consultation, new)
    if orphans and not drop_clauses:
        raise consultation_q.ClausesRemoved(orphans)
    summary = {
        "source": name,
        "clauses": sum(1 for _ in new.walk()),
        "changed": sum(1 for m in matches if m.status == "changed"),
        "added": sum(1 for m in matches if m.status == "added"),
        "removed": sum(1 for m in matches if m.status == "removed"),
        "moved": len(moved_keys(matches)),
        "removed_with_comments": sorted(orphans),
        "fixes": [f.describe() for f in replayed.applied],
        "fixes_skipped": [f"{f.describe()}：{reason}" for f, reason in replayed.skipped],
    }
    with write(db):
        version = max(2, (scalar(db, "SELECT max(version) FROM draft_versions WHERE consultation_id = ?",
                                 [consultation.id]) or 1) + 1)
        row_id = db.execute(
            "INSERT INTO draft_versions (consultation_id, version, kind, draft_json, source_name, source, "
            "source_sha256, uploaded_by, uploaded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [consultation.id, version, KIND, json.dumps(new.to_dict(), ensure_ascii=False), name, data,
             hashlib.sha256(data).hexdigest(), staff.id if staff else None, iso(now)],
        ).lastrowid
        audit.record(db, action="draft.revision", now=now, staff=staff, consultation_id=consultation.id,
                     entity="draft_version", entity_id=row_id, after=dict(summary, version=version))
    return dict(summary, version=version)


def basis(report: Report, proposed: Collection[int] = ()) -> dict[str, list[int | str]]:
    """What each clause's change rests on: clause key (version 1) → the numbers of the adopted and partly
    adopted opinions on it, as the report prints them, then a note naming those of them whose 建议修改为 the
    change adopts (``proposed``: their indexes in ``report.opinions``), e.g. ``[1, 4, "采用意见4建议的表述"]``.
    Opinions on the draft as a whole cite no clause."""
    found: dict[str, list[int | str]] = {}
    wording: dict[str, list[int]] = {}
    number_of = report.number_of()
    adopted_wording = {number_of[i] for i in proposed if 0 <= i < len(number_of)}
    for number, opinion in report.ordered_opinions():
        if opinion.clause is not None and opinion.decision and decision_q.allows_revised_text(opinion.decision):
            found.setdefault(opinion.clause.key, []).append(number)
            if number in adopted_wording:
                wording.setdefault(opinion.clause.key, []).append(number)
    for key, numbers in wording.items():
        found[key].append(PROPOSAL_NOTE.format("、".join(f"意见{n}" for n in numbers)))
    return found


#: The 修改依据 note for opinions whose proposed wording (建议修改为) the change adopts.
PROPOSAL_NOTE = "采用{}建议的表述"


def table(db: Database, consultation: Consultation, report: Report,
          proposed: Collection[int] = ()) -> RevisionTable | None:
    """The 修改对照表 from version 1 to the latest revised draft, with its 修改依据 (:func:`basis`); None without
    one."""
    row = latest(db, consultation.id)
    if row is None:
        return None
    old, new = consultation_q.load_draft(consultation), load(row)
    return revision_table(
        old, new, basis(report, proposed),
        cite_old={k: r.title for k, r in clause_refs(old.clauses).items()},
        cite_new={k: r.title for k, r in clause_refs(new.clauses).items()},
    )
