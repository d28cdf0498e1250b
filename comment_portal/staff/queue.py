"""The triage queue of a consultation and the page of one comment (status, note, group, clause).

Each view validates its form and calls one function of ``triage`` or ``groups``, which writes the change
and its audit row in one transaction. Nothing is deleted: spam and duplicates are statuses, and
restoring brings a comment back into the normal flow.
"""

from __future__ import annotations

import math

from flask import abort, flash, g, redirect, render_template, request, url_for

import analysis

from .. import consultations as consultation_q
from .. import groups as group_q
from .. import triage
from ..clock import now
from ..db import get_db
from ..sanitize import clean_text
from ..vocabulary import CHANNELS, STATUSES, SUBMITTER_TYPES
from ..web import Routes, consultation_or_404
from . import access
from .decisions import decision_panel
from .triage_forms import BulkForm, ClauseForm, CreateGroupForm, MoveForm, NoteForm, StatusForm

routes = Routes()
register = routes.register  # called by the package's ``register`` with its blueprint

NEW_GROUP = "new"


def _filters() -> triage.Filters:
    args = request.args
    return triage.Filters(
        clause=args.get("clause", ""), status=args.get("status", "") if args.get("status") in STATUSES else "",
        channel=args.get("channel", "") if args.get("channel") in CHANNELS else "",
        submitter_type=args.get("type", "") if args.get("type") in SUBMITTER_TYPES else "",
        group=args.get("group", ""), q=clean_text(args.get("q", ""), multiline=False)[:100], new=args.get("new") == "1",
    )


def clause_choices(db, consultation_id: int) -> list[tuple[str, str]]:
    """(value, label) for a clause select: the whole draft first, then every clause in draft order."""
    out = [(triage.WHOLE, "对征求意见稿整体")]
    for c in consultation_q.clauses_of(db, consultation_id):
        indent = "\u3000" * max(0, (c["level"] or 1) - 1)
        text = c["heading"] or (c["body"] or "")[:24]
        out.append((c["key"], f"{indent}{c['label'] or ''}{text}"))
    return out


@routes.get("/c/<slug>/queue")
def queue(slug: str):
    db = get_db()
    c = consultation_or_404(slug)
    f = _filters()
    page_no = max(1, request.args.get("page", 1, type=int))
    items, total = triage.page(db, c["id"], f, page_no)
    pages = max(1, math.ceil(total / triage.PAGE_SIZE))
    group_list = group_q.choices(db, c["id"])
    counts = triage.counts(db, c["id"], f)
    create_form = CreateGroupForm()
    return render_template(
        "staff/queue.html", c=c, f=f, items=items, total=total, page_no=page_no, pages=pages, counts=counts,
        clauses=clause_choices(db, c["id"]), groups=group_list, statuses=STATUSES, channels=CHANNELS,
        submitter_types=[(t, t) for t in SUBMITTER_TYPES],
        clause_counts={triage.WHOLE if key is None else key: n for key, n in counts["clause"].items()},
        last_run=triage.last_run(db, c["id"]), create_form=create_form,
        args={k: v for k, v in f.active().items()},
    )


def _comment_or_404(c: dict, comment_id: int) -> dict:
    row = triage.get(get_db(), c["id"], comment_id)
    if row is None:
        abort(404)
    return access.contact_for_role(row)


def _forms(db, c: dict, comment: dict, **given):
    status = given.get("status_form") or StatusForm(formdata=None, data={"duplicate_of": comment["duplicate_of"]})
    note = given.get("note_form") or NoteForm(formdata=None, data={"note": comment["staff_note"] or ""})
    move = given.get("move_form") or MoveForm(formdata=None, data={"group": str(comment["group_id"] or "")})
    clause = given.get("clause_form") or ClauseForm(formdata=None, data={"clause": comment["clause_key"] or triage.WHOLE})
    _fill_move_choices(db, c, move)
    clause.clause.choices = clause_choices(db, c["id"])
    return {"status_form": status, "note_form": note, "move_form": move, "clause_form": clause}


def _fill_move_choices(db, c: dict, form: MoveForm) -> None:
    form.group.choices = [(NEW_GROUP, "（新建一个分组）")] + [
        (str(x["id"]), f"{x['title']}（{x['clause_label']}，{x['size']}条）") for x in group_q.choices(db, c["id"])
    ]


def _suggestions(c: dict, comment: dict) -> list[dict]:
    db = get_db()
    keys = analysis.suggest_clauses(comment["body"], consultation_q.load_draft(c), top=3)
    return [x for x in (consultation_q.clause(db, c["id"], k) for k in keys) if x]


def _comment_page(c: dict, comment: dict, code: int = 200, **forms):
    db = get_db()
    group = group_q.get(db, c["id"], comment["group_id"]) if comment["group_id"] else None
    duplicate_of = triage.get(db, c["id"], comment["duplicate_of"]) if comment["duplicate_of"] else None
    return render_template(
        "staff/comment.html", c=c, comment=comment, group=group, duplicate_of=duplicate_of,
        statuses=STATUSES, channels=CHANNELS, suggestions=_suggestions(c, comment),
        comment_decision=decision_panel(c, comment_id=comment["id"]),
        back=request.args.get("back", ""), **_forms(db, c, comment, **forms),
    ), code


@routes.get("/c/<slug>/comments/<int:comment_id>")
def comment(slug: str, comment_id: int):
    c = consultation_or_404(slug)
    row = _comment_or_404(c, comment_id)
    page = _comment_page(c, row)
    if row["is_new"]:  # staff have now seen it: no longer 新 elsewhere (this page still says it was)
        triage.mark_seen(get_db(), c["id"], comment_id, staff=g.staff, now=now())
    return page


