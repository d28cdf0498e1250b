"""Files sent with comments, for staff only: downloaded, never shown inline (``Content-Disposition:
attachment``, ``nosniff``, a sandbox CSP), never from a public URL. Reviewers may download them (they read
the comments); the guard in ``access.py`` keeps everyone else out."""

from __future__ import annotations

from flask import abort, send_file

from draft.documents import MEDIA_TYPES

from .. import store, uploads
from ..db import get_db
from ..web import Routes, attachment_header, consultation_or_404

routes = Routes()
register = routes.register  # called by the package's ``register`` with its blueprint


@routes.get("/c/<slug>/attachments/<int:attachment_id>")
def attachment(slug: str, attachment_id: int):
    c = consultation_or_404(slug)
    found = store.attachments.get(get_db(), c["id"], attachment_id)
    if found is None:
        abort(404)
    try:
        path = uploads.path_of(found["stored_name"])
        response = send_file(path, mimetype=MEDIA_TYPES.get(found["kind"], "application/octet-stream"),
                             as_attachment=True, download_name=found["original_name"], conditional=False,
                             etag=False, max_age=0)
    except FileNotFoundError:
        abort(404)
    response.headers["Content-Disposition"] = attachment_header(found["original_name"])
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response
