"""Minimum windows per 文件类型 and the 缩短理由 a shorter one needs."""

from datetime import date

import pytest

from draft.calendar import Calendar
from draft.window_rules import DOC_TYPES, MARKET, NORMATIVE, OTHER, check_window

D = date
CAL = Calendar.official()


def test_the_seed_window_on_a_market_draft_needs_a_reason():
    check = check_window(MARKET, D(2024, 9, 25), D(2024, 10, 10), CAL)
    assert (check.length_days, check.working_days, check.short) == (16, 8, True)
    assert check.earliest_close == D(2024, 10, 24)        # 30 days counting the first
    problem = check.problem("")
    assert "不少于30日" in problem and "《优化营商环境条例》第六十二条" in problem and "缩短理由" in problem
    assert check.problem("   ") == problem                  # blanks are no reason
    assert check.problem("因国庆假期前需完成报审，缩短至16日。") == ""
    assert "16日（8个工作日）" in check.warning()


@pytest.mark.parametrize(("doc_type", "closes", "short"), [
    ("major", D(2024, 10, 23), True), ("major", D(2024, 10, 24), False),
    (MARKET, D(2024, 10, 24), False),
    (NORMATIVE, D(2024, 10, 8), True), (NORMATIVE, D(2024, 10, 9), False),   # 7 working days across 国庆
    (OTHER, D(2024, 9, 25), False),
])
def test_minimums(doc_type, closes, short):
    check = check_window(doc_type, D(2024, 9, 25), closes, CAL)
    assert check.short is short
    assert bool(check.problem("")) is short


def test_normative_minimum_is_in_working_days():
    check = check_window(NORMATIVE, D(2024, 9, 25), D(2024, 10, 8), CAL)
    assert check.minimum.label == "7个工作日"
    assert "规范性文件的征求意见期一般不少于7个工作日" in check.warning()


def test_a_reversed_window_is_refused_even_without_a_minimum():
    assert "早于开始日期" in check_window(OTHER, D(2024, 10, 10), D(2024, 9, 25), CAL).problem("理由")


def test_years_without_a_holiday_arrangement_are_named():
    check = check_window(NORMATIVE, D(2027, 9, 25), D(2027, 10, 20), CAL)
    assert check.missing_years == [2027]
    assert "2027年" in check.calendar_note()
    assert check_window(MARKET, D(2024, 9, 25), D(2024, 10, 10), CAL).calendar_note() == ""


def test_doc_type_labels():
    assert list(DOC_TYPES.values()) == ["重大行政决策", "涉及市场主体", "规范性文件", "其他"]


def test_feedback_countdown_in_working_days():
    from draft.window_rules import feedback_status

    closed = D(2024, 10, 10)                               # due 2024-11-06 (20 working days)
    on_close = feedback_status(closed, D(2024, 10, 10), CAL)
    assert (on_close.due, on_close.working_days_left, on_close.overdue) == (D(2024, 11, 6), 20, False)
    assert feedback_status(closed, D(2024, 11, 6), CAL).working_days_left == 0
    late = feedback_status(closed, D(2024, 11, 11), CAL)   # Thu 7, Fri 8, Mon 11
    assert (late.overdue, late.overdue_days, late.working_days_left) == (True, 3, 0)
    assert feedback_status(closed, D(2024, 10, 14), CAL, working_days=5).due == D(2024, 10, 16)  # Sat 12 worked
