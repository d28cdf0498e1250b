"""Erasing a submitter's name and contact on request (个人信息保护法), admin only (not on the reviewer allow-list).

A page that says what will happen, lists the same submitter's other comments to include, and asks for the
request details and a confirmation; the change itself is :func:`submitter_rights.erase_personal_data`.
"""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, url_for

from .. import store
from ..clock import now
from ..db import get_db
from ..web import Routes, consultation_or_404
from .forms import EraseForm

routes = Routes()


@routes.route("/c/<slug>/comments/<int:comment_id>/erase", methods=["GET", "POST"])
def erase_personal_data(slug: str, comment_id: int):
    db = get_db()
    consultation = consultation_or_404(slug)
    comment = store.comments.get(db, consultation.id, comment_id)
    if comment is None:
        abort(404)
    others = store.submitter_rights.same_submitter(db, consultation.id, comment)
    form = EraseForm()
    form.also.choices = [(o.id, f"意见 {o.id}") for o in others]
    if form.validate_on_submit():
        try:
            erased = store.submitter_rights.erase_personal_data(db, consultation, [comment_id, *form.also.data], reason=form.reason.data,
                                                                staff=g.staff, now=now())
        except store.submitter_rights.RightsError as exc:
            form.reason.errors = [*form.reason.errors, str(exc)]
        else:
            flash(f"已删除 {len(erased)} 条意见中提出人的姓名和联系方式，意见正文中的个人信息已遮盖（意见 "
                  f"{'、'.join(map(str, erased))}）。", "success")
            return redirect(url_for("staff.comment", slug=slug, comment_id=comment_id), code=303)
    submission = store.submitter_rights.rest_of_submission(db, consultation.id, comment_id)
    return render_template("staff/erase.html", consultation=consultation, comment=comment, others=others, form=form,
                           submission=submission), (
        400 if form.errors else 200)
