"""The feedback report on the staff side: preview with its problems and its review (提交审核 → 审核通过 /
退回修改 → 签发发布, ``store.signoff``), settings, exports.

Submitting is open to every role; approving and returning need 审核 (``access.APPROVER_ENDPOINTS``);
publishing, settings and the comment exports (which carry contact details) are admin-only: their
endpoints are deliberately NOT in ``access.REVIEWER_ENDPOINTS``.
"""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import quote

from flask import Response, abort, current_app, flash, g, redirect, render_template, request, url_for

import exports
from exports import DEFAULT_CATEGORIES

from .. import mail, store
from ..clock import now, today_local
from ..db import get_db
from ..security import REPORT_CSP
from ..store.rows import Consultation
from ..web import Routes, consultation_or_404
from ..window import CLOSED, Window
from .forms import IDENTITY_LABELS, PublishForm, ReviewForm, SettingsForm, SubmitForm

routes = Routes()

#: Labels of every mode a stored version may carry: ``full`` named individuals before issue 8.
VERSION_IDENTITY_LABELS = {**IDENTITY_LABELS, "full": "显示提出人姓名或单位全称（旧版本）"}
#: Report settings a publication problem may be in, fixed on the settings page.
SETTINGS_FIELDS = frozenset({"title", "issuer", "published_where", "legal_basis", "annex"})


def _identity(value: str | None) -> str:
    return value if value in IDENTITY_LABELS else "none"


def report_defaults() -> dict[str, str]:
    """The issuer and where the draft was published, from the app's settings (a consultation may override them)."""
    return {"issuer": current_app.config.get("ISSUING_BODY", ""),
            "published_where": current_app.config.get("PUBLISHED_AT", "")}


def _current(consultation: Consultation, identity: str | None) -> store.signoff.Current:
    return store.signoff.current(get_db(), consultation, identity=identity, now=now(), defaults=report_defaults())


def _fix_link(consultation: Consultation, built: store.reports.Built, problem) -> str | None:
    """Where to fix a problem: the settings, the group (its title, summary or decision) or the comment."""
    if problem.code == "missing_issuer" or problem.field in SETTINGS_FIELDS:
        return url_for("staff.settings", slug=consultation.slug)
    if problem.code == "noise_pending":  # settled in the queue, one by one or all checked at once
        return url_for("staff.queue", slug=consultation.slug, noise=1)
    if problem.field == "topic" and problem.topic is not None and problem.topic < len(built.topic_groups):
        return url_for("staff.group", slug=consultation.slug, group_id=built.topic_groups[problem.topic]) + "#text-title"
    if problem.opinion is None or problem.opinion >= len(built.sources):
        return None
    kind, target = built.sources[problem.opinion]
    decision = problem.field in ("reason", "change")
    if kind == "group":
        anchor = f"#decision-g{target}" if decision else "#text-title" if problem.field == "summary" else ""
        return url_for("staff.group", slug=consultation.slug, group_id=target) + anchor
    return url_for("staff.comment", slug=consultation.slug, comment_id=target) + (f"#decision-c{target}" if decision else "")


def _article(html: str) -> str:
    """The report's body (its <article>), for showing inside a staff page without its inline CSS."""
    start, end = html.find("<article>"), html.rfind("</article>")
    return html[start:end + len("</article>")] if start >= 0 and end > start else ""


def _preview(consultation: Consultation, identity: str | None, *, code: int = 200, submit_form: SubmitForm | None = None,
             review_form: ReviewForm | None = None, publish_form: PublishForm | None = None):
    db = get_db()
    state = _current(consultation, identity)
    built = state.built
    problems = store.signoff.problems(db, state)
    html = exports.FORMATS["html"](built.report).decode("utf-8")
    window = Window.of(consultation)
    review = state.review
    review_id = review.id if review else None
    posted = next((f for f in (submit_form, review_form, publish_form) if f is not None), None)
    errors = [e for found in (posted.errors.values() if posted else ()) for e in found]
    return render_template(
        "staff/report_preview.html", form_errors=errors, consultation=consultation, report=built.report, identity=built.report.identity,
        identity_labels=IDENTITY_LABELS, version_identity_labels=VERSION_IDENTITY_LABELS, state=state,
        state_labels=store.signoff.STATE_LABELS,
        window_open=window.status(now()) != CLOSED, content_hash=state.content_hash,
        problems=[(p, _fix_link(consultation, built, p)) for p in problems], article=_article(html),
        submit_form=submit_form or SubmitForm(formdata=None, data={"identity": built.report.identity}),
        review_form=review_form or ReviewForm(formdata=None, data={"review_id": review_id}),
        publish_form=publish_form or PublishForm(formdata=None, data={"review_id": review_id}),
        history=store.signoff.reviews(db, consultation.id), since_published=store.signoff.since_published(db, state),
        versions=store.published.versions(db, consultation.id), candidates=len(store.decisions.supportive_candidates(db, consultation.id)),
        feedback_url=url_for("public.feedback", slug=consultation.slug),
        revised=store.draft_versions.versions(db, consultation.id),
    ), code


@routes.get("/c/<slug>/report")
def report_preview(slug: str):
    consultation = consultation_or_404(slug)
    identity = _identity(request.args.get("identity")) if request.args.get("identity") else None
    if request.args.get("view") == "document":
        built = _current(consultation, identity).built
        response = Response(exports.FORMATS["html"](built.report), content_type=exports.MEDIA_TYPES["html"])
        response.headers["Content-Security-Policy"] = REPORT_CSP
        response.headers["Cache-Control"] = "no-store"
        return response
    return _preview(consultation, identity)


