"""The staff side (/staff): deny-by-default in ONE place.

Every request to this blueprint passes :func:`access.guard` (registered as ``before_request``):
logged-out visitors are sent to the login page (the only public endpoint here), a one-time
password must be changed first, idle sessions expire, and endpoints not listed as open to
reviewers need an admin. No per-view decorators to forget. No staff page may be stored (``no-store``).
"""

from flask import Blueprint

bp = Blueprint("staff", __name__, url_prefix="/staff")

from . import access

bp.before_request(access.guard)
bp.after_request(access.no_store)
bp.context_processor(access.template_context)

# Views attach to ``bp``; each module holds one area of the back office.
from . import accounts, audit_view, auth, dashboard, decisions, enter, erase, groups, publish, queue  # noqa: F401
