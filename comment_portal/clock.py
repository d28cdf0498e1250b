"""The one clock of the application.

Everything that needs the current time asks ``current_app.extensions["clock"]`` (via :func:`now`),
never ``datetime.now()``; tests install a :class:`FixedClock` and move it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app

#: The consultation's timezone: windows open and close on local dates in Beijing time.
LOCAL_TZ = ZoneInfo("Asia/Shanghai")


class SystemClock:
    """Real time, timezone-aware UTC."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock that stands still until told to move (tests)."""

    def __init__(self, at: datetime):
        self.set(at)

    def set(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("FixedClock needs a timezone-aware datetime")
        self._at = at.astimezone(UTC)

    def advance(self, **delta: float) -> None:
        self._at += timedelta(**delta)

    def now(self) -> datetime:
        return self._at


def now() -> datetime:
    """Current UTC time from the app's clock."""
    return current_app.extensions["clock"].now()


def today_local() -> date:
    return now().astimezone(LOCAL_TZ).date()


def local_start(day: date) -> datetime:
    """First instant of a local calendar day, as UTC."""
    return datetime.combine(day, time.min, tzinfo=LOCAL_TZ).astimezone(UTC)


def local_end_exclusive(day: date) -> datetime:
    """First instant AFTER a local calendar day, as UTC: a window closing on ``day`` is open before it."""
    return local_start(day + timedelta(days=1))


def to_local(moment: datetime) -> datetime:
    return moment.astimezone(LOCAL_TZ)


def iso(moment: datetime) -> str:
    """UTC ISO-8601 with seconds, the one format timestamps are stored in."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def parse_iso(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)