def _done(slug: str, message: str):
    flash(message, "success")
    return redirect(url_for("staff.report_preview", slug=slug), code=303)


@routes.post("/c/<slug>/report/submit")
def report_submit(slug: str):
    """提交审核 (经办): the report as previewed, bound to its content."""
    consultation = consultation_or_404(slug)
    form = SubmitForm()
    if not form.validate_on_submit():
        return _preview(consultation, _identity(form.identity.data), code=400, submit_form=form)
    try:
        store.signoff.submit(get_db(), consultation, identity=_identity(form.identity.data),
                             correction_kind=form.correction_kind.data or "", correction=form.correction.data or "",
                             staff=g.staff, now=now(), defaults=report_defaults())
    except store.signoff.SignoffError as exc:
        form.confirm.errors = [*form.confirm.errors, str(exc)]
        return _preview(consultation, _identity(form.identity.data), code=409, submit_form=form)
    return _done(slug, "已提交审核。审核人审核通过后，由管理员签发发布。")


def _review(slug: str, step):
    consultation = consultation_or_404(slug)
    form = ReviewForm()
    if not form.validate_on_submit():
        return _preview(consultation, None, code=400, review_form=form)
    try:
        step(get_db(), consultation, form.review_id.data, comment=form.comment.data or "", staff=g.staff, now=now(),
             defaults=report_defaults())
    except store.signoff.SignoffError as exc:
        form.comment.errors = [*form.comment.errors, str(exc)]
        return _preview(consultation, None, code=409, review_form=form)
    return None


@routes.post("/c/<slug>/report/approve")
def report_approve(slug: str):
    """审核通过 (审核; never the account that submitted)."""
    return _review(slug, store.signoff.approve) or _done(slug, "已审核通过。管理员签发后即公开发布。")


@routes.post("/c/<slug>/report/return")
def report_return(slug: str):
    """退回修改 (审核), with a comment."""
    return _review(slug, store.signoff.send_back) or _done(slug, "已退回修改，报告回到草稿。")


@routes.post("/c/<slug>/report/publish")
def report_publish(slug: str):
    """签发发布 (admin): only the approved content, unchanged since approval."""
    consultation = consultation_or_404(slug)
    form = PublishForm()
    if not form.validate_on_submit():
        return _preview(consultation, None, code=400, publish_form=form)
    try:
        version = store.signoff.publish(get_db(), consultation, review_id=form.review_id.data, staff=g.staff, now=now(),
                                        defaults=report_defaults())
    except store.published.PublishRefused as refused:
        flash(f"存在{len(refused.problems)}个问题，暂不能发布。请先处理下列问题。", "error")
        return _preview(consultation, None, code=409, publish_form=form)
    except store.signoff.SignoffError as exc:
        form.confirm.errors = [*form.confirm.errors, str(exc)]
        return _preview(consultation, None, code=409, publish_form=form)
    mail.report_published(mail.this_app(), consultation.id, version, request.url_root)
    return _done(slug, f"已签发发布第{version}版采纳情况反馈。")


@routes.route("/c/<slug>/settings", methods=["GET", "POST"])
def settings(slug: str):
    db = get_db()
    consultation = consultation_or_404(slug)
    now_values = store.feedback_settings.current(consultation)
    form = SettingsForm(data={
        "categories": "\n".join(now_values["categories"]),
        "reason_templates": "\n".join(now_values["reason_templates"]),
        "issuing_body": now_values["issuing_body"],
        "published_where": now_values["published_where"],
        "publish_comment_text": "1" if consultation.publish_comment_text else "0",
    })
    if form.validate_on_submit():
        errors = store.feedback_settings.save(
            db, consultation, categories=store.feedback_settings.lines(form.categories.data),
            reason_templates=store.feedback_settings.lines(form.reason_templates.data),
            issuing_body=form.issuing_body.data or "", published_where=form.published_where.data or "",
            staff=g.staff, now=now(), publish_comment_text=form.publish_comment_text.data == "1",
        )
        if not errors:
            flash("已保存反馈设置。", "success")
            return redirect(url_for("staff.settings", slug=slug), code=303)
        for name, message in errors:
            form[name].errors = [*form[name].errors, message]
    issuer_default = store.reports.issuer(replace(consultation, issuing_body=""), store.reports.default_issuer(
        get_db(), current_app.config.get("ISSUING_BODY", "")))
    return render_template("staff/settings.html", consultation=consultation, form=form, default_categories=DEFAULT_CATEGORIES,
                           issuer_default=issuer_default), (400 if form.errors else 200)


@routes.get("/c/<slug>/export.<fmt>")
def export(slug: str, fmt: str):
    if fmt not in exports.STAFF_FORMATS:
        abort(404)
    consultation = consultation_or_404(slug)
    defaults = report_defaults()
    report = store.reports.build(get_db(), consultation, identity="full", report_date=today_local(),
                                 issuer_default=defaults["issuer"],
                                 published_where_default=defaults["published_where"]).report
    body = exports.FORMATS[fmt](report, include_contact=True)
    response = Response(body, content_type=exports.MEDIA_TYPES[fmt])
    day = today_local().isoformat()
    # Not a report version: a snapshot of every comment as it stands today.
    name = f"{consultation.title}意见明细-{day}{exports.EXTENSIONS[fmt]}".replace("/", "_").replace("\\", "_")
    response.headers["Content-Disposition"] = (
        f"attachment; filename=\"comments-{day}{exports.EXTENSIONS[fmt]}\"; filename*=UTF-8''{quote(name)}"
    )
    response.headers["Cache-Control"] = "no-store"
    return response
