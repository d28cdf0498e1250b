"""Public views: consultation list, draft page, comment form, receipt."""

from __future__ import annotations

from dataclasses import asdict
from datetime import timedelta
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
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import RequestEntityTooLarge

from .. import form_tokens, jobs, mail, receipt_documents, store, submission, text_size, uploads
from ..caching import REVALIDATE, respond
from ..citations import cite
from ..clock import iso, now, parse_iso
from ..db import get_db, health
from ..ratelimit import (
    address_key,
    browser_key,
    client_address,
    comment_address_limit,
    comment_limit,
    ensure_browser_id,
    limiter,
    receipt_address_limit,
    receipt_limit,
)
from ..sanitize import clean_block
from ..store.rows import Clause, Consultation
from ..vocabulary import BODY_MAX, BODY_MIN, REVISED_MAX
from ..web import Routes, attachment_header, public_consultation_or_404
from ..window import OPEN, STATUS_LABELS, UPCOMING, Window
from . import notice
from .draft_page import cached_page, clause_tree
from .forms import CommentForm, ManyForm, ReceiptDownloadForm, ReceiptLookupForm, WithdrawForm, check_body

routes = Routes()


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

    # The text size chooses the page too: the ETag differs, and caches are told (Vary: Cookie).
    return respond(cached_page((slug, text_size.current()), marker, render), REVALIDATE, vary=("Cookie",))


def _form_token(consultation: Consultation, place: str | None, fresh: bool) -> str:
    """The form's idempotency token (``form_tokens.for_page``)."""
    posted = _posted_text().get("form_token") if request.method == "POST" and not fresh else None
    return form_tokens.for_page(current_app.config["SECRET_KEY"], consultation.slug, place, posted)


def _form_page(consultation: Consultation, clause: Clause | None, form: CommentForm | ManyForm, *,
               notice: str = "", code: int = 200, fresh_token: bool = False, many: list | None = None,
               problems: dict[str, str] | None = None):
    ensure_browser_id()
    place = MANY if many is not None else clause.key if clause else None
    if form.attachments.errors or (request.method == "POST" and _sent_files() and (notice or form.errors)):
        # A browser never keeps chosen files across a page load: say so where the files were.
        form.attachments.errors = [*form.attachments.errors, AGAIN]
    clause_text = clause.text if clause else ""
    if clause is not None and isinstance(form, CommentForm) and form.proposal.data is None:
        form.proposal.data = clause_text
    # no-store: a page holding a form token (and what was typed) is never kept by a shared cache or the browser; a
    # cached copy served to someone else would file their comment as a repeat of the first person's.
    return _no_store(
        render_template(
            "comment_many.html" if many is not None else "comment_form.html",
            consultation=consultation,
            clause=clause,
            clause_text=clause_text,
            form=form,
            entries=many,
            problems=problems or {},
            form_token=_form_token(consultation, place, fresh_token),
            notice=notice,
            body_min=BODY_MIN,
            body_max=BODY_MAX,
            mail=mail.enabled(current_app),
            max_files=uploads.max_files(),
            max_mb=uploads.size_label(uploads.max_bytes()),
            max_bytes=uploads.max_bytes(),
            accept=ACCEPT,
            **_window_context(consultation),
        ),
        code,
    )


#: Offered by the file picker (the server decides by content, not by these names).
ACCEPT = ".pdf,.docx,.xlsx,.jpg,.jpeg,.png"
AGAIN = "出于安全原因，浏览器不会保留已选择的文件：如需附件，请重新选择后再提交。"
#: The form token's place for the multi-clause form.
MANY = "*many*"
#: A 建议修改为 box of the multi-clause form over the limit the one-clause form keeps (``CommentForm.proposal``).
PROPOSAL_TOO_LONG = f"建议修改的表述不超过{REVISED_MAX}字。"


def rescue_comment_form(message: str, code: int = 400):
    """Re-render the comment form with what was typed (CSRF failure, rate limit, storage failure, a body
    over the size limit)."""
    args = request.view_args or {}
    consultation = public_consultation_or_404(args.get("slug", ""))
    if request.endpoint == "public.comment_many":
        form = ManyForm(formdata=_posted_text())
        return _form_page(consultation, None, form, notice=message, code=code, many=_entries(consultation, _posted_text()))
    key = args.get("key")
    clause = store.consultations.clause(get_db(), consultation.id, key) if key else None
    if key and clause is None:
        abort(404)
    form = CommentForm(formdata=_posted_text())
    return _form_page(consultation, clause, form, notice=message, code=code)


