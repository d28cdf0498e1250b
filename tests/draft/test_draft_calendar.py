"""Working days: weekends, the official holidays and the weekend days worked in exchange (调休上班)."""

from datetime import date

import pytest

from draft.calendar import HOLIDAY, OFFICIAL, WORKDAY, Calendar, Day, official_days
from draft.window_rules import FEEDBACK_WORKING_DAYS, feedback_due

D = date
OFFICIAL_CAL = Calendar.official()


def test_the_seed_window_counts_the_national_day_holiday_and_its_make_up_sunday():
    # 2024-09-25 (Wed) … 10-10 (Thu): 25, 26, 27, Sun 29 (调休上班), 30, then 10-01…07 off, 8, 9, 10.
    assert OFFICIAL_CAL.working_days(D(2024, 9, 25), D(2024, 10, 10)) == 8
    assert OFFICIAL_CAL.is_working_day(D(2024, 9, 29))          # a Sunday worked
    assert not OFFICIAL_CAL.is_working_day(D(2024, 10, 4))      # a Friday off
    assert not OFFICIAL_CAL.is_working_day(D(2024, 9, 28))      # an ordinary Saturday


@pytest.mark.parametrize(("day", "working"), [
    (D(2024, 2, 4), True), (D(2024, 2, 18), True), (D(2024, 2, 16), False),      # 春节 2024
    (D(2024, 5, 11), True), (D(2024, 5, 2), False),                              # 劳动节 2024
    (D(2025, 1, 26), True), (D(2025, 1, 28), False), (D(2025, 2, 8), True),      # 春节 2025 (除夕 off)
    (D(2025, 10, 8), False), (D(2025, 10, 11), True),                            # 国庆 + 中秋 2025
    (D(2026, 1, 4), True), (D(2026, 2, 23), False), (D(2026, 2, 28), True),      # 2026
    (D(2026, 9, 20), True), (D(2026, 10, 10), True), (D(2026, 10, 7), False),
    (D(2026, 6, 19), False), (D(2026, 6, 22), True),
])
def test_official_days(day, working):
    assert OFFICIAL_CAL.is_working_day(day) is working


def test_every_make_up_day_is_a_weekend_day_and_every_holiday_year_is_its_own():
    for year, arrangements in OFFICIAL.items():
        for a in arrangements:
            assert a.first.year == a.last.year == year and a.first <= a.last
            assert all(w.weekday() >= 5 and w.year == year for w in a.workdays), a


def test_official_totals_per_year():
    # days off announced (weekends inside the periods included) and make-up days, as the notices add up
    off = {y: sum(len(a.days_off()) for a in OFFICIAL[y]) for y in OFFICIAL}
    made_up = {y: sum(len(a.workdays) for a in OFFICIAL[y]) for y in OFFICIAL}
    assert off == {2024: 1 + 8 + 3 + 5 + 1 + 3 + 7, 2025: 1 + 8 + 3 + 5 + 3 + 8, 2026: 3 + 9 + 3 + 5 + 3 + 3 + 7}
    assert made_up == {2024: 8, 2025: 5, 2026: 6}


def test_nth_working_day_counts_the_first_day_when_it_is_one():
    assert OFFICIAL_CAL.nth_working_day(D(2024, 9, 25), 1) == D(2024, 9, 25)
    assert OFFICIAL_CAL.nth_working_day(D(2024, 9, 25), 7) == D(2024, 10, 9)
    assert OFFICIAL_CAL.nth_working_day(D(2024, 10, 1), 1) == D(2024, 10, 8)     # starts inside a holiday
    with pytest.raises(ValueError):
        OFFICIAL_CAL.nth_working_day(D(2024, 10, 1), 0)


def test_feedback_due_twenty_working_days_after_the_window():
    # 10-11, Sat 10-12 (调休上班), then 14…18, 21…25, 28…31, 11-01, 11-04, 05, 06
    assert feedback_due(D(2024, 10, 10), OFFICIAL_CAL) == D(2024, 11, 6)
    assert FEEDBACK_WORKING_DAYS == 20
    assert feedback_due(D(2024, 10, 10), OFFICIAL_CAL, 1) == D(2024, 10, 11)
    # the same deadline with weekends only would be a day later (no Saturday worked) …
    assert feedback_due(D(2024, 10, 10), Calendar(years=frozenset({2024}))) == D(2024, 11, 7)


def test_an_edited_calendar_and_unknown_years():
    cal = Calendar.from_days([Day(D(2027, 1, 1), HOLIDAY, "元旦"), Day(D(2027, 1, 9), WORKDAY, "补班")])
    assert not cal.is_working_day(D(2027, 1, 1)) and cal.is_working_day(D(2027, 1, 9))
    assert cal.missing_years(D(2026, 12, 20), D(2027, 1, 10)) == [2026]
    assert OFFICIAL_CAL.missing_years(D(2026, 12, 20), D(2027, 1, 10)) == [2027]


def test_official_days_are_sorted_and_labelled():
    days = official_days([2024])
    assert [d.day for d in days] == sorted(d.day for d in days)
    assert Day(D(2024, 9, 29), WORKDAY, "国庆节调休") in days
    assert Day(D(2024, 10, 1), HOLIDAY, "国庆节") in days
