"""How long a consultation must stay open, by the kind of document (文件类型), and when its feedback is due.

* 重大行政决策 — 《重大行政决策程序暂行条例》第十五条: 公开征求意见的期限一般不少于30日；因情况紧急等原因需要缩短
  期限的，公开征求意见时应当予以说明.
* 涉及市场主体 — 《优化营商环境条例》第六十二条: documents closely tied to market entities' business are put out
  for comment for, as a rule, at least 30 days (most drafts of a 电商处 are of this kind).
* 规范性文件 — 《国务院办公厅关于加强行政规范性文件制定和监督管理工作的通知》(国办发〔2018〕37号): 期限一般不少于
  7个工作日.
* 其他 — no minimum.

Days count the opening day (a window of 30 days from 2024-09-25 closes on 2024-10-24), as :mod:`draft.notice`
does. A shorter window is allowed only with a 缩短理由 that the public page shows (:meth:`WindowCheck.problem`).
Pure functions of dates and a :class:`draft.calendar.Calendar`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from .calendar import Calendar

MAJOR, MARKET, NORMATIVE, OTHER = "major", "market", "normative", "other"
DOC_TYPES: dict[str, str] = {MAJOR: "重大行政决策", MARKET: "涉及市场主体", NORMATIVE: "规范性文件", OTHER: "其他"}


@dataclass(frozen=True)
class Minimum:
    """A minimum window: ``amount`` calendar days, or working days when ``working_days``."""

    amount: int
    working_days: bool
    basis: str

    @property
    def label(self) -> str:
        return f"{self.amount}个工作日" if self.working_days else f"{self.amount}日"

    def earliest_close(self, opens_on: date, calendar: Calendar) -> date:
        """The first closing day that meets the minimum for a window opening on ``opens_on``."""
        if self.working_days:
            return calendar.nth_working_day(opens_on, self.amount)
        return opens_on + timedelta(days=self.amount - 1)


MINIMUMS: dict[str, Minimum] = {
    MAJOR: Minimum(30, False, "《重大行政决策程序暂行条例》第十五条"),
    MARKET: Minimum(30, False, "《优化营商环境条例》第六十二条"),
    NORMATIVE: Minimum(7, True, "《国务院办公厅关于加强行政规范性文件制定和监督管理工作的通知》（国办发〔2018〕37号）"),
}

#: Feedback (公众意见采纳情况反馈) is due this many working days after the window closes, unless configured.
FEEDBACK_WORKING_DAYS = 20


def _cn(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


@dataclass(frozen=True)
class WindowCheck:
    """A window measured against its document type's minimum."""

    doc_type: str
    opens_on: date
    closes_on: date
    length_days: int
    working_days: int
    minimum: Minimum | None
    earliest_close: date | None
    missing_years: list[int] = field(default_factory=list)

    @property
    def short(self) -> bool:
        """Shorter than the minimum (a 缩短理由 is then required)."""
        return self.earliest_close is not None and self.closes_on < self.earliest_close

    @property
    def length_label(self) -> str:
        return f"{self.length_days}日（{self.working_days}个工作日）"

    def warning(self) -> str:
        """What staff should know (Chinese), or '' when the window meets its minimum."""
        if not self.short or self.minimum is None or self.earliest_close is None:
            return ""
        kind = DOC_TYPES.get(self.doc_type, self.doc_type)
        return (f"{kind}的征求意见期一般不少于{self.minimum.label}（{self.minimum.basis}），"
                f"本次为{self.length_label}；如不缩短，截止日期应不早于{_cn(self.earliest_close)}。")

    def calendar_note(self) -> str:
        """A warning when working days were counted in years whose holiday arrangement is not entered."""
        if not self.missing_years:
            return ""
        years = "、".join(f"{y}年" for y in self.missing_years)
        return f"节假日日历中没有{years}的放假安排，工作日按周一至周五计算；请在“节假日日历”中补充。"

    def problem(self, short_reason: str) -> str:
        """Why this window cannot be used as it is (Chinese), or '' when it can: a window shorter than the
        minimum needs a 缩短理由, which the public page shows."""
        if self.closes_on < self.opens_on:
            return f"截止日期（{_cn(self.closes_on)}）早于开始日期（{_cn(self.opens_on)}）。"
        if self.short and not short_reason.strip():
            return self.warning() + "如确需缩短，请填写缩短理由（将在公开页面上显示）。"
        return ""


def check_window(doc_type: str, opens_on: date, closes_on: date, calendar: Calendar) -> WindowCheck:
    """Measure a window (both days included) against the minimum for ``doc_type``."""
    minimum = MINIMUMS.get(doc_type)
    earliest = minimum.earliest_close(opens_on, calendar) if minimum else None
    last = max(closes_on, earliest or closes_on)
    return WindowCheck(
        doc_type=doc_type,
        opens_on=opens_on,
        closes_on=closes_on,
        length_days=max(0, (closes_on - opens_on).days + 1),
        working_days=calendar.working_days(opens_on, closes_on),
        minimum=minimum,
        earliest_close=earliest,
        missing_years=calendar.missing_years(opens_on, last),
    )


def feedback_due(closes_on: date, calendar: Calendar, working_days: int = FEEDBACK_WORKING_DAYS) -> date:
    """The day the 公众意见采纳情况反馈 should be published by: ``working_days`` working days after the window's last
    day."""
    return calendar.working_days_after(closes_on, working_days)


@dataclass(frozen=True)
class FeedbackDue:
    """Where a closed consultation stands against its feedback deadline on ``today``."""

    due: date
    working_days_left: int   # working days after today up to and including ``due`` (0 once it is due)
    overdue_days: int        # working days after ``due`` up to and including today (0 until then)

    @property
    def overdue(self) -> bool:
        return self.overdue_days > 0


def feedback_status(closes_on: date, today: date, calendar: Calendar,
                    working_days: int = FEEDBACK_WORKING_DAYS) -> FeedbackDue:
    """The feedback deadline of a window that closed on ``closes_on``, counted from ``today``."""
    due = feedback_due(closes_on, calendar, working_days)
    return FeedbackDue(due=due,
                       working_days_left=calendar.working_days(today + timedelta(days=1), due),
                       overdue_days=calendar.working_days(due + timedelta(days=1), today))
