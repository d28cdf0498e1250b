"""The 公众意见采纳情况反馈 as documents: a :class:`Report` value in, document bytes out.

A registry in the manner of Datasette's output renderers, so views look a format up and never
branch on it::

    body = FORMATS[fmt](report)
    return Response(body, content_type=MEDIA_TYPES[fmt],
                    headers={"Content-Disposition": content_disposition(report, fmt)})

``MEDIA_TYPES`` holds full content types (``text/html; charset=utf-8``): pass them as
``content_type``. ``MIMETYPES`` holds the bare types (``text/html``) for APIs that add the
charset themselves, such as Flask/Werkzeug's ``mimetype=`` (given a ``MEDIA_TYPES`` value it
would send ``charset=utf-8; charset=utf-8``). Text formats are always UTF-8.

``html``, ``md``, ``docx`` and ``json`` are public (citizen text redacted, no contact data);
``csv`` and ``xlsx`` are staff tables whose renderers also take ``include_contact``.

``report_data(report)`` is the open-data JSON document as a dict, and ``load(document)`` rebuilds the
``Report`` it came from, so every format of a published version can be rendered from one stored snapshot.

Other documents have registries of their own, in the same style (``render(value) -> bytes``,
media types in ``DOCUMENT_MEDIA_TYPES``):

* ``DRAFT_FORMATS`` — a ``draft.Draft`` as a Word file (原文下载 when the source was text);
* ``COMPARISON_FORMATS`` — a ``draft.revisions.RevisionTable`` (修改对照表) as an HTML fragment
  or a Word file;
* ``RECEIPT_FORMATS`` — a :class:`Receipt` (回执) as text or a small PDF;
* ``PACKAGE_FORMATS`` — a :class:`Report` as the internal 意见采纳情况报告（报审稿）, every comment behind
  each opinion (``include_contact`` for admins).

``content_hash(report)`` is what an approval is bound to and ``differences(old, new)`` what changed between
two versions (``versions``); ``write_archive`` / ``verify_archive`` make and check the 归档包 (``archive``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from urllib.parse import quote

from . import comparison, decision_package, draft_word, html_page, json_data, markdown_text, receipt, staff_tables, word
from .archive import ArchiveError, Checked, Written, verify_archive, write_archive
from .clauses import clause_refs
from .json_data import load, report_data
from .placeholders import find_placeholders
from .public import PublicView, public_view, redact_comment
from .receipt import Receipt, ReceiptPart
from .redact import Finding, NameIndex, find_personal_data, looks_like_personal_name, mask_name, redact
from .report import (
    CHANNELS,
    CORRECTION_KINDS,
    DEFAULT_CATEGORIES,
    IDENTITY_MODES,
    REASON_REQUIRED,
    SUBMITTER_TYPES,
    SUPPORT_REPLY,
    ClauseChange,
    ClauseRef,
    Counts,
    MemberComment,
    Opinion,
    Problem,
    Report,
    ReportError,
    Topic,
    short_category,
)
from .versions import Difference, content_hash, differences

Renderer = Callable[..., bytes]

FORMATS: dict[str, Renderer] = {
    "html": html_page.render,
    "md": markdown_text.render,
    "docx": word.render,
    "json": json_data.render,
    "csv": staff_tables.render_csv,
    "xlsx": staff_tables.render_xlsx,
}

PUBLIC_FORMATS: tuple[str, ...] = ("html", "md", "docx", "json")
STAFF_FORMATS: tuple[str, ...] = ("csv", "xlsx")

MEDIA_TYPES: dict[str, str] = {
    "html": "text/html; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

DRAFT_FORMATS: dict[str, Renderer] = {"docx": draft_word.render}
COMPARISON_FORMATS: dict[str, Renderer] = {"html": comparison.render_html, "docx": comparison.render_docx}
RECEIPT_FORMATS: dict[str, Renderer] = {"txt": receipt.render_txt, "pdf": receipt.render_pdf}
PACKAGE_FORMATS: dict[str, Renderer] = {"docx": decision_package.render}

DOCUMENT_MEDIA_TYPES: dict[str, str] = {
    "docx": MEDIA_TYPES["docx"],
    "html": MEDIA_TYPES["html"],
    "txt": "text/plain; charset=utf-8",
    "pdf": "application/pdf",
}
"""Content types for the formats of ``DRAFT_FORMATS``, ``COMPARISON_FORMATS``, ``RECEIPT_FORMATS`` and
``PACKAGE_FORMATS``."""

MIMETYPES: dict[str, str] = {fmt: media_type.split(";", 1)[0].strip() for fmt, media_type in MEDIA_TYPES.items()}
"""Bare MIME types without parameters (``text/html``), e.g. for Flask's ``mimetype=``."""

