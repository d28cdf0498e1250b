"""Staff accounts: hashed passwords (werkzeug scrypt), roles, forced change of a one-time password,
and the session generation that lets logout, a password change or disabling end every session.

Why a per-account generation rather than a server-side session table: every staff request already
reads its account row (roles, disabled), so comparing one more integer costs nothing, while a session
table would add a read and a write (last seen) to every request. Logout, a password change, a reset
and disabling raise the generation, which ends every session of the account at once; the signed
cookie carries only the account id, the generation and times, never any part of the password hash.
"""

from __future__ import annotations

import re
import secrets
import string
import unicodedata
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlite_utils import Database
from werkzeug.security import check_password_hash, generate_password_hash

from ..clock import iso
from ..db import one, rows, scalar, write
from ..vocabulary import ROLES
from . import audit
from .rows import StaffAccount, from_row

MIN_PASSWORD_LENGTH = 10
# A hash to compare against when the account does not exist, so timing does not reveal usernames.
_DUMMY_HASH = generate_password_hash("not-a-real-password", method="scrypt")


class AccountError(ValueError):
    """A message for the person creating or changing an account."""


#: Usernames are created from this plain ASCII set only, so no two can look alike.
USERNAME_RULE = re.compile(r"[a-z0-9][a-z0-9._-]{1,39}")
USERNAME_HELP = "用户名须为2至40个字符，只能使用小写英文字母、数字和 . _ -，并以字母或数字开头。"


def check_username(username: str) -> str:
    """The username to store (lower case), or AccountError when it is outside the plain ASCII set."""
    username = username.strip().lower()
    if not USERNAME_RULE.fullmatch(username):
        raise AccountError(USERNAME_HELP)
    return username


def normalise_username(text: str | None) -> str:
    """What a typed username means, for lookup and for login limits alike: NFKC, case-folded, without
    invisible format characters (zero-width, bidi), control characters or spaces. ``admin`` followed by
    U+200B is ``admin``."""
    text = unicodedata.normalize("NFKC", text or "")
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] not in "CZ")
    return unicodedata.normalize("NFKC", text.casefold())


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


def check_roles(roles: str | Iterable[str]) -> tuple[str, ...]:
    """The roles to store, in the order of ``vocabulary.ROLES``; AccountError when none or unknown."""
    chosen = {roles} if isinstance(roles, str) else set(roles)
    unknown = chosen - set(ROLES)
    if unknown or not chosen:
        raise AccountError(f"请至少选择一个角色（{'、'.join(ROLES.values())}）。")
    return tuple(r for r in ROLES if r in chosen)


def _set_roles(db: Database, staff_id: int, roles: tuple[str, ...]) -> None:
    db.execute("DELETE FROM staff_roles WHERE staff_id = ?", [staff_id])
    db.conn.executemany("INSERT INTO staff_roles (staff_id, role) VALUES (?, ?)", [(staff_id, r) for r in roles])


def create(db: Database, username: str, roles: str | Iterable[str], password: str, *, staff: StaffAccount | None,
           now: datetime, must_change: bool = True, actor: str = "命令行") -> int:
    """A new account with one role or several (audited as ``staff``, or as ``actor`` from the command line);
    returns its id."""
    username = check_username(username)
    chosen = check_roles(roles)
    check_password_rules(password, username)
    with write(db):
        if by_username(db, username):
            raise AccountError(f"用户名“{username}”已存在。")
        staff_id = db.execute(
            "INSERT INTO staff (username, password_hash, must_change_password, disabled, created_at) "
            "VALUES (?, ?, ?, 0, ?)",
            [username, generate_password_hash(password, method="scrypt"), int(must_change), iso(now)],
        ).lastrowid or 0
        _set_roles(db, staff_id, chosen)
        audit.record(db, action="staff.create", now=now, staff=staff, actor=actor, entity="staff", entity_id=staff_id,
                     after={"username": username, "roles": [ROLES[r] for r in chosen]})
    return staff_id


def set_roles(db: Database, staff_id: int, roles: Iterable[str], *, staff: StaffAccount, now: datetime) -> bool:
    """Give an account exactly ``roles`` (账号管理); False when it does not exist.

    Refused: no role at all, an admin taking away their own admin role, and leaving no enabled admin."""
    chosen = check_roles(roles)
    if staff.id == staff_id and "admin" in staff.roles and "admin" not in chosen:
        raise AccountError("不能取消自己的管理员角色（请由另一位管理员操作）。")
    with write(db):
        account = get(db, staff_id)
        if account is None:
            return False
        if "admin" in account.roles and "admin" not in chosen and not account.disabled and scalar(
                db, "SELECT count(*) FROM staff s JOIN staff_roles r ON r.staff_id = s.id "
                    "WHERE r.role = 'admin' AND s.disabled = 0") <= 1:
            raise AccountError("这是唯一启用的管理员账号，不能取消其管理员角色。")
        if account.roles == chosen:
            return True
        _set_roles(db, staff_id, chosen)
        audit.record(db, action="staff.update", now=now, staff=staff, entity="staff", entity_id=staff_id,
                     before={"roles": [ROLES[r] for r in account.roles]}, after={"roles": [ROLES[r] for r in chosen]})
    return True


