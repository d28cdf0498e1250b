"""Rate limiting: flask-limiter with a small SQLite storage shared by every worker.

flask-limiter's ``memory://`` storage lives in one process, so with N gunicorn workers a client
would get N times the configured allowance. This storage keeps fixed-window counters in a SQLite
file beside the portal's database (``synchronous=OFF``: a counter lost in a crash is harmless) and
reads time from the application's injectable clock, so tests can move past a window.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from typing import Any
from urllib.parse import urlparse

from flask import current_app, request
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

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        """One UPSERT: start a new window if the old one expired, else add to it."""
        now = self.clock()
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


limiter = Limiter(key_func=client_address, default_limits=[], headers_enabled=False)


def comment_limit() -> str:
    return current_app.config["COMMENT_RATE_LIMIT"]


def login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]