def _posted_text():
    """The typed fields of a post, or none when the body could not be read (over the size limit)."""
    try:
        return request.form
    except RequestEntityTooLarge:
        return ImmutableMultiDict()


def _sent_files() -> bool:
    """Files were chosen on the posted form (True too when the body was too large to read)."""
    try:
        return any(f.filename for f in request.files.values())
    except RequestEntityTooLarge:
        return True


def _stored(response) -> bool:
    """Only a newly stored comment counts against the rate limits: not a form with errors, not the same
    form sent again."""
    return bool(g.get("comment_stored"))


def _typed(consultation: Consultation, clause: Clause | None,
           entries: list[submission.Entry] | None) -> list[tuple[str, str]]:
    """What a refused post carried, (where, text) per filled box, cleaned like a stored comment: a post that
    arrives once the window has closed (the page stayed open past 24:00) must not lose what was typed."""
    if entries is None:
        data = _posted_text()
        proposal = submission.proposal_of(clean_block(data.get("proposal", "")), clause.text) if clause else None
        boxes = [("意见内容", clean_block(data.get("body", ""))), ("建议修改为", proposal or "")]
    else:
        boxes = []
        for e in entries:
            where = cite(consultation, e.clause.key if e.clause else None)
            boxes += [(where, e.body), (f"{where}（建议修改为）", e.proposal or "")]
    return [(where, text) for where, text in boxes if text.strip()]


def _closed(consultation: Consultation, clause: Clause | None, status: str,
            entries: list[submission.Entry] | None = None):
    message = (
        "本次征求意见尚未开始，暂不能提交意见。"
        if status == UPCOMING
        else "本次征求意见已截止，不再接收意见。感谢您的关注。"
    )
    typed = _typed(consultation, clause, entries) if request.method == "POST" else []
    return _no_store(render_template("window_closed.html", consultation=consultation, clause=clause, message=message,
                                     typed=typed, **_window_context(consultation)), 403)


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
    status = Window.of(consultation).status(now())
    if request.method == "POST" and status != OPEN:
        return _closed(consultation, clause, status)
    if request.method == "GET":
        return _form_page(consultation, clause, form)
    valid = form.validate_on_submit()
    clause_text = clause.text if clause else ""
    proposal = submission.proposal_of(form.proposal.data, clause_text) if clause else None
    files = submission.read_files(request.files.getlist(form.attachments.name))
    form.attachments.errors = list(files.refusals)
    problem = check_body(form.body.data or "", required=not (proposal or files.files))
    if problem:
        form.body.errors = [*form.body.errors, problem]
    if not valid or problem or files.refusals:
        return _form_page(consultation, clause, form, code=400)
    clause_key = clause.key if clause else None
    body = form.body.data or ""
    parts = _paper_parts(consultation, form, body, files) if clause is None else []
    if parts:
        return _accept(consultation, None, form, None, files, body=body, proposal=None, tokens=None, parts=parts,
                       split_by=store.comments.LETTER_ACTOR)
    return _accept(consultation, clause, form, clause_key, files,
                   body=body, proposal=proposal, later=parts is None or files.text_pending,
                   tokens=submission.tokens_for(consultation, body, clause_text, proposal, files.texts))


def _paper_parts(consultation: Consultation, form: CommentForm | ManyForm, body: str,
                 files: submission.Prepared) -> list | None:
    """A whole-draft comment that is a position paper on several clauses: its parts (``submission.letter_parts``);
    [] for anything else, and for a bot's post (the honeypot), which is kept whole as spam; None when it is too
    long to split in the request or a file's text is still to be read (a background job splits it)."""
    if form.website.data:
        return []
    return None if files.text_pending else submission.letter_parts(consultation, body, files.texts)


def _entries(consultation: Consultation, data: Any) -> list[submission.Entry]:
    return submission.entries(data, store.consultations.clauses_of(get_db(), consultation.id))


