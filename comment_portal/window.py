"""The comment window: open from the first instant of ``opens_on`` to the end of ``closes_on``,
local time (Asia/Shanghai). Pure functions of a given moment; callers pass the clock's ``now``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from .clock import LOCAL_TZ, local_end_exclusive, local_start, parse_iso
from .store.rows import Consultation

UPCOMING, OPEN, CLOSED = "upcoming", "open", "closed"
STATUS_LABELS = {UPCOMING: "未开始", OPEN: "征求意见中", CLOSED: "已截止"}


@dataclass(frozen=True)
class Window:
    opens_on: date
    closes_on: date
    closed_at: datetime | None = None  # closed early (提前截止): no comment is taken from this moment

    @classmethod
    def of(cls, consultation: Consultation) -> Window:
        closed_at = consultation.closed_at
        return cls(date.fromisoformat(consultation.opens_on), date.fromisoformat(consultation.closes_on),
                   parse_iso(closed_at) if closed_at else None)

    @property
    def opens_at(self) -> datetime:
        return local_start(self.opens_on)

    @property
    def closes_at(self) -> datetime:
        """First instant after the window (exclusive end)."""
        return local_end_exclusive(self.closes_on)

    def status(self, now: datetime) -> str:
        if now < self.opens_at:
            return UPCOMING
        if now < self.closes_at and (self.closed_at is None or now < self.closed_at):
            return OPEN
        return CLOSED

    def is_open(self, now: datetime) -> bool:
        return self.status(now) == OPEN

    def days_left(self, now: datetime) -> int:
        """Whole local days after today until the closing day (0 on the closing day itself)."""
        today = now.astimezone(LOCAL_TZ).date()
        return max(0, (self.closes_on - today).days)

    def days_until_open(self, now: datetime) -> int:
        today = now.astimezone(LOCAL_TZ).date()
        return max(0, (self.opens_on - today).days)

    @property
    def length_days(self) -> int:
        return (self.closes_on - self.opens_on).days + 1


#: A comment received by letter, e-mail, phone or at a meeting may predate the publication by this much
#: (a preliminary consultation, a letter written on an earlier announcement), never more.
RECEIVED_BEFORE_PUBLICATION = timedelta(days=30)


def earliest_received(consultation: Consultation) -> date:
    """The earliest plausible 收到日期 of a comment on ``consultation``: its publication date (as the notice
    states it; else the window's first day) minus 30 days. A date before it is a typing error (2014 for 2024)."""
    published = consultation.published_on or consultation.opens_on
    return date.fromisoformat(published[:10]) - RECEIVED_BEFORE_PUBLICATION


def received_on_error(day: date, consultation: Consultation | None, today: date) -> str:
    """Why ``day`` cannot be a comment's 收到日期 (in Chinese), or '' when it can."""
    if day > today:
        return f"收到日期 {day.isoformat()} 晚于今天"
    earliest = earliest_received(consultation) if consultation else None
    if earliest and day < earliest:
        return f"收到日期 {day.isoformat()} 早于征求意见稿发布前30天（{earliest.isoformat()}），请核对"
    return ""
