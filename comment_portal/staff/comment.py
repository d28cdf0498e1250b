"""The page of one comment and staff's changes to it: status (spam, duplicate, restore), private note,
group, clause.

Each change validates its form and calls one function of ``store.comments`` or ``store.groups``, which
writes it with its audit row in one transaction. Nothing is deleted: spam and duplicates are statuses, and
restoring brings a comment back into the normal flow.
"""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for

import analysis

from .. import store
from ..clock import now
from ..db import get_db
from ..vocabulary import CHANNELS, STATUSES
from ..web import Routes, consultation_or_404
from . import access
from .decisions import decision_panel
from .forms import ClauseForm, MoveForm, NoteForm, StatusForm
from .queue import clause_choices

routes = Routes()
register = routes.register  # called by the package's ``register`` with its blueprint

NEW_GROUP = "new"


def _comment_or_404(c: dict, comment_id: int) -> dict:
    row = store.comments.get(get_db(), c["id"], comment_id)
    if row is None:
        abort(404)
    return access.contact_for_role(row)


def _forms(db, c: dict, comment: dict, **given):
    status = given.get("status_form") or StatusForm(formdata=None, data={"duplicate_of": comment["duplicate_of"]})
    note = given.get("note_form") or NoteForm(formdata=None, data={"note": comment["staff_note"] or ""})
    move = given.get("move_form") or MoveForm(formdata=None, data={"group": str(comment["group_id"] or "")})
    clause = given.get("clause_form") or ClauseForm(formdata=None, data={"clause": comment["clause_key"] or store.queue.WHOLE})
    _fill_move_choices(db, c, move)
    clause.clause.choices = clause_choices(db, c["id"])
    return {"status_form": status, "note_form": note, "move_form": move, "clause_form": clause}


def _fill_move_choices(db, c: dict, form: MoveForm) -> None:
    form.group.choices = [(NEW_GROUP, "（新建一个分组）")] + [
        (str(x["id"]), f"{x['title']}（{x['clause_label']}，{x['size']}条）") for x in store.groups.choices(db, c["id"])
    ]


def _suggestions(c: dict, comment: dict) -> list[dict]:
    db = get_db()
    keys = analysis.suggest_clauses(comment["body"], store.consultations.load_draft(c), top=3)
    return [x for x in (store.consultations.clause(db, c["id"], k) for k in keys) if x]


def _comment_page(c: dict, comment: dict, code: int = 200, **forms):
    db = get_db()
    group = store.groups.get(db, c["id"], comment["group_id"]) if comment["group_id"] else None
    duplicate_of = store.comments.get(db, c["id"], comment["duplicate_of"]) if comment["duplicate_of"] else None
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
        store.comments.mark_seen(get_db(), c["id"], comment_id, staff=g.staff, now=now())
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
        status = store.comments.set_status(get_db(), c["id"], comment_id, form.status.data,
                                           duplicate_of=form.duplicate_of.data, staff=g.staff, now=now())
    except store.comments.CommentError as problem:
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
    store.comments.set_note(get_db(), c["id"], comment_id, form.note.data, staff=g.staff, now=now())
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
        moved = store.groups.move_comment(db, c["id"], comment_id, target, new_title=form.new_title.data or "",
                                          staff=g.staff, now=now())
    except store.groups.GroupError as exc:
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
    key = None if form.clause.data == store.queue.WHOLE else form.clause.data
    store.comments.set_clause(db, c["id"], comment_id, key, staff=g.staff, now=now())
    return _done(c, comment_id, "对应条款已调整。")
