"""The audit log: every staff change, written in the same transaction as the change itself."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from ..clock import iso
from ..db import rows
from ..vocabulary import NOISE_LABELS, NOISE_OUTCOMES, STATUSES
from .rows import StaffAccount

#: What each action is called on the audit page.
ACTION_LABELS = {
    "login": "登录",
    "logout": "退出登录",
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
    "comment.withdraw": "提出人撤回意见",
    "comment.split": "拆分为多条意见",
    "comment.unsplit": "撤销拆分（恢复为一条意见）",
    "comment.erase": "删除提出人个人信息",
    "comment.noise": "处理疑似无效意见",
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
    "report.publish": "签发发布采纳情况反馈",
    "report.submit": "提交采纳情况反馈审核",
    "report.approve": "审核通过采纳情况反馈",
    "report.return": "退回修改采纳情况反馈",
    "report.void": "审核失效（提交后内容有变化）",
    "report.package": "下载意见采纳情况报告（报审稿）",
    "draft.revision": "上传修改后的草案（送审稿）",
    "archive.create": "下载归档包",
    "draft.fix": "修正条款划分",
    "draft.fix_undo": "撤销条款修正",
    "consultation.notice": "修改公告与说明",
    "consultation.open": "发布征求意见稿",
    "window.schedule": "设置征求意见期",
    "window.extend": "延长征求意见期",
    "window.close": "提前截止征求意见",
    "window.reopen": "重新开放征求意见",
    "site.settings": "修改网站设置",
    "holiday.set": "修改节假日日历",
    "holiday.delete": "删除节假日日历中的日期",
}


#: Who acted, when no staff account did, as the audit page names them.
ACTORS = {"system": "系统"}


def _dump(value: Any) -> str | None:
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def record(
    db: Database,
    *,
    action: str,
    now: datetime,
    staff: StaffAccount | None,
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
            staff.id if staff else None,
            staff.username if staff else actor,
            action,
            entity,
            None if entity_id is None else str(entity_id),
            _dump(before),
            _dump(after),
            iso(now),
        ],
    )


def _mask_values(value: Any, mask: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        return mask(value)
    if isinstance(value, list):
        return [_mask_values(v, mask) for v in value]
    if isinstance(value, dict):
        return {k: _mask_values(v, mask) for k, v in value.items()}
    return value


def mask_entity(db: Database, entity: str, entity_id: Any, mask: Callable[[str], str]) -> int:
    """Apply ``mask`` to every text value recorded before and after in the rows about one entity (an erasure
    request: what staff wrote about the submitter, e.g. a note naming them, must not outlive it here). The rows stay,
    with who did what and when. Returns how many rows changed. Call it inside the erasure's transaction."""
    changed = 0
    for row in rows(db, "SELECT id, before_json, after_json FROM audit_log WHERE entity = ? AND entity_id = ?",
                    [entity, str(entity_id)]):
        masked = [None if raw is None else _dump(_mask_values(json.loads(raw), mask))
                  for raw in (row["before_json"], row["after_json"])]
        if masked != [row["before_json"], row["after_json"]]:
            db.execute("UPDATE audit_log SET before_json = ?, after_json = ? WHERE id = ?", [*masked, row["id"]])
            changed += 1
    return changed


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
        row["actor"] = ACTORS.get(row["actor"], row["actor"])
        row["entity_label"] = ENTITY_LABELS.get(row["entity"] or "", row["entity"] or "")
        row["changes"] = changes(row["before"], row["after"])
    return found


ENTITY_LABELS = {"comment": "意见", "group": "分组", "staff": "账号", "consultation": "征求意见稿",
                 "review": "审核", "draft_version": "送审稿",
                 "report": "采纳情况反馈", "analysis_run": "聚类分析", "decision": "处理决定", "site": "网站设置",
                 "holiday": "节假日日历"}
