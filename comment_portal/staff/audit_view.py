"""The audit page of a consultation: every staff change, newest first."""

from __future__ import annotations

from flask import render_template, request

from .. import store
from ..db import get_db
from ..web import Routes, consultation_or_404

routes = Routes()

PAGE = 200


@routes.get("/c/<slug>/audit")
def audit_page(slug: str):
    consultation = consultation_or_404(slug)
    before = request.args.get("before", type=int)
    entries = store.audit.entries(get_db(), consultation.id, limit=PAGE + 1, before_id=before)
    more = len(entries) > PAGE
    return render_template("staff/audit.html", consultation=consultation, entries=entries[:PAGE], more=more)


@routes.get("/audit")
def audit_global():
    """Changes not tied to one consultation: logins, accounts (admin only: not on the reviewer list)."""
    before = request.args.get("before", type=int)
    entries = store.audit.entries(get_db(), None, limit=PAGE + 1, before_id=before)
    more = len(entries) > PAGE
    return render_template("staff/audit.html", consultation=None, entries=entries[:PAGE], more=more)
