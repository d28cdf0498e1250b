"""A draft goes in, checked before anyone sees it (admins; issue 9 §1-§2).

上传征求意见稿 (``/staff/new``): the file is read by ``draft.load_bytes``, stored under the instance folder, and
becomes a consultation in the ``draft`` state. The preview (``/staff/c/<slug>/preview``) shows the parsed clause
tree beside the text read from the file; staff fix what the parser got wrong (``draft.fixes``), kept per source
file. 公告与说明 (``/staff/c/<slug>/notice``) edits the notice shown above the draft on the public page.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import flash, g, redirect, render_template, url_for
from flask_wtf import FlaskForm

from draft import DraftError, read_text
from draft.fixes import FixError

from .. import draft_files, store
from ..clock import now
from ..db import get_db
from ..store.rows import Consultation
from ..vocabulary import DRAFT_STATE
from ..web import Routes, consultation_or_404
from .forms import DraftSourceForm, DraftUploadForm, FixForm, NoticeForm

routes = Routes()

KIND_LABELS = {"part": "部分", "chapter": "章", "section": "节", "article": "条", "item": "项", "paragraph": "无编号段落",
               "annex": "附件"}


def _slug_from(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", Path(name).stem.lower()).strip("-")[:60]
    return slug or f"draft-{now().strftime('%Y%m%d%H%M%S')}"


def _prepared(upload) -> tuple[store.drafts.Prepared, bytes]:
    data = upload.read()
    return store.drafts.prepare(get_db(), data, upload.filename or "upload.txt"), data


def _replayed_message(prepared: store.drafts.Prepared) -> None:
    if prepared.applied:
        flash(f"这个文件以前导入时做过的 {len(prepared.applied)} 项条款修正已重新应用。", "success")
    for fix, reason in prepared.skipped:
        flash(f"以前的修正“{fix.describe()}”未能重新应用：{reason}", "error")


@routes.route("/new", methods=["GET", "POST"])
def consultation_new():
    form = DraftUploadForm()
    code = 200
    if form.validate_on_submit():
        try:
            prepared, data = _prepared(form.file.data)
        except DraftError as exc:
            form.file.errors = [*form.file.errors, str(exc)]
            code = 400
        else:
            slug = form.slug.data or _slug_from(prepared.name)
            stored = draft_files.save(data, prepared.kind)
            try:
                store.drafts.create(get_db(), prepared, slug=slug, doc_type=form.doc_type.data, stored_name=stored,
                                    staff=g.staff, now=now())
            except store.consultations.SlugTaken:
                form.slug.errors = [*form.slug.errors, f"网址名称“{slug}”已被使用，请换一个。"]
                code = 400
            else:
                flash(f"已上传《{prepared.draft.title or prepared.name}》，目前是草稿（未发布）。请核对条款。", "success")
                _replayed_message(prepared)
                return _to_preview(slug)
    elif form.is_submitted():
        code = 400
    return render_template("staff/consultation_new.html", form=form), code


def _to_preview(slug: str) -> Any:
    return redirect(url_for("staff.draft_preview", slug=slug), code=303)


def _flash_errors(form: FlaskForm) -> None:
    for errors in form.errors.values():
        for error in errors:
            flash(str(error), "error")


def _while_draft(view: Callable[[Consultation], Any]) -> Callable[[str], Any]:
    """The preview's pages take the consultation while it is a draft; a published one changes by a new version,
    so they send staff to its dashboard instead."""
    @functools.wraps(view)
    def wrapped(slug: str) -> Any:
        consultation = consultation_or_404(slug)
        if consultation.state != DRAFT_STATE:
            flash("这次征求意见已经发布，条款不能再在预览中修正。", "error")
            return redirect(url_for("staff.dashboard", slug=slug), code=303)
        return view(consultation)
    return wrapped


def _published_extras(consultation: Consultation) -> list[str]:
    """What the stored file would publish on 原文下载 besides the text (批注, revisions, author names)."""
    try:
        data = draft_files.read(consultation.source_file) if consultation.source_file else b""
    except draft_files.DraftFileMissing:
        return []
    return draft_files.published_extras(data, consultation.source_kind or "")


def _source_text(consultation: Consultation) -> tuple[list[str], str]:
    """The lines read from the stored file, or why there are none."""
    if not consultation.source_file:
        return [], "这次征求意见由命令行导入，没有保存来源文件。"
    try:
        text = read_text(draft_files.read(consultation.source_file),
                         consultation.source_name or consultation.source_file)
    except draft_files.DraftFileMissing:
        return [], "来源文件不在存储目录中（可能在迁移或恢复时遗漏），请重新上传。"
    except DraftError as exc:
        return [], str(exc)
    return [line for line in text.replace("\r\n", "\n").split("\n") if line.strip()], ""


@routes.get("/c/<slug>/preview")
@_while_draft
def draft_preview(consultation: Consultation) -> Any:
    draft = store.consultations.load_draft(consultation)
    lines, problem = _source_text(consultation)
    return render_template(
        "staff/draft_preview.html", consultation=consultation, draft=draft, warnings=draft.warnings,
        source_lines=lines, source_problem=problem, fixes=store.drafts.fixes_of(get_db(), consultation.id), kind_labels=KIND_LABELS,
        clause_count=sum(1 for _ in draft.walk()), source_form=DraftSourceForm(formdata=None),
        extras=_published_extras(consultation),
    )


@routes.post("/c/<slug>/preview/fix")
@_while_draft
def draft_fix(consultation: Consultation) -> Any:
    slug = consultation.slug
    form = FixForm()
    if not form.validate_on_submit():
        _flash_errors(form)
        return _to_preview(slug)
    try:
        made = store.drafts.fix(get_db(), consultation.id, op=form.op.data, key=form.key.data, label=form.label.data or "",
                                heading=form.heading.data or "", paragraph=form.paragraph.data or 0, staff=g.staff,
                                now=now())
    except FixError as exc:
        flash(str(exc), "error")
        return _to_preview(slug)
    flash(f"已修正：{made.describe()}。", "success")
    return _to_preview(slug)


@routes.post("/c/<slug>/preview/undo")
@_while_draft
def draft_undo(consultation: Consultation) -> Any:
    slug = consultation.slug
    try:
        raw = store.drafts.prepare(get_db(), draft_files.read(consultation.source_file or ""), consultation.source_name or "").raw
    except (draft_files.DraftFileMissing, DraftError):
        flash("找不到来源文件，无法撤销；请重新上传文件。", "error")
        return _to_preview(slug)
    undone = store.drafts.undo(get_db(), consultation.id, raw, staff=g.staff, now=now())
    flash(f"已撤销：{undone.describe()}。" if undone else "没有可以撤销的修正。", "success" if undone else "error")
    return _to_preview(slug)


@routes.post("/c/<slug>/preview/source")
@_while_draft
def draft_source(consultation: Consultation) -> Any:
    slug = consultation.slug
    form = DraftSourceForm()
    if form.validate_on_submit():
        try:
            prepared, data = _prepared(form.file.data)
        except DraftError as exc:
            flash(str(exc), "error")
        else:
            stored = draft_files.save(data, prepared.kind)
            store.drafts.replace_source(get_db(), consultation.id, prepared, stored_name=stored, staff=g.staff, now=now())
            flash(f"已换用文件 {prepared.name}，条款已按新文件重新识别。", "success")
            _replayed_message(prepared)
    else:
        _flash_errors(form)
    return _to_preview(slug)


@routes.route("/c/<slug>/notice", methods=["GET", "POST"])
def notice(slug: str):
    consultation = consultation_or_404(slug)
    form = NoticeForm(data={k: getattr(consultation, k) or "" for k in store.drafts.NOTICE_FIELDS})
    if form.validate_on_submit():
        changed = store.drafts.set_notice(get_db(), consultation.id,
                                          {k: getattr(form, k).data or "" for k in store.drafts.NOTICE_FIELDS},
                                          staff=g.staff, now=now())
        flash("已保存。" if changed else "没有改动。", "success")
        return redirect(url_for("staff.notice", slug=slug), code=303)
    return (render_template("staff/notice.html", consultation=consultation, form=form),
            400 if form.is_submitted() else 200)
