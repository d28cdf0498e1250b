"""The revised draft (送审稿): upload it as version 2 of the consultation, see its 修改对照表.

Uploading is admin-only (not in ``access.REVIEWER_ENDPOINTS``); every staff role may read the table.
"""

from __future__ import annotations

from flask import Response, abort, flash, g, redirect, render_template, url_for

import exports
from draft.revisions import RevisionTable

from .. import store
from ..clock import now, today_local
from ..db import get_db
from ..store.rows import Consultation
from ..web import Routes, consultation_or_404
from .forms import RevisedDraftForm
from .record import disposition

routes = Routes()


def _table(consultation: Consultation) -> RevisionTable | None:
    """The 修改对照表 as the report would publish it (its 修改依据 cite the report's numbers)."""
    built = store.reports.build(get_db(), consultation, report_date=today_local())
    return built.report.revisions


def _page(consultation: Consultation, form: RevisedDraftForm, *, code: int = 200, orphans: dict[str, int] | None = None):
    db = get_db()
    table = _table(consultation)
    html = exports.COMPARISON_FORMATS["html"](table).decode("utf-8") if table is not None else ""
    return render_template("staff/revised.html", consultation=consultation, form=form, versions=store.draft_versions.versions(db, consultation.id),
                           table_html=html, orphans=orphans or {}), code


@routes.route("/c/<slug>/revised", methods=["GET", "POST"])
def revised_draft(slug: str):
    consultation = consultation_or_404(slug)
    form = RevisedDraftForm()
    if not form.validate_on_submit():
        return _page(consultation, form, code=400 if form.errors else 200)
    upload = form.file.data
    try:
        summary = store.draft_versions.upload(get_db(), consultation, upload.read(), upload.filename or "送审稿", staff=g.staff,
                                              now=now(), drop_clauses=bool(form.drop_clauses.data))
    except store.draft_versions.RevisionError as exc:
        form.file.errors = [*form.file.errors, str(exc)]
        return _page(consultation, form, code=400)
    except store.consultations.ClausesRemoved as exc:
        form.file.errors = [*form.file.errors, "修改后的草案中没有下列已有意见的条款。如确需删除，请勾选确认后重新选择文件上传。"]
        return _page(consultation, form, code=409, orphans=exc.orphans)
    flash(f"已上传第{summary['version']}版草案（送审稿）：{summary['changed']}条修改、{summary['added']}条新增、"
          f"{summary['removed']}条删除。修改对照表随采纳情况反馈一并提交审核和发布。", "success")
    if summary["fixes"]:
        flash(f"征求意见稿在条款预览中做过的 {len(summary['fixes'])} 项修正已同样应用于送审稿："
              f"{'；'.join(summary['fixes'])}。", "success")
    for skipped in summary["fixes_skipped"]:
        flash(f"征求意见稿的一项修正未应用于送审稿（{skipped}），请核对修改对照表。", "error")
    return redirect(url_for("staff.revised_draft", slug=slug), code=303)


@routes.get("/c/<slug>/revised/table.<fmt>")
def revision_table(slug: str, fmt: str):
    """The 修改对照表 as it stands (Word, or the HTML fragment), for staff."""
    if fmt not in exports.COMPARISON_FORMATS:
        abort(404)
    consultation = consultation_or_404(slug)
    table = _table(consultation)
    if table is None:
        abort(404)
    response = Response(exports.COMPARISON_FORMATS[fmt](table), content_type=exports.DOCUMENT_MEDIA_TYPES[fmt])
    name = f"{exports.safe_stem(table.title)}.{fmt}"
    response.headers["Content-Disposition"] = disposition(f"revision-table.{fmt}", name)
    response.headers["Cache-Control"] = "no-store"
    return response