#: An account row with its roles (space-separated here, a tuple in the order of ``vocabulary.ROLES`` on the row).
_ACCOUNT = ("SELECT s.*, (SELECT group_concat(role, ' ') FROM staff_roles WHERE staff_id = s.id) AS roles "
            "FROM staff s")


def _accounts(db: Database, where: str, params: list[Any] | None = None) -> list[StaffAccount]:
    found = []
    for row in rows(db, f"{_ACCOUNT} {where}", params or []):
        held = set((row["roles"] or "").split())
        found.append(from_row(StaffAccount, dict(row, roles=tuple(r for r in ROLES if r in held))))
    return found


def by_username(db: Database, username: str) -> StaffAccount | None:
    return next(iter(_accounts(db, "WHERE s.username = ? COLLATE NOCASE", [normalise_username(username)])), None)


def get(db: Database, staff_id: int) -> StaffAccount | None:
    return next(iter(_accounts(db, "WHERE s.id = ?", [staff_id])), None)


def authenticate(db: Database, username: str, password: str) -> StaffAccount | None:
    account = by_username(db, username)
    if account is None or account.disabled:
        check_password_hash(_DUMMY_HASH, password)
        return None
    return account if check_password_hash(account.password_hash, password) else None


def set_password(db: Database, staff_id: int, password: str, *, must_change: bool = False) -> None:
    """Inside the caller's transaction; every session of the account ends (the generation moves on)."""
    db.execute(
        "UPDATE staff SET password_hash = ?, must_change_password = ?, session_generation = session_generation + 1 "
        "WHERE id = ?",
        [generate_password_hash(password, method="scrypt"), int(must_change), staff_id],
    )


def _generation(db: Database, staff_id: int) -> int:
    return int(scalar(db, "SELECT session_generation FROM staff WHERE id = ?", [staff_id]) or 0)


def change_password(db: Database, account: StaffAccount, password: str, *, now: datetime) -> int:
    """The account holder's own change: ends every other session; returns the generation that the session
    which made the change carries on with."""
    with write(db):
        set_password(db, account.id, password)
        audit.record(db, action="password.change", now=now, staff=account, entity="staff", entity_id=account.id)
        return _generation(db, account.id)


def reset_password(db: Database, staff_id: int, password: str, *, staff: StaffAccount | None, now: datetime,
                   actor: str = "命令行") -> None:
    """An admin (or, with ``staff=None``, the command line) sets a one-time password: the holder's sessions
    end and the password must be changed."""
    with write(db):
        set_password(db, staff_id, password, must_change=True)
        audit.record(db, action="staff.update", now=now, staff=staff, actor=actor, entity="staff",
                     entity_id=staff_id, after={"password_reset": True})


def end_sessions(db: Database, account: StaffAccount, *, now: datetime) -> None:
    """Logout: every session of the account ends on the server, including copies of the cookie."""
    with write(db):
        db.execute("UPDATE staff SET session_generation = session_generation + 1 WHERE id = ?", [account.id])
        audit.record(db, action="logout", now=now, staff=account, entity="staff", entity_id=account.id)


def set_disabled(db: Database, staff_id: int, disabled: bool, *, staff: StaffAccount, now: datetime) -> bool:
    """Disable (ending every session) or re-enable an account; False when it does not exist."""
    if staff and staff.id == staff_id and disabled:
        raise AccountError("不能停用自己正在使用的账号。")
    with write(db):
        before = one(db, "SELECT disabled FROM staff WHERE id = ?", [staff_id])
        if before is None:
            return False
        db.execute("UPDATE staff SET disabled = ?, session_generation = session_generation + 1 WHERE id = ?",
                   [int(disabled), staff_id])
        audit.record(db, action="staff.update", now=now, staff=staff, entity="staff", entity_id=staff_id,
                     before={"disabled": bool(before["disabled"])}, after={"disabled": disabled})
    return True


def record_login(db: Database, account: StaffAccount, *, now: datetime) -> None:
    with write(db):
        db.execute("UPDATE staff SET last_login_at = ? WHERE id = ?", [iso(now), account.id])
        audit.record(db, action="login", now=now, staff=account, entity="staff", entity_id=account.id)


def all_staff(db: Database) -> list[StaffAccount]:
    """Every account with its roles."""
    return _accounts(db, "ORDER BY s.username")


def count(db: Database) -> int:
    return db.execute("SELECT count(*) FROM staff").fetchone()[0]


def holders(db: Database, role: str) -> int:
    """How many enabled accounts hold ``role``."""
    return int(scalar(db, "SELECT count(*) FROM staff s JOIN staff_roles r ON r.staff_id = s.id "
                          "WHERE r.role = ? AND s.disabled = 0", [role]) or 0)