@routes.route("/c/<slug>/comment-many", methods=["GET", "POST"], endpoint="comment_many")
@limiter.limit(comment_limit, methods=["POST"], key_func=browser_key, deduct_when=_stored)
@limiter.limit(comment_address_limit, methods=["POST"], key_func=address_key, deduct_when=_stored)
def comment_many(slug: str):
    """Several clauses in one submission: one box per clause (and one on the draft as a whole), one identity
    block, one consent, one receipt. Two or more filled boxes are stored as a container and its parts."""
    consultation = public_consultation_or_404(slug)
    form = ManyForm()
    entries = _entries(consultation, request.form if request.method == "POST" else {})
    status = Window.of(consultation).status(now())
    if request.method == "POST" and status != OPEN:
        return _closed(consultation, None, status, [e for e in entries if e.filled])
    if request.method == "GET":
        return _form_page(consultation, None, form, many=entries)
    valid = form.validate_on_submit()
    files = submission.read_files(request.files.getlist(form.attachments.name))
    form.attachments.errors = list(files.refusals)
    filled = [e for e in entries if e.filled]
    problems = {e.key: p for e in filled if (p := check_body(e.body, required=e.proposal is None) or (
        PROPOSAL_TOO_LONG if len(e.proposal or "") > REVISED_MAX else ""))}
    notice = ""
    if not filled and not files.files:
        notice = "请至少在一个条款下填写意见（或上传附件）。"
    elif problems:
        notice = "有的意见未能提交，请根据各条款下的提示修改，您填写的内容已保留。"
    if not valid or notice or files.refusals:
        return _form_page(consultation, None, form, code=400, many=entries, notice=notice, problems=problems)
    if len(filled) == 1 or (not filled and files.files):
        # One opinion (or only a file): a plain comment on that clause, not a container of one part.
        only = filled[0] if filled else submission.Entry(None, "", "", "")
        parts = _paper_parts(consultation, form, only.body, files) if only.clause is None else []
        if parts:
            return _accept(consultation, None, form, None, files, body=only.body, proposal=None, tokens=None,
                           parts=parts, place=MANY, split_by=store.comments.LETTER_ACTOR)
        return _accept(consultation, only.clause, form, only.clause.key if only.clause else None, files, body=only.body,
                       proposal=only.proposal, tokens=submission.tokens_for(consultation, only.body, only.clause_text,
                                                                           only.proposal, files.texts), place=MANY,
                       later=parts is None or files.text_pending)
    container = submission.container_text(filled, lambda key: cite(consultation, key))
    # A bot's post (the honeypot) is kept whole as spam: parts would be ordinary opinions, counted and triaged.
    return _accept(consultation, None, form, None, files, body=container, proposal=None, place=MANY,
                   tokens=None, parts=[] if form.website.data else submission.parts_for(consultation, filled),
                   later=files.text_pending)


def _accept(consultation: Consultation, clause: Clause | None, form: CommentForm | ManyForm,
            clause_key: str | None, files: submission.Prepared, *, body: str, proposal: str | None,
            tokens: list[str] | None, parts: list | None = None, place: str | None = None,
            split_by: str = store.comments.FORM_ACTOR, later: bool = False):
    """Check the form token, save the files, store and COMMIT the submission, then show the receipt (``split_by``:
    who made its parts, for the audit log; ``later``: a background job reads the files' text and splits the
    paper by clause, ``attachment_text.py``)."""
    place = place if place is not None else clause_key
    token = form_tokens.verify(current_app.config["SECRET_KEY"], consultation.slug, place, request.form.get("form_token"))
    many = _entries(consultation, request.form) if place == MANY else None
    if token is None:
        # A form this portal did not serve for this place (a bot that never loaded it, or a page from before
        # an upgrade): nothing is stored, the person gets the form back with what they typed.
        return _form_page(consultation, clause, form, code=400, many=many,
                          notice="页面已过期或不完整，意见尚未提交。您填写的内容仍在下方，请确认后重新提交。")
    fingerprint = store.comments.fingerprint(current_app.config["SECRET_KEY"], client_address())
    try:
        stored, repeated = store.comments.submit_form(
            get_db(), form_token=token, files=files.save(), parts=parts or (),
            split_by=split_by, later=later,
            consultation_id=consultation.id, clause_key=clause_key, body=body, proposal=proposal,
            submitter_type=form.submitter_type.data, name=form.name.data or "", contact=form.contact.data or "",
            now=now(), client_fingerprint=fingerprint, tokens=tokens,
            # Honeypot filled: a bot. It gets a normal-looking receipt; the consultation is kept as spam.
            status="spam" if form.website.data else "pending",
            publish_organisation=bool(form.publish_organisation.data),
            email_receipt=bool(form.email_receipt.data) and mail.enabled(current_app),
        )
    except BaseException:
        files.discard()
        raise
    if repeated:
        files.discard()
    if repeated and stored.body_hash != store.comments.body_hash(body):
        # The same form load sent again with other words (back, edit, resubmit): one form stores one
        # comment, so offer a fresh form with the new text instead of dropping it. Only the end of the first
        # receipt code is named: whoever holds the form token (the next person at a shared computer) is not
        # necessarily who sent it, and the whole code would let them withdraw that comment.
        return _form_page(consultation, clause, form, code=409, fresh_token=True, many=many,
                          notice=f"这份意见表已提交过（回执编号末四位 {stored.receipt_code[-4:]}）。如果下方是另一条意见，"
                                 "请确认后再次点击“提交意见”。")
    g.comment_stored = not repeated
    if not repeated and later:
        jobs.kick(mail.this_app())
    if not repeated and stored.email_receipt:
        mail.kick(mail.this_app(), request.url_root)
    return _receipt_redirect(consultation, stored.receipt_code, repeated=repeated)


