"""Noise proposals: comments the analysis proposes as 疑似广告 / 与征求意见无关, and how staff settle them.

An analysis run records the proposal on the comment (``noise_reason``, ``noise_evidence``) and keeps it in a
``noise`` group, out of the substantive groups. Nothing is dropped: staff settle each proposal, and every
outcome is audited in the same transaction:

- ``spam``: confirmed, the comment is marked 无效 (not counted, not published);
- ``out_of_scope``: confirmed, the comment gets the decision 不属于征求意见范围 (counted and answered);
- ``reject``: not noise; it leaves the noise group and the next run analyses it like any comment (the engine
  never proposes it again).
"""

from __future__ import annotations

from datetime import datetime

from sqlite_utils import Database

from ..db import one, write
from ..vocabulary import NOISE_OUTCOMES, OUT_OF_SCOPE, OUT_OF_SCOPE_REASON
from . import audit, decisions
from . import comments as comment_q
from . import groups as group_q
from .rows import Consultation, StaffAccount


class NoiseError(ValueError):
    """A proposal staff cannot settle this way, with a message in Chinese."""


def _proposed(db: Database, consultation_id: int, comment_id: int) -> dict | None:
    return one(db, "SELECT m.id, m.status, m.group_id, m.noise_reason, g.kind AS group_kind FROM comments m "
                   "LEFT JOIN groups g ON g.id = m.group_id WHERE m.consultation_id = ? AND m.id = ? "
                   "AND m.noise_reason IS NOT NULL AND m.noise_review IS NULL AND m.status IN ('pending', 'grouped')",
               [consultation_id, comment_id])


def settle(db: Database, consultation: Consultation, comment_ids: list[int], outcome: str, *,
           staff: StaffAccount | None, now: datetime) -> int:
    """Settle the noise proposals among ``comment_ids`` (others are left alone); returns how many were settled.

    One transaction: all or nothing. Raises :class:`NoiseError` when the consultation's categories have no
    不属于征求意见范围 (for ``out_of_scope``) or when none of the comments is a proposal awaiting staff."""
    if outcome not in NOISE_OUTCOMES:
        raise NoiseError("请选择处理方式。")
    if outcome == "out_of_scope" and OUT_OF_SCOPE not in decisions.categories(consultation):
        raise NoiseError(f"本次征求意见的采纳情况分类中没有“{OUT_OF_SCOPE}”，请确认为无效，或先在设置中添加该分类。")
    settled = 0
    with write(db):
        for comment_id in dict.fromkeys(comment_ids):
            found = _proposed(db, consultation.id, comment_id)
            if found is None:
                continue
            if outcome == "spam":
                if comment_q.status_change_problem(db, consultation.id, comment_id, "spam", None):
                    continue  # others are marked duplicates of it: it must keep counting
                comment_q.set_status(db, consultation.id, comment_id, "spam", staff=staff, now=now)
            elif outcome == "out_of_scope":
                decisions.set_comment_decision(db, consultation, comment_id, category=OUT_OF_SCOPE,
                                               reason=OUT_OF_SCOPE_REASON, staff=staff, now=now)
            elif found["group_kind"] == "noise":  # rejected: out of the noise group, analysed again next run
                group_q.move_comments(db, [comment_id], None, now=now, reviewed=True)
            review = "rejected" if outcome == "reject" else "confirmed"
            db.execute("UPDATE comments SET noise_review = ? WHERE id = ?", [review, comment_id])
            audit.record(db, action="comment.noise", now=now, staff=staff, consultation_id=consultation.id,
                         entity="comment", entity_id=comment_id,
                         before={"noise_reason": found["noise_reason"], "noise_review": None},
                         after={"noise_review": review, "outcome": outcome})
            settled += 1
        if not settled:
            raise NoiseError("所选意见中没有待确认的疑似无效意见（可能已有其他工作人员处理）。")
    return settled
