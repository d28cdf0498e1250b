"""Comments from other channels: one typed in by staff (letter, e-mail, phone, meeting) or a CSV/XLSX import.

Staff may enter comments outside the comment window (letters arrive late). A typed-in comment gets its
tokens and a receipt code (shown to staff to pass on) and an audit row, in one transaction. Without
JavaScript, "建议条款" submits the form and lists the analysis engine's clause suggestions as choices.
"""

from __future__ import annotations

from flask import Response, current_app, flash, g, redirect, render_template, request, url_for

from .. import form_tokens, importer, jobs, store
from ..clock import now, today_local
from ..db import get_db
from ..store.rows import Clause, Comment, Consultation
from ..tokens import tokenize
from ..web import Routes, consultation_or_404
from ..window import received_on_error
from . import access
from .forms import EnterCommentForm, ImportForm
from .jobs import job_box
from .queue import clause_choices

routes = Routes()


@routes.route("/c/<slug>/enter", methods=["GET", "POST"])
def enter_comment(slug: str):
    db = get_db()
    consultation = consultation_or_404(slug)
    form = EnterCommentForm()
    form.clause.choices = clause_choices(db, consultation.id)
    if request.method == "GET":
        form.received_on.data = today_local()
        form.clause.data = store.queue.WHOLE
    suggestions: list[Clause] = []
    code = 200
    if request.method == "POST":
        if "suggest" in request.form or "pick" in request.form:
            suggestions = store.consultations.suggested_clauses(db, consultation, form.body.data or "")
            picked = request.form.get("pick")
            if picked and any(picked == key for key, _ in form.clause.choices):
                form.clause.data = picked
            elif suggestions and form.clause.data in (None, "", store.queue.WHOLE):
                form.clause.data = suggestions[0].key
            if not suggestions:
                flash("请先填写意见内容，再获取建议条款。", "error")
        elif form.validate_on_submit():
            problem = received_on_error(form.received_on.data, consultation, today_local())
            if problem:
                form.received_on.errors = [*form.received_on.errors, problem + "。"]
                code = 400
            else:
                token = form_tokens.verify(current_app.config["SECRET_KEY"], slug, None,
                                           request.form.get("form_token"), form_tokens.STAFF_ENTRY)
                if token is None:
                    flash("页面已过期或不完整，意见尚未录入。您填写的内容仍在下方，请确认后重新提交。", "error")
                    return _page(consultation, form, suggestions, 400, fresh=True)
                stored, repeated = _store(consultation, form, token)
                if repeated:
                    flash(f"这份录入表刚才已经提交过，没有重复录入（回执编号：{stored.receipt_code}）。", "success")
                else:
                    flash(f"意见已录入，回执编号：{stored.receipt_code}。请将回执编号告知提交人，可凭此查询处理情况。",
                          "success")
                return redirect(url_for("staff.comment", slug=slug, comment_id=stored.id), code=303)
        else:
            code = 400
    return _page(consultation, form, suggestions, code)


def _page(consultation: Consultation, form: EnterCommentForm, suggestions: list[Clause], code: int,
          fresh: bool = False):
    """The 录入 form with its idempotency token: the posted one while nothing was stored with it, else new."""
    posted = request.form.get("form_token") if request.method == "POST" and not fresh else None
    token = form_tokens.for_page(current_app.config["SECRET_KEY"], consultation.slug, None, posted,
                                 form_tokens.STAFF_ENTRY)
    return render_template("staff/enter.html", consultation=consultation, form=form, suggestions=suggestions,
                           form_token=token), code


def _store(consultation: Consultation, form: EnterCommentForm, token: str) -> tuple[Comment, bool]:
    body = form.body.data
    return store.comments.enter_once(
        get_db(), staff=g.staff, now=now(), form_token=token, consultation_id=consultation.id, body=body,
        tokens=tokenize(body, consultation),
        clause_key=None if form.clause.data == store.queue.WHOLE else form.clause.data, channel=form.channel.data,
        submitter_type=form.submitter_type.data, name=form.name.data or "", contact=form.contact.data or "",
        received_on=form.received_on.data.isoformat(),
    )


@routes.route("/c/<slug>/import", methods=["GET", "POST"])
def import_comments(slug: str):
    """Admin only (not in REVIEWER_ENDPOINTS): the same importer as ``comment-portal import-comments``, as a
    background job. What can be refused at once (file type, encoding, an unsafe .xlsx) is refused here; the
    page then shows the job's progress and, when it has ended, what it imported and which rows it did not."""
    db = get_db()
    consultation = consultation_or_404(slug)
    form = ImportForm()
    error = ""
    code = 200
    if form.validate_on_submit():
        upload = form.file.data
        name = upload.filename or "upload"
        data = upload.read()
        try:
            importer.check_file(data, name)
        except importer.ImportFileError as exc:
            error, code = str(exc), 400
        else:
            job = store.jobs.enqueue(db, kind="import", consultation_id=consultation.id, staff=g.staff, now=now(),
                                     params={"filename": name}, data=data)
            current_app.logger.info("staff %s queued import job %d (%s, %d bytes) into %s", g.staff.username,
                                    job.id, name, len(data), slug)
            jobs.start(current_app, job)
            return redirect(url_for("staff.import_comments", slug=slug), code=303)
    elif request.method == "POST":
        code = 400
    box = job_box(consultation, "import")
    ended = box["job"] if box and not box["job"].active else None
    return render_template("staff/import.html", consultation=consultation, form=form, job=box, result=ended.result if ended else None,
                           ended=ended, error=error, max_mb=access.import_max_bytes() // (1024 * 1024)), code


@routes.get("/c/<slug>/import/template.csv")
def import_template(slug: str):
    """An example file with the expected columns (admin, like the import page)."""
    consultation_or_404(slug)
    return Response(importer.template_csv(), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=import-template.csv"})
