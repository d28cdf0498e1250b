"""Review and sign-off of the feedback report: 草稿 → 提交审核 → 审核通过 / 退回修改 → 签发发布.

A 经办 submits the report as it stands: a ``report_reviews`` row holds its JSON, the content hash of it
(``exports.content_hash``: everything the report says, without version and date), the identity mode and,
for a version after the first, the 更正说明. An account holding 审核 that did not submit it approves it or
returns it with a comment (退回修改). An admin publishes (签发发布) only an approved report whose content
still has the approved hash, so what the public reads is exactly what was approved.

Any change to what the report would say after it was submitted — a decision, reason, summary, count, a
setting, the 修改对照表 — gives another hash: the submission or approval is void and the report is a 草稿
again (the change itself is audited where it was made). The voiding is written (state ``voided``, audit
``report.void`` with what changed) the first time anyone looks at the report or acts on it afterwards; a
change undone before that leaves the approved content, and so the approval, as it was.

Which role may use which page is decided in ``staff/access.py``; this module enforces what holds whoever
acts: the approver is not the submitter, and only approved content is published.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlite_utils import Database

from exports import CORRECTION_KINDS, Difference, Problem, content_hash, differences, report_data

from ..clock import iso, to_local
from ..db import write
from . import audit
from . import published as published_q
from . import reports as report_q
from .rows import Consultation, Review, StaffAccount, all_as, one_as

SUBMITTED, APPROVED, RETURNED, VOIDED, PUBLISHED = "submitted", "approved", "returned", "voided", "published"
DRAFT = "draft"
#: A report's state as staff see it.
STATE_LABELS = {
    DRAFT: "草稿",
    SUBMITTED: "已提交审核，待审核",
    APPROVED: "审核通过，待签发发布",
    RETURNED: "退回修改",
    VOIDED: "草稿（提交后内容有变化，此前的提交或审核已失效）",
    PUBLISHED: "已签发发布",
}
#: A comment when returning a report, and a 更正说明: staff wording, kept short.
COMMENT_MAX = 2000


class SignoffError(ValueError):
    """A step that cannot be taken now, with a message in Chinese saying why."""


@dataclass
class Current:
    """The report as it stands, and where it is in its review."""

    consultation_id: int
    built: report_q.Built
    content_hash: str
    version: int
    review: Review | None
    """The submission of this version still in force (submitted or approved), or None."""
    last: Review | None
    """The latest submission of this version in any state (a returned one carries the comment)."""
    voided_now: list[Difference] = field(default_factory=list)
    """What changed, when looking at the report just voided a submission or approval."""

    @property
    def state(self) -> str:
        if self.review is not None:
            return str(self.review.state)
        if self.last is not None and self.last.state in (RETURNED, VOIDED):
            return str(self.last.state)
        return DRAFT

    @property
    def label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def approved(self) -> bool:
        return self.state == APPROVED


_REVIEW = ("SELECT r.*, sub.username AS submitted_by_name, rev.username AS reviewed_by_name FROM report_reviews r "
           "LEFT JOIN staff sub ON sub.id = r.submitted_by LEFT JOIN staff rev ON rev.id = r.reviewed_by ")


def reviews(db: Database, consultation_id: int, version: int | None = None) -> list[Review]:
    """Every submission (of one version, or of all), newest first, with who submitted and reviewed it."""
    if version is None:
        return all_as(Review, db, _REVIEW + "WHERE r.consultation_id = ? ORDER BY r.id DESC", [consultation_id])
    return all_as(Review, db, _REVIEW + "WHERE r.consultation_id = ? AND r.version = ? ORDER BY r.id DESC",
                  [consultation_id, version])


def _in_force(db: Database, consultation_id: int) -> Review | None:
    return one_as(Review, db, _REVIEW + f"WHERE r.consultation_id = ? AND r.state IN ('{SUBMITTED}', '{APPROVED}') "
                                        "ORDER BY r.id DESC LIMIT 1", [consultation_id])


def _build(db: Database, consultation: Consultation, *, identity: str, version: int, report_date: date | None,
           correction: tuple[str, str], defaults: dict[str, str]) -> report_q.Built:
    return report_q.build(db, consultation, identity=identity, version=version, report_date=report_date,
                          correction=correction, issuer_default=defaults.get("issuer", ""),
                          published_where_default=defaults.get("published_where", ""))


def _void(db: Database, row: Review, *, now: datetime, why: str, changes: list[Difference]) -> None:
    with write(db):
        db.execute(f"UPDATE report_reviews SET state = '{VOIDED}', voided_at = ? WHERE id = ? "
                   f"AND state IN ('{SUBMITTED}', '{APPROVED}')", [iso(now), row.id])
        audit.record(db, action="report.void", now=now, staff=None, actor="系统", consultation_id=row.consultation_id,
                     entity="review", entity_id=row.id, before={"state": STATE_LABELS[row.state]},
                     after={"state": STATE_LABELS[VOIDED], "reason": why,
                            "changes": [f"{d.where}{'·' + d.what if d.what else ''}" for d in changes][:50]})


def current(db: Database, consultation: Consultation, *, identity: str | None, now: datetime,
            defaults: dict[str, str] | None = None) -> Current:
    """The report as it stands (as submitted: its identity mode and 更正说明, while a submission is in force),
    voiding a submission or approval whose content has changed. ``identity`` is the preview's choice while
    the report is a draft (None: the last submission's, else ``none``)."""
    defaults = defaults or {}
    cid = consultation.id
    version = published_q.latest_version(db, cid) + 1
    today = to_local(now).date()
    voided: list[Difference] = []
    active = _in_force(db, cid)
    if active is not None and active.version != version:  # a version was published meanwhile
        _void(db, active, now=now, why="已发布了新的版本", changes=[])
        active = None
    if active is not None:
        built = _build(db, consultation, identity=active.identity, version=version, report_date=today,
                       correction=(active.correction_kind, active.correction), defaults=defaults)
        digest = content_hash(built.report)
        if digest == active.content_hash:
            return Current(cid, built, digest, version, active, active)
        submitted = json.loads(active.report_json)
        voided = differences(submitted, report_data(built.report), old_members=published_q.members(submitted),
                             new_members=_members(built))
        _void(db, active, now=now, why="提交后内容有变化", changes=voided)
    last = next(iter(reviews(db, cid, version)), None)
    chosen = identity or (last.identity if last else "none")
    built = _build(db, consultation, identity=chosen, version=version, report_date=today, correction=("", ""),
                   defaults=defaults)
    return Current(cid, built, content_hash(built.report), version, None, last, voided)


def _members(built: report_q.Built) -> dict[int, set[int]]:
    found: dict[int, set[int]] = {}
    for comment_id, number in built.comment_numbers().items():
        found.setdefault(number, set()).add(comment_id)
    return found


def since_published(db: Database, now: Current) -> list[Difference]:
    """What the report as it stands changes from the last published version ([] when none is published)."""
    row = published_q.get(db, now.consultation_id)
    if row is None:
        return []
    stored = json.loads(row["report_json"])
    return differences(stored, report_data(now.built.report), old_members=published_q.members(stored),
                       new_members=_members(now.built))


def problems(db: Database, now: Current) -> list[Problem]:
    """What blocks submitting (and publishing) the report as it stands."""
    found = report_q.problems(now.built)
    latest = published_q.get(db, now.consultation_id)
    if latest is not None and published_q.same_content(latest, now.built.report):
        found.append(Problem("unchanged", f"与已发布的第{latest['version']}版相比没有变化，无需发布新版本。"))
    return found


def _correction(version: int, kind: str, text: str) -> tuple[str, str]:
    text = (text or "").strip()
    if version == 1:
        return ("", "")
    if kind not in CORRECTION_KINDS:
        raise SignoffError(f"请选择本版是“{'”还是“'.join(CORRECTION_KINDS)}”。")
    if not text:
        raise SignoffError(f"第{version}版是对已发布版本的更正或补充，请填写更正说明（将显示在公开页面的反馈上方）。")
    if len(text) > COMMENT_MAX:
        raise SignoffError(f"更正说明不能超过{COMMENT_MAX}个字。")
    return (kind, text)


def submit(db: Database, consultation: Consultation, *, identity: str, correction_kind: str = "",
           correction: str = "", staff: StaffAccount | None, now: datetime,
           defaults: dict[str, str] | None = None) -> int:
    """提交审核: store the report as it stands now for review; returns the submission's id."""
    state = current(db, consultation, identity=identity, now=now, defaults=defaults)
    if state.review is not None:
        raise SignoffError(f"第{state.version}版已提交审核（{STATE_LABELS[state.review.state]}），无需重复提交。")
    kind, text = _correction(state.version, correction_kind, correction)
    if text:  # the 更正说明 is part of what is submitted (and hashed)
        built = _build(db, consultation, identity=identity, version=state.version, report_date=to_local(now).date(),
                       correction=(kind, text), defaults=defaults or {})
        state = Current(state.consultation_id, built, content_hash(built.report), state.version, None, state.last)
    built = state.built
    found = problems(db, state)
    if found:
        raise SignoffError(f"存在{len(found)}个问题，暂不能提交审核：{found[0].message}")
    with write(db):
        review_id = db.execute(
            "INSERT INTO report_reviews (consultation_id, version, identity, content_hash, report_json, "
            "correction_kind, correction, state, submitted_by, submitted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [consultation.id, state.version, identity, state.content_hash,
             json.dumps(published_q.document(built), ensure_ascii=False), kind, text, SUBMITTED,
             staff.id if staff else None, iso(now)],
        ).lastrowid or 0
        audit.record(db, action="report.submit", now=now, staff=staff, consultation_id=consultation.id,
                     entity="review", entity_id=review_id,
                     after={"version": state.version, "identity": identity, "content_hash": state.content_hash,
                            "opinions": len(built.report.opinions), "correction": text or None})
    return review_id


