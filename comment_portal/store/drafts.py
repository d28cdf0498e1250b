"""Drafts before they are public: a consultation made from an uploaded file, staff's fixes of its clause tree
(kept per source file in ``draft_fixes`` and replayed when the same file is imported again), and its notice.

A consultation created here is a ``draft`` (草稿，未发布): no public page, list or receipt shows it until
``store.windows.open_consultation``. The file itself is stored by the caller (``draft_files.save``); this module
keeps its name, SHA-256, kind and size.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlite_utils import Database

from draft import Draft, load_bytes
from draft.fixes import Fix, apply_fix, apply_fixes, make_fix
from draft.loader import source_kind
from draft.window_rules import DOC_TYPES, MINIMUMS

from ..clock import LOCAL_TZ, iso
from ..db import write
from ..vocabulary import DRAFT_STATE
from . import audit
from . import consultations as consultation_q
from . import holidays as holiday_q
from .rows import StaffAccount


class DraftStateError(ValueError):
    """The consultation is no longer a draft: its text is changed by a new version, not by fixes (Chinese)."""


@dataclass
class Prepared:
    """An uploaded file read and parsed, with the fixes stored for it replayed."""

    name: str
    sha256: str
    kind: str
    size: int
    raw: Draft
    draft: Draft
    applied: list[Fix] = field(default_factory=list)
    skipped: list[tuple[Fix, str]] = field(default_factory=list)

    def source_columns(self, stored_name: str) -> dict[str, Any]:
        return {"source_file": stored_name, "source_sha256": self.sha256, "source_kind": self.kind,
                "source_size": self.size}


def fixes_for(db: Database, sha256: str) -> list[Fix]:
    row = db.execute("SELECT fixes_json FROM draft_fixes WHERE sha256 = ?", [sha256]).fetchone()
    return [Fix.from_dict(d) for d in json.loads(row[0])] if row else []


def prepare(db: Database, data: bytes, name: str) -> Prepared:
    """Parse an uploaded draft and replay the fixes kept for the same bytes. Raises ``draft.DraftError``."""
    raw = load_bytes(data, name)
    digest = hashlib.sha256(data).hexdigest()
    replayed = apply_fixes(raw, fixes_for(db, digest))
    return Prepared(name=name, sha256=digest, kind=source_kind(data), size=len(data), raw=raw,
                    draft=replayed.draft, applied=replayed.applied, skipped=replayed.skipped)


def _default_window(db: Database, draft: Draft, doc_type: str, today: date) -> tuple[date, date]:
    """The notice's window when it lies ahead, else from today for the 文件类型's minimum (30 days when none)."""
    notice = draft.notice
    if notice.opens_on and notice.closes_on and notice.opens_on >= today and notice.closes_on >= notice.opens_on:
        return notice.opens_on, notice.closes_on
    minimum = MINIMUMS.get(doc_type)
    closes = minimum.earliest_close(today, holiday_q.calendar(db)) if minimum else today + timedelta(days=29)
    return today, closes


def create(db: Database, prepared: Prepared, *, slug: str, doc_type: str, stored_name: str,
           staff: StaffAccount | None, now: datetime) -> int:
    """A new draft consultation from an uploaded file; raises ``consultations.SlugTaken``."""
    if doc_type not in DOC_TYPES:
        raise ValueError(f"unknown doc_type {doc_type!r}")
    opens, closes = _default_window(db, prepared.draft, doc_type, now.astimezone(LOCAL_TZ).date())
    with write(db):
        consultation_id = consultation_q.import_draft(
            db, prepared.draft, slug=slug, opens_on=opens, closes_on=closes, now=now, source_name=prepared.name,
            state=DRAFT_STATE, source=dict(prepared.source_columns(stored_name), doc_type=doc_type), staff=staff,
            actor="system")
        if prepared.applied:
            audit.record(db, action="draft.fix", now=now, staff=staff, consultation_id=consultation_id,
                         entity="consultation", entity_id=consultation_id,
                         after={"fixes": [f.describe() for f in prepared.applied], "replayed": True})
    return consultation_id


def _draft_row(db: Database, consultation_id: int) -> tuple[str, Draft, str | None]:
    row = db.execute("SELECT state, draft_json, source_sha256 FROM consultations WHERE id = ?",
                     [consultation_id]).fetchone()
    if row is None:
        raise LookupError(f"no consultation {consultation_id}")
    if row[0] != DRAFT_STATE:
        raise DraftStateError("征求意见稿已经发布，不能再修正条款；如需修改文本，请上传新版本。")
    return row[0], Draft.from_dict(json.loads(row[1])), row[2]


def _save_fixes(db: Database, sha256: str | None, fixes: list[Fix], staff: StaffAccount | None,
                now: datetime) -> None:
    if not sha256:
        return
    db.execute("INSERT INTO draft_fixes (sha256, fixes_json, updated_at, updated_by) VALUES (?, ?, ?, ?) "
               "ON CONFLICT(sha256) DO UPDATE SET fixes_json = excluded.fixes_json, updated_at = excluded.updated_at, "
               "updated_by = excluded.updated_by",
               [sha256, json.dumps([f.to_dict() for f in fixes], ensure_ascii=False), iso(now),
                staff.id if staff else None])


def fix(db: Database, consultation_id: int, *, op: str, key: str, label: str = "", heading: str = "",
        paragraph: int = 0, staff: StaffAccount | None, now: datetime) -> Fix:
    """Make one fix on a draft consultation and keep it for its source file. Raises ``draft.fixes.FixError``."""
    with write(db):
        _, current, sha256 = _draft_row(db, consultation_id)
        made = make_fix(current, op, key, label=label, heading=heading, paragraph=paragraph)
        fixed = apply_fix(current, made)
        consultation_q.replace_text(db, consultation_id, fixed, now)
        _save_fixes(db, sha256, [*(fixes_for(db, sha256) if sha256 else []), made], staff, now)
        audit.record(db, action="draft.fix", now=now, staff=staff, consultation_id=consultation_id,
                     entity="consultation", entity_id=consultation_id, after={"fix": made.describe()})
    return made


def undo(db: Database, consultation_id: int, raw: Draft, *, staff: StaffAccount | None,
         now: datetime) -> Fix | None:
    """Take back the last fix: the file's parse (``raw``) with the other fixes replayed. None when there was none."""
    with write(db):
        _, _, sha256 = _draft_row(db, consultation_id)
        fixes = fixes_for(db, sha256) if sha256 else []
        if not fixes:
            return None
        replayed = apply_fixes(raw, fixes[:-1])
        consultation_q.replace_text(db, consultation_id, replayed.draft, now)
        _save_fixes(db, sha256, fixes[:-1], staff, now)
        audit.record(db, action="draft.fix_undo", now=now, staff=staff, consultation_id=consultation_id,
                     entity="consultation", entity_id=consultation_id, before={"fix": fixes[-1].describe()})
    return fixes[-1]


