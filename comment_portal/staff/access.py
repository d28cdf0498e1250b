"""Who may reach which staff endpoint. The one place access is decided."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

from flask import Blueprint, Flask, abort, current_app, g, redirect, render_template, request, session, url_for

from .. import store
from ..clock import iso, now, parse_iso
from ..db import get_db
from ..errors import STAFF_TYPED_THEN, STAFF_TYPED_WHY, typed_back
from ..store.rows import Comment, StaffAccount
from ..vocabulary import ROLES
from ..web import referrer_path, safe_next
from .forms import LoginForm

#: Reachable without logging in.
PUBLIC_ENDPOINTS = {"staff.login"}
#: Reachable while a one-time password still has to be changed.
PASSWORD_CHANGE_ENDPOINTS = {"staff.password", "staff.logout"}
#: Open to every role (经办, 审核, admin); every other staff endpoint needs a role named below, and
#: anything not listed at all needs an admin (deny by default).
REVIEWER_ENDPOINTS = {
    "staff.logout",
    "staff.password",
    "staff.home",
    "staff.dashboard",
    "staff.queue",
    "staff.comment",
    "staff.comment_status",
    "staff.comment_note",
    "staff.comment_group",
    "staff.comment_clause",
    "staff.comment_decision",
    "staff.attachment",
    "staff.comment_noise",
    "staff.comment_parts",
    "staff.comment_unsplit",
    "staff.queue_noise",
    "staff.enter_comment",
    "staff.groups",
    "staff.group",
    "staff.group_update",
    "staff.group_merge",
    "staff.group_split",
    "staff.group_campaign",
    "staff.group_decision",
    "staff.group_create",
    "staff.group_reviewed",
    "staff.queue_bulk",
    "staff.bulk_thanks",
    "staff.report_preview",
    "staff.report_submit",
    "staff.report_package",
    "staff.revision_table",
    "staff.audit_page",
    "staff.job_status",
}
#: Signing off the report: only accounts holding 审核 (``approver``), admins included — an admin is not an
#: approver unless given the role.
APPROVER_ENDPOINTS = {"staff.report_approve", "staff.report_return"}


def allowed(endpoint: str, roles: tuple[str, ...] | list[str]) -> bool:
    """May an account holding ``roles`` use ``endpoint``? (Logged in, password changed.)"""
    if endpoint in APPROVER_ENDPOINTS:
        return "approver" in roles
    if endpoint in REVIEWER_ENDPOINTS:
        return bool(roles)
    return "admin" in roles


def login_url() -> str:
    return url_for("staff.login", next=request.full_path if request.method == "GET" else None)


#: Admin pages that take files (comments to import, drafts, the revised draft) may read bodies up to
#: ``IMPORT_MAX_BYTES``.
UPLOAD_ENDPOINTS = {"staff.import_comments", "staff.consultation_new", "staff.draft_source", "staff.revised_draft"}
#: Uploads for the admin import page may be larger than a form (``MAX_CONTENT_LENGTH``); setting
#: ``IMPORT_MAX_BYTES`` changes it.
IMPORT_MAX_BYTES = 20 * 1024 * 1024


def init(app: Flask, bp: Blueprint) -> None:
    """Put the guard on the staff blueprint, and the upload-size lift before everything else on the app."""
    bp.before_request(guard)
    bp.after_request(no_store)
    bp.context_processor(template_context)
    # An app-wide hook, first in line: CSRFProtect (also app-wide) parses the body before any blueprint hook.
    app.before_request_funcs.setdefault(None, []).insert(0, lift_upload_limit)


def session_account() -> tuple[StaffAccount | None, bool]:
    """(the staff account this session is logged in as, or None; whether a login here has ended)."""
    staff_id = session.get("staff_id")
    if staff_id is None:
        return None, False
    account = store.staff.get(get_db(), staff_id)
    seen = session.get("staff_seen")
    idle = timedelta(minutes=current_app.config["STAFF_IDLE_MINUTES"])
    longest = timedelta(seconds=current_app.config["PERMANENT_SESSION_LIFETIME"]
                        if isinstance(current_app.config["PERMANENT_SESSION_LIFETIME"], int)
                        else current_app.config["PERMANENT_SESSION_LIFETIME"].total_seconds())
    login_at = session.get("staff_login_at")
    moment = now()
    # Idle for too long, or logged in too long ago (activity does not extend a session forever).
    expired = (seen is None or moment - parse_iso(seen) > idle
               or login_at is None or moment - parse_iso(login_at) > longest)
    # Logout, a password change or disabling raised the account's generation: this session is over,
    # whoever holds a copy of its cookie.
    ended = session.get("staff_gen") != account.session_generation if account else True
    if account is None or ended or account.disabled or expired:
        return None, True
    return account, False


def _expired_post():
    """A post whose login ended meanwhile (30 idle minutes while writing a reason): the login form, and below it
    every text box the post carried, so nothing typed is lost; after logging in, the page it came from."""
    action = url_for("staff.login", expired=1, next=safe_next(referrer_path(), "") or None)
    return render_template("staff/login.html", form=LoginForm(formdata=None), expired=True, action=action,
                           typed=typed_back(), why=STAFF_TYPED_WHY, then=STAFF_TYPED_THEN), 401


def guard():
    """``before_request`` for the whole staff blueprint."""
    g.staff = None
    endpoint = request.endpoint or ""
    account, ended = session_account()
    if ended:
        for key in ("staff_id", "staff_gen", "staff_seen", "staff_login_at"):
            session.pop(key, None)
        if endpoint not in PUBLIC_ENDPOINTS:
            return _expired_post() if request.method == "POST" else redirect(url_for("staff.login", expired=1))
    elif account is not None:
        g.staff = account
        session["staff_seen"] = iso(now())
    if endpoint in PUBLIC_ENDPOINTS:
        return None
    if g.staff is None:
        return redirect(login_url())
    if g.staff.must_change_password and endpoint not in PASSWORD_CHANGE_ENDPOINTS:
        return redirect(url_for("staff.password"))
    if not allowed(endpoint, g.staff.roles):
        abort(403)
    return None


def import_max_bytes() -> int:
    return int(current_app.config.get("IMPORT_MAX_BYTES", IMPORT_MAX_BYTES))


#: What a staff form's POST may carry. Staff forms are urlencoded, where a Chinese character takes 9 bytes (%E5%85%AC):
#: the group form at its limits (归纳意见 5,000 + 理由 2,000 + 修改后表述 4,000 characters) is ~100 KB and 公告与说明
#: (two boxes of 5,000) ~90 KB, over the app-wide 64 KiB, which answered 413 and dropped the text.
STAFF_FORM_MAX_BYTES = 1024 * 1024


def lift_upload_limit() -> None:
    """Staff posts from a signed-in session (or one whose login just ended: its text is shown back) may be up to
    :data:`STAFF_FORM_MAX_BYTES`; the admin upload pages take files larger still. Nobody else's body is read that
    large (the same session check as :func:`guard`, before CSRF reads the body)."""
    if request.method != "POST" or request.blueprint != "staff":
        return
    account, ended = session_account()
    if account is not None and request.endpoint in UPLOAD_ENDPOINTS and "admin" in account.roles \
            and not account.must_change_password:
        request.max_content_length = import_max_bytes()
    elif account is not None or ended:
        request.max_content_length = STAFF_FORM_MAX_BYTES


def no_store(response):
    """``after_request``: no staff page is kept by the browser or any cache (shared office computers)."""
    response.headers["Cache-Control"] = "no-store"
    return response


def contact_for_role(comment: Comment) -> Comment:
    """A submitter's contact details are for admins: reviewers learn only that there are some."""
    return replace(comment, has_contact=bool(comment.contact), contact=comment.contact if is_admin() else None)


def is_admin() -> bool:
    return has_role("admin")


def has_role(role: str) -> bool:
    """Does the logged-in account hold ``role``? (What a page offers; ``guard`` decides what it allows.)"""
    return bool(g.get("staff")) and role in g.staff.roles


def template_context() -> dict[str, Any]:
    return {"current_staff": g.get("staff"), "is_admin": is_admin(), "has_role": has_role, "roles": ROLES}
