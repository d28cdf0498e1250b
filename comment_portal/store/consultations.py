"""Queries on consultations and their clauses."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from sqlite_utils import Database

import analysis
from draft import Clause as DraftClause
from draft import Draft
from draft.revisions import missing_keys

from ..clock import iso
from ..db import rows, scalar, sql_list, write
from ..vocabulary import IGNORED, PUBLIC_STATE
from . import audit
from .rows import Clause, Consultation, StaffAccount, all_as, one_as


class SlugTaken(Exception):
    """A consultation with this slug exists and replacing it was not asked for."""


class ClausesRemoved(Exception):
    """The new text drops clauses that comments are tied to; ``orphans`` maps key → comment count."""

    def __init__(self, orphans: dict[str, int]):
        super().__init__(orphans)
        self.orphans = orphans


def _clause_rows(draft: Draft) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []

    def visit(clause: DraftClause, parent: str | None) -> None:
        out.append(
            {
                "key": clause.key,
                "parent_key": parent,
                "position": len(out),
                "label": clause.label,
                "heading": clause.heading,
                "body": clause.body,
                "level": clause.level,
                "kind": clause.kind,
            }
        )
        for child in clause.children:
            visit(child, clause.key)

    for top in draft.clauses:
        visit(top, None)
    return out


def import_draft(
    db: Database,
    draft: Draft,
    *,
    slug: str,
    opens_on: date,
    closes_on: date,
    now: datetime,
    original_window: tuple[date | None, date | None] | None = None,
    is_demo: bool = False,
    replace: bool = False,
    drop_clauses: bool = False,
    source_name: str = "",
    issuing_body: str = "",
    state: str = PUBLIC_STATE,
    source: dict[str, Any] | None = None,
    staff: StaffAccount | None = None,
    actor: str = "命令行",
) -> int:
    """Store a parsed draft as a consultation; with ``replace`` an existing one keeps its id and
    comments (they stay tied to clause keys) while its text and clauses are replaced.

    A new consultation takes the notice's own text, background and postal details (a replaced one keeps what
    staff made of them); ``state`` is ``public`` (the command line) or ``draft`` (a staff upload, on no public
    page until opened); ``source`` holds the stored file's columns (``source_file``, ``source_sha256``, …)."""
    notice = draft.notice
    original = original_window or (notice.opens_on, notice.closes_on)
    record = {
        "slug": slug,
        "title": draft.title,
        "notice_title": notice.title,
        "department": notice.department,
        "issuing_body": issuing_body,
        "contact": notice.contact,
        "published_on": notice.published_on.isoformat() if notice.published_on else None,
        "opens_on": opens_on.isoformat(),
        "closes_on": closes_on.isoformat(),
        "original_opens_on": original[0].isoformat() if original[0] else None,
        "original_closes_on": original[1].isoformat() if original[1] else None,
        "is_demo": int(is_demo),
        "preamble": draft.preamble,
        "draft_json": json.dumps(draft.to_dict(), ensure_ascii=False),
        "source_name": source_name,
        "updated_at": iso(now),
        **(source or {}),
    }
    with write(db):
        existing = get_by_slug(db, slug)
        if existing and not replace:
            raise SlugTaken(slug)
        before = None
        if existing:
            consultation_id = existing.id
            commented = commented_clauses(db, consultation_id)
            orphans = {key: commented[key] for key in missing_keys(draft, commented)}
            if orphans and not drop_clauses:
                raise ClausesRemoved(orphans)
            before = _import_summary(db, existing)
            db.table("consultations").update(consultation_id, record)
            db.execute("DELETE FROM clauses WHERE consultation_id = ?", [consultation_id])
        else:
            record.update(created_at=iso(now), state=state, **notice_columns(draft))
            consultation_id = db.table("consultations").insert(record).last_pk or 0
        db.table("clauses").insert_all(
            [dict(r, consultation_id=consultation_id) for r in _clause_rows(draft)]
        )
        audit.record(db, action="consultation.import", now=now, staff=staff, actor=actor,
                     consultation_id=consultation_id, entity="consultation", entity_id=consultation_id,
                     before=before, after=_import_summary(db, _required(get(db, consultation_id))))
    return consultation_id


def notice_columns(draft: Draft) -> dict[str, str]:
    """The notice as the office wrote it, as ``consultations`` columns."""
    n = draft.notice
    return {"announcement": n.announcement, "background": n.background, "email": n.email,
            "postal_address": n.address, "postcode": n.postcode}


def replace_text(db: Database, consultation_id: int, draft: Draft, now: datetime) -> None:
    """Swap the stored draft and its clause rows (inside the caller's transaction; the caller audits). The title
    column stays: staff may have corrected it (``drafts.set_notice``)."""
    db.execute("UPDATE consultations SET preamble = ?, draft_json = ?, updated_at = ? WHERE id = ?",
               [draft.preamble, json.dumps(draft.to_dict(), ensure_ascii=False), iso(now), consultation_id])
    db.execute("DELETE FROM clauses WHERE consultation_id = ?", [consultation_id])
    db.table("clauses").insert_all([dict(r, consultation_id=consultation_id) for r in _clause_rows(draft)])


