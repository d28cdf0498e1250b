"""The public side: anyone can read drafts, comment inside the window, and look up a receipt."""

from flask import Blueprint

bp = Blueprint("public", __name__)

from . import feedback, views  # noqa: F401  (routes live in views.py and attach to bp)