def _done(c: dict, comment_id: int, message: str):
    flash(message, "success")
    return redirect(url_for("staff.comment", slug=c["slug"], comment_id=comment_id), code=303)


@routes.post("/c/<slug>/comments/<int:comment_id>/status")
def comment_status(slug: str, comment_id: int):
    c = consultation_or_404(slug)
    row = _comment_or_404(c, comment_id)
    form = StatusForm()
    if not form.validate_on_submit():
        return _comment_page(c, row, 400, status_form=form)
    try:
        status = triage.set_status(get_db(), c["id"], comment_id, form.status.data,
                                   duplicate_of=form.duplicate_of.data, staff=g.staff, now=now())
    except triage.TriageError as problem:
        field = form.duplicate_of if form.status.data == "duplicate" else form.status
        field.errors = [*field.errors, str(problem)]
        return _comment_page(c, row, 400, status_form=form)
    return _done(c, comment_id, f"已将意见 {comment_id} 的状态改为“{STATUSES[status]}”。")


@routes.post("/c/<slug>/comments/<int:comment_id>/note")
def comment_note(slug: str, comment_id: int):
    c = consultation_or_404(slug)
    row = _comment_or_404(c, comment_id)
    form = NoteForm()
    if not form.validate_on_submit():
        return _comment_page(c, row, 400, note_form=form)
    triage.set_note(get_db(), c["id"], comment_id, form.note.data, staff=g.staff, now=now())
    return _done(c, comment_id, "内部备注已保存。")


@routes.post("/c/<slug>/comments/<int:comment_id>/group")
def comment_group(slug: str, comment_id: int):
    db = get_db()
    c = consultation_or_404(slug)
    row = _comment_or_404(c, comment_id)
    form = MoveForm()
    _fill_move_choices(db, c, form)
    if not form.validate_on_submit():
        return _comment_page(c, row, 400, move_form=form)
    target = None if form.group.data == NEW_GROUP else int(form.group.data)
    try:
        moved = group_q.move_comment(db, c["id"], comment_id, target, new_title=form.new_title.data or "",
                                     staff=g.staff, now=now())
    except group_q.GroupError as exc:
        form.group.errors = [*form.group.errors, str(exc)]
        return _comment_page(c, row, 400, move_form=form)
    return _done(c, comment_id, "已移到所选分组。" if moved is not None else "意见已在该分组中，未作改动。")


@routes.post("/c/<slug>/comments/<int:comment_id>/clause")
def comment_clause(slug: str, comment_id: int):
    db = get_db()
    c = consultation_or_404(slug)
    row = _comment_or_404(c, comment_id)
    form = ClauseForm()
    form.clause.choices = clause_choices(db, c["id"])
    if not form.validate_on_submit():
        return _comment_page(c, row, 400, clause_form=form)
    key = None if form.clause.data == triage.WHOLE else form.clause.data
    triage.set_clause(db, c["id"], comment_id, key, staff=g.staff, now=now())
    return _done(c, comment_id, "对应条款已调整。")


def _back_to_queue(slug: str) -> str:
    """The queue page the form was posted from (with its filters), or the queue."""
    back = request.form.get("back", "")
    return back if back.startswith(f"/staff/c/{slug}/queue") else url_for("staff.queue", slug=slug)


def _form_errors(form) -> str:
    return "；".join(e for errors in form.errors.values() for e in errors)


@routes.post("/c/<slug>/groups/new")
def group_create(slug: str):
    """The comments checked in the queue become a new manual group."""
    c = consultation_or_404(slug)
    form = CreateGroupForm()
    if not form.validate_on_submit():
        flash(_form_errors(form), "error")
        return redirect(_back_to_queue(slug), code=303)
    try:
        group_id, count = group_q.create_from_comments(get_db(), c["id"], form.comment_ids.data,
                                                       title=form.title.data or "", staff=g.staff, now=now())
    except group_q.GroupError as exc:
        flash(str(exc), "error")
        return redirect(_back_to_queue(slug), code=303)
    flash(f"已用 {count} 条意见新建分组。", "success")
    return redirect(url_for("staff.group", slug=slug, group_id=group_id), code=303)


@routes.post("/c/<slug>/queue/bulk")
def queue_bulk(slug: str):
    """The comments checked in the queue: mark as spam, restore, or move into an existing group."""
    c = consultation_or_404(slug)
    form = BulkForm()
    if not form.validate_on_submit():
        flash(_form_errors(form), "error")
        return redirect(_back_to_queue(slug), code=303)
    target = form.target.data or ""
    try:
        result = triage.bulk_change(get_db(), c["id"], form.comment_ids.data, form.action.data,
                                    group_id=int(target) if target.isdigit() else None, staff=g.staff, now=now())
    except triage.TriageError as exc:
        flash(str(exc), "error")
        return redirect(_back_to_queue(slug), code=303)
    label = {"spam": "标为无效", "pending": "恢复为正常处理", "move": "移到所选分组"}[form.action.data]
    flash(f"已将 {result.changed} 条意见{label}。", "success")
    if result.skipped:
        flash(f"意见 {'、'.join(map(str, result.skipped))} 未修改：已被提出人撤回，或有其他意见被标为与其重复（请先处理这些重复意见）。",
              "error")
    return redirect(_back_to_queue(slug), code=303)
