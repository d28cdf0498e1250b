"""The staff side (/staff): deny-by-default in ONE place.

Every request to this blueprint passes :func:`access.guard` (registered as ``before_request``):
logged-out visitors are sent to the login page (the only public endpoint here), a one-time
password must be changed first, idle sessions expire, and endpoints not listed as open to
every role (or to 审核) need an admin. No per-view decorators to forget. No staff page may be stored (``no-store``).

Each module below holds one area of the back office and records its pages in its ``routes`` (``web.Routes``);
:func:`register` (called by ``create_app``) wires them, and nothing is added by importing a module.
"""

from __future__ import annotations

from flask import Blueprint, Flask

from . import (
    access,
    accounts,
    attachments,
    audit_view,
    auth,
    comment,
    dashboard,
    decisions,
    drafts,
    enter,
    erase,
    groups,
    jobs,
    publish,
    queue,
    record,
    revised,
    windows,
)

AREAS = (auth, accounts, dashboard, queue, comment, attachments, groups, decisions, enter, erase, publish, revised,
         record, audit_view, drafts, windows, jobs)


def register(app: Flask) -> None:
    bp = Blueprint("staff", __name__, url_prefix="/staff")
    access.init(app, bp)
    for area in AREAS:
        area.routes.register(bp)
    app.extensions.setdefault("form_rescue", {})["staff.login"] = auth.rescue_login
    app.register_blueprint(bp)