def _receipt_redirect(consultation: Consultation, code: str, repeated: bool = False):
    """The comment is committed; the receipt is shown on the next page (POST/redirect/GET)."""
    session["receipt"] = {"code": code, "slug": consultation.slug, "repeated": repeated, "at": iso(now())}
    return redirect(url_for("public.thanks", slug=consultation.slug), code=303)


def _no_store(page, code: int = 200):
    """Receipt pages are never kept by the browser or a cache (a shared computer shows no one's receipt)."""
    response = make_response(page, code)
    response.headers["Cache-Control"] = "no-store"
    return response


#: How long the page after a submission shows its receipt: on a shared computer, the next person must not find
#: it in the browser's history (with the code, they could withdraw the comment). Later, the code is looked up.
RECEIPT_SHOWN_FOR = timedelta(minutes=30)


def _recent(at: str | None) -> bool:
    if not at:
        return False
    return now() - parse_iso(at) <= RECEIPT_SHOWN_FOR


@routes.get("/c/<slug>/thanks")
def thanks(slug: str):
    consultation = public_consultation_or_404(slug)
    receipt = session.get("receipt")
    if not receipt or receipt.get("slug") != slug or not _recent(receipt.get("at")):
        return redirect(url_for("public.receipt"))
    found = store.receipts.find(get_db(), receipt["code"])
    return _no_store(render_template(
        "thanks.html", consultation=consultation, code=receipt["code"], repeated=receipt.get("repeated"), result=found,
        mailed=found is not None and found.email_receipt, cite_for=cite_for(found),
    ))


def _receipt_result(db: Database, found: store.receipts.SubmissionReceipt) -> dict[str, Any]:
    """The receipt page's extras beside the receipt itself: may it still be withdrawn?"""
    return {"receipt": found, "withdrawable": not _withdrawal_problem(db, found)}


def cite_for(receipt: store.receipts.SubmissionReceipt | None):
    """How the receipt pages cite a clause of the receipt's consultation."""
    consultation = store.consultations.get(get_db(), receipt.consultation_id) if receipt else None
    return lambda key: cite(consultation, key) if consultation else ""


def _withdrawal_problem(db: Database, found: store.receipts.SubmissionReceipt) -> str:
    """Why the submitter can no longer withdraw this submission ("" when they can)."""
    comment = store.comments.by_receipt(db, found.code)
    consultation = store.consultations.get(db, found.consultation_id)
    assert comment is not None and consultation is not None  # found by this code; never deleted
    return store.submitter_rights.withdrawal_problem(comment, consultation, now())


RECEIPT_NOT_FOUND = "未找到该回执编号对应的意见，请核对后重试。"


def _find(code: str | None) -> store.receipts.SubmissionReceipt | None:
    """The submission with this receipt code, unless its consultation is not public (a draft in the staff area)."""
    found = store.receipts.find(get_db(), code) if code else None
    return found if found and store.consultations.is_public(get_db(), found.consultation_id) else None


