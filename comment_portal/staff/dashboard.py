"""The staff home: consultations with their triage counts."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from flask import render_template
from sqlite_utils import Database

from draft.window_rules import feedback_status

from .. import store
from ..clock import now, today_local
from ..db import get_db
from ..store.rows import Consultation
from ..vocabulary import CHANNELS, CONSULTATION_STATES, PUBLIC_STATE, STATUSES, SUPPORT
from ..web import Routes, consultation_or_404
from ..window import CLOSED, STATUS_LABELS, Window

routes = Routes()


@routes.get("/")
def home():
    db = get_db()
    items = with_deadlines(db, store.consultations.list_with_counts(db))
    status_counts = store.comments.status_counts_all(db)
    return render_template("staff/home.html", consultations=items, status_counts=status_counts,
                           feedback_days=store.site_settings.get(db).feedback_working_days)


def with_deadlines(db: Database, consultations: list[Consultation]) -> list[dict[str, Any]]:
    """Each consultation (as a dict, for the template) with its window status and, once the window has closed and
    until the feedback is published, its feedback deadline (``due``: draft.window_rules.FeedbackDue). Overdue ones
    first (most overdue first), then those counting down (soonest first), then the rest in their order."""
    calendar = store.holidays.calendar(db)
    working_days = store.site_settings.get(db).feedback_working_days
    moment, today = now(), today_local()
    out = []
    for consultation in consultations:
        window = Window.of(consultation)
        status = window.status(moment)
        due = None
        if (consultation.state == PUBLIC_STATE and status == CLOSED
                and not store.published.latest_version(db, consultation.id)):
            due = feedback_status(window.closes_on, today, calendar, working_days)
        out.append(asdict(consultation) | {"status": status, "status_label": STATUS_LABELS[status], "due": due,
                                           "state_label": CONSULTATION_STATES.get(consultation.state, "")})

    def rank(item: dict[str, Any]) -> tuple[int, int]:
        due = item["due"]
        if due is None:
            return (2, 0)
        return (0, -due.overdue_days) if due.overdue else (1, due.working_days_left)

    return sorted(out, key=rank)


def heat_level(count: int, top: int) -> int:
    """0–5 shade for the heat map (0 = no comments)."""
    if count <= 0 or top <= 0:
        return 0
    return max(1, min(5, round(5 * count / top)))


@routes.get("/c/<slug>/")
def dashboard(slug: str):
    db = get_db()
    consultation = consultation_or_404(slug)
    clauses = store.consultations.clauses_of(db, consultation.id)
    counts = store.comments.counts_by_clause_all_statuses(db, consultation.id)
    valid = {key: n for key, n in counts.get("valid", {}).items()}
    top = max(valid.values(), default=0)
    heat = [asdict(clause) | {"count": valid.get(clause.key, 0), "shade": heat_level(valid.get(clause.key, 0), top)}
            for clause in clauses]
    return render_template(
        "staff/dashboard.html",
        consultation=consultation,
        heat=heat,
        whole=valid.get(None, 0),
        whole_shade=heat_level(valid.get(None, 0), top),
        by_status=store.comments.status_counts(db, consultation.id),
        by_channel=store.comments.channel_counts(db, consultation.id),
        statuses=STATUSES,
        channels=CHANNELS,
        bars=decision_chart(consultation),
        mail_problems=store.outbox.problems(db, consultation.id),
    )


def decision_chart(consultation: Consultation) -> list[dict[str, Any]]:
    """Bars for the dashboard: valid comments per decision category, then 待决定."""
    counts = store.decisions.effective_counts(get_db(), consultation.id)
    bars = [(cat, counts.get(cat, 0), f"cat-{i % 5}") for i, cat in enumerate(store.decisions.categories(consultation))]
    bars.append((SUPPORT, counts.get(SUPPORT, 0), "cat-support"))
    known = {b[0] for b in bars}
    other = sum(n for cat, n in counts.items() if cat and cat not in known)
    if other:
        bars.append(("其他（分类已停用）", other, "cat-other"))
    bars.append(("待决定", counts.get("", 0), "cat-none"))
    top = max((n for _, n, _ in bars), default=0) or 1
    return [{"label": label, "count": n, "css": css, "width": round(300 * n / top)} for label, n, css in bars]
