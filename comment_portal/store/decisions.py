"""Queries on decisions: one per group (applies to every member) and per-comment overrides.

Clearing a decision removes its row (a decision is current state, not a record: the audit log,
written in the same transaction, keeps what it was, who cleared it and when; other modules test
for a decision by the row's existence). Setting a decision moves the comments it covers to status ``decided``; clearing it
moves them back (``grouped`` when they belong to a group, else ``pending``). Spam and duplicates
are never decided. Every change is audited inside the same ``write`` transaction.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from analysis import is_supportive
from exports import DEFAULT_CATEGORIES, REASON_REQUIRED

from ..clock import iso
from ..db import one, placeholders, rows, sql_list, write
from ..vocabulary import COUNTED, NOT_COUNTED, SUPPORT, THANKS_REASON
from . import audit
from . import consultations as consultation_q
from . import groups as group_q
from .rows import Comment, Consultation, Decision, Group, StaffAccount, all_as, one_as

DEFAULT_REASON_TEMPLATES: tuple[str, ...] = (
    "该建议已在《…》第X条中体现。",
    "该建议涉及国家层面政策，超出本计划调整范围，我们将积极向上级部门反映。",
    "该建议属于具体操作层面的内容，将在后续配套实施细则中予以研究明确。",
    "该建议涉及的事项由其他部门负责，我们已将意见转交相关部门研究。",
    "经研究，该建议与现行法律法规、政策规定不一致，暂不予采纳。",
    "该建议针对个别企业的具体诉求，不宜在本计划中作出规定，可通过其他渠道协调解决。",
    "我们已吸收该建议，对相关表述作了修改完善。",
    "感谢您对我们工作的关心和支持。",
)



class DecisionError(ValueError):
    """A decision staff cannot save, with a message in Chinese saying what to change."""


class StaleReview(DecisionError):
    """The group changed after the page that was posted had been loaded (another staff member saved, moved a
    comment in or out, or a re-analysis re-formed it): saving would silently replace what they did."""


# -- consultation settings ------------------------------------------------------------------------
def categories(consultation: Consultation) -> tuple[str, ...]:
    raw = consultation.categories_json
    if raw:
        found = tuple(category for category in json.loads(raw) if category)
        if found:
            return found
    return DEFAULT_CATEGORIES


def reason_templates(consultation: Consultation) -> tuple[str, ...]:
    raw = consultation.reason_templates_json
    if raw:
        return tuple(t for t in json.loads(raw) if t)
    return DEFAULT_REASON_TEMPLATES




def choosable(consultation: Consultation) -> tuple[str, ...]:
    """What staff can pick in a decision form: the consultation's categories, then 表示支持."""
    return (*categories(consultation), SUPPORT)


#: Custom categories that (partly) decline an opinion also need a reason: 不予采纳, 暂不采纳, 部分吸收 …
_DECLINES = re.compile(r"部分|^(未|不予|不采纳|暂不|暂缓|不能|难以)")


def reason_required(category: str) -> bool:
    """未予采纳的，应当说明理由: 部分采纳, 未采纳 and any custom category that (partly) declines."""
    return category in REASON_REQUIRED or bool(_DECLINES.search(category))


def allows_revised_text(category: str) -> bool:
    """Only adopted opinions (采纳, 部分采纳, …) carry a 修改后表述."""
    return "采纳" in category and not category.startswith(("未", "不"))


def validate(consultation: Consultation, category: str, reason: str, revised_text: str = "") -> None:
    if category not in choosable(consultation):
        raise DecisionError(f"采纳情况“{category}”不在本次征求意见的分类中，请从列表中选择。")
    if reason_required(category) and not (reason or "").strip():
        raise DecisionError(f"采纳情况为“{category}”时必须填写理由说明（未予采纳的，应当说明理由）。")
    if (revised_text or "").strip() and not allows_revised_text(category):
        raise DecisionError("只有采纳或部分采纳的意见可以填写修改后表述，请清空修改后表述或更改采纳情况。")


# -- reads -----------------------------------------------------------------------------------------
def _public(row: dict[str, Any] | None) -> dict[str, Any] | None:
    if row is None or not row["category"]:
        return None
    return {"category": row["category"], "reason": row["reason"] or "", "revised_text": row["revised_text"] or ""}


