"""Throttling failed staff logins without letting an attacker lock the owner out.

Two counters, both keyed on the NORMALISED username (:func:`store.staff.normalise_username`, the
same one the lookup uses, so ``admin`` + U+200B counts against ``admin``):

* per (account, address), strict: ``LOGIN_FAILURE_LIMIT`` failures (default 5 per 15 minutes), then that
  address waits for the window to end before it may try that account again;
* per account, from any address: the first ``LOGIN_ACCOUNT_FREE_FAILURES`` failures in a day cost
  nothing, each one after that makes the next attempt wait 2, 4, 8 … seconds, at most
  ``LOGIN_ACCOUNT_MAX_DELAY``. A browser where the account has logged in before (it carries a signed
  device cookie naming the account) is exempt from this delay, so someone spraying one account from
  many addresses slows themselves down, never the owner at their usual desk.

Counters live in the rate-limit database shared by every worker (``ratelimit.SQLiteStorage``), through
the app's own handle on it, so the throttle still holds when ``RATELIMIT_ENABLED`` is False.
Successful logins are limited per address by flask-limiter (``LOGIN_RATE_LIMIT``).
"""

from __future__ import annotations

from flask import current_app
from limits import RateLimitItem, parse
from limits.strategies import FixedWindowRateLimiter

from .ratelimit import SQLiteStorage

DAY = 24 * 3600


def _now() -> float:
    return current_app.extensions["clock"].now().timestamp()


def _storage() -> SQLiteStorage:
    storage: SQLiteStorage = current_app.extensions["login_throttle_storage"]
    return storage


def _pair(username: str, address: str) -> tuple[FixedWindowRateLimiter, RateLimitItem, tuple[str, ...]]:
    strategy = FixedWindowRateLimiter(_storage())
    return strategy, parse(current_app.config["LOGIN_FAILURE_LIMIT"]), ("login-pair", username, address)


def wait_seconds(username: str, address: str, *, trusted_device: bool) -> int:
    """0 when this login attempt may go ahead, else how many seconds to wait."""
    waits = []
    strategy, limit, keys = _pair(username, address)
    if not strategy.test(limit, *keys):
        waits.append(strategy.get_window_stats(limit, *keys).reset_time - _now())
    if not trusted_device:
        storage = _storage()
        key = f"login-account-wait/{username}"
        if storage.get(key) > 0:
            waits.append(storage.get_expiry(key) - _now())
    return max(1, int(max(waits)) + 1) if waits else 0


def failed(username: str, address: str) -> None:
    """Count one failed attempt against the (account, address) pair and against the account."""
    strategy, limit, keys = _pair(username, address)
    strategy.hit(limit, *keys)
    storage = _storage()
    failures = storage.incr(f"login-account-failures/{username}", DAY)
    free = int(current_app.config["LOGIN_ACCOUNT_FREE_FAILURES"])
    if failures >= free:
        delay = min(2 ** (failures - free + 1), int(current_app.config["LOGIN_ACCOUNT_MAX_DELAY"]))
        wait_key = f"login-account-wait/{username}"
        storage.clear(wait_key)
        storage.incr(wait_key, delay)


def succeeded(username: str, address: str) -> None:
    """The owner got in from here: this pair starts afresh (the account's count stays, so a success
    in the middle of a spraying attack does not hand the attacker a fresh allowance)."""
    strategy, limit, keys = _pair(username, address)
    strategy.clear(limit, *keys)
