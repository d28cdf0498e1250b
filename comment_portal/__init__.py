"""comment-portal: the Flask application (the public portal and the staff back office).

``create_app(test_config=None)`` follows the flaskr pattern: defaults → ``instance/config.py`` →
``COMMENT_PORTAL_*`` environment variables → the test mapping.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask, has_request_context, request
from flask.sessions import SecureCookieSessionInterface
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

from . import db as database
from .clock import SystemClock
from .ratelimit import SCHEME, SQLiteStorage, limiter

__version__ = "0.1.0"

csrf = CSRFProtect()


def _secret_key(instance_path: str) -> str:
    """A per-installation secret kept in the instance folder (created once, mode 0600)."""
    path = Path(instance_path) / "secret_key"
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
    return key


class PortalSessionInterface(SecureCookieSessionInterface):
    """Cookies are ``Secure`` whenever the request came over HTTPS: directly, or through the configured
    reverse proxy (ProxyFix with ``x_proto`` turns its X-Forwarded-Proto into ``request.is_secure``).
    ``SESSION_COOKIE_SECURE=true`` makes them Secure always."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or (has_request_context() and request.is_secure)


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(
        DATABASE=os.path.join(app.instance_path, "portal.db"),
        RATELIMIT_DATABASE=None,  # default: beside DATABASE
        # Accepted comments per browser (a random id in the session) and, as a flood ceiling, per address
        # (IPv6: per /64). README says why these numbers.
        COMMENT_RATE_LIMIT="10 per minute;200 per day",
        COMMENT_ADDRESS_RATE_LIMIT="30 per minute;300 per hour;2000 per day",
        # Receipt lookups, downloads and withdrawals, per browser and, as a flood ceiling, per address: one office's
        # NAT address carries many colleagues; guessing a 60-bit code is hopeless at any of these rates (README).
        RECEIPT_RATE_LIMIT="30 per minute",
        RECEIPT_ADDRESS_RATE_LIMIT="300 per minute;3000 per hour",
        # Stated for every app: flask-limiter's one Limiter would otherwise carry a False over from an
        # earlier app in the same process. The login throttle holds either way (login_throttle.py).
        RATELIMIT_ENABLED=True,
        RATELIMIT_FAIL_ON_FIRST_BREACH=False,  # every broken limit counts towards Retry-After
        LOGIN_RATE_LIMIT="10 per minute;50 per hour",  # every login attempt, per address
        LOGIN_FAILURE_LIMIT="5 per 15 minutes",  # failed logins per (account, address)
        LOGIN_ACCOUNT_FREE_FAILURES=5,  # failed logins per account and day before delays start ...
        LOGIN_ACCOUNT_MAX_DELAY=900,  # ... doubling up to this many seconds (see login_throttle)
        MAX_CONTENT_LENGTH=64 * 1024,
        WTF_CSRF_TIME_LIMIT=6 * 3600,  # people take time to write a considered comment
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=False,  # True: always Secure; otherwise Secure when the request came over HTTPS
        PERMANENT_SESSION_LIFETIME=8 * 3600,  # staff sessions end after 8 hours at most ...
        STAFF_IDLE_MINUTES=30,  # ... or after 30 minutes without a request
        PROXY_FIX_X_FOR=0,  # number of trusted proxies in front of the app (0: none)
        PROXY_FIX_X_PROTO=None,  # proxies trusted for X-Forwarded-Proto (None: as PROXY_FIX_X_FOR)
        ISSUING_BODY="",
        PUBLISHED_AT="",  # where the draft was published, for the report's process paragraph
        HEALTH_MIN_FREE_MB=200,  # /healthz answers 503 when the database's disk has less free space than this
        # Background jobs (analysis runs, imports): "process" = a runner process (jobs.py), "inline" = within the
        # request that queues the job, "off" = nothing starts one; unset: "process", or "inline" when TESTING (a
        # test app never leaves a process behind). An idle runner exits after JOB_RUNNER_IDLE seconds; it runs at
        # this nice level, so web workers get the CPU first.
        JOBS_RUNNER=None,
        JOB_RUNNER_IDLE=10,
        JOB_RUNNER_NICE=10,
        # Files with a comment (comment_portal/uploads.py): how many, how large each, where kept (default:
        # "attachments" beside the database, i.e. instance/attachments; never served publicly).
        ATTACHMENT_MAX_FILES=3,
        ATTACHMENT_MAX_BYTES=10 * 1024 * 1024,
        ATTACHMENT_INLINE_PAGES=10,
        ATTACHMENT_FOLDER=None,
        # Receipt mails (comment_portal/mail.py): off unless MAIL_SERVER and MAIL_FROM are set.
        MAIL_SERVER="",
        MAIL_PORT=25,
        MAIL_USE_SSL=False,
        MAIL_USE_STARTTLS=False,
        MAIL_USERNAME="",
        MAIL_PASSWORD="",
        MAIL_FROM="",
        MAIL_TIMEOUT=10,
        PUBLIC_URL="",  # the portal's address for links in mails (unset: the request's, from its Host header)
    )
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("COMMENT_PORTAL")
    if test_config is not None:
        app.config.from_mapping(test_config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secret_key(app.instance_path)
    x_for = int(app.config["PROXY_FIX_X_FOR"] or 0)
    x_proto = x_for if app.config["PROXY_FIX_X_PROTO"] is None else int(app.config["PROXY_FIX_X_PROTO"])
    if x_for or x_proto:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=x_for, x_proto=x_proto)  # type: ignore[method-assign]
    app.session_interface = PortalSessionInterface()

    app.extensions["clock"] = app.config.get("CLOCK") or SystemClock()
    clock = app.extensions["clock"]
    ratelimit_db = app.config["RATELIMIT_DATABASE"] or str(Path(app.config["DATABASE"]).with_name("ratelimit.db"))
    app.config["RATELIMIT_STORAGE_URI"] = f"{SCHEME}://{ratelimit_db}"
    app.config["RATELIMIT_STORAGE_OPTIONS"] = {"clock": lambda: clock.now().timestamp()}
    assert SQLiteStorage.STORAGE_SCHEME == [SCHEME]
    # The login throttle keeps its own handle on the same counters: it guards staff accounts even when
    # RATELIMIT_ENABLED is False (flask-limiter then opens no storage), and it belongs to this app.
    app.extensions["login_throttle_storage"] = SQLiteStorage(
        app.config["RATELIMIT_STORAGE_URI"], clock=app.config["RATELIMIT_STORAGE_OPTIONS"]["clock"]
    )

    csrf.init_app(app)
    limiter.init_app(app)
    database.init_app(app)

    from . import assets, errors, public, security, staff, templating

    assets.init_app(app)
    templating.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    public.register(app)
    staff.register(app)
    return app
