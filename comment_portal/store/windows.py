"""A consultation's comment window, managed in the open: publishing, scheduling, extending, closing early and
reopening, each within the rules of its 文件类型 (``draft.window_rules``), with its reason, in ``window_changes``
(for the public page) and the audit log, in one transaction.

Each function reads the consultation's window inside its own write transaction, so two staff members acting at
once cannot both act on a stale window.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlite_utils import Database

from draft.window_rules import DOC_TYPES, WindowCheck, check_window
from exports.wording import format_date

from ..clock import LOCAL_TZ, iso, parse_iso
from ..db import write
from ..vocabulary import DRAFT_STATE, PUBLIC_STATE
from ..window import CLOSED, OPEN, UPCOMING, Window
from . import audit
from . import consultations as consultation_q
from . import holidays as holiday_q
from .rows import Consultation, StaffAccount, WindowChange, all_as

SCHEDULE, OPENED, EXTEND, CLOSE, REOPEN = "schedule", "open", "extend", "close", "reopen"
#: The audit action of each change.
ACTIONS = {SCHEDULE: "window.schedule", OPENED: "consultation.open", EXTEND: "window.extend",
           CLOSE: "window.close", REOPEN: "window.reopen"}


class WindowError(ValueError):
    """A window change that cannot be made (the message says why, in Chinese); ``field`` names the form field it
    concerns (``doc_type``, ``opens_on``, ``closes_on``, ``short_reason``, ``reason``), or is '' for the change as a
    whole."""

    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.field = field


def state_of(db: Database, consultation_id: int) -> Consultation:
    found = consultation_q.get(db, consultation_id)
    if found is None:
        raise LookupError(f"no consultation {consultation_id}")
    return found


def changes(db: Database, consultation_id: int) -> list[WindowChange]:
    return all_as(WindowChange, db, "SELECT * FROM window_changes WHERE consultation_id = ? ORDER BY id",
                  [consultation_id])


def check(db: Database, consultation_id: int, *, doc_type: str | None = None, opens_on: date | None = None,
          closes_on: date | None = None) -> WindowCheck:
    """The consultation's window (or the one given) against its 文件类型's minimum, with the stored calendar."""
    current = state_of(db, consultation_id)
    window = Window.of(current)
    return check_window(doc_type or current.doc_type, opens_on or window.opens_on, closes_on or window.closes_on,
                        holiday_q.calendar(db))


def _record(db: Database, before: Consultation, kind: str, *, opens_on: date, closes_on: date, reason: str,
            staff: StaffAccount | None, now: datetime, actor: str, extra: dict[str, Any] | None = None) -> None:
    """The change row and its audit row (inside the caller's transaction)."""
    who = staff.username if staff else actor
    db.execute(
        "INSERT INTO window_changes (consultation_id, kind, opens_on_before, closes_on_before, opens_on, closes_on, "
        "reason, staff_id, actor, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [before.id, kind, before.opens_on, before.closes_on, opens_on.isoformat(),
         closes_on.isoformat(), reason, staff.id if staff else None, who, iso(now)])
    audit.record(db, action=ACTIONS[kind], now=now, staff=staff, actor=actor, consultation_id=before.id,
                 entity="consultation", entity_id=before.id,
                 before={"opens_on": before.opens_on, "closes_on": before.closes_on,
                         **({"state": before.state} if kind == OPENED else {})},
                 after={"opens_on": opens_on.isoformat(), "closes_on": closes_on.isoformat(),
                        **({"change_reason": reason} if reason else {}), **(extra or {})})