def _pending(db: Database, consultation: Consultation, review_id: int, now: datetime,
             defaults: dict[str, str] | None, states: tuple[str, ...]) -> Review:
    """The submission ``review_id`` if it is still in force with its content unchanged (voiding it if not)."""
    state = current(db, consultation, identity=None, now=now, defaults=defaults)
    if state.review is None or state.review.id != review_id or state.review.state not in states:
        if state.voided_now:
            raise SignoffError("提交审核后内容有变化，该次提交已失效，报告已回到草稿，请经办人核对后重新提交。")
        raise SignoffError("该次提交已处理或已失效，请刷新页面查看当前状态。")
    return state.review


def approve(db: Database, consultation: Consultation, review_id: int, *, staff: StaffAccount, now: datetime,
            comment: str = "", defaults: dict[str, str] | None = None) -> None:
    """审核通过: bound to the content hash submitted. Never by the account that submitted it."""
    row = _pending(db, consultation, review_id, now, defaults, (SUBMITTED,))
    if row.submitted_by is not None and row.submitted_by == staff.id:
        raise SignoffError("不能审核自己提交的采纳情况反馈，请由另一位审核人审核。")
    _review(db, row, APPROVED, staff=staff, now=now, comment=comment, action="report.approve")


def send_back(db: Database, consultation: Consultation, review_id: int, *, comment: str, staff: StaffAccount,
              now: datetime, defaults: dict[str, str] | None = None) -> None:
    """退回修改 with a comment (also an approval not yet published: it is withdrawn)."""
    if not (comment or "").strip():
        raise SignoffError("退回修改时请填写退回意见，说明需要修改的内容。")
    row = _pending(db, consultation, review_id, now, defaults, (SUBMITTED, APPROVED))
    _review(db, row, RETURNED, staff=staff, now=now, comment=comment, action="report.return")