_WITH_NAME = "SELECT d.*, s.username AS decided_by_name FROM decisions d LEFT JOIN staff s ON s.id = d.decided_by "


def for_group(db: Database, group_id: int) -> Decision | None:
    """The current decision of a group, or None."""
    found = one_as(Decision, db, _WITH_NAME + "WHERE d.group_id = ?", [group_id])
    return found if found and found.category else None


def for_comment(db: Database, comment_id: int) -> Decision | None:
    """The per-comment override of a comment, or None."""
    found = one_as(Decision, db, _WITH_NAME + "WHERE d.comment_id = ?", [comment_id])
    return found if found and found.category else None


def own_categories(db: Database, comment_ids: list[int]) -> dict[int, str]:
    """Comment id → the category of its own decision (an override of its group's), for those that have one."""
    if not comment_ids:
        return {}
    return {r["comment_id"]: r["category"] for r in rows(
        db, f"SELECT comment_id, category FROM decisions WHERE category != '' AND comment_id IN "
            f"({placeholders(comment_ids)})", comment_ids)}


def all_for(db: Database, consultation_id: int) -> tuple[dict[int, Decision], dict[int, Decision]]:
    """(by group id, by comment id): every current decision of a consultation."""
    by_group: dict[int, Decision] = {}
    by_comment: dict[int, Decision] = {}
    for decision in all_as(Decision, db, "SELECT * FROM decisions WHERE consultation_id = ? AND category != ''",
                           [consultation_id]):
        if decision.group_id is not None:
            by_group[decision.group_id] = decision
        elif decision.comment_id is not None:
            by_comment[decision.comment_id] = decision
    return by_group, by_comment


def group_row(db: Database, consultation_id: int, group_id: int) -> Group | None:
    return one_as(Group, db, "SELECT * FROM groups WHERE id = ? AND consultation_id = ?", [group_id, consultation_id])


def comment_row(db: Database, consultation_id: int, comment_id: int) -> Comment | None:
    return one_as(Comment, db, "SELECT * FROM comments WHERE id = ? AND consultation_id = ?",
                  [comment_id, consultation_id])


def clause_text(db: Database, consultation_id: int, clause_key: str | None) -> str:
    """The clause's current text: the 'before' of a 修改后表述."""
    if not clause_key:
        return ""
    found = consultation_q.clause(db, consultation_id, clause_key)
    return found.text if found else ""


def effective_counts(db: Database, consultation_id: int) -> dict[str, int]:
    """Valid comments per effective decision (override beats group); '' = not decided yet."""
    found = rows(
        db,
        f"""
        SELECT COALESCE(NULLIF(dc.category, ''), NULLIF(dg.category, ''), '') AS category, count(*) AS n
        FROM comments m
        LEFT JOIN decisions dc ON dc.comment_id = m.id
        LEFT JOIN decisions dg ON dg.group_id = m.group_id
        WHERE m.consultation_id = ? AND m.status NOT IN {sql_list(NOT_COUNTED)}
        GROUP BY 1
        """,
        [consultation_id],
    )
    return {r["category"]: r["n"] for r in found}


def supportive_candidates(db: Database, consultation_id: int) -> list[dict[str, Any]]:
    """Valid comments without any decision yet whose text only expresses support."""
    found = rows(
        db,
        """
        SELECT m.id, m.body, m.clause_key, m.submitter_type, m.channel, m.created_at, m.group_id, m.status
        FROM comments m
        LEFT JOIN decisions dc ON dc.comment_id = m.id AND dc.category != ''
        LEFT JOIN decisions dg ON dg.group_id = m.group_id AND dg.category != ''
        WHERE m.consultation_id = ? AND m.status IN ('pending', 'grouped') AND dc.id IS NULL AND dg.id IS NULL
        ORDER BY m.id
        """,
        [consultation_id],
    )
    return [r for r in found if is_supportive(r["body"])]