def schedule(db: Database, consultation_id: int, *, doc_type: str, opens_on: date, closes_on: date,
             short_reason: str, reason: str, staff: StaffAccount | None, now: datetime,
             actor: str = "system") -> None:
    """Set the 文件类型 and the window before it opens (a public consultation only with a reason)."""
    if doc_type not in DOC_TYPES:
        raise WindowError("请选择文件类型。", "doc_type")
    today = now.astimezone(LOCAL_TZ).date()
    with write(db):
        current = state_of(db, consultation_id)
        public = current.state == PUBLIC_STATE
        if public and Window.of(current).status(now) != UPCOMING:
            raise WindowError("征求意见已经开始，不能再修改开始日期和文件类型；可以延长征求意见期或提前截止。")
        if public and not reason.strip():
            raise WindowError("已发布的征求意见调整征求意见期，须填写调整原因（将在公开页面上显示）。", "reason")
        if opens_on < today:
            raise WindowError(f"开始日期（{format_date(opens_on)}）早于今天，请改为今天或以后。", "opens_on")
        measured = check_window(doc_type, opens_on, closes_on, holiday_q.calendar(db))
        problem = measured.problem(short_reason)
        if problem:
            raise WindowError(problem, "closes_on" if closes_on < opens_on else "short_reason")
        db.execute("UPDATE consultations SET doc_type = ?, opens_on = ?, closes_on = ?, short_reason = ?, "
                   "closed_at = NULL, updated_at = ? WHERE id = ?",
                   [doc_type, opens_on.isoformat(), closes_on.isoformat(), short_reason.strip(), iso(now),
                    consultation_id])
        _record(db, current, SCHEDULE, opens_on=opens_on, closes_on=closes_on, reason=reason.strip(), staff=staff,
                now=now, actor=actor, extra={"doc_type": DOC_TYPES[doc_type],
                                             **({"short_reason": short_reason.strip()} if short_reason.strip() else {})})


def open_problem(db: Database, consultation_id: int, now: datetime) -> str:
    """Why the consultation cannot be published now (Chinese), or ''."""
    current = state_of(db, consultation_id)
    if current.state != DRAFT_STATE:
        return "这次征求意见已经发布。"
    if not current.title.strip():
        return "征求意见稿还没有标题，请先在“公告与说明”中填写。"
    if db.execute("SELECT 1 FROM clauses WHERE consultation_id = ? LIMIT 1", [consultation_id]).fetchone() is None:
        return "征求意见稿没有条款。"
    today = now.astimezone(LOCAL_TZ).date()
    window = Window.of(current)
    if window.opens_on < today:
        return f"开始日期（{format_date(window.opens_on)}）已过，请先把征求意见期的开始日期改为今天或以后。"
    return check_window(current.doc_type, window.opens_on, window.closes_on,
                        holiday_q.calendar(db)).problem(current.short_reason)


def open_consultation(db: Database, consultation_id: int, *, staff: StaffAccount | None, now: datetime,
                      actor: str = "system") -> None:
    """Publish a draft consultation: from now on it is on the public pages (its window as scheduled)."""
    with write(db):
        problem = open_problem(db, consultation_id, now)
        if problem:
            raise WindowError(problem)
        current = state_of(db, consultation_id)
        db.execute("UPDATE consultations SET state = ?, opened_at = ?, updated_at = ? WHERE id = ?",
                   [PUBLIC_STATE, iso(now), iso(now), consultation_id])
        _record(db, current, OPENED, opens_on=Window.of(current).opens_on, closes_on=Window.of(current).closes_on, reason="",
                staff=staff, now=now, actor=actor, extra={"state": PUBLIC_STATE})


def extend(db: Database, consultation_id: int, closes_on: date, reason: str, *, staff: StaffAccount | None,
           now: datetime, actor: str = "system") -> None:
    """延长征求意见期: a later closing day for a window that has not closed."""
    if not reason.strip():
        raise WindowError("请填写延长原因（将在公开页面上显示）。", "reason")
    with write(db):
        current = state_of(db, consultation_id)
        status = Window.of(current).status(now)
        if current.state != PUBLIC_STATE:
            raise WindowError("尚未发布的征求意见稿请直接修改征求意见期。")
        if status == CLOSED:
            raise WindowError("征求意见已经截止；如需继续接收意见，请使用“重新开放”。")
        if closes_on <= Window.of(current).closes_on:
            raise WindowError(f"新的截止日期应晚于现在的截止日期（{format_date(Window.of(current).closes_on)}）。", "closes_on")
        db.execute("UPDATE consultations SET closes_on = ?, updated_at = ? WHERE id = ?",
                   [closes_on.isoformat(), iso(now), consultation_id])
        _record(db, current, EXTEND, opens_on=Window.of(current).opens_on, closes_on=closes_on, reason=reason.strip(),
                staff=staff, now=now, actor=actor)


