"""Per-consultation settings of the feedback report: categories, reason templates, issuer, where published."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from exports import DEFAULT_CATEGORIES

from . import audit
from . import decisions as decision_q
from .clock import iso
from .db import one, write

FIELDS = ("categories", "reason_templates", "issuing_body", "published_where")


def current(consultation: dict[str, Any]) -> dict[str, Any]:
    return {
        "categories": list(decision_q.categories(consultation)),
        "reason_templates": list(decision_q.reason_templates(consultation)),
        "issuing_body": consultation.get("issuing_body") or "",
        "published_where": consultation.get("published_where") or "",
    }


def lines(text: str) -> list[str]:
    """One entry per line, blank lines and repeats dropped, order kept."""
    return list(dict.fromkeys(line.strip() for line in (text or "").splitlines() if line.strip()))


def categories_in_use(db: Database, consultation_id: int) -> set[str]:
    found = db.execute("SELECT DISTINCT category FROM decisions WHERE consultation_id = ? AND category != ''",
                       [consultation_id]).fetchall()
    return {r[0] for r in found}


def save(db: Database, consultation: dict[str, Any], *, categories: list[str], reason_templates: list[str],
         issuing_body: str, published_where: str, staff: dict[str, Any] | None, now: datetime) -> list[str]:
    """Store the settings; returns error messages (nothing is stored when there are any)."""
    errors = []
    if not categories:
        errors.append("至少需要一个采纳情况分类。")
    missing = sorted(categories_in_use(db, consultation["id"]) - set(categories))
    if missing:
        errors.append(f"以下分类已用于已作出的决定，不能删除：{'、'.join(missing)}。请先修改相关决定。")
    if errors:
        return errors
    before = current(consultation)
    values = {
        "categories_json": None if tuple(categories) == DEFAULT_CATEGORIES
        else json.dumps(categories, ensure_ascii=False),
        "reason_templates_json": json.dumps(reason_templates, ensure_ascii=False),
        "issuing_body": issuing_body.strip(),
        "published_where": published_where.strip(),
        "updated_at": iso(now),
    }
    with write(db):
        db.execute(
            "UPDATE consultations SET categories_json = :categories_json, reason_templates_json = "
            ":reason_templates_json, issuing_body = :issuing_body, published_where = :published_where, "
            "updated_at = :updated_at WHERE id = :id", dict(values, id=consultation["id"]))
        row = one(db, "SELECT * FROM consultations WHERE id = ?", [consultation["id"]])
        audit.record(db, action="consultation.settings", now=now, staff=staff, consultation_id=consultation["id"],
                     entity="consultation", entity_id=consultation["id"], before=before, after=current(row))
    return []
