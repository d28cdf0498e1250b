"""The window, managed in the open (admins; issue 9 §3): 文件类型 and dates, publishing a draft, 延长征求意见期,
提前截止 and 重新开放, each with its reason (``store.windows``); the site settings and the holiday calendar."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import date
from itertools import groupby
from typing import Any

from flask import flash, g, redirect, render_template, url_for
from flask_wtf import FlaskForm

from draft.calendar import KIND_LABELS as HOLIDAY_KINDS
from draft.window_rules import DOC_TYPES, feedback_status
from exports.wording import format_date

from .. import store
from ..clock import now, today_local
from ..db import get_db
from ..store.rows import Consultation
from ..vocabulary import CONSULTATION_STATES, DRAFT_STATE, PUBLIC_STATE
from ..web import Routes, consultation_or_404
from ..window import CLOSED, STATUS_LABELS, Window
from .changes import Changes, Refused
from .forms import (
    CloseForm,
    ExtendForm,
    HolidayDeleteForm,
    HolidayForm,
    OpenForm,
    ReopenForm,
    SiteSettingsForm,
    WindowForm,
)

routes = Routes()


def _page(consultation: Consultation, code: int = 200, **forms: FlaskForm) -> tuple[str, int]:
    db = get_db()
    window = Window.of(consultation)
    status = window.status(now())
    settings = store.site_settings.get(db)
    due = (feedback_status(window.closes_on, today_local(), store.holidays.calendar(db),
                           settings.feedback_working_days)
           if consultation.state == PUBLIC_STATE and status == CLOSED else None)
    defaults = {
        "window_form": WindowForm(formdata=None, data={"doc_type": consultation.doc_type, "opens_on": window.opens_on,
                                                       "closes_on": window.closes_on,
                                                       "short_reason": consultation.short_reason}),
        "open_form": OpenForm(formdata=None), "extend_form": ExtendForm(formdata=None),
        "close_form": CloseForm(formdata=None), "reopen_form": ReopenForm(formdata=None),
    }
    defaults.update(forms)
    return render_template(
        "staff/window.html", consultation=consultation, status=status, status_label=STATUS_LABELS[status],
        state_label=CONSULTATION_STATES.get(consultation.state, consultation.state), doc_types=DOC_TYPES,
        check=store.windows.check(db, consultation.id), changes=store.windows.changes(db, consultation.id),
        open_problem=store.windows.open_problem(db, consultation.id, now()) if consultation.state == DRAFT_STATE else "",
        due=due, feedback_days=settings.feedback_working_days, **defaults,
    ), code


@routes.get("/c/<slug>/window")
def window(slug: str):
    return _page(consultation_or_404(slug))


CHANGES = Changes()


def _here(consultation: Consultation) -> str:
    return url_for("staff.window", slug=consultation.slug)


@contextmanager
def _refused_on(form: FlaskForm, default: str) -> Iterator[None]:
    """A change ``store.windows`` refuses: its reason shown on the field it concerns (the ``default`` field when it
    concerns the change as a whole, or this form has no such field), on the page shown again with what was typed."""
    try:
        yield
    except store.windows.WindowError as problem:
        raise Refused(str(problem), getattr(form, problem.field or default, None) or form[default]) from None


@CHANGES.add("schedule", WindowForm, "window_form")
def _schedule(consultation: Consultation, form: WindowForm) -> tuple[str, str]:
    with _refused_on(form, "short_reason"):
        store.windows.schedule(get_db(), consultation.id, doc_type=form.doc_type.data, opens_on=form.opens_on.data,
                               closes_on=form.closes_on.data, short_reason=form.short_reason.data or "",
                               reason=form.reason.data or "", staff=g.staff, now=now())
    return (f"已保存：{DOC_TYPES[form.doc_type.data]}，{format_date(form.opens_on.data)}至{format_date(form.closes_on.data)}。",
            _here(consultation))


@CHANGES.add("open", OpenForm, "open_form")
def _open(consultation: Consultation, form: OpenForm) -> tuple[str, str]:
    with _refused_on(form, "confirm"):
        store.windows.open_consultation(get_db(), consultation.id, staff=g.staff, now=now())
    return "已发布：征求意见稿已在网站公开。", _here(consultation)


def _new_closing_day(change: Callable[..., None], consultation: Consultation, form: ExtendForm | ReopenForm) -> str:
    """延长 or 重新开放: the store's ``change`` to the form's new closing day, with its reason; that day in Chinese."""
    with _refused_on(form, "closes_on"):
        change(get_db(), consultation.id, form.closes_on.data, form.reason.data, staff=g.staff, now=now())
    return format_date(form.closes_on.data)


@CHANGES.add("extend", ExtendForm, "extend_form")
def _extend(consultation: Consultation, form: ExtendForm) -> tuple[str, str]:
    return f"征求意见期已延长至{_new_closing_day(store.windows.extend, consultation, form)}。", _here(consultation)


@CHANGES.add("close", CloseForm, "close_form")
def _close(consultation: Consultation, form: CloseForm) -> tuple[str, str]:
    with _refused_on(form, "reason"):
        store.windows.close_early(get_db(), consultation.id, form.reason.data, staff=g.staff, now=now())
    return "已提前截止，不再接收意见。", _here(consultation)


@CHANGES.add("reopen", ReopenForm, "reopen_form")
def _reopen(consultation: Consultation, form: ReopenForm) -> tuple[str, str]:
    return f"已重新开放，截止日期为{_new_closing_day(store.windows.reopen, consultation, form)}。", _here(consultation)


def window_change(slug: str, change: str) -> Any:
    """One change of the window (schedule, publish, extend, close early, reopen), then back to the window page."""
    consultation = consultation_or_404(slug)
    return CHANGES.run(change, args=(consultation,), back=_here(consultation), prepare=lambda form: form,
                       again=lambda **posted: _page(consultation, 400, **posted))


CHANGES.routes(routes, "/c/<slug>/window/<change>", "window", window_change)


# -- the site ---------------------------------------------------------------------------------------------
@routes.route("/site", methods=["GET", "POST"])
def site_settings():
    db = get_db()
    form = SiteSettingsForm(data=asdict(store.site_settings.get(db)))
    if form.validate_on_submit():
        changed = store.site_settings.update(db, {name: getattr(form, name).data if name == "feedback_working_days"
                                                  else (getattr(form, name).data or "")
                                                  for name in store.site_settings.NAMES}, staff=g.staff, now=now())
        flash("已保存。" if changed else "没有改动。", "success")
        return redirect(url_for("staff.site_settings"), code=303)
    return render_template("staff/site.html", form=form), 400 if form.is_submitted() else 200


def _holidays_page(form: HolidayForm, code: int = 200):
    days = store.holidays.days(get_db())
    rows = [{"day": d.day.isoformat(), "weekday": d.day.weekday(), "kind": d.kind, "name": d.name} for d in days]
    by_year = [(year, list(group)) for year, group in groupby(rows, key=lambda d: int(str(d["day"])[:4]))]
    years = sorted({d.day.year for d in days})
    return render_template("staff/holidays.html", form=form, by_year=by_year[::-1], years=years,
                           kinds=HOLIDAY_KINDS), code


@routes.get("/holidays")
def holidays():
    return _holidays_page(HolidayForm(formdata=None))


@routes.post("/holidays/add")
def holiday_add():
    form = HolidayForm()
    if not form.validate_on_submit():
        return _holidays_page(form, 400)
    try:
        store.holidays.set_day(get_db(), form.day.data, form.kind.data, form.name.data or "", staff=g.staff, now=now())
    except store.holidays.HolidayError as exc:
        form.day.errors = [*form.day.errors, str(exc)]
        return _holidays_page(form, 400)
    flash(f"已保存 {format_date(form.day.data)}（{HOLIDAY_KINDS[form.kind.data]}）。", "success")
    return redirect(url_for("staff.holidays"), code=303)


@routes.post("/holidays/delete")
def holiday_delete():
    form = HolidayDeleteForm()
    try:
        day = date.fromisoformat(form.day.data) if form.validate_on_submit() else None
    except ValueError:
        day = None
    if day is None:
        flash("日期格式不正确。", "error")
    elif store.holidays.delete_day(get_db(), day, staff=g.staff, now=now()):
        flash(f"已删除 {format_date(day)}。", "success")
    return redirect(url_for("staff.holidays"), code=303)