EXTENSIONS: dict[str, str] = {fmt: f".{fmt}" for fmt in FORMATS}

FORMAT_LABELS: dict[str, str] = {
    "html": "网页（HTML）",
    "md": "Markdown",
    "docx": "Word 文档（DOCX）",
    "json": "开放数据（JSON）",
    "csv": "意见明细（CSV）",
    "xlsx": "意见明细（Excel）",
}

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')


def filename(report: Report, fmt: str, *, max_length: int = 120) -> str:
    """A safe download name, e.g. ``天津市…(征求意见稿)采纳情况反馈-第1版.docx``.

    No path separators, reserved characters or control characters; the stem is cut to
    ``max_length`` characters. Use :func:`ascii_filename` where only ASCII is accepted.
    """
    if fmt not in EXTENSIONS:
        raise KeyError(f"unknown format {fmt!r}; known: {', '.join(EXTENSIONS)}")
    stem = safe_stem(report.draft_title or report.title, max_length=max_length) or "report"
    suffix = "-意见明细" if fmt in STAFF_FORMATS else "采纳情况反馈"
    return f"{stem}{suffix}-第{report.version}版{EXTENSIONS[fmt]}"


def safe_stem(title: str, *, max_length: int = 120) -> str:
    """``title`` as a file name stem: no path separators, reserved or control characters,
    spaces collapsed, cut to ``max_length`` characters (``""`` if nothing is left)."""
    stem = _UNSAFE.sub("", unicodedata.normalize("NFC", title)).strip().strip(".")
    return re.sub(r"\s+", " ", stem)[:max_length]


def ascii_filename(report: Report, fmt: str) -> str:
    """An ASCII fallback name, e.g. ``feedback-report-2024-10-20-v1.docx``."""
    kind = "comments" if fmt in STAFF_FORMATS else "feedback-report"
    day = f"-{report.report_date.isoformat()}" if report.report_date else ""
    return f"{kind}{day}-v{report.version}{EXTENSIONS[fmt]}"


def content_disposition(report: Report, fmt: str) -> str:
    """A Content-Disposition header value with the ASCII fallback and the UTF-8 name (RFC 6266)."""
    return f"attachment; filename=\"{ascii_filename(report, fmt)}\"; filename*=UTF-8''{quote(filename(report, fmt))}"


__all__ = [
    "CHANNELS",
    "COMPARISON_FORMATS",
    "CORRECTION_KINDS",
    "DEFAULT_CATEGORIES",
    "DOCUMENT_MEDIA_TYPES",
    "DRAFT_FORMATS",
    "EXTENSIONS",
    "FORMATS",
    "FORMAT_LABELS",
    "IDENTITY_MODES",
    "MEDIA_TYPES",
    "MIMETYPES",
    "PACKAGE_FORMATS",
    "PUBLIC_FORMATS",
    "REASON_REQUIRED",
    "RECEIPT_FORMATS",
    "STAFF_FORMATS",
    "SUBMITTER_TYPES",
    "SUPPORT_REPLY",
    "ArchiveError",
    "Checked",
    "ClauseChange",
    "ClauseRef",
    "Counts",
    "Difference",
    "Finding",
    "MemberComment",
    "NameIndex",
    "Opinion",
    "Problem",
    "PublicView",
    "Receipt",
    "ReceiptPart",
    "Report",
    "ReportError",
    "Topic",
    "Written",
    "ascii_filename",
    "clause_refs",
    "content_disposition",
    "content_hash",
    "differences",
    "filename",
    "find_personal_data",
    "find_placeholders",
    "load",
    "looks_like_personal_name",
    "mask_name",
    "public_view",
    "redact",
    "redact_comment",
    "report_data",
    "safe_stem",
    "short_category",
    "verify_archive",
    "write_archive",
]
