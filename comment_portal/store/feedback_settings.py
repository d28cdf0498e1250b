"""Per-consultation settings of the feedback report: categories, reason templates, issuer, where published,
and whether the report ends with every comment's (redacted) text (附意见原文; default 不附原文)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from exports import DEFAULT_CATEGORIES

from ..clock import iso
from ..db import write
from . import audit
from . import consultations as consultation_q
from . import decisions as decision_q
from .rows import Consultation, StaffAccount

FIELDS = ("categories", "reason_templates", "issuing_body", "published_where", "publish_comment_text")

#: The choice of 附意见原文 as staff see it and as the audit log records it.
COMMENT_TEXT_LABELS = {False: "不附原文", True: "附意见原文"}


def current(consultation: Consultation) -> dict[str, Any]:
    return {
        "categories": list(decision_q.categories(consultation)),
        "reason_templates": list(decision_q.reason_templates(consultation)),
        "issuing_body": consultation.issuing_body or "",
        "published_where": consultation.published_where or "",
        "publish_comment_text": COMMENT_TEXT_LABELS[bool(consultation.publish_comment_text)],
    }


def lines(text: str) -> list[str]:
    """One entry per line, blank lines and repeats dropped, order kept."""
    return list(dict.fromkeys(line.strip() for line in (text or "").splitlines() if line.strip()))


def categories_in_use(db: Database, consultation_id: int) -> set[str]:
    found = db.execute("SELECT DISTINCT category FROM decisions WHERE consultation_id = ? AND category != ''",
                       [consultation_id]).fetchall()
    return {r[0] for r in found}


def has_comments(db: Database, consultation_id: int) -> bool:
    return db.execute("SELECT 1 FROM comments WHERE consultation_id = ? LIMIT 1", [consultation_id]).fetchone() is not None


def save(db: Database, consultation: Consultation, *, categories: list[str], reason_templates: list[str],
         issuing_body: str, published_where: str, staff: StaffAccount | None, now: datetime,
         publish_comment_text: bool | None = None) -> list[tuple[str, str]]:
    """Store the settings; returns (field, error message) pairs (nothing is stored when there are any).

    ``publish_comment_text=None`` keeps the current 附意见原文 choice."""
    errors = []
    if not categories:
        errors.append(("categories", "至少需要一个采纳情况分类。"))
    missing = sorted(categories_in_use(db, consultation.id) - set(categories))
    if missing:
        errors.append(("categories", f"以下分类已用于已作出的决定，不能删除：{'、'.join(missing)}。请先修改相关决定。"))
    if publish_comment_text and not consultation.publish_comment_text and has_comments(db, consultation.id):
        errors.append(("publish_comment_text",
                       "已收到意见，不能改为“附意见原文”：这些意见提交时，页面说明的是不公开意见原文。"))
    if errors:
        return errors
    before = current(consultation)
    values = {
        "categories_json": None if tuple(categories) == DEFAULT_CATEGORIES
        else json.dumps(categories, ensure_ascii=False),
        "reason_templates_json": json.dumps(reason_templates, ensure_ascii=False),
        "issuing_body": issuing_body.strip(),
        "published_where": published_where.strip(),
        "publish_comment_text": int(bool(consultation.publish_comment_text if publish_comment_text is None
                                         else publish_comment_text)),
        "updated_at": iso(now),
    }
    with write(db):
        db.execute(
            "UPDATE consultations SET categories_json = :categories_json, reason_templates_json = "
            ":reason_templates_json, issuing_body = :issuing_body, published_where = :published_where, "
            "publish_comment_text = :publish_comment_text, updated_at = :updated_at WHERE id = :id", dict(values, id=consultation.id))
        after = consultation_q.get(db, consultation.id)
        assert after is not None
        audit.record(db, action="consultation.settings", now=now, staff=staff, consultation_id=consultation.id,
                     entity="consultation", entity_id=consultation.id, before=before, after=current(after))
    return []
