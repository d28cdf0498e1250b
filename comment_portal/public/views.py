"""Public views: consultation list, draft page, comment form, receipt."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from flask import (
    abort,
    current_app,
    g,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from sqlite_utils import Database

from .. import form_tokens, store
from ..clock import now
from ..db import get_db, health
from ..ratelimit import (
    address_key,
    browser_key,
    client_address,
    comment_address_limit,
    comment_limit,
    ensure_browser_id,
    limiter,
)
from ..store.rows import Clause, Comment, Consultation
from ..vocabulary import BODY_MAX, BODY_MIN, PUBLIC_STATUSES, WITHDRAWN
from ..web import Routes, public_consultation_or_404
from ..window import OPEN, STATUS_LABELS, UPCOMING, Window
from . import notice
from .draft_page import cached_page, clause_tree
from .forms import CommentForm, ReceiptLookupForm, WithdrawForm

routes = Routes()
register = routes.register  # called by the package's ``register`` with its blueprint


def _window_context(consultation: Consultation) -> dict[str, Any]:
    window = Window.of(consultation)
    moment = now()
    status = window.status(moment)
    return {
        "window": window,
        "status": status,
        "status_label": STATUS_LABELS[status],
        "days_left": window.days_left(moment),
        "days_until_open": window.days_until_open(moment),
    }


@routes.get("/")
def index():
    db = get_db()
    moment = now()
    items = []
    for consultation in store.consultations.list_with_counts(db, public_only=True):
        window = Window.of(consultation)
        status = window.status(moment)
        items.append(asdict(consultation) | {"status": status, "status_label": STATUS_LABELS[status],
                                             "days_left": window.days_left(moment)})
    return render_template("index.html", consultations=items)


@routes.get("/c/<slug>")
def consultation(slug: str):
    db = get_db()
    draft_consultation = public_consultation_or_404(slug)
    context = _window_context(draft_consultation)
    feedback_version = store.published.latest_version(db, draft_consultation.id)
    site = store.site_settings.get(db)
    marker = store.consultations.change_marker(db, draft_consultation.id) + (
        context["status"], context["days_left"], feedback_version, site)

    def render() -> str:
        clauses = store.consultations.clauses_of(db, draft_consultation.id)
        counts = store.consultations.comment_counts(db, draft_consultation.id)
        return render_template(
            "consultation.html",
            consultation=draft_consultation,
            office=store.reports.issuer(draft_consultation,
                                        store.reports.default_issuer(db, current_app.config.get("ISSUING_BODY", ""))),
            tree=clause_tree(clauses),
            counts=counts,
            total=sum(counts.values()),
            feedback_url=url_for("public.feedback", slug=slug) if feedback_version else None,
            **notice.page_context(db, draft_consultation),
            **context,
        )

    return cached_page(slug, marker, render)


def _form_token(consultation: Consultation, clause: Clause | None, fresh: bool) -> str:
    """The form's idempotency token: the one it was posted with (nothing was stored with it, or this
    would be a receipt, not the form again), else a new one."""
    secret, key = current_app.config["SECRET_KEY"], clause.key if clause else None
    posted = request.form.get("form_token") if request.method == "POST" and not fresh else None
    if posted and form_tokens.verify(secret, consultation.slug, key, posted):
        return posted
    return form_tokens.issue(secret, consultation.slug, key)


def _form_page(consultation: Consultation, clause: Clause | None, form: CommentForm, *, notice: str = "",
               code: int = 200, fresh_token: bool = False):
    ensure_browser_id()
    page = render_template("comment_form.html", consultation=consultation, clause=clause, form=form, notice=notice,
                           form_token=_form_token(consultation, clause, fresh_token), body_min=BODY_MIN,
                           body_max=BODY_MAX, **_window_context(consultation))
    return page, code


def rescue_comment_form(message: str, code: int = 400):
    """Re-render the comment form with what was typed (CSRF failure, rate limit, storage failure)."""
    args = request.view_args or {}
    consultation = public_consultation_or_404(args.get("slug", ""))
    key = args.get("key")
    clause = store.consultations.clause(get_db(), consultation.id, key) if key else None
    if key and clause is None:
        abort(404)
    form = CommentForm(formdata=request.form)
    return _form_page(consultation, clause, form, notice=message, code=code)


def _stored(response) -> bool:
    """Only a newly stored comment counts against the rate limits: not a form with errors, not the same
    form sent again."""
    return bool(g.get("comment_stored"))


@routes.route("/c/<slug>/comment", methods=["GET", "POST"])
@routes.route("/c/<slug>/comment/<key>", methods=["GET", "POST"], endpoint="comment_clause")
@limiter.limit(comment_limit, methods=["POST"], key_func=browser_key, deduct_when=_stored)
@limiter.limit(comment_address_limit, methods=["POST"], key_func=address_key, deduct_when=_stored)
def comment(slug: str, key: str | None = None):
    db = get_db()
    consultation = public_consultation_or_404(slug)
    clause = None
    if key is not None:
        clause = store.consultations.clause(db, consultation.id, key)
        if clause is None:
            abort(404)
    form = CommentForm()
    moment = now()
    window = Window.of(consultation)
    status = window.status(moment)

    if request.method == "POST" and status != OPEN:
        message = (
            "本次征求意见尚未开始，暂不能提交意见。"
            if status == UPCOMING
            else "本次征求意见已截止，不再接收意见。感谢您的关注。"
        )
        return (
            render_template("window_closed.html", consultation=consultation, clause=clause, message=message, **_window_context(consultation)),
            403,
        )
    if request.method == "GET" or not form.validate_on_submit():
        return _form_page(consultation, clause, form, code=200 if request.method == "GET" else 400)

    clause_key = clause.key if clause else None
    token = form_tokens.verify(current_app.config["SECRET_KEY"], slug, clause_key, request.form.get("form_token"))
    if token is None:
        # A form this portal did not serve for this place (a bot that never loaded it, or a page from before
        # an upgrade): nothing is stored, the person gets the form back with what they typed.
        return _form_page(consultation, clause, form, code=400,
                          notice="页面已过期或不完整，意见尚未提交。您填写的内容仍在下方，请确认后重新提交。")
    fingerprint = store.comments.fingerprint(current_app.config["SECRET_KEY"], client_address())
    # Honeypot filled: a bot. It gets a normal-looking receipt; the comment is kept as spam.
    stored, repeated = _store(consultation, clause_key, form, fingerprint, token, status="spam" if form.website.data else "pending")
    if repeated and stored.body_hash != store.comments.body_hash(form.body.data):
        # The same form load sent again with other words (back, edit, resubmit): one form stores one
        # comment, so offer a fresh form with the new text instead of dropping it.
        return _form_page(consultation, clause, form, code=409, fresh_token=True,
                          notice=f"这份意见表已提交过（回执编号 {stored.receipt_code}）。如果下方是另一条意见，"
                                 "请确认后再次点击“提交意见”。")
    g.comment_stored = not repeated
    return _receipt_redirect(consultation, stored.receipt_code, repeated=repeated)


def _store(consultation: Consultation, clause_key: str | None, form: CommentForm, fingerprint: str, token: str,
           status: str = "pending") -> tuple[Comment, bool]:
    from ..tokens import tokenize

    body = form.body.data
    return store.comments.submit_form(
        get_db(),
        form_token=token,
        consultation_id=consultation.id,
        clause_key=clause_key,
        body=body,
        submitter_type=form.submitter_type.data,
        name=form.name.data or "",
        contact=form.contact.data or "",
        now=now(),
        client_fingerprint=fingerprint,
        status=status,
        tokens=tokenize(body, consultation),
        publish_organisation=bool(form.publish_organisation.data),
    )


def _receipt_redirect(consultation: Consultation, code: str, repeated: bool = False):
    """The comment is committed; the receipt is shown on the next page (POST/redirect/GET)."""
    session["receipt"] = {"code": code, "slug": consultation.slug, "repeated": repeated}
    return redirect(url_for("public.thanks", slug=consultation.slug), code=303)


def _no_store(page, code: int = 200):
    """Receipt pages are never kept by the browser or a cache (a shared computer shows no one's receipt)."""
    response = make_response(page, code)
    response.headers["Cache-Control"] = "no-store"
    return response


@routes.get("/c/<slug>/thanks")
def thanks(slug: str):
    consultation = public_consultation_or_404(slug)
    receipt = session.get("receipt")
    if not receipt or receipt.get("slug") != slug:
        return redirect(url_for("public.receipt"))
    found = store.comments.by_receipt(get_db(), receipt["code"])
    clause = store.consultations.clause(get_db(), consultation.id, found.clause_key) if found and found.clause_key else None
    return _no_store(render_template(
        "thanks.html", consultation=consultation, code=receipt["code"], repeated=receipt.get("repeated"), found=found, clause=clause
    ))


def _receipt_result(db: Database, found: Comment) -> dict[str, Any]:
    """What the receipt page shows about one comment (never its text, name or contact)."""
    clause = store.consultations.clause(db, found.consultation_id, found.clause_key) if found.clause_key else None
    consultation = store.consultations.get(db, found.consultation_id)
    assert consultation is not None  # a comment's consultation is never deleted
    withdrawn = found.status == WITHDRAWN
    return {
        "code": found.receipt_code,
        "created_at": found.created_at,
        "slug": consultation.slug,
        "title": consultation.title,
        "clause": clause,
        "status_label": PUBLIC_STATUSES.get(found.status, "已收到"),
        "withdrawn_at": found.withdrawn_at if withdrawn else None,
        "withdrawable": not store.submitter_rights.withdrawal_problem(found, consultation, now()),
        # Only what a PUBLISHED report says: unpublished decisions are never shown.
        "outcome": None if withdrawn else store.published.receipt_outcome(db, found.consultation_id, found.id),
    }


RECEIPT_NOT_FOUND = "未找到该回执编号对应的意见，请核对后重试。"


@routes.route("/receipt", methods=["GET", "POST"])
@limiter.limit("30 per minute", methods=["POST"], key_func=client_address)
def receipt():
    form = ReceiptLookupForm()
    result = None
    error = ""
    if form.validate_on_submit():
        code = store.comments.normalise_receipt_code(form.code.data)
        found = store.comments.by_receipt(get_db(), code) if code else None
        if code is None:
            error = "回执编号格式不正确：应为12位字母和数字（如 ABCD-EFGH-JKLM），不含0、O、1、I。"
        elif found is None or not store.consultations.is_public(get_db(), found.consultation_id):
            error = RECEIPT_NOT_FOUND
        else:
            result = _receipt_result(get_db(), found)
    return _no_store(render_template("receipt.html", form=form, result=result, error=error),
                     404 if error == RECEIPT_NOT_FOUND else 200)


@routes.post("/receipt/withdraw")
@limiter.limit("30 per minute", key_func=client_address)
def withdraw():
    """Withdraw a comment with its receipt code: first a confirmation page, then (``confirm=yes``) the change."""
    db = get_db()
    form = WithdrawForm()
    code = store.comments.normalise_receipt_code(form.code.data or "") if form.validate_on_submit() else None
    found = store.comments.by_receipt(db, code) if code else None
    if found is not None and not store.consultations.is_public(db, found.consultation_id):
        found = None
    lookup = ReceiptLookupForm(formdata=None, data={"code": code or ""})
    if found is None:
        return _no_store(render_template("receipt.html", form=lookup, result=None, error=RECEIPT_NOT_FOUND), 404)
    consultation = store.consultations.get(db, found.consultation_id)
    assert consultation is not None  # a comment's consultation is never deleted
    problem = store.submitter_rights.withdrawal_problem(found, consultation, now())
    if problem:
        return _no_store(render_template("receipt.html", form=lookup, result=_receipt_result(db, found),
                                         error=problem), 409)
    if form.confirm.data != "yes":
        return _no_store(render_template("withdraw_confirm.html", result=_receipt_result(db, found)))
    try:
        store.submitter_rights.withdraw(db, found.receipt_code, now=now())
    except store.submitter_rights.RightsError as exc:  # withdrawn or closed in the meantime
        return _no_store(render_template("receipt.html", form=lookup, result=_receipt_result(db, found),
                                         error=str(exc)), 409)
    done = _receipt_result(db, store.comments.by_receipt(db, found.receipt_code) or found)
    return _no_store(render_template(
        "receipt.html", form=lookup, result=done, error="",
        notice="您的意见已撤回。它不再计入意见统计、归纳分析和采纳情况反馈；撤回记录按规定保留备查，不会公开。"))


@routes.get("/healthz")
def healthz():
    """200 when a comment could be stored now; 503 (with what stops it) when it could not."""
    config = current_app.config
    problems = health(get_db(), config["DATABASE"], int(float(config["HEALTH_MIN_FREE_MB"]) * 1024 * 1024))
    if problems:
        return {"status": "error", "problems": problems}, 503
    return {"status": "ok"}
