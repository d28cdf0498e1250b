"""The working-day calendar (``holidays``): the official holiday arrangements, editable by admins."""

from __future__ import annotations

from datetime import date, datetime

from sqlite_utils import Database

from draft.calendar import KIND_LABELS, Calendar, Day

from ..db import write
from . import audit
from .rows import StaffAccount


class HolidayError(ValueError):
    """A calendar entry that cannot be saved (the message is for staff, in Chinese)."""


def days(db: Database) -> list[Day]:
    return [Day(date.fromisoformat(d), kind, name)
            for d, kind, name in db.execute("SELECT day, kind, name FROM holidays ORDER BY day").fetchall()]


def calendar(db: Database) -> Calendar:
    """Weekends plus the stored entries; a year counts as entered when it has any entry."""
    return Calendar.from_days(days(db))


def set_day(db: Database, day: date, kind: str, name: str, *, staff: StaffAccount | None, now: datetime) -> None:
    """Add an entry or change the one on ``day``."""
    if kind not in KIND_LABELS:
        raise HolidayError("类型应为“放假”或“调休上班”。")
    if kind == "workday" and day.weekday() < 5:
        raise HolidayError(f"{day.isoformat()} 是工作日（周一至周五），不需要登记为调休上班。")
    with write(db):
        old = db.execute("SELECT kind, name FROM holidays WHERE day = ?", [day.isoformat()]).fetchone()
        db.execute("INSERT INTO holidays (day, kind, name) VALUES (?, ?, ?) "
                   "ON CONFLICT(day) DO UPDATE SET kind = excluded.kind, name = excluded.name",
                   [day.isoformat(), kind, name])
        audit.record(db, action="holiday.set", now=now, staff=staff, entity="holiday", entity_id=day.isoformat(),
                     before={"kind": KIND_LABELS[old[0]], "holiday_name": old[1]} if old else None,
                     after={"kind": KIND_LABELS[kind], "holiday_name": name})


def delete_day(db: Database, day: date, *, staff: StaffAccount | None, now: datetime) -> bool:
    """Remove the entry on ``day`` (False when there was none)."""
    with write(db):
        old = db.execute("SELECT kind, name FROM holidays WHERE day = ?", [day.isoformat()]).fetchone()
        if old is None:
            return False
        db.execute("DELETE FROM holidays WHERE day = ?", [day.isoformat()])
        audit.record(db, action="holiday.delete", now=now, staff=staff, entity="holiday", entity_id=day.isoformat(),
                     before={"kind": KIND_LABELS[old[0]], "holiday_name": old[1]}, after=None)
    return True