def _review(db: Database, row: Review, state: str, *, staff: StaffAccount, now: datetime, comment: str,
            action: str) -> None:
    comment = (comment or "").strip()[:COMMENT_MAX]
    with write(db):
        changed = db.execute(
            "UPDATE report_reviews SET state = ?, reviewed_by = ?, reviewed_at = ?, review_comment = ? "
            "WHERE id = ? AND state = ?", [state, staff.id, iso(now), comment, row.id, row.state]).rowcount
        if not changed:
            raise SignoffError("该次提交已被他人处理，请刷新页面查看当前状态。")
        audit.record(db, action=action, now=now, staff=staff, consultation_id=row.consultation_id, entity="review",
                     entity_id=row.id, before={"state": STATE_LABELS[row.state]},
                     after={"state": STATE_LABELS[state], "version": row.version,
                            "content_hash": row.content_hash, "comment": comment or None})


def publish(db: Database, consultation: Consultation, *, review_id: int | None, staff: StaffAccount | None,
            now: datetime, defaults: dict[str, str] | None = None) -> int:
    """签发发布: store the approved report (the submission ``review_id``, as the publisher saw it) as the next
    version; returns the version.

    Raises ``published.PublishRefused`` (problems) or :class:`SignoffError` (not approved, or changed since)."""
    state = current(db, consultation, identity=None, now=now, defaults=defaults)
    found = problems(db, state)
    if found:
        raise published_q.PublishRefused(found)
    if state.review is None or state.review.state != APPROVED:
        if state.voided_now:
            raise SignoffError("审核通过后内容有变化，审核已失效，报告已回到草稿：请经办人重新提交审核。")
        raise SignoffError(f"报告尚未审核通过（当前状态：{state.label}），不能签发发布。")
    row = state.review
    if row.id != review_id:
        raise SignoffError("审核结果在您打开页面后有变化（已重新提交或审核），请核对后再发布。")
    with write(db):
        # Again inside the transaction that publishes: nothing may change between the check and the insert.
        built = _build(db, consultation, identity=row.identity, version=state.version,
                       report_date=to_local(now).date(), correction=(row.correction_kind, row.correction),
                       defaults=defaults or {})
        digest = content_hash(built.report)
        if digest != row.content_hash or published_q.latest_version(db, consultation.id) + 1 != row.version:
            raise SignoffError("审核通过后内容有变化，不能签发发布，请刷新页面。")
        report_id = published_q.store_version(db, consultation, built, review=row, content_hash=digest, staff=staff,
                                              now=now)
        db.execute(f"UPDATE report_reviews SET state = '{PUBLISHED}', published_report_id = ? WHERE id = ?",
                   [report_id, row.id])
        counts = built.report.counts
        audit.record(db, action="report.publish", now=now, staff=staff, consultation_id=consultation.id,
                     entity="report", entity_id=state.version,
                     before={"version": state.version - 1} if state.version > 1 else None,
                     after={"version": state.version, "identity": row.identity, "content_hash": digest,
                            "submitted_by": row.submitted_by_name, "approved_by": row.reviewed_by_name,
                            "opinions": len(built.report.opinions), "valid": counts.valid if counts else 0,
                            "correction": row.correction or None})
    return state.version
