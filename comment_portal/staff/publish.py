"""The feedback report on the staff side: preview with its problems, publish, settings, exports.

Publishing, settings and the comment exports (which carry contact details) are admin-only: their
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
from .forms import IDENTITY_LABELS, PublishForm, SettingsForm

routes = Routes()
register = routes.register  # called by the package's ``register`` with its blueprint

#: Labels of every mode a stored version may carry: ``full`` named individuals before issue 8.
VERSION_IDENTITY_LABELS = {**IDENTITY_LABELS, "full": "显示提出人姓名或单位全称（旧版本）"}
#: Report settings a publication problem may be in, fixed on the settings page.
SETTINGS_FIELDS = frozenset({"title", "issuer", "published_where", "legal_basis"})


def _identity(value: str | None) -> str:
    return value if value in IDENTITY_LABELS else "none"


def _build(consultation: Consultation, identity: str) -> store.reports.Built:
    db = get_db()
    return store.reports.build(
        db, consultation, identity=identity, version=store.published.latest_version(db, consultation.id) + 1, report_date=today_local(),
        issuer_default=current_app.config.get("ISSUING_BODY", ""),
        published_where_default=current_app.config.get("PUBLISHED_AT", ""),
    )


def _fix_link(consultation: Consultation, built: store.reports.Built, problem) -> str | None:
    """Where to fix a problem: the settings, the group (its title, summary or decision) or the comment."""
    if problem.code == "missing_issuer" or problem.field in SETTINGS_FIELDS:
        return url_for("staff.settings", slug=consultation.slug)
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


def _preview(consultation: Consultation, identity: str, form: PublishForm, code: int = 200):
    built = _build(consultation, identity)
    problems = store.reports.problems(built)
    html = exports.FORMATS["html"](built.report).decode("utf-8")
    db = get_db()
    latest = store.published.get(db, consultation.id)
    moment = now()
    window = Window.of(consultation)
    return render_template(
        "staff/report_preview.html", consultation=consultation, report=built.report, identity=identity, identity_labels=IDENTITY_LABELS,
        version_identity_labels=VERSION_IDENTITY_LABELS,
        unchanged_since=latest["version"] if latest and store.published.same_content(latest, built.report) else None,
        window_open=window.status(moment) != CLOSED,
        problems=[(p, _fix_link(consultation, built, p)) for p in problems], article=_article(html), form=form,
        versions=store.published.versions(db, consultation.id), candidates=len(store.decisions.supportive_candidates(db, consultation.id)),
        feedback_url=url_for("public.feedback", slug=consultation.slug),
    ), code


@routes.get("/c/<slug>/report")
def report_preview(slug: str):
    consultation = consultation_or_404(slug)
    identity = _identity(request.args.get("identity"))
    if request.args.get("view") == "document":
        built = _build(consultation, identity)
        response = Response(exports.FORMATS["html"](built.report), content_type=exports.MEDIA_TYPES["html"])
        response.headers["Content-Security-Policy"] = REPORT_CSP
        response.headers["Cache-Control"] = "no-store"
        return response
    return _preview(consultation, identity, PublishForm(formdata=None, data={"identity": identity}))


@routes.post("/c/<slug>/report/publish")
def report_publish(slug: str):
    consultation = consultation_or_404(slug)
    form = PublishForm()
    if not form.validate_on_submit():
        return _preview(consultation, _identity(form.identity.data), form, 400)
    built = _build(consultation, _identity(form.identity.data))
    latest = store.published.get(get_db(), consultation.id)
    if latest and store.published.same_content(latest, built.report):
        flash(f"与已发布的第{latest['version']}版相比没有变化，无需发布新版本。", "error")
        return _preview(consultation, form.identity.data, form, 409)
    try:
        version = store.published.publish(
            get_db(), consultation, identity=form.identity.data, staff=g.staff, now=now(),
            issuer_default=current_app.config.get("ISSUING_BODY", ""),
            published_where_default=current_app.config.get("PUBLISHED_AT", ""),
        )
    except store.published.PublishRefused as refused:
        flash(f"存在{len(refused.problems)}个问题，暂不能发布。请先处理下列问题。", "error")
        return _preview(consultation, form.identity.data, form, 409)
    flash(f"已发布第{version}版采纳情况反馈。", "success")
    mail.report_published(mail.this_app(), consultation.id, version, request.url_root)
    return redirect(url_for("staff.report_preview", slug=slug, identity=form.identity.data), code=303)


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
    report = _build(consultation, "full").report
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