# -- writes ----------------------------------------------------------------------------------------
def proposal_source(db: Database, column: str, target_id: int, revised_text: str) -> int | None:
    """The comment whose 建议修改为 the 修改后表述 adopts (the same words, spacing aside): the decided
    comment itself, or a member of the decided group. None when staff wrote their own wording."""
    wanted = " ".join((revised_text or "").split())
    if not wanted:
        return None
    where = "id = ?" if column == "comment_id" else "group_id = ?"
    for row in rows(db, f"SELECT id, proposal FROM comments WHERE {where} AND proposal IS NOT NULL ORDER BY id",
                    [target_id]):
        if " ".join(row["proposal"].split()) == wanted:
            return int(row["id"])
    return None


def _store(db: Database, *, consultation_id: int, column: str, target_id: int, category: str, reason: str,
           revised_text: str, staff: StaffAccount | None, now: datetime) -> None:
    values = {"category": category, "reason": reason or None, "revised_text": revised_text or None,
              "decided_by": staff.id if staff else None, "decided_at": iso(now),
              "proposal_of": proposal_source(db, column, target_id, revised_text)}
    existing = one(db, f"SELECT id FROM decisions WHERE {column} = ?", [target_id])
    if existing:
        db.execute(
            "UPDATE decisions SET category = :category, reason = :reason, revised_text = :revised_text, "
            "decided_by = :decided_by, decided_at = :decided_at, proposal_of = :proposal_of WHERE id = :id",
            dict(values, id=existing["id"]),
        )
    else:
        db.execute(
            f"INSERT INTO decisions (consultation_id, {column}, category, reason, revised_text, decided_by, "
            "decided_at, proposal_of) VALUES (:consultation_id, :target, :category, :reason, :revised_text, "
            ":decided_by, :decided_at, :proposal_of)",
            dict(values, consultation_id=consultation_id, target=target_id),
        )


def adopted_proposals(db: Database, consultation_id: int) -> dict[str, list[int]]:
    """clause key → the comments whose 建议修改为 a decision adopted as its 修改后表述 (for the 修改对照表's
    basis column and the report)."""
    out: dict[str, list[int]] = {}
    for row in rows(db, "SELECT m.clause_key, d.proposal_of FROM decisions d JOIN comments m ON m.id = d.proposal_of "
                        "WHERE d.consultation_id = ? ORDER BY d.proposal_of", [consultation_id]):
        out.setdefault(row["clause_key"] or "", []).append(row["proposal_of"])
    return out


def _group_for_decision(db: Database, consultation_id: int, group_id: int) -> Group:
    group = group_row(db, consultation_id, group_id)
    if group is None:
        raise DecisionError("未找到该分组。")
    if group.merged_into:
        raise DecisionError("该分组已并入其他分组，请在合并后的分组上作出决定。")
    return group


def set_group_decision(db: Database, consultation: Consultation, group_id: int, *, category: str, reason: str,
                       revised_text: str = "", staff: StaffAccount | None, now: datetime,
                       seen: str | None = None) -> dict[str, Any]:
    """Decide a whole group; its members (without an override) become ``decided``. ``seen``: see
    :func:`save_group_review`."""
    reason, revised_text = (reason or "").strip(), (revised_text or "").strip()
    validate(consultation, category, reason, revised_text)
    cid = consultation.id
    with write(db):
        _group_for_decision(db, cid, group_id)
        _check_seen(seen, review_stamp(db, group_id))
        before = _public(one(db, "SELECT * FROM decisions WHERE group_id = ?", [group_id]))
        _store(db, consultation_id=cid, column="group_id", target_id=group_id, category=category, reason=reason,
               revised_text=revised_text, staff=staff, now=now)
        moved = db.execute(
            "UPDATE comments SET status = 'decided' WHERE group_id = ? AND consultation_id = ? "
            "AND status IN ('pending', 'grouped')", [group_id, cid]).rowcount
        after = {"category": category, "reason": reason, "revised_text": revised_text}
        audit.record(db, action="decision.set", now=now, staff=staff, consultation_id=cid, entity="group",
                     entity_id=group_id, before=before, after=dict(after, comments_now_decided=moved))
    return after


def _stamp(state: Any) -> str:
    return hashlib.sha256(json.dumps(state, ensure_ascii=False, sort_keys=True, default=str).encode()).hexdigest()[:20]


def _check_seen(seen: str | None, current: str) -> None:
    if seen is not None and seen != current:
        raise StaleReview("您打开本页之后，这里已被修改")


