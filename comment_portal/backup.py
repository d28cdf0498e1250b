"""Backups, restores and checks of the database file (``comment-portal backup | restore | check``).

A backup uses SQLite's online backup API: it copies a consistent snapshot while the portal keeps serving,
including what is still in the WAL file (a plain ``cp`` of ``portal.db`` misses those pages), and leaves a
single self-contained file (rollback journal, not WAL) that is checked before it gets its final name.

A restore replaces the database of a STOPPED instance. "Stopped" is checked, not assumed: every SQLite
connection to a WAL database holds a read lock on one byte of the ``-shm`` file (the "DMS" byte, which SQLite
itself uses to tell whether it is the first connection) for as long as it is open. :func:`in_use` asks the
kernel whether anyone holds that lock (``F_OFD_GETLK``: no lock is taken, and it also sees connections of this
very process). So any program with the database open — gunicorn workers, a running ``analyze``, an
``sqlite3`` shell — blocks a restore, and a process killed with ``kill -9`` does not (the kernel drops its
locks), so there is no stale pid file to clean up.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import struct
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TypeVar

SQLITE_MAGIC = b"SQLite format 3\x00"
MIGRATION_SET = "comment_portal"  # db.migrations' name in _sqlite_migrations
#: Byte of the -shm file every open connection read-locks (SQLite's os_unix.c: UNIX_SHM_BASE 120 + 8 locks).
SHM_DMS_BYTE = 128
#: Tables a comment-portal database has: a file without them is not one of ours.
REQUIRED_TABLES = ("_sqlite_migrations", "consultations", "comments", "audit_log")


T = TypeVar("T")


class BackupError(RuntimeError):
    """A backup, restore or check that cannot be done (a message in Chinese, one line)."""


@dataclass
class CheckResult:
    integrity: list[str] = field(default_factory=list)  # ["ok"] when sound
    foreign_keys: list[str] = field(default_factory=list)  # one line per violation
    tables: dict[str, int] = field(default_factory=dict)  # rows per table

    @property
    def ok(self) -> bool:
        return self.integrity == ["ok"] and not self.foreign_keys


def in_use(path: str | os.PathLike) -> bool:
    """Whether any process (this one included) has the WAL database at ``path`` open."""
    shm = Path(f"{path}-shm")
    if not shm.exists():
        return False  # no connection has the database open in WAL mode (the last one to close removes it)
    getlk = getattr(fcntl, "F_OFD_GETLK", None) or fcntl.F_GETLK  # F_GETLK: other processes only (non-Linux)
    fd = os.open(shm, os.O_RDONLY)
    try:
        probe = struct.pack("hhqqi", fcntl.F_WRLCK, os.SEEK_SET, SHM_DMS_BYTE, 1, 0)
        try:
            answer = fcntl.fcntl(fd, getlk, probe)
        except OSError:
            return True  # the file system cannot tell (some network file systems): assume it is in use
        return struct.unpack("hhqqi", answer)[0] != fcntl.F_UNLCK
    finally:
        os.close(fd)


def _connect(path: str | os.PathLike, *, read_only: bool) -> sqlite3.Connection:
    if read_only:
        return sqlite3.connect(f"file:{Path(path).resolve()}?mode=ro", uri=True, timeout=10)
    return sqlite3.connect(str(path), timeout=10)


def _is_sqlite_file(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            return fh.read(16) == SQLITE_MAGIC
    except OSError:
        return False


def inspect(conn: sqlite3.Connection) -> CheckResult:
    """Integrity check, foreign-key check and rows per table of an open database."""
    result = CheckResult()
    result.integrity = [row[0] for row in conn.execute("PRAGMA integrity_check")]
    for table, rowid, parent, fk in conn.execute("PRAGMA foreign_key_check"):
        result.foreign_keys.append(f"{table} 第{rowid}行引用的 {parent} 不存在（外键 {fk}）")
    names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                        "AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    for name in names:
        quoted = '"' + name.replace('"', '""') + '"'
        result.tables[name] = conn.execute(f"SELECT count(*) FROM {quoted}").fetchone()[0]
    return result


def _read(path: Path, read: Callable[[sqlite3.Connection], T], *, what: str, outcome: str = "") -> T:
    """Open ``path`` read-only (it must be an SQLite file) and ``read`` it; any failure is one BackupError.
    ``what`` names the file in messages (数据库文件, 备份文件); ``outcome`` is added to them (，未恢复)."""
    if not path.is_file():
        raise BackupError(f"{what}不存在：{path}{outcome}。")
    if not _is_sqlite_file(path):
        raise BackupError(f"{path} 不是 SQLite 数据库文件{outcome}。")
    try:
        conn = _connect(path, read_only=True)
        try:
            return read(conn)
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"无法读取{what} {path}：{exc}（文件可能已损坏）{outcome}。") from None


def check(path: str | os.PathLike) -> CheckResult:
    """``comment-portal check``: read-only, safe while the portal runs."""
    return _read(Path(path), inspect, what="数据库文件")


def _copy(source: sqlite3.Connection, target_path: Path) -> CheckResult:
    """Copy ``source`` into a new single-file database at ``target_path`` and check the copy."""
    target = sqlite3.connect(str(target_path))
    try:
        # One step (pages=-1): the whole copy is one read transaction on the source, so it is one consistent
        # snapshot even while the portal writes (a step-wise copy restarts whenever another connection writes).
        source.backup(target)
        target.execute("PRAGMA journal_mode=DELETE")  # a self-contained file: no -wal beside it
        result = inspect(target)
    finally:
        target.close()
    fd = os.open(target_path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    return result


def default_name(now: datetime) -> str:
    return f"portal-{now:%Y%m%d-%H%M%S}.db"


def backup(source_path: str | os.PathLike, dest: str | os.PathLike, *, now: datetime) -> tuple[Path, CheckResult]:
    """Copy the live database to ``dest`` (a file, or a folder for a dated name); returns (file, check)."""
    source_path, dest = Path(source_path), Path(dest)
    if not source_path.is_file():
        raise BackupError(f"数据库文件不存在：{source_path}。请检查 COMMENT_PORTAL_DATABASE，或先运行 comment-portal init-db。")
    if dest.is_dir():
        dest = dest / default_name(now)
    if dest.exists():
        raise BackupError(f"备份文件已存在：{dest}。请换一个文件名，或指定一个文件夹（自动按日期时间命名）。")
    if not dest.parent.is_dir():
        raise BackupError(f"备份目录不存在：{dest.parent}。")
    partial = dest.with_name(dest.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        source = _connect(source_path, read_only=False)
        try:
            result = _copy(source, partial)
        finally:
            source.close()
        if not result.ok:
            raise BackupError(f"备份副本未通过完整性检查（{'；'.join(result.integrity[:3] + result.foreign_keys[:3])}），"
                              "原数据库可能已损坏，请运行 comment-portal check。")
        partial.rename(dest)
    except sqlite3.Error as exc:
        raise BackupError(f"备份失败：{exc}。") from None
    except OSError as exc:
        raise BackupError(f"无法写入备份文件 {dest}：{exc.strerror or exc}。") from None
    finally:
        partial.unlink(missing_ok=True)
    return dest, result


def check_backup_file(path: Path, known_migrations: set[str]) -> CheckResult:
    """A file fit to restore: SQLite, sound, a comment-portal database, not from a newer version."""
    def read(conn: sqlite3.Connection) -> tuple[CheckResult, set[str]]:
        found = inspect(conn)
        applied = {r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations WHERE migration_set = ?",
                                              [MIGRATION_SET])} if "_sqlite_migrations" in found.tables else set()
        return found, applied

    result, applied = _read(path, read, what="备份文件", outcome="，不能用于恢复")
    if not result.ok:
        raise BackupError(f"备份文件未通过完整性检查（{'；'.join(result.integrity[:3] + result.foreign_keys[:3])}），未恢复。")
    missing = [t for t in REQUIRED_TABLES if t not in result.tables]
    if missing:
        raise BackupError(f"{path} 不是本系统的数据库（缺少数据表 {'、'.join(missing)}），未恢复。")
    newer = sorted(applied - known_migrations)
    if newer:
        raise BackupError(f"备份来自更新版本的系统（含本版本不认识的迁移 {'、'.join(newer)}），请先升级本系统再恢复。")
    return result


def restore(source: str | os.PathLike, target: str | os.PathLike, *, now: datetime, known_migrations: set[str],
            migrate: Callable[[sqlite3.Connection], list[str]]) -> tuple[Path | None, CheckResult, list[str]]:
    """Replace the database at ``target`` with the backup ``source``; the instance must be stopped.

    Returns (safety copy of the replaced database or None, check of the restored database, migrations
    applied to bring an older backup up to date).
    """
    source, target = Path(source), Path(target)
    check_backup_file(source, known_migrations)
    if in_use(target):
        raise BackupError(f"数据库 {target} 正在被使用（门户服务或其他命令仍在运行），请先停止服务再恢复。")
    if source.resolve() == target.resolve():
        raise BackupError("备份文件就是当前数据库本身，无需恢复。")
    saved = None
    if target.exists():
        saved = target.with_name(f"{target.name}.before-restore-{now:%Y%m%d-%H%M%S}")
        backup(target, saved, now=now)
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        src = _connect(source, read_only=True)
        dst = sqlite3.connect(str(target), isolation_level=None)
        try:
            dst.execute("PRAGMA journal_mode=DELETE")  # the backup API cannot change the page size of a WAL file
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=WAL")
            applied = migrate(dst)
            result = inspect(dst)
        finally:
            src.close()
            dst.close()
    except sqlite3.Error as exc:
        raise BackupError(f"恢复失败：{exc}。" + (f"原数据库已保存为 {saved}。" if saved else "")) from None
    if not result.ok:
        raise BackupError(f"恢复后的数据库未通过检查；原数据库已保存为 {saved}。")
    return saved, result, applied
