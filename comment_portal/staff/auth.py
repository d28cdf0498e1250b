"""Login, logout and password change. Login is rate-limited per client and per account."""

from __future__ import annotations

from flask import current_app, g, redirect, render_template, request, session, url_for

from .. import audit, staff_accounts
from ..clock import iso, now
from ..db import get_db, write
from ..ratelimit import client_address, limiter, login_limit
from . import bp
from .forms import LoginForm, PasswordForm


def _account_key() -> str:
    return "account:" + (request.form.get("username") or "").strip().lower()


def _safe_next(target: str | None) -> str:
    """Only same-site staff paths: never an open redirect."""
    if target and target.startswith("/staff/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("staff.home")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(login_limit, methods=["POST"], key_func=client_address)
@limiter.limit(login_limit, methods=["POST"], key_func=_account_key)
def login():
    form = LoginForm()
    error = ""
    if form.validate_on_submit():
        db = get_db()
        account = staff_accounts.authenticate(db, form.username.data, form.password.data)
        if account is None:
            # Logged without the password, ever.
            current_app.logger.warning(
                "staff login failed for username=%r from %s", form.username.data, client_address()
            )
            error = "用户名或密码不正确。"
        else:
            session.clear()  # no session fixation: a fresh session for the logged-in staff member
            session.permanent = True
            session["staff_id"] = account["id"]
            session["staff_seen"] = iso(now())
            session["staff_login_at"] = iso(now())
            session["staff_pw"] = account["password_hash"][-16:]
            with write(db):
                staff_accounts.record_login(db, account["id"], now())
                audit.record(db, action="login", now=now(), staff=account, entity="staff", entity_id=account["id"])
            if account["must_change_password"]:
                return redirect(url_for("staff.password"))
            return redirect(_safe_next(request.args.get("next")))
    code = 401 if error else 200
    return render_template("staff/login.html", form=form, error=error, expired=request.args.get("expired")), code


@bp.post("/logout")
def logout():
    session.clear()
    return redirect(url_for("staff.login"))


@bp.route("/password", methods=["GET", "POST"])
def password():
    form = PasswordForm()
    error = ""
    if form.validate_on_submit():
        db = get_db()
        account = g.staff
        if staff_accounts.authenticate(db, account["username"], form.current.data) is None:
            error = "当前密码不正确。"
        else:
            try:
                staff_accounts.check_password_rules(form.new.data, account["username"])
                if form.new.data == form.current.data:
                    raise staff_accounts.AccountError("新密码不能与当前密码相同。")
            except staff_accounts.AccountError as exc:
                error = str(exc)
            else:
                with write(db):
                    staff_accounts.set_password(db, account["id"], form.new.data)
                    audit.record(db, action="password.change", now=now(), staff=account, entity="staff",
                                 entity_id=account["id"])
                session["staff_pw"] = staff_accounts.get(db, account["id"])["password_hash"][-16:]
                return redirect(url_for("staff.home"))
    return render_template("staff/password.html", form=form, error=error), (400 if error else 200)