def replace_source(db: Database, consultation_id: int, prepared: Prepared, *, stored_name: str,
                   staff: StaffAccount | None, now: datetime) -> None:
    """A corrected file for a draft consultation: its text, notice and source are the new file's."""
    with write(db):
        _draft_row(db, consultation_id)
        before = db.execute("SELECT source_name, source_sha256 FROM consultations WHERE id = ?",
                            [consultation_id]).fetchone()
        consultation_q.replace_text(db, consultation_id, prepared.draft, now)
        columns = {**consultation_q.notice_columns(prepared.draft), **prepared.source_columns(stored_name),
                   "source_name": prepared.name, "title": prepared.draft.title, "contact": prepared.draft.notice.contact,
                   "department": prepared.draft.notice.department,
                   "published_on": prepared.draft.notice.published_on.isoformat()
                   if prepared.draft.notice.published_on else None}
        db.table("consultations").update(consultation_id, columns)
        audit.record(db, action="consultation.import", now=now, staff=staff, consultation_id=consultation_id,
                     entity="consultation", entity_id=consultation_id,
                     before={"source": before[0], "sha256": before[1]},
                     after={"source": prepared.name, "sha256": prepared.sha256,
                            "clauses": sum(1 for _ in prepared.draft.walk()),
                            **({"fixes": [f.describe() for f in prepared.applied]} if prepared.applied else {})})


def fixes_of(db: Database, consultation_id: int) -> list[Fix]:
    """The fixes kept for the consultation's source file."""
    row = db.execute("SELECT source_sha256 FROM consultations WHERE id = ?", [consultation_id]).fetchone()
    return fixes_for(db, row[0]) if row and row[0] else []


NOTICE_FIELDS = ("title", "announcement", "background", "contact", "email", "postal_address", "postcode")


def set_notice(db: Database, consultation_id: int, values: dict[str, str], *, staff: StaffAccount | None,
               now: datetime) -> dict[str, tuple[str, str]]:
    """Save the notice as the office wrote it; returns what changed ({field: (before, after)})."""
    with write(db):
        row = db.execute(f"SELECT {', '.join(NOTICE_FIELDS)} FROM consultations WHERE id = ?",
                         [consultation_id]).fetchone()
        before = dict(zip(NOTICE_FIELDS, row, strict=True))
        changed = {k: (before[k] or "", v) for k, v in values.items() if k in NOTICE_FIELDS and (before[k] or "") != v}
        if changed:
            db.table("consultations").update(consultation_id, {**{k: v for k, (_, v) in changed.items()},
                                                         "updated_at": iso(now)})
            audit.record(db, action="consultation.notice", now=now, staff=staff, consultation_id=consultation_id,
                         entity="consultation", entity_id=consultation_id,
                         before={k: old for k, (old, _) in changed.items()},
                         after={k: new for k, (_, new) in changed.items()})
    return changed