@routes.route("/receipt", methods=["GET", "POST"])
@limiter.limit(receipt_limit, methods=["POST"], key_func=browser_key)
@limiter.limit(receipt_address_limit, methods=["POST"], key_func=address_key)
def receipt():
    ensure_browser_id()  # the lookup is limited per browser (RECEIPT_RATE_LIMIT), many share an office's address
    form = ReceiptLookupForm()
    result = None
    error = ""
    if form.validate_on_submit():
        code = store.comments.normalise_receipt_code(form.code.data)
        found = _find(code)
        if code is None:
            error = "回执编号格式不正确：应为12位字母和数字（如 ABCD-EFGH-JKLM），不含0、O、1、I。"
        elif found is None:
            error = RECEIPT_NOT_FOUND
        else:
            result = _receipt_result(get_db(), found)
    return _no_store(render_template("receipt.html", form=form, result=result, error=error,
                                     cite_for=cite_for(result and result["receipt"])),
                     404 if error == RECEIPT_NOT_FOUND else 200)


@routes.post("/receipt/download")
@limiter.limit(receipt_limit, key_func=browser_key)
@limiter.limit(receipt_address_limit, key_func=address_key)
def receipt_download():
    """The receipt as .txt or .pdf: a POST with the code (never a URL carrying it), CSRF-protected."""
    form = ReceiptDownloadForm()
    code = store.comments.normalise_receipt_code(form.code.data or "") if form.validate_on_submit() else None
    found = _find(code)
    if found is None or form.format.data not in receipt_documents.FORMATS:
        lookup = ReceiptLookupForm(formdata=None, data={"code": code or ""})
        return _no_store(render_template("receipt.html", form=lookup, result=None, error=RECEIPT_NOT_FOUND), 404)
    consultation = store.consultations.get(get_db(), found.consultation_id)
    fmt = form.format.data
    body = receipt_documents.render(consultation, found, fmt, office=store.reports.issuer(consultation, current_app.config.get(
        "ISSUING_BODY", "")), lookup=url_for("public.receipt", _external=True))
    response = _no_store(body)
    response.headers["Content-Type"] = receipt_documents.MEDIA_TYPES[fmt]
    response.headers["Content-Disposition"] = attachment_header(receipt_documents.filename(found, fmt))
    return response


@routes.post("/receipt/withdraw")
@limiter.limit(receipt_limit, key_func=browser_key)
@limiter.limit(receipt_address_limit, key_func=address_key)
def withdraw():
    """Withdraw a comment with its receipt code: first a confirmation page, then (``confirm=yes``) the change."""
    db = get_db()
    form = WithdrawForm()
    code = store.comments.normalise_receipt_code(form.code.data or "") if form.validate_on_submit() else None
    found = _find(code)
    lookup = ReceiptLookupForm(formdata=None, data={"code": code or ""})
    if found is None:
        return _no_store(render_template("receipt.html", form=lookup, result=None, error=RECEIPT_NOT_FOUND), 404)
    problem = _withdrawal_problem(db, found)
    if problem:
        return _no_store(render_template("receipt.html", form=lookup, result=_receipt_result(db, found),
                                         error=problem, cite_for=cite_for(found)), 409)
    if form.confirm.data != "yes":
        return _no_store(render_template("withdraw_confirm.html", result=_receipt_result(db, found),
                                         cite_for=cite_for(found)))
    try:
        store.submitter_rights.withdraw(db, found.code, now=now())
    except store.submitter_rights.RightsError as exc:  # withdrawn or closed in the meantime
        return _no_store(render_template("receipt.html", form=lookup, result=_receipt_result(db, found),
                                         error=str(exc), cite_for=cite_for(found)), 409)
    done = _receipt_result(db, _find(found.code))
    return _no_store(render_template(
        "receipt.html", form=lookup, result=done, error="", cite_for=cite_for(found),
        notice="您的意见已撤回。它不再计入意见统计、归纳分析和采纳情况反馈；撤回记录按规定保留备查，不会公开。"))


@routes.get("/healthz")
def healthz():
    """200 when a comment could be stored now; 503 (with what stops it) when it could not."""
    config = current_app.config
    problems = health(get_db(), config["DATABASE"], int(float(config["HEALTH_MIN_FREE_MB"]) * 1024 * 1024))
    if problems:
        return {"status": "error", "problems": problems}, 503
    return {"status": "ok"}
