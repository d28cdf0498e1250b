"""Staff accounts: hashed passwords (werkzeug scrypt), roles, forced change of a one-time password."""

from __future__ import annotations

import secrets
import string
from datetime import datetime
from typing import Any

from sqlite_utils import Database
from werkzeug.security import check_password_hash, generate_password_hash

from .clock import iso
from .db import one, rows, write

ROLES = {"reviewer": "审核员", "admin": "管理员"}
MIN_PASSWORD_LENGTH = 10
# A hash to compare against when the account does not exist, so timing does not reveal usernames.
_DUMMY_HASH = generate_password_hash("not-a-real-password", method="scrypt")


class AccountError(ValueError):
    """A message for the person creating or changing an account."""


def generate_password(length: int = 14) -> str:
    """A one-time password that always passes :func:`check_password_rules` (letters AND digits)."""
    letters = "".join(ch for ch in string.ascii_letters if ch not in "OlI")
    digits = "23456789"
    while True:
        password = "".join(secrets.choice(letters + digits) for _ in range(length))
        if any(ch in digits for ch in password) and any(ch in letters for ch in password):
            return password


def check_password_rules(password: str, username: str = "") -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"密码至少需要{MIN_PASSWORD_LENGTH}个字符。")
    if username and username.lower() in password.lower():
        raise AccountError("密码不能包含用户名。")
    if password.isdigit() or password.isalpha():
        raise AccountError("密码需要同时包含字母和数字。")


def create(db: Database, username: str, role: str, password: str, *, now: datetime, must_change: bool = True) -> int:
    username = username.strip()
    if not username or len(username) > 40 or any(ch.isspace() for ch in username):
        raise AccountError("用户名不能为空、不能含空格，且不超过40个字符。")
    if role not in ROLES:
        raise AccountError(f"角色只能是 {' 或 '.join(ROLES)}。")
    if by_username(db, username):
        raise AccountError(f"用户名“{username}”已存在。")
    check_password_rules(password, username)
    with write(db):
        cursor = db.execute(
            "INSERT INTO staff (username, password_hash, role, must_change_password, disabled, created_at) "
            "VALUES (?, ?, ?, ?, 0, ?)",
            [username, generate_password_hash(password, method="scrypt"), role, int(must_change), iso(now)],
        )
    return cursor.lastrowid


def by_username(db: Database, username: str) -> dict[str, Any] | None:
    return one(db, "SELECT * FROM staff WHERE username = ? COLLATE NOCASE", [username.strip()])


def get(db: Database, staff_id: int) -> dict[str, Any] | None:
    return one(db, "SELECT * FROM staff WHERE id = ?", [staff_id])


def authenticate(db: Database, username: str, password: str) -> dict[str, Any] | None:
    account = by_username(db, username)
    if account is None or account["disabled"]:
        check_password_hash(_DUMMY_HASH, password)
        return None
    return account if check_password_hash(account["password_hash"], password) else None


def set_password(db: Database, staff_id: int, password: str, *, must_change: bool = False) -> None:
    db.execute(
        "UPDATE staff SET password_hash = ?, must_change_password = ? WHERE id = ?",
        [generate_password_hash(password, method="scrypt"), int(must_change), staff_id],
    )


def record_login(db: Database, staff_id: int, now: datetime) -> None:
    db.execute("UPDATE staff SET last_login_at = ? WHERE id = ?", [iso(now), staff_id])


def all_staff(db: Database) -> list[dict[str, Any]]:
    return rows(db, "SELECT id, username, role, must_change_password, disabled, created_at, last_login_at "
                    "FROM staff ORDER BY username")


def count(db: Database) -> int:
    return db.execute("SELECT count(*) FROM staff").fetchone()[0]
