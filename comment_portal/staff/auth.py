"""Login, logout and password change.

Failed logins are throttled per (account, address) and per account (see ``login_throttle``); all login
attempts from one address are capped by ``LOGIN_RATE_LIMIT``. A session records the account's session
generation; logout, a password change, a reset and disabling raise it (``store.staff``), which ends
every session of the account, copied cookies included.
"""

from __future__ import annotations

from flask import current_app, g, make_response, redirect, render_template, request, session, url_for
from itsdangerous import BadSignature, URLSafeTimedSerializer

from .. import login_throttle, store
from ..clock import iso, now
from ..db import get_db
from ..errors import when_to_retry
from ..ratelimit import address_key, client_address, limiter, login_limit
from ..web import Routes, safe_next
from .forms import LoginForm, PasswordForm

routes = Routes()

#: A browser where an account logged in before: exempt from the per-account delay (never from the
#: per-address limits), so an attack on the account from elsewhere does not lock its owner out.
DEVICE_COOKIE = "cp_staff_device"
DEVICE_DAYS = 180


def _devices() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="staff-device")


def _trusted_device(username: str) -> bool:
    cookie = request.cookies.get(DEVICE_COOKIE)
    if not cookie:
        return False
    try:
        return _devices().loads(cookie, max_age=DEVICE_DAYS * 86400) == username
    except BadSignature:
        return False


def _login_page(form: LoginForm, error: str = "", code: int = 200, retry_after: int = 0):
    response = make_response(
        render_template("staff/login.html", form=form, error=error, expired=request.args.get("expired")), code
    )
    if retry_after:
        response.headers["Retry-After"] = str(retry_after)
    return response


def rescue_login(message: str, code: int = 400):
    """CSRF failure or the per-address limit: the login page again, the username kept."""
    form = LoginForm(formdata=request.form)
    form.password.data = ""
    return _login_page(form, message, code)


@routes.route("/login", methods=["GET", "POST"])
@limiter.limit(login_limit, methods=["POST"], key_func=address_key)
def login():
    form = LoginForm()
    if not form.validate_on_submit():
        return _login_page(form)
    username = store.staff.normalise_username(form.username.data)
    address = address_key()  # IPv6 per /64: one subscriber has a whole prefix of addresses to rotate through
    wait = login_throttle.wait_seconds(username, address, trusted_device=_trusted_device(username))
    if wait:
        error = "该账号登录失败次数过多，" + when_to_retry(wait)
        return _login_page(form, error, 429, wait)
    db = get_db()
    account = store.staff.authenticate(db, username, form.password.data)
    if account is None:
        login_throttle.failed(username, address)
        # Logged without the password, ever.
        current_app.logger.warning("staff login failed for username=%r from %s", username, client_address())
        return _login_page(form, "用户名或密码不正确。", 401)
    login_throttle.succeeded(username, address)
    session.clear()  # no session fixation: a fresh session for the logged-in staff member
    session.permanent = True
    session["staff_id"] = account.id
    session["staff_gen"] = account.session_generation
    session["staff_seen"] = session["staff_login_at"] = iso(now())
    store.staff.record_login(db, account, now=now())
    target = url_for("staff.password") if account.must_change_password else safe_next(request.args.get("next"), url_for("staff.home"))
    response = redirect(target)
    response.set_cookie(
        DEVICE_COOKIE, _devices().dumps(username), max_age=DEVICE_DAYS * 86400, path="/staff",
        secure=current_app.session_interface.get_cookie_secure(current_app), httponly=True, samesite="Strict",
    )
    return response


@routes.post("/logout")
def logout():
    store.staff.end_sessions(get_db(), g.staff, now=now())
    session.clear()
    return redirect(url_for("staff.login"))


@routes.route("/password", methods=["GET", "POST"])
def password():
    form = PasswordForm()
    error = ""
    if form.validate_on_submit():
        db = get_db()
        account = g.staff
        if store.staff.authenticate(db, account.username, form.current.data) is None:
            error = "当前密码不正确。"
        else:
            try:
                store.staff.check_password_rules(form.new.data, account.username)
                if form.new.data == form.current.data:
                    raise store.staff.AccountError("新密码不能与当前密码相同。")
            except store.staff.AccountError as exc:
                error = str(exc)
            else:
                # Every other session of the account ends; this one carries on with the new generation.
                session["staff_gen"] = store.staff.change_password(db, account, form.new.data, now=now())
                return redirect(url_for("staff.home"))
    return render_template("staff/password.html", form=form, error=error), (400 if error else 200)