def comment_stamp(db: Database, comment_id: int) -> str:
    """What a comment's decision form showed: its status and group, its own decision and its group's."""
    comment = one(db, "SELECT status, group_id FROM comments WHERE id = ?", [comment_id]) or {}
    own = _public(one(db, "SELECT * FROM decisions WHERE comment_id = ?", [comment_id]))
    inherited = _public(one(db, "SELECT * FROM decisions WHERE group_id = ?", [comment.get("group_id")]))
    return _stamp([comment, own, inherited])


def last_comment_change(db: Database, consultation_id: int, comment_id: int) -> dict[str, Any] | None:
    """The newest audited change to a comment."""
    return one(db, "SELECT actor, action, created_at FROM audit_log WHERE consultation_id = ? AND entity = 'comment' "
                   "AND entity_id = ? ORDER BY id DESC LIMIT 1", [consultation_id, str(comment_id)])


def review_stamp(db: Database, group_id: int) -> str:
    """What the group page showed, as a short hash: name, 归纳意见, kind, merge, its members with their statuses
    and the decision. The page's form carries it (``seen``) so a save from a page that no longer shows the group
    as it is can be told from a save from a fresh one."""
    group = one(db, "SELECT title, summary, kind, merged_into FROM groups WHERE id = ?", [group_id]) or {}
    members = [[r["id"], r["status"]] for r in
               rows(db, "SELECT id, status FROM comments WHERE group_id = ? ORDER BY id", [group_id])]
    decision = _public(one(db, "SELECT * FROM decisions WHERE group_id = ?", [group_id]))
    return _stamp([group, members, decision])


def last_group_change(db: Database, consultation_id: int, group_id: int) -> dict[str, Any] | None:
    """The newest audited change to a group: to the group itself, a comment moved in or out, or an analysis run."""
    return one(db, "SELECT actor, action, created_at FROM audit_log WHERE consultation_id = ? AND ("
                   "(entity = 'group' AND entity_id = ?) OR action = 'analysis.run' OR (action = 'comment.group' AND "
                   "(json_extract(after_json, '$.group_id') = ? OR json_extract(before_json, '$.group_id') = ?))) "
                   "ORDER BY id DESC LIMIT 1", [consultation_id, str(group_id), group_id, group_id])


def save_group_review(db: Database, consultation: Consultation, group_id: int, *, title: str, summary: str,
                      category: str, reason: str, revised_text: str = "", staff: StaffAccount | None,
                      now: datetime, seen: str | None = None) -> dict[str, Any] | None:
    """The group page's one form: the group's name and 归纳意见 and its decision, saved in ONE transaction —
    both, or (a refused decision) neither. Each part is written, with its audit row, only when it changed. An
    empty ``category`` decides nothing (the text alone is saved; a decision already taken stays). Returns the
    decision as it now stands, or None.

    ``seen``: the :func:`review_stamp` of the page the form came from; when the group has changed since, nothing
    is saved (:class:`StaleReview`), checked inside the write transaction so two saves cannot both pass it."""
    with write(db):
        group = _group_for_decision(db, consultation.id, group_id)
        _check_seen(seen, review_stamp(db, group_id))
        if (group.title or "") != title or (group.summary or "") != (summary or ""):
            group_q.update_text(db, consultation.id, group_id, title=title, summary=summary, staff=staff, now=now)
        current = _public(one(db, "SELECT * FROM decisions WHERE group_id = ?", [group_id]))
        if not category:
            return current
        wanted = {"category": category, "reason": (reason or "").strip(), "revised_text": (revised_text or "").strip()}
        if current == wanted:
            return current
        return set_group_decision(db, consultation, group_id, category=category, reason=reason,
                                  revised_text=revised_text, staff=staff, now=now)


def clear_group_decision(db: Database, consultation: Consultation, group_id: int, *,
                         staff: StaffAccount | None, now: datetime) -> bool:
    """Withdraw a group's decision; members without an override go back to ``grouped``."""
    cid = consultation.id
    with write(db):
        _group_for_decision(db, cid, group_id)
        before = _public(one(db, "SELECT * FROM decisions WHERE group_id = ?", [group_id]))
        if before is None:
            return False
        db.execute("DELETE FROM decisions WHERE group_id = ?", [group_id])
        moved = db.execute(
            "UPDATE comments SET status = 'grouped' WHERE group_id = ? AND consultation_id = ? "
            "AND status = 'decided' AND id NOT IN "
            "(SELECT comment_id FROM decisions WHERE comment_id IS NOT NULL AND category != '')",
            [group_id, cid]).rowcount
        audit.record(db, action="decision.clear", now=now, staff=staff, consultation_id=cid, entity="group",
                     entity_id=group_id, before=before, after={"comments_back_to_grouped": moved})
    return True


