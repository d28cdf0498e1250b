"""The audit log: every staff change, written in the same transaction as the change itself."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from .clock import iso
from .db import rows

#: What each action is called on the audit page.
ACTION_LABELS = {
    "login": "登录",
    "password.change": "修改密码",
    "staff.create": "新建账号",
    "staff.update": "修改账号",
    "comment.status": "修改意见状态",
    "comment.note": "内部备注",
    "comment.clause": "调整对应条款",
    "comment.group": "调整所属分组",
    "comment.enter": "录入其他渠道意见",
    "comment.import": "导入意见",
    "comment.reviewed": "确认已查看新意见",
    "analysis.run": "运行聚类分析",
    "group.create": "新建分组",
    "group.update": "修改分组",
    "group.merge": "合并分组",
    "group.split": "拆分分组",
    "decision.set": "作出处理决定",
    "decision.clear": "撤销处理决定",
    "decision.bulk_thanks": "批量答复支持性意见",
    "consultation.settings": "修改征求意见设置",
    "consultation.import": "导入征求意见稿",
    "report.publish": "发布采纳情况反馈",
}


def _dump(value: Any) -> str | None:
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def record(
    db: Database,
    *,
    action: str,
    now: datetime,
    staff: dict[str, Any] | None,
    consultation_id: int | None = None,
    entity: str = "",
    entity_id: Any = None,
    before: Any = None,
    after: Any = None,
    actor: str = "system",
) -> None:
    """Append one row. Call it inside the ``write`` transaction that makes the change.

    ``actor`` names who acted when no staff account did (the command line).
    """
    if action not in ACTION_LABELS:
        raise ValueError(f"unknown audit action {action!r}: add it to ACTION_LABELS")
    db.execute(
        "INSERT INTO audit_log (consultation_id, staff_id, actor, action, entity, entity_id, before_json, "
        "after_json, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            consultation_id,
            staff["id"] if staff else None,
            staff["username"] if staff else actor,
            action,
            entity,
            None if entity_id is None else str(entity_id),
            _dump(before),
            _dump(after),
            iso(now),
        ],
    )


def entries(db: Database, consultation_id: int | None, *, limit: int = 500, before_id: int | None = None):
    where = "consultation_id IS ?" if consultation_id is None else "consultation_id = ?"
    params: list[Any] = [consultation_id]
    if before_id:
        where += " AND id < ?"
        params.append(before_id)
    found = rows(db, f"SELECT * FROM audit_log WHERE {where} ORDER BY id DESC LIMIT ?", [*params, limit])
    for row in found:
        row["before"] = json.loads(row["before_json"]) if row["before_json"] else None
        row["after"] = json.loads(row["after_json"]) if row["after_json"] else None
        row["action_label"] = ACTION_LABELS.get(row["action"], row["action"])
    return found
