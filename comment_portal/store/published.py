"""Published reports: immutable snapshots (rendered HTML + JSON), one row per version.

A published row is never changed: republishing inserts version N+1. The stored JSON is the
exports open-data document plus one private key, ``x-portal`` (comment id → opinion number, for
the receipt page). Every public download is rendered once, at publication, from that stored document
(``exports.load``, which ignores the private key), and stored beside it (``published_files``).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from exports import FORMATS, PUBLIC_FORMATS, Problem, Report, load, looks_like_personal_name, redact, report_data

from ..clock import iso, to_local
from ..db import one, rows, scalar, write
from ..vocabulary import ORGANISATION_TYPES, SUPPORT
from . import audit
from . import consultations as consultation_q
from . import reports as report_q
from .rows import Consultation, StaffAccount

PRIVATE_KEY = "x-portal"


class PublishRefused(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s) block publication")
        self.problems = problems


def versions(db: Database, consultation_id: int) -> list[dict[str, Any]]:
    """Every published version, newest first (without the stored documents)."""
    return rows(db, "SELECT p.id, p.version, p.published_at, p.identity_mode, s.username AS published_by_name "
                    "FROM published_reports p LEFT JOIN staff s ON s.id = p.published_by "
                    "WHERE p.consultation_id = ? ORDER BY p.version DESC", [consultation_id])


def get(db: Database, consultation_id: int, version: int | None = None) -> dict[str, Any] | None:
    """One stored version (the latest when ``version`` is None)."""
    if version is None:
        return one(db, "SELECT * FROM published_reports WHERE consultation_id = ? ORDER BY version DESC LIMIT 1",
                   [consultation_id])
    return one(db, "SELECT * FROM published_reports WHERE consultation_id = ? AND version = ?",
               [consultation_id, version])


def latest_version(db: Database, consultation_id: int) -> int:
    return scalar(db, "SELECT max(version) FROM published_reports WHERE consultation_id = ?", [consultation_id]) or 0


def snapshot(row: dict[str, Any]) -> Report:
    """The Report a stored version was rendered from."""
    return load(json.loads(row["report_json"]))


def public_document(row: dict[str, Any]) -> dict[str, Any]:
    data = json.loads(row["report_json"])
    data.pop(PRIVATE_KEY, None)
    return data


#: What may differ between two versions with the same content.
_VOLATILE = ("version", "report_date", "generated_on", "published_on", "title")


def same_content(row: dict[str, Any] | None, report: Report) -> bool:
    """Would publishing ``report`` repeat the stored version ``row`` (only version and date differ)?"""
    if row is None:
        return False
    stored = public_document(row)
    fresh = json.loads(json.dumps(report_data(report), ensure_ascii=False, default=str))
    for data in (stored, fresh):
        for key in _VOLATILE:
            data.pop(key, None)
    return stored == fresh


def render(db: Database, row: dict[str, Any], fmt: str) -> bytes:
    """A public format of a stored version, exactly as published (HTML is the stored page itself)."""
    if fmt == "html":
        return row["html"].encode("utf-8")
    stored = scalar(db, "SELECT body FROM published_files WHERE report_id = ? AND format = ?",
                    [row["id"], fmt])
    if stored is not None:
        return bytes(stored)
    return FORMATS[fmt](snapshot(row))  # versions published before files were stored


def publish(db: Database, consultation: Consultation, *, identity: str, staff: StaffAccount | None,
            now: datetime, issuer_default: str = "", published_where_default: str = "") -> int:
    """Store the current report as the next version; raises :class:`PublishRefused` on problems."""
    cid = consultation.id
    with write(db):
        version = latest_version(db, cid) + 1
        built = report_q.build(db, consultation, identity=identity, version=version,
                               report_date=to_local(now).date(), issuer_default=issuer_default,
                               published_where_default=published_where_default)
        found = report_q.problems(built)
        if found:
            raise PublishRefused(found)
        data = report_data(built.report)
        stored = load(data)  # render from exactly what is stored
        html = FORMATS["html"](stored).decode("utf-8")
        document = dict(data)
        document[PRIVATE_KEY] = {"comment_opinions": {str(k): v for k, v in built.comment_numbers().items()}}
        counts = built.report.counts
        report_id = db.execute(
            "INSERT INTO published_reports (consultation_id, version, published_at, published_by, identity_mode, "
            "html, report_json) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [cid, version, iso(now), staff.id if staff else None, identity, html,
             json.dumps(document, ensure_ascii=False, indent=2)],
        ).lastrowid
        db.conn.executemany(
            "INSERT INTO published_files (report_id, format, body) VALUES (?, ?, ?)",
            [(report_id, fmt, FORMATS[fmt](stored)) for fmt in PUBLIC_FORMATS if fmt != "html"],
        )
        audit.record(db, action="report.publish", now=now, staff=staff, consultation_id=cid, entity="report",
                     entity_id=version, before={"version": version - 1} if version > 1 else None,
                     after={"version": version, "identity": identity, "opinions": len(built.report.opinions),
                            "valid": counts.valid if counts else 0})
    return version


def redactor_for(db: Database, consultation_id: int, comment_id: int):
    """Redaction for text shown on one comment's receipt page, with that submitter's own name.

    A version published before redaction learned a form (spaced digits, 汉字 digits …) may hold it
    in a summary made from the comment itself; the receipt page masks it again on the way out."""
    row = one(db, "SELECT name, submitter_type FROM comments WHERE id = ?", [comment_id]) or {}
    name = (row.get("name") or "").strip()
    own: list[str] = []
    if name and row.get("submitter_type") not in ORGANISATION_TYPES:
        consultation = consultation_q.get(db, consultation_id)
        vocabulary = report_q.draft_vocabulary(consultation) if consultation else ""
        own = [name] if looks_like_personal_name(name, vocabulary) else []
    return lambda text: redact(text or "", names=own)[0]


def receipt_outcome(db: Database, consultation_id: int, comment_id: int) -> dict[str, Any] | None:
    """What the latest PUBLISHED report says about one comment (never unpublished decisions), with the
    opinion's summary and reply redacted again."""
    row = get(db, consultation_id)
    if row is None:
        return None
    data = json.loads(row["report_json"])
    number = data.get(PRIVATE_KEY, {}).get("comment_opinions", {}).get(str(comment_id))
    if number is None:
        return {"version": row["version"], "listed": False}
    opinion = next((o for o in data["opinions"] if o["number"] == number), None)
    if opinion is None:
        return {"version": row["version"], "listed": False}
    decision = opinion["decision"] or (SUPPORT if opinion["supportive"] else "")
    public = redactor_for(db, consultation_id, comment_id)
    return {
        "version": row["version"],
        "listed": True,
        "number": number,
        "numbered": opinion.get("numbered", True),  # supportive opinions are thanked, not numbered
        "summary": public(opinion["summary"]),
        "comment_count": opinion["comment_count"],
        "decision": decision,
        "reply": public(opinion["reply"]),
        "change": opinion["change"],
    }
