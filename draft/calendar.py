"""Working days in mainland China: weekends, public holidays and the weekend days worked in exchange (调休上班).

The State Council's General Office publishes each year's arrangement (国务院办公厅关于XXXX年部分节假日安排的通知)
around November of the year before. ``OFFICIAL`` holds the arrangements entered here, as published:

* 2024: notice of 2023-10-25 (国办发明电〔2023〕7号)
* 2025: notice of 2024-11-12 (国办发明电〔2024〕12号; the first year with 除夕 and 5月2日 as holidays)
* 2026: notice of 2025-11-04 (国办发明电〔2025〕7号)

Each holiday is the whole period the notice gives (放假调休 … 共N天, weekend days included); each make-up day is a
Saturday or Sunday the notice says is worked (…上班). A year not entered counts weekends only:
:meth:`Calendar.missing_years` says so, so that a caller can warn instead of silently miscounting.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

HOLIDAY, WORKDAY = "holiday", "workday"
KIND_LABELS = {HOLIDAY: "放假", WORKDAY: "调休上班"}


@dataclass(frozen=True)
class Arrangement:
    """One holiday of one year's notice: its name, first and last day off, and the weekend days worked for it."""

    name: str
    first: date
    last: date
    workdays: tuple[date, ...] = ()

    def days_off(self) -> list[date]:
        return [self.first + timedelta(days=i) for i in range((self.last - self.first).days + 1)]


def _d(text: str) -> date:
    return date.fromisoformat(text)


def _a(name: str, first: str, last: str, *workdays: str) -> Arrangement:
    return Arrangement(name, _d(first), _d(last), tuple(_d(w) for w in workdays))


#: The official arrangements entered (see the module docstring for the notices). Never edit a year that is
#: already in a database (the portal seeded its calendar from these); a new year is a new entry.
OFFICIAL: dict[int, tuple[Arrangement, ...]] = {
    2024: (
        _a("元旦", "2024-01-01", "2024-01-01"),
        _a("春节", "2024-02-10", "2024-02-17", "2024-02-04", "2024-02-18"),
        _a("清明节", "2024-04-04", "2024-04-06", "2024-04-07"),
        _a("劳动节", "2024-05-01", "2024-05-05", "2024-04-28", "2024-05-11"),
        _a("端午节", "2024-06-10", "2024-06-10"),
        _a("中秋节", "2024-09-15", "2024-09-17", "2024-09-14"),
        _a("国庆节", "2024-10-01", "2024-10-07", "2024-09-29", "2024-10-12"),
    ),
    2025: (
        _a("元旦", "2025-01-01", "2025-01-01"),
        _a("春节", "2025-01-28", "2025-02-04", "2025-01-26", "2025-02-08"),
        _a("清明节", "2025-04-04", "2025-04-06"),
        _a("劳动节", "2025-05-01", "2025-05-05", "2025-04-27"),
        _a("端午节", "2025-05-31", "2025-06-02"),
        _a("国庆节、中秋节", "2025-10-01", "2025-10-08", "2025-09-28", "2025-10-11"),
    ),
    2026: (
        _a("元旦", "2026-01-01", "2026-01-03", "2026-01-04"),
        _a("春节", "2026-02-15", "2026-02-23", "2026-02-14", "2026-02-28"),
        _a("清明节", "2026-04-04", "2026-04-06"),
        _a("劳动节", "2026-05-01", "2026-05-05", "2026-05-09"),
        _a("端午节", "2026-06-19", "2026-06-21"),
        _a("中秋节", "2026-09-25", "2026-09-27"),
        _a("国庆节", "2026-10-01", "2026-10-07", "2026-09-20", "2026-10-10"),
    ),
}


@dataclass(frozen=True)
class Day:
    """One entry of a calendar: a day off (``holiday``) or a weekend day worked (``workday``)."""

    day: date
    kind: str
    name: str = ""


def official_days(years: Iterable[int] | None = None) -> list[Day]:
    """The entries of :data:`OFFICIAL` (all years, or the ones given), in date order."""
    out: list[Day] = []
    for year in sorted(OFFICIAL if years is None else years):
        for arrangement in OFFICIAL.get(year, ()):
            out.extend(Day(d, HOLIDAY, arrangement.name) for d in arrangement.days_off())
            out.extend(Day(d, WORKDAY, f"{arrangement.name}调休") for d in arrangement.workdays)
    return sorted(out, key=lambda x: x.day)


@dataclass(frozen=True)
class Calendar:
    """Which days are working days: Monday to Friday, except ``holidays``, plus ``workdays``.

    ``years`` are the years whose arrangement is known; for other years only weekends are known.
    """

    holidays: frozenset[date] = field(default_factory=frozenset)
    workdays: frozenset[date] = field(default_factory=frozenset)
    years: frozenset[int] = field(default_factory=frozenset)

    @classmethod
    def from_days(cls, days: Iterable[Day], years: Iterable[int] | None = None) -> Calendar:
        """A calendar from entries; the known years are ``years``, or the years the entries fall in."""
        days = list(days)
        known = set(years) if years is not None else {d.day.year for d in days}
        return cls(frozenset(d.day for d in days if d.kind == HOLIDAY),
                   frozenset(d.day for d in days if d.kind == WORKDAY), frozenset(known))

    @classmethod
    def official(cls) -> Calendar:
        return cls.from_days(official_days(), OFFICIAL)

    def is_working_day(self, day: date) -> bool:
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5

    def working_days(self, first: date, last: date) -> int:
        """Working days from ``first`` to ``last``, both included (0 when ``last`` is before ``first``)."""
        return sum(1 for i in range((last - first).days + 1) if self.is_working_day(first + timedelta(days=i)))

    def nth_working_day(self, first: date, n: int) -> date:
        """The ``n``-th working day counting from ``first`` (``first`` itself is the 1st when it is a working day):
        the last day of a window of ``n`` working days that opens on ``first``."""
        if n < 1:
            raise ValueError("n must be at least 1")
        day, seen = first, 0
        while True:
            if self.is_working_day(day):
                seen += 1
                if seen == n:
                    return day
            day += timedelta(days=1)

    def working_days_after(self, day: date, n: int) -> date:
        """The ``n``-th working day after ``day`` (``day`` itself not counted): a deadline of N working days."""
        return self.nth_working_day(day + timedelta(days=1), n)

    def missing_years(self, first: date, last: date) -> list[int]:
        """Years between ``first`` and ``last`` whose holiday arrangement this calendar does not know."""
        return [y for y in range(first.year, last.year + 1) if y not in self.years]