def commented_clauses(db: Database, consultation_id: int) -> dict[str, int]:
    """Clause keys that comments are tied to → how many (any status: a withdrawn comment still cites its clause)."""
    return {r["clause_key"]: r["n"] for r in rows(
        db, "SELECT clause_key, count(*) AS n FROM comments WHERE consultation_id = ? AND clause_key IS NOT NULL "
            "GROUP BY clause_key", [consultation_id])}


def set_window(db: Database, consultation_id: int, opens_on: date, closes_on: date, now: datetime) -> None:
    with write(db):
        before = _required(get(db, consultation_id))
        db.table("consultations").update(
            consultation_id,
            {"opens_on": opens_on.isoformat(), "closes_on": closes_on.isoformat(), "updated_at": iso(now)},
        )
        audit.record(db, action="consultation.settings", now=now, staff=None, actor="命令行",
                     consultation_id=consultation_id, entity="consultation", entity_id=consultation_id,
                     before={"opens_on": before.opens_on, "closes_on": before.closes_on},
                     after={"opens_on": opens_on.isoformat(), "closes_on": closes_on.isoformat()})


def _import_summary(db: Database, row: Consultation) -> dict[str, Any]:
    """What an import changes, for the audit log."""
    return {
        "title": row.title,
        "opens_on": row.opens_on,
        "closes_on": row.closes_on,
        "source": row.source_name,
        "clauses": scalar(db, "SELECT count(*) FROM clauses WHERE consultation_id = ?", [row.id]),
    }


def _required(found: Consultation | None) -> Consultation:
    if found is None:
        raise LookupError("no such consultation")
    return found


def get_by_slug(db: Database, slug: str) -> Consultation | None:
    return one_as(Consultation, db, "SELECT * FROM consultations WHERE slug = ?", [slug])


def get(db: Database, consultation_id: int) -> Consultation | None:
    return one_as(Consultation, db, "SELECT * FROM consultations WHERE id = ?", [consultation_id])


def load_draft(consultation: Consultation) -> Draft:
    return Draft.from_dict(json.loads(consultation.draft_json))


def list_with_counts(db: Database, *, public_only: bool = False) -> list[Consultation]:
    """Every consultation (only the public ones with ``public_only``), newest window first, with its count of
    comments (spam and withdrawn ones not counted)."""
    return all_as(
        Consultation,
        db,
        f"""
        SELECT c.*,
               (SELECT count(*) FROM comments m WHERE m.consultation_id = c.id
                AND m.status NOT IN {sql_list(IGNORED)})
                 AS comment_count
        FROM consultations c
        WHERE ? IS NULL OR c.state = ?
        ORDER BY c.opens_on DESC, c.id DESC
        """,
        [PUBLIC_STATE if public_only else None] * 2,
    )


def clauses_of(db: Database, consultation_id: int) -> list[Clause]:
    return all_as(
        Clause,
        db,
        "SELECT key, parent_key, position, label, heading, body, level, kind FROM clauses "
        "WHERE consultation_id = ? ORDER BY position",
        [consultation_id],
    )


def clause(db: Database, consultation_id: int, key: str) -> Clause | None:
    return one_as(
        Clause,
        db,
        "SELECT key, parent_key, position, label, heading, body, level, kind FROM clauses "
        "WHERE consultation_id = ? AND key = ?",
        [consultation_id, key],
    )


def comment_counts(db: Database, consultation_id: int) -> dict[str | None, int]:
    """Public comment counts per clause key (None = the draft as a whole); spam and withdrawn comments are not
    counted."""
    return {
        r["clause_key"]: r["n"]
        for r in rows(
            db,
            "SELECT clause_key, count(*) AS n FROM comments "
            f"WHERE consultation_id = ? AND status NOT IN {sql_list(IGNORED)} GROUP BY clause_key",
            [consultation_id],
        )
    }


def change_marker(db: Database, consultation_id: int) -> tuple[Any, ...]:
    """Cheap value that changes whenever the public draft page would change: its text (``updated_at``)
    or its comment counts (``comment_versions.version``, kept by triggers on every insert and every change of a
    comment's clause or status)."""
    row = db.execute(
        "SELECT updated_at, (SELECT version FROM comment_versions WHERE consultation_id = ?) "
        "FROM consultations WHERE id = ?", [consultation_id, consultation_id]
    ).fetchone()
    return tuple(row) if row else ()


def suggested_clauses(db: Database, consultation: Consultation, text: str, *, top: int = 3,
                      quotations: list[analysis.Quotation] | None = None) -> list[Clause]:
    """The clauses the analysis engine suggests for a comment's text (best first); none for a blank text.
    ``quotations`` recorded for the comment are strong evidence for the clause they quote."""
    if not text or len(text.strip()) < 2:
        return []
    keys = analysis.suggest_clauses(text, load_draft(consultation), top=top, quotations=quotations)
    return [found for found in (clause(db, consultation.id, key) for key in keys) if found]


def is_public(db: Database, consultation_id: int) -> bool:
    """On the public pages (not a draft that staff have not opened yet)."""
    return scalar(db, "SELECT state FROM consultations WHERE id = ?", [consultation_id]) == PUBLIC_STATE
