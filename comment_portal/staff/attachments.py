"""Files sent with comments, for staff only: downloaded, never shown inline (``Content-Disposition:
attachment``, ``nosniff``, a sandbox CSP), never from a public URL. Reviewers may download them (they read
the comments); the guard in ``access.py`` keeps everyone else out."""

from __future__ import annotations

from flask import Response, abort

from draft.documents import MEDIA_TYPES

from .. import store, uploads
from ..db import get_db
from ..web import Routes, attachment_header, consultation_or_404

routes = Routes()


@routes.get("/c/<slug>/attachments/<int:attachment_id>")
def attachment(slug: str, attachment_id: int):
    consultation = consultation_or_404(slug)
    found = store.attachments.get(get_db(), consultation.id, attachment_id)
    if found is None:
        abort(404)
    try:
        body = uploads.path_of(found.stored_name).read_bytes()  # at most ATTACHMENT_MAX_BYTES
    except FileNotFoundError:
        abort(404)
    response = Response(body, mimetype=MEDIA_TYPES.get(found.kind, "application/octet-stream"))
    response.headers["Content-Disposition"] = attachment_header(found.original_name)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response
