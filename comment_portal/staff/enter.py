"""Comments from other channels: one typed in by staff (letter, e-mail, phone, meeting) or a CSV/XLSX import.

Staff may enter comments outside the comment window (letters arrive late). A typed-in comment gets its
tokens and a receipt code (shown to staff to pass on) and an audit row, in one transaction. Without
JavaScript, "建议条款" submits the form and lists the analysis engine's clause suggestions as choices.
"""

from __future__ import annotations

from flask import Response, current_app, flash, g, redirect, render_template, request, url_for

import analysis

from .. import audit, importer, triage
from .. import comments as comment_q
from .. import consultations as consultation_q
from ..clock import now, today_local
from ..db import get_db, write
from ..tokens import tokenize
from ..window import received_on_error
from . import bp
from .dashboard import consultation_or_404
from .queue import clause_choices
from .triage_forms import EnterCommentForm, ImportForm

#: Uploads for the import page may be larger than a comment form (MAX_CONTENT_LENGTH).
IMPORT_MAX_BYTES = 20 * 1024 * 1024


def _is_admin_session() -> bool:
    """Only an admin's upload may exceed the normal limit (anonymous bodies are never parsed that large)."""
    from flask import session

    from .. import staff_accounts

    staff_id = session.get("staff_id")
    account = staff_accounts.get(get_db(), staff_id) if staff_id is not None else None
    return bool(account and account["role"] == "admin" and not account["disabled"])


@bp.record_once
def _raise_upload_limit(state) -> None:
    """Before CSRF parses the form (an app-level hook), lift the body limit for the import upload only."""

    def lift() -> None:
        if request.endpoint == "staff.import_comments" and request.method == "POST" and _is_admin_session():
            request.max_content_length = state.app.config.get("IMPORT_MAX_BYTES", IMPORT_MAX_BYTES)

    state.app.before_request_funcs.setdefault(None, []).insert(0, lift)


def _suggested(c: dict, body: str) -> list[dict]:
    if not body or len(body.strip()) < 2:
        return []
    db = get_db()
    keys = analysis.suggest_clauses(body, consultation_q.load_draft(c), top=3)
    return [x for x in (consultation_q.clause(db, c["id"], k) for k in keys) if x]


@bp.route("/c/<slug>/enter", methods=["GET", "POST"])
def enter_comment(slug: str):
    db = get_db()
    c = consultation_or_404(slug)
    form = EnterCommentForm()
    form.clause.choices = clause_choices(db, c["id"])
    if request.method == "GET":
        form.received_on.data = today_local()
        form.clause.data = triage.WHOLE
    suggestions: list[dict] = []
    code = 200
    if request.method == "POST":
        if "suggest" in request.form or "pick" in request.form:
            suggestions = _suggested(c, form.body.data or "")
            picked = request.form.get("pick")
            if picked and any(picked == key for key, _ in form.clause.choices):
                form.clause.data = picked
            elif suggestions and form.clause.data in (None, "", triage.WHOLE):
                form.clause.data = suggestions[0]["key"]
            if not suggestions:
                flash("请先填写意见内容，再获取建议条款。", "error")
        elif form.validate_on_submit():
            problem = received_on_error(form.received_on.data, c, today_local())
            if problem:
                form.received_on.errors = [*form.received_on.errors, problem + "。"]
                code = 400
            else:
                stored = _store(c, form)
                flash(f"意见已录入，回执编号：{stored['receipt_code']}。请将回执编号告知提交人，可凭此查询处理情况。", "success")
                return redirect(url_for("staff.comment", slug=slug, comment_id=stored["id"]), code=303)
        else:
            code = 400
    return render_template("staff/enter.html", c=c, form=form, suggestions=suggestions, whole=triage.WHOLE), code


def _store(c: dict, form: EnterCommentForm) -> dict:
    db = get_db()
    key = None if form.clause.data == triage.WHOLE else form.clause.data
    body = form.body.data
    with write(db):
        stored = comment_q.insert(
            db, consultation_id=c["id"], clause_key=key, body=body, submitter_type=form.submitter_type.data,
            name=form.name.data or "", contact=form.contact.data or "", now=now(), channel=form.channel.data,
            received_on=form.received_on.data.isoformat(), tokens=tokenize(body, c), entered_by=g.staff["id"],
        )
        audit.record(db, action="comment.enter", now=now(), staff=g.staff, consultation_id=c["id"], entity="comment",
                     entity_id=stored["id"], after={"clause_key": key, "channel": form.channel.data,
                                                    "received_on": form.received_on.data.isoformat(),
                                                    "submitter_type": form.submitter_type.data,
                                                    "receipt_code": stored["receipt_code"], "length": len(body)})
    return stored


@bp.route("/c/<slug>/import", methods=["GET", "POST"])
def import_comments(slug: str):
    """Admin only (not in REVIEWER_ENDPOINTS): the same importer as ``comment-portal import-comments``."""
    c = consultation_or_404(slug)
    form = ImportForm()
    result = None
    error = ""
    code = 200
    if form.validate_on_submit():
        upload = form.file.data
        name = upload.filename or "upload"
        try:
            result = importer.import_comments(get_db(), c, upload.read(), name, now=now(), staff=g.staff)
        except importer.ImportFileError as exc:
            error, code = str(exc), 400
        else:
            current_app.logger.info("staff %s imported %d comments into %s", g.staff["username"],
                                    len(result.inserted), slug)
            code = 200 if not result.errors else 422 if not result.inserted else 200
    elif request.method == "POST":
        code = 400
    return render_template("staff/import.html", c=c, form=form, result=result, error=error,
                           max_mb=IMPORT_MAX_BYTES // (1024 * 1024)), code


@bp.get("/c/<slug>/import/template.csv")
def import_template(slug: str):
    """An example file with the expected columns (admin, like the import page)."""
    consultation_or_404(slug)
    return Response(importer.template_csv(), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=import-template.csv"})