def close_early(db: Database, consultation_id: int, reason: str, *, staff: StaffAccount | None, now: datetime,
                actor: str = "system") -> None:
    """提前截止: stop taking comments now; the window's last day becomes today."""
    if not reason.strip():
        raise WindowError("请填写提前截止的原因（将在公开页面上显示）。", "reason")
    with write(db):
        current = state_of(db, consultation_id)
        if current.state != PUBLIC_STATE or Window.of(current).status(now) != OPEN:
            raise WindowError("只有正在征求意见的才能提前截止。")
        today = now.astimezone(LOCAL_TZ).date()
        db.execute("UPDATE consultations SET closes_on = ?, closed_at = ?, updated_at = ? WHERE id = ?",
                   [today.isoformat(), iso(now), iso(now), consultation_id])
        _record(db, current, CLOSE, opens_on=Window.of(current).opens_on, closes_on=today, reason=reason.strip(), staff=staff,
                now=now, actor=actor, extra={"closed_at": iso(now)})


def reopen(db: Database, consultation_id: int, closes_on: date, reason: str, *, staff: StaffAccount | None,
           now: datetime, actor: str = "system") -> None:
    """重新开放 a closed window until the end of ``closes_on`` (admins only: the access guard decides)."""
    if not reason.strip():
        raise WindowError("请填写重新开放的原因（将在公开页面上显示）。", "reason")
    today = now.astimezone(LOCAL_TZ).date()
    with write(db):
        current = state_of(db, consultation_id)
        if current.state != PUBLIC_STATE or Window.of(current).status(now) != CLOSED:
            raise WindowError("只有已截止的征求意见才能重新开放。")
        if closes_on < today:
            raise WindowError(f"新的截止日期（{format_date(closes_on)}）早于今天。", "closes_on")
        db.execute("UPDATE consultations SET closes_on = ?, closed_at = NULL, updated_at = ? WHERE id = ?",
                   [closes_on.isoformat(), iso(now), consultation_id])
        _record(db, current, REOPEN, opens_on=Window.of(current).opens_on, closes_on=closes_on, reason=reason.strip(),
                staff=staff, now=now, actor=actor)


def public_notes(found: list[WindowChange]) -> list[str]:
    """What the public page says about changes made after publication, oldest first (Chinese)."""
    notes = []
    opened = False
    for change in found:
        if change.kind == OPENED:
            opened = True
            continue
        if not opened:
            continue
        when = format_date(parse_iso(change.created_at).astimezone(LOCAL_TZ).date())
        closes = format_date(date.fromisoformat(change.closes_on))
        was = format_date(date.fromisoformat(change.closes_on_before)) if change.closes_on_before else ""
        if change.kind == EXTEND:
            text = f"征求意见期已延长至{closes}（{when}调整，原定截止日期为{was}）。"
        elif change.kind == CLOSE:
            text = f"本次征求意见已于{when}提前截止（原定截止日期为{was}）。"
        elif change.kind == REOPEN:
            text = f"本次征求意见已于{when}重新开放，截止日期为{closes}。"
        else:
            opens = format_date(date.fromisoformat(change.opens_on))
            text = f"征求意见期已调整为{opens}至{closes}（{when}调整）。"
        notes.append(text + (f"原因：{change.reason}" if change.reason else ""))
    return notes
