"""The public side: anyone can read drafts, comment inside the window, look up a receipt and read the
published feedback. :func:`register` (called by ``create_app``) adds the pages of ``views``, ``feedback`` and
``notice`` (原文下载) and ``display`` (the 大字版 switch)."""

from __future__ import annotations

from flask import Blueprint, Flask

from .. import uploads
from . import display, feedback, notice, views


def register(app: Flask) -> None:
    bp = Blueprint("public", __name__)
    views.routes.register(bp)
    feedback.routes.register(bp)
    notice.routes.register(bp)
    display.routes.register(bp)
    # A CSRF failure or a rate limit on the comment form shows the form again with what was typed (errors.py).
    rescue = app.extensions.setdefault("form_rescue", {})
    for endpoint in uploads.UPLOAD_ENDPOINTS:
        rescue[endpoint] = views.rescue_comment_form
    # The comment forms may carry files: their larger body limit, set before anything reads the body.
    uploads.init_app(app)
    app.register_blueprint(bp)
