"""The record: the 意见采纳情况报告（报审稿） for every staff role (contact details for admins only) and the
归档包 for admins (it carries every contact detail: not in ``access.REVIEWER_ENDPOINTS``)."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from urllib.parse import quote

from flask import Response, g

import exports

from .. import store
from ..clock import now, today_local
from ..db import get_db
from ..web import Routes, consultation_or_404
from . import access
from .publish import report_defaults

routes = Routes()


def disposition(ascii_name: str, name: str) -> str:
    """A download's Content-Disposition: an ASCII name for old clients, the Chinese name for the others."""
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"


@routes.get("/c/<slug>/report/package.docx")
def report_package(slug: str):
    consultation = consultation_or_404(slug)
    body = store.archive.package(get_db(), consultation, include_contact=access.is_admin(), staff=g.staff, now=now(),
                                 defaults=report_defaults())
    response = Response(body, content_type=exports.DOCUMENT_MEDIA_TYPES["docx"])
    day = today_local().isoformat()
    name = f"{exports.safe_stem(consultation.title)}意见采纳情况报告（报审稿）-{day}.docx"
    response.headers["Content-Disposition"] = disposition(f"decision-package-{day}.docx", name)
    response.headers["Cache-Control"] = "no-store"
    return response


def _stream(spool) -> Iterator[bytes]:
    """The file in chunks, closed (and its disk copy deleted) when the response ends, however it ends."""
    try:
        spool.seek(0)
        while chunk := spool.read(1024 * 1024):
            yield chunk
    finally:
        spool.close()


@routes.get("/c/<slug>/archive.zip")
def archive(slug: str):
    consultation = consultation_or_404(slug)
    # Large archives go to a temporary file, not memory; _stream closes it.
    spool = tempfile.SpooledTemporaryFile(max_size=32 * 1024 * 1024)  # noqa: SIM115
    try:
        store.archive.write_zip(get_db(), consultation, spool, staff=g.staff, now=now(), defaults=report_defaults())
    except BaseException:
        spool.close()
        raise
    day = today_local().isoformat()
    response = Response(_stream(spool), content_type="application/zip")
    response.headers["Content-Disposition"] = disposition(
        f"archive-{day}.zip", f"{exports.safe_stem(consultation.title)}归档包-{day}.zip")
    response.headers["Cache-Control"] = "no-store"
    return response