FIELD_LABELS = {
    "status": "状态", "group_id": "分组", "category": "采纳情况", "reason": "理由说明", "revised_text": "修改后表述",
    "title": "名称", "summary": "归纳意见", "clause_key": "对应条款", "staff_note": "内部备注",
    "duplicate_of": "与之重复的意见", "members": "成员意见", "username": "用户名", "role": "角色", "roles": "角色",
    "opens_on": "开始日期", "closes_on": "截止日期", "version": "版本", "identity": "提出人显示方式", "kind": "类型",
    "edited": "已编辑", "new": "新意见", "merged_into": "并入分组", "password_reset": "重置密码", "disabled": "已停用",
    "categories": "采纳情况分类", "reason_templates": "理由模板", "issuing_body": "发布单位",
    "published_where": "发布渠道", "source": "来源文件", "clauses": "条款数", "comments": "意见数",
    "groups": "分组数", "campaigns": "集中意见", "unprocessed": "未能处理", "count": "数量", "channel": "来源渠道",
    "received_on": "收到日期", "body": "意见内容", "submitter_type": "身份", "name": "姓名或单位", "source_name": "来源文件",
    "personal_data": "个人信息", "masked_in_text": "正文中遮盖的个人信息", "request": "申请情况",
    "state": "状态", "doc_type": "文件类型", "short_reason": "缩短理由", "change_reason": "原因", "closed_at": "截止时间",
    "fix": "修正", "fixes": "修正", "fixes_skipped": "未能应用的修正", "replayed": "按同一文件重新应用",
    "sha256": "文件SHA-256",
    "announcement": "公告", "background": "背景介绍/起草说明", "contact": "联系方式", "email": "电子邮箱",
    "postal_address": "邮寄地址", "postcode": "邮编", "office_name": "机关全称", "sponsor": "主办单位",
    "site_code": "网站标识码", "icp": "ICP备案号", "police_record": "公安机关备案号", "footer_contact": "页脚联系方式",
    "feedback_working_days": "反馈期限（工作日）", "holiday_name": "名称",
    # review and sign-off, noise, letters split by clause, analysis runs, imports (issues 9, 10, 12)
    "content_hash": "内容校验值", "comment": "审核意见", "correction": "更正说明", "opinions": "意见条数",
    "valid": "有效意见数", "submitted_by": "提交人", "approved_by": "审核人", "changes": "变化",
    "noise_reason": "疑似无效原因", "noise_review": "工作人员确认", "outcome": "处理方式", "parts": "拆分出的意见",
    "id": "编号", "length": "字数", "comments_now_decided": "随分组作出决定的意见数",
    "comments_back_to_grouped": "回到待决定的意见数", "new_placed": "本次归入分组的新意见数",
    "new_into_existing": "其中归入已编辑分组的", "locked_groups": "保持不变的分组数",
    "groups_of_members": "意见原所在分组", "new_group": "新分组", "new_group_id": "新分组编号",
    "imported": "导入条数", "first_id": "首条意见编号", "last_id": "末条意见编号", "bad_rows": "有问题的行",
    "file": "文件", "include_contact": "含联系方式", "masked_in_log": "操作记录中遮盖的个人信息",
    "masked_in_staff_text": "分组名称、归纳意见和理由中遮盖的个人信息",
    "changed": "修改的条款数", "added": "新增的条款数", "removed": "删除的条款数", "moved": "移动的条款数",
    "removed_with_comments": "删除的有意见的条款",
}
#: Values that are codes, shown by what they mean.
VALUE_LABELS = {
    "noise_reason": NOISE_LABELS, "outcome": NOISE_OUTCOMES, "noise_review": {"confirmed": "已确认", "rejected": "不是无效意见"},
    "identity": {"none": "不显示提出人", "masked": "显示提出人类型", "full": "显示提出人姓名或单位全称（旧版本）"},
}


def _show(key: str, value: Any) -> str:
    if value is None or value == "" or value == []:
        return "（无）"
    if key == "status":
        return STATUSES.get(value, str(value))
    if isinstance(value, str) and key in VALUE_LABELS:
        return VALUE_LABELS[key].get(value, value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(_show(key, v) for v in value[:20]) + ("…" if len(value) > 20 else "")
    if isinstance(value, dict):
        return "；".join(f"{FIELD_LABELS.get(k, k)}：{_show(k, v)}" for k, v in value.items())
    return str(value)


def changes(before: Any, after: Any) -> list[tuple[str, str, str]]:
    """(field, before, after) rows in Chinese for the audit page: what changed, readable."""
    if not isinstance(before, dict) and not isinstance(after, dict):
        return [("", _show("", before), _show("", after))] if before != after else []
    before = before if isinstance(before, dict) else {}
    after = after if isinstance(after, dict) else {}
    out: list[tuple[str, str, str]] = []
    for key in dict.fromkeys([*before, *after]):
        old, new = before.get(key), after.get(key)
        if isinstance(old, dict) or isinstance(new, dict):  # e.g. merge: {"source": {...}, "target": {...}}
            prefix = {"source": "原分组", "target": "目标分组"}.get(key, FIELD_LABELS.get(key, key))
            out.extend((f"{prefix}·{f}", b, a) for f, b, a in changes(old, new))
        elif old != new or key not in before:
            out.append((FIELD_LABELS.get(key, key), _show(key, old), _show(key, new)))
    return out
