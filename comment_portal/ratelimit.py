"""Rate limiting: flask-limiter with a small SQLite storage shared by every worker.

Comments are limited per browser first (a random id kept in the session, ``COMMENT_RATE_LIMIT``): an
association commenting clause by clause, or many citizens behind one carrier NAT, each have their own
allowance. A generous per-address ceiling (``COMMENT_ADDRESS_RATE_LIMIT``; IPv6 counted per /64)
stops one machine from flooding by throwing its cookies away.

flask-limiter's ``memory://`` storage lives in one process, so with N gunicorn workers a client
would get N times the configured allowance. This storage keeps fixed-window counters in a SQLite
file beside the portal's database (``synchronous=OFF``: a counter lost in a crash is harmless) and
reads time from the application's injectable clock, so tests can move past a window.
"""

from __future__ import annotations

import ipaddress
import secrets
import sqlite3
import threading
from collections.abc import Callable
from typing import Any
from urllib.parse import urlparse

from flask import current_app, request, session
from flask_limiter import Limiter
from limits.storage import Storage

SCHEME = "cpsqlite"


def _system_time() -> float:
    import time

    return time.time()


class SQLiteStorage(Storage):
    """Fixed-window counters in SQLite (``cpsqlite:///path/to/file.db``)."""

    STORAGE_SCHEME = [SCHEME]  # noqa: RUF012  (the name and type are the limits API)

    def __init__(
        self,
        uri: str | None = None,
        wrap_exceptions: bool = False,
        clock: Callable[[], float] | None = None,
        **options: Any,
    ) -> None:
        self.path = urlparse(uri or "").path or ":memory:"
        self.clock = clock or _system_time
        self._local = threading.local()
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)

    @property
    def base_exceptions(self) -> type[Exception]:
        return sqlite3.Error

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=10, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=OFF")
            conn.execute("PRAGMA busy_timeout=10000")
            conn.execute(
                "CREATE TABLE IF NOT EXISTS counters (key TEXT PRIMARY KEY, value INTEGER NOT NULL, expiry REAL NOT NULL)"
            )
            self._local.conn = conn
        return conn

    #: Expired counters are deleted every this many increments (per connection), so keys that come and go
    #: (browsers, addresses, usernames tried at the login) do not pile up.
    PURGE_EVERY = 1000

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        """One UPSERT: start a new window if the old one expired, else add to it."""
        now = self.clock()
        self._local.incrs = getattr(self._local, "incrs", 0) + 1
        if self._local.incrs % self.PURGE_EVERY == 0:
            self._conn().execute("DELETE FROM counters WHERE expiry <= ?", (now,))
        (value,) = self._conn().execute(
            "INSERT INTO counters (key, value, expiry) VALUES (:key, :amount, :expires) "
            "ON CONFLICT(key) DO UPDATE SET "
            "value = CASE WHEN counters.expiry <= :now THEN :amount ELSE counters.value + :amount END, "
            "expiry = CASE WHEN counters.expiry <= :now THEN :expires ELSE counters.expiry END "
            "RETURNING value",
            {"key": key, "amount": amount, "expires": now + expiry, "now": now},
        ).fetchone()
        return int(value)

    def get(self, key: str) -> int:
        row = self._conn().execute(
            "SELECT value FROM counters WHERE key = ? AND expiry > ?", (key, self.clock())
        ).fetchone()
        return int(row[0]) if row else 0

    def get_expiry(self, key: str) -> float:
        row = self._conn().execute(
            "SELECT expiry FROM counters WHERE key = ? AND expiry > ?", (key, self.clock())
        ).fetchone()
        return float(row[0]) if row else self.clock()

    def check(self) -> bool:
        try:
            self._conn().execute("SELECT 1")
            return True
        except sqlite3.Error:
            return False

    def reset(self) -> int | None:
        cursor = self._conn().execute("DELETE FROM counters")
        return cursor.rowcount

    def clear(self, key: str) -> None:
        self._conn().execute("DELETE FROM counters WHERE key = ?", (key,))


def client_address() -> str:
    """The client's address (ProxyFix, when configured, has already applied X-Forwarded-For)."""
    return request.remote_addr or "unknown"


def address_key() -> str:
    """The address a flood ceiling counts: IPv4 as is, IPv6 per /64 (one subscriber's prefix)."""
    address = client_address()
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return "address:" + address
    if ip.version == 6 and ip.ipv4_mapped is None:
        return "address:" + str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return "address:" + str(getattr(ip, "ipv4_mapped", None) or ip)


BROWSER_ID = "browser"


def ensure_browser_id() -> None:
    """Give this browser its random id (kept in the signed session cookie) if it has none yet."""
    if BROWSER_ID not in session:
        session[BROWSER_ID] = secrets.token_urlsafe(12)


def browser_key() -> str:
    """The per-browser limit's key: the browser id the form was served with. A POST whose session has
    none (the form was never loaded with this cookie) is counted by its address instead."""
    browser = session.get(BROWSER_ID)
    return f"browser:{browser}" if browser else address_key()


limiter = Limiter(key_func=client_address, default_limits=[], headers_enabled=False)


def comment_limit() -> str:
    return current_app.config["COMMENT_RATE_LIMIT"]


def comment_address_limit() -> str:
    return current_app.config["COMMENT_ADDRESS_RATE_LIMIT"]


def receipt_limit() -> str:
    return current_app.config["RECEIPT_RATE_LIMIT"]


def receipt_address_limit() -> str:
    return current_app.config["RECEIPT_ADDRESS_RATE_LIMIT"]


def login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def retry_after() -> int:
    """Seconds until every limit this request broke allows it again (at least 1)."""
    now = current_app.extensions["clock"].now().timestamp()
    resets = [limit.reset_at for limit in limiter.current_limits if limit.breached]
    return max(1, int(max(resets, default=now + 60) - now))