def _comment_for_decision(db: Database, consultation_id: int, comment_id: int) -> Comment:
    comment = comment_row(db, consultation_id, comment_id)
    if comment is None:
        raise DecisionError("未找到该条意见。")
    if comment.status not in COUNTED:
        raise DecisionError("重复意见和无效意见不单独作出处理决定；如需处理，请先恢复其状态。")
    return comment


def _status_without_override(db: Database, comment: Comment) -> str:
    if comment.group_id is None:
        return "pending"
    group_decided = one(db, "SELECT 1 AS x FROM decisions WHERE group_id = ? AND category != ''",
                        [comment.group_id])
    return "decided" if group_decided else "grouped"


def set_comment_decision(db: Database, consultation: Consultation, comment_id: int, *, category: str,
                         reason: str, revised_text: str = "", staff: StaffAccount | None, now: datetime,
                         action: str = "decision.set", seen: str | None = None) -> dict[str, Any]:
    """A per-comment decision: overrides the group's decision for this comment only. ``seen``: the
    :func:`comment_stamp` of the page the form came from (a save from a stale page is refused)."""
    reason, revised_text = (reason or "").strip(), (revised_text or "").strip()
    validate(consultation, category, reason, revised_text)
    cid = consultation.id
    with write(db):
        comment = _comment_for_decision(db, cid, comment_id)
        _check_seen(seen, comment_stamp(db, comment_id))
        before = _public(one(db, "SELECT * FROM decisions WHERE comment_id = ?", [comment_id]))
        _store(db, consultation_id=cid, column="comment_id", target_id=comment_id, category=category,
               reason=reason, revised_text=revised_text, staff=staff, now=now)
        db.execute("UPDATE comments SET status = 'decided' WHERE id = ?", [comment_id])
        after = {"category": category, "reason": reason, "revised_text": revised_text}
        audit.record(db, action=action, now=now, staff=staff, consultation_id=cid, entity="comment",
                     entity_id=comment_id, before=dict(before or {}, status=comment.status),
                     after=dict(after, status="decided"))
    return after


def clear_comment_decision(db: Database, consultation: Consultation, comment_id: int, *,
                           staff: StaffAccount | None, now: datetime) -> bool:
    """Withdraw a per-comment decision: the group's decision (if any) applies again."""
    cid = consultation.id
    with write(db):
        comment = _comment_for_decision(db, cid, comment_id)
        before = _public(one(db, "SELECT * FROM decisions WHERE comment_id = ?", [comment_id]))
        if before is None:
            return False
        db.execute("DELETE FROM decisions WHERE comment_id = ?", [comment_id])
        status = _status_without_override(db, comment)
        db.execute("UPDATE comments SET status = ? WHERE id = ?", [status, comment_id])
        audit.record(db, action="decision.clear", now=now, staff=staff, consultation_id=cid, entity="comment",
                     entity_id=comment_id, before=dict(before, status=comment.status), after={"status": status})
    return True


def bulk_thanks(db: Database, consultation: Consultation, comment_ids: list[int], *, category: str,
                reason: str, staff: StaffAccount | None, now: datetime) -> int:
    """Answer the chosen supportive comments with thanks; anything not supportive is left alone.

    Returns how many comments were answered. Runs in one transaction: all or nothing.
    """
    reason = (reason or "").strip() or THANKS_REASON
    validate(consultation, category, reason)
    cid = consultation.id
    with write(db):
        allowed = {r["id"] for r in supportive_candidates(db, cid)}
        chosen = [i for i in dict.fromkeys(comment_ids) if i in allowed]
        for comment_id in chosen:
            set_comment_decision(db, consultation, comment_id, category=category, reason=reason, staff=staff,
                                 now=now, action="decision.bulk_thanks")
    return len(chosen)


