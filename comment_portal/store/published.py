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
from exports.versions import content_document

from ..clock import iso
from ..db import one, rows, scalar
from ..vocabulary import ORGANISATION_TYPES, SUPPORT
from . import consultations as consultation_q
from . import reports as report_q
from .rows import Consultation, Review, StaffAccount

PRIVATE_KEY = "x-portal"


class PublishRefused(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s) block publication")
        self.problems = problems


def versions(db: Database, consultation_id: int) -> list[dict[str, Any]]:
    """Every published version, newest first (without the stored documents), with its 更正说明 and who
    submitted and approved it (versions published before sign-off existed have neither)."""
    return rows(db, "SELECT p.id, p.version, p.published_at, p.identity_mode, p.correction_kind, p.correction, "
                    "p.content_hash, s.username AS published_by_name, r.submitted_at, r.reviewed_at AS approved_at, "
                    "sub.username AS submitted_by_name, app.username AS approved_by_name "
                    "FROM published_reports p LEFT JOIN staff s ON s.id = p.published_by "
                    "LEFT JOIN report_reviews r ON r.id = p.review_id "
                    "LEFT JOIN staff sub ON sub.id = r.submitted_by LEFT JOIN staff app ON app.id = r.reviewed_by "
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


#: Not what a version says: its schema, title and the 更正说明 that introduces it.
_NOT_CONTENT = ("schema_version", "title", "generated_on", "published_on", "correction")


def same_content(row: dict[str, Any] | None, report: Report) -> bool:
    """Would publishing ``report`` repeat the stored version ``row`` (only version, date or 更正说明 differ)?"""
    if row is None:
        return False

    def content(data: dict[str, Any]) -> dict[str, Any]:
        found = {k: v for k, v in content_document(data).items() if k not in _NOT_CONTENT}
        found.setdefault("revision_table", None)  # versions published before the table existed
        return found

    return content(public_document(row)) == content(report_data(report))


def render(db: Database, row: dict[str, Any], fmt: str) -> bytes:
    """A public format of a stored version, exactly as published (HTML is the stored page itself)."""
    if fmt == "html":
        return row["html"].encode("utf-8")
    stored = scalar(db, "SELECT body FROM published_files WHERE report_id = ? AND format = ?",
                    [row["id"], fmt])
    if stored is not None:
        return bytes(stored)
    return FORMATS[fmt](snapshot(row))  # versions published before files were stored


def document(built: report_q.Built) -> dict[str, Any]:
    """The JSON document stored for a report: the open-data document plus the private comment → opinion map."""
    data = report_data(built.report)
    data[PRIVATE_KEY] = {"comment_opinions": {str(k): v for k, v in built.comment_numbers().items()}}
    return data


def members(data: dict[str, Any]) -> dict[int, set[int]]:
    """Opinion number → the ids of the comments it stands for, from a stored document's private key."""
    found: dict[int, set[int]] = {}
    for comment_id, number in data.get(PRIVATE_KEY, {}).get("comment_opinions", {}).items():
        found.setdefault(number, set()).add(int(comment_id))
    return found


def store_version(db: Database, consultation: Consultation, built: report_q.Built, *, review: Review | None,
                  content_hash: str, staff: StaffAccount | None, now: datetime) -> int:
    """Store ``built`` as the next version, inside the caller's transaction (``signoff.publish`` checks first):
    the JSON, the page and every public download rendered from exactly what is stored. Returns the row id."""
    cid = consultation.id
    data = document(built)
    stored = load(data)  # render from exactly what is stored
    html = FORMATS["html"](stored).decode("utf-8")
    report_id = db.execute(
        "INSERT INTO published_reports (consultation_id, version, published_at, published_by, identity_mode, "
        "html, report_json, review_id, content_hash, correction_kind, correction) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [cid, built.report.version, iso(now), staff.id if staff else None, built.report.identity, html,
         json.dumps(data, ensure_ascii=False, indent=2), review.id if review else None, content_hash,
         built.report.correction_kind, built.report.correction],
    ).lastrowid or 0
    db.conn.executemany(
        "INSERT INTO published_files (report_id, format, body) VALUES (?, ?, ?)",
        [(report_id, fmt, FORMATS[fmt](stored)) for fmt in PUBLIC_FORMATS if fmt != "html"],
    )
    return report_id


def files(db: Database, report_id: int) -> dict[str, bytes]:
    """Every stored download of a published version (format → bytes), the page included."""
    found = {r["format"]: bytes(r["body"]) for r in rows(db, "SELECT format, body FROM published_files "
                                                            "WHERE report_id = ?", [report_id])}
    row = one(db, "SELECT html FROM published_reports WHERE id = ?", [report_id])
    if row:
        found["html"] = row["html"].encode("utf-8")
    return found


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
