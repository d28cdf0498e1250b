"""The record: the 意见采纳情况报告（报审稿） for every staff role (contact details for admins only) and the
归档包 for admins (it carries every contact detail: not in ``access.REVIEWER_ENDPOINTS``)."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from urllib.parse import quote

from flask import Response, current_app, g

import exports

from .. import store
from ..clock import now, today_local
from ..db import get_db
from ..web import Routes, consultation_or_404
from . import access

routes = Routes()
register = routes.register  # called by the package's ``register`` with its blueprint


def _defaults() -> dict[str, str]:
    return {"issuer": current_app.config.get("ISSUING_BODY", ""),
            "published_where": current_app.config.get("PUBLISHED_AT", "")}


def _disposition(ascii_name: str, name: str) -> str:
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"


@routes.get("/c/<slug>/report/package.docx")
def report_package(slug: str):
    c = consultation_or_404(slug)
    body = store.archive.package(get_db(), c, include_contact=access.is_admin(), staff=g.staff, now=now(),
                                 defaults=_defaults())
    response = Response(body, content_type=exports.DOCUMENT_MEDIA_TYPES["docx"])
    day = today_local().isoformat()
    name = f"{exports.safe_stem(c['title'])}意见采纳情况报告（报审稿）-{day}.docx"
    response.headers["Content-Disposition"] = _disposition(f"decision-package-{day}.docx", name)
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
    c = consultation_or_404(slug)
    # Large archives go to a temporary file, not memory; _stream closes it.
    spool = tempfile.SpooledTemporaryFile(max_size=32 * 1024 * 1024)  # noqa: SIM115
    try:
        store.archive.write_zip(get_db(), c, spool, staff=g.staff, now=now(), defaults=_defaults())
    except BaseException:
        spool.close()
        raise
    day = today_local().isoformat()
    response = Response(_stream(spool), content_type="application/zip")
    response.headers["Content-Disposition"] = _disposition(
        f"archive-{day}.zip", f"{exports.safe_stem(c['title'])}归档包-{day}.zip")
    response.headers["Cache-Control"] = "no-store"
    return response
