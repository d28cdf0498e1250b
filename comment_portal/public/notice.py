"""What the public page shows around the draft besides its text: changes of the window (征求意见期已延长至…), the
缩短理由 of a window shorter than its 文件类型's minimum, and 原文下载 — the file as the office uploaded it, and, when
that was plain text, the draft as a generated .docx (``exports.DRAFT_FORMATS``)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from flask import Response, abort, url_for
from sqlite_utils import Database

from draft.window_rules import DOC_TYPES
from exports import DOCUMENT_MEDIA_TYPES, DRAFT_FORMATS, safe_stem

from .. import draft_files, store
from ..store.rows import Consultation
from ..web import Routes, public_consultation_or_404

routes = Routes()

MEDIA_TYPES = {"docx": DOCUMENT_MEDIA_TYPES["docx"], "pdf": DOCUMENT_MEDIA_TYPES["pdf"], "txt": "text/plain"}
KIND_LABELS = {"docx": "Word", "pdf": "PDF", "txt": "文本"}


def page_context(db: Database, consultation: Consultation) -> dict[str, Any]:
    """``window_notes``, ``short_window`` and ``downloads`` for the consultation page."""
    check = store.windows.check(db, consultation.id)
    short = None
    if check.short and check.minimum and consultation.short_reason:
        short = {"length_days": check.length_days, "kind": DOC_TYPES.get(consultation.doc_type, ""),
                 "minimum": check.minimum.label}
    downloads = []
    if consultation.source_file:
        kind = consultation.source_kind or "txt"
        downloads.append({"url": url_for("public.original", slug=consultation.slug),
                          "label": f"征求意见稿原文（{KIND_LABELS.get(kind, kind)}）"})
    if consultation.source_kind in (None, "txt"):
        downloads.append({"url": url_for("public.draft_docx", slug=consultation.slug), "label": "征求意见稿（Word，由网页文本生成）"})
    return {"window_notes": store.windows.public_notes(store.windows.changes(db, consultation.id)), "short_window": short,
            "downloads": downloads}


def _attachment(body: bytes, media_type: str, name: str, fallback: str) -> Response:
    response = Response(body, content_type=media_type)
    response.headers["Content-Disposition"] = (f"attachment; filename=\"{fallback}\"; "
                                               f"filename*=UTF-8''{quote(name)}")
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _stem(consultation: Consultation) -> str:
    return safe_stem(consultation.title or "") or "draft"


@routes.get("/c/<slug>/original")
def original(slug: str):
    """原文下载: the uploaded file, byte for byte, named after the draft."""
    consultation = public_consultation_or_404(slug)
    if not consultation.source_file:
        abort(404)
    try:
        data = draft_files.read(consultation.source_file)
    except draft_files.DraftFileMissing:
        abort(404)
    kind = consultation.source_kind or "txt"
    return _attachment(data, MEDIA_TYPES.get(kind, "application/octet-stream"), f"{_stem(consultation)}.{kind}",
                       f"{slug}.{kind}")


@routes.get("/c/<slug>/draft.docx")
def draft_docx(slug: str):
    """The draft as a Word file, generated from the stored text (offered when the source was plain text)."""
    consultation = public_consultation_or_404(slug)
    if consultation.source_kind not in (None, "txt"):
        abort(404)
    body = DRAFT_FORMATS["docx"](store.consultations.load_draft(consultation))
    return _attachment(body, DOCUMENT_MEDIA_TYPES["docx"], f"{_stem(consultation)}.docx", f"{slug}.docx")
