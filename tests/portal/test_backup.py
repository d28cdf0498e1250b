"""Issue 8 items 6 and 7: ``serve`` refuses a missing or unwritable database; ``backup``, ``restore``, ``check``."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from datetime import datetime
from pathlib import Path

import pytest

from comment_portal import backup
from comment_portal.db import close_all, get_db, migrate, open_database, scalar
from tests.helpers import post_comment


def one_error_line(result) -> str:
    assert result.exit_code != 0
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    return lines[0]


def count(path: Path, sql: str) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchone()[0]
    finally:
        conn.close()


# -- serve -------------------------------------------------------------------------------------------------


def test_serve_on_a_missing_database_names_init_db_and_creates_nothing(cli, monkeypatch):
    from comment_portal import server

    monkeypatch.setattr(server, "run", lambda **kw: pytest.fail("must not start serving"))
    line = one_error_line(cli("serve"))
    assert "数据库文件不存在" in line and "comment-portal init-db" in line and str(cli.db_path) in line
    assert not cli.db_path.exists()


@pytest.mark.parametrize("where", ["under a file", "a folder", "not a database"])
def test_serve_on_an_unusable_path_is_one_error_line(cli, tmp_path, monkeypatch, where):
    from comment_portal import server

    monkeypatch.setattr(server, "run", lambda **kw: pytest.fail("must not start serving"))
    (tmp_path / "plain.txt").write_text("x")
    (tmp_path / "folder.db").mkdir()
    (tmp_path / "text.db").write_text("这不是数据库" * 100)
    path = {"under a file": tmp_path / "plain.txt" / "portal.db", "a folder": tmp_path / "folder.db",
            "not a database": tmp_path / "text.db"}[where]
    monkeypatch.setenv("COMMENT_PORTAL_DATABASE", str(path))
    line = one_error_line(cli("serve"))
    assert str(path) in line


def test_init_db_on_an_unusable_path_is_one_error_line(cli, tmp_path, monkeypatch):
    (tmp_path / "plain.txt").write_text("x")
    monkeypatch.setenv("COMMENT_PORTAL_DATABASE", str(tmp_path / "plain.txt" / "portal.db"))
    assert "无法打开或写入数据库" in one_error_line(cli("init-db"))


def test_serve_on_an_existing_database_starts_the_server(cli, monkeypatch):
    from comment_portal import server

    started = {}
    monkeypatch.setattr(server, "run", lambda **kw: started.update(kw))
    assert cli("init-db").exit_code == 0
    result = cli("serve", "--port", "5123")
    assert result.exit_code == 0, result.output
    assert started["port"] == 5123 and started["app_config"] == {"DATABASE_MUST_EXIST": True}


# -- backup ------------------------------------------------------------------------------------------------


@pytest.fixture
def live(app, seeded, client, monkeypatch):
    """The app's database with comments still in the WAL (the app keeps its connection open), and the CLI
    pointed at the same file."""
    for i in range(5):
        assert post_comment(client, body=f"建议明确海外仓认定标准（第{i}条）。").status_code == 303
    path = Path(app.config["DATABASE"])
    monkeypatch.setenv("COMMENT_PORTAL_DATABASE", str(path))
    monkeypatch.setenv("COMMENT_PORTAL_SECRET_KEY", "test-secret")
    return path


def test_backup_copies_what_is_still_in_the_wal_and_checks_the_copy(cli, live, tmp_path):
    wal = Path(f"{live}-wal")
    assert wal.exists() and wal.stat().st_size > 0  # the comments are in the WAL, not yet in portal.db
    naive = tmp_path / "cp.db"
    shutil.copyfile(live, naive)  # what a plain `cp portal.db` gets
    try:
        naive_comments = count(naive, "SELECT count(*) FROM comments")
    except sqlite3.DatabaseError:
        naive_comments = 0
    assert naive_comments < 5

    result = cli("backup", str(tmp_path / "copy.db"))
    assert result.exit_code == 0, result.output
    assert "完整性检查：通过" in result.output
    assert "comments" in result.output and "5 行" in result.output.split("comments", 1)[1].splitlines()[0]
    copy = tmp_path / "copy.db"
    assert count(copy, "SELECT count(*) FROM comments") == 5
    assert count(copy, "PRAGMA journal_mode") and not Path(f"{copy}-wal").exists()
    conn = sqlite3.connect(copy)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # one self-contained file
    conn.close()
    assert not (tmp_path / "copy.db.partial").exists()


def test_backup_to_a_folder_gets_a_dated_name(cli, live, tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    result = cli("backup", str(folder))
    assert result.exit_code == 0, result.output
    (made,) = folder.iterdir()
    assert made.name.startswith("portal-") and made.suffix == ".db" and str(made) in result.output


def test_backup_never_overwrites(cli, live, tmp_path):
    target = tmp_path / "copy.db"
    target.write_bytes(b"earlier backup")
    assert "已存在" in one_error_line(cli("backup", str(target)))
    assert target.read_bytes() == b"earlier backup"


def test_backup_without_a_database(cli, tmp_path):
    line = one_error_line(cli("backup", str(tmp_path / "copy.db")))
    assert "数据库文件不存在" in line and "init-db" in line
    assert not cli.db_path.exists()


# -- check -------------------------------------------------------------------------------------------------


def test_check_passes_on_a_sound_database(cli, live):
    result = cli("check")
    assert result.exit_code == 0, result.output
    assert "完整性检查通过，外键检查通过" in result.output and "comments" in result.output


def _copy_with(live: Path, tmp_path: Path, sql: str) -> Path:
    path = tmp_path / "damaged.db"
    source = sqlite3.connect(live)
    target = sqlite3.connect(path)
    source.backup(target)
    source.close()
    target.execute("PRAGMA foreign_keys = OFF")
    target.execute(sql)
    target.commit()
    target.close()
    return path


def test_check_reports_a_foreign_key_violation(cli, live, tmp_path, monkeypatch):
    damaged = _copy_with(live, tmp_path, "UPDATE comments SET consultation_id = 999 WHERE id = 2")
    monkeypatch.setenv("COMMENT_PORTAL_DATABASE", str(damaged))
    result = cli("check")
    assert result.exit_code == 1
    assert "comments 第2行引用的 consultations 不存在" in result.output
    assert [line for line in result.output.splitlines() if line.startswith("Error:")]


def test_check_reports_a_corrupt_file(cli, live, tmp_path, monkeypatch):
    damaged = _copy_with(live, tmp_path, "SELECT 1")
    data = bytearray(damaged.read_bytes())
    page = 4096
    data[page * 3: page * 3 + 200] = b"\xff" * 200  # scribble over a b-tree page
    damaged.write_bytes(bytes(data))
    monkeypatch.setenv("COMMENT_PORTAL_DATABASE", str(damaged))
    result = cli("check")
    assert result.exit_code == 1 and "Error:" in result.output
    assert "Traceback" not in result.output


# -- restore -----------------------------------------------------------------------------------------------


@pytest.fixture
def saved_backup(cli, live, tmp_path) -> Path:
    path = tmp_path / "backup.db"
    assert cli("backup", str(path)).exit_code == 0
    return path


def test_restore_refuses_while_the_database_is_open(app, cli, live, saved_backup):
    with app.app_context():  # the app keeps this connection open, as a running server's workers do
        get_db().execute("SELECT 1")
    line = one_error_line(cli("restore", str(saved_backup), "--yes"))
    assert "正在被使用" in line and "请先停止服务" in line


def test_restore_into_a_stopped_instance(app, cli, live, saved_backup, client):
    post_comment(client, body="备份之后才提交的一条意见，恢复后不在库中。")
    close_all()  # stop the "server": no connection left open
    assert not backup.in_use(live)
    result = cli("restore", str(saved_backup), "--yes")
    assert result.exit_code == 0, result.output
    assert "已从" in result.output and "恢复前的数据库已另存为" in result.output
    assert count(live, "SELECT count(*) FROM comments") == 5
    (kept,) = live.parent.glob("portal.db.before-restore-*")
    assert count(kept, "SELECT count(*) FROM comments") == 6  # what was replaced is not lost
    with app.app_context():  # the portal opens the restored file as usual
        assert scalar(get_db(), "SELECT count(*) FROM comments") == 5
        assert get_db().execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_restore_brings_an_older_backup_up_to_date(cli, live, tmp_path):
    from sqlite_utils.migrations import Migrations

    from comment_portal import db as database

    older = Migrations("comment_portal")  # the software as it was one migration ago
    for step in database.migrations._migrations[:-1]:
        older(name=step.name)(step.fn)
    path = tmp_path / "older.db"
    old_db = open_database(path)
    older.apply(old_db)
    old_db.execute("PRAGMA journal_mode=DELETE")
    old_db.close()
    close_all()
    result = cli("restore", str(path), "--yes")
    assert result.exit_code == 0, result.output
    newest = database.migrations._migrations[-1].name
    assert f"已应用迁移 1 项：{newest}" in result.output


@pytest.mark.parametrize("bad", ["missing", "text", "not ours", "corrupt", "newer"])
def test_restore_checks_the_file_first_and_leaves_the_database_alone(cli, live, saved_backup, tmp_path, bad):
    close_all()
    before = live.read_bytes()
    path = tmp_path / f"{bad}.db"
    if bad == "text":
        path.write_text("不是数据库")
    elif bad == "not ours":
        other = sqlite3.connect(path)
        other.execute("CREATE TABLE notes (x)")
        other.commit()
        other.close()
    elif bad == "corrupt":
        data = bytearray(saved_backup.read_bytes())
        data[4096 * 3: 4096 * 3 + 300] = b"\x00\xff" * 150
        path.write_bytes(bytes(data))
    elif bad == "newer":
        shutil.copyfile(saved_backup, path)
        conn = sqlite3.connect(path)
        conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                     "VALUES ('comment_portal', 'm999_from_the_future', '2030-01-01')")
        conn.commit()
        conn.close()
    one_error_line(cli("restore", str(path), "--yes"))
    assert live.read_bytes() == before
    assert not list(live.parent.glob("portal.db.before-restore-*"))


def test_in_use_sees_connections_of_other_processes(tmp_path):
    path = tmp_path / "x.db"
    db = open_database(path)
    db.close()
    assert not backup.in_use(path)
    holder = subprocess.Popen(
        [sys.executable, "-c", (f"import sqlite3, time; c = sqlite3.connect({str(path)!r}); "
                                "c.execute('PRAGMA journal_mode=WAL'); c.execute('SELECT 1'); "
                                "print('open', flush=True); time.sleep(30)")], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        assert backup.in_use(path)
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()
    assert not backup.in_use(path)  # killed: the kernel dropped its lock, nothing stale is left


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_restore_refuses_while_a_real_server_runs(tmp_path):
    from click.testing import CliRunner

    from comment_portal.cli import main

    env = {"COMMENT_PORTAL_DATABASE": str(tmp_path / "portal.db"), "COMMENT_PORTAL_SECRET_KEY": "t"}
    db = open_database(tmp_path / "portal.db")
    migrate(db)
    db.close()
    backup.backup(tmp_path / "portal.db", tmp_path / "b.db", now=datetime(2024, 10, 11, 2, 30))
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "comment_portal.cli", "serve", "--port", str(port), "--workers", "1",
         "--access-log", "/dev/null"], env=dict(os.environ, **env), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def restore():
        return CliRunner().invoke(main, ["restore", str(tmp_path / "b.db"), "--yes"], env=env, catch_exceptions=False)

    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                    assert response.status == 200
                    break
            except OSError:
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.2)
        assert "正在被使用" in one_error_line(restore())
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    done = restore()
    assert done.exit_code == 0, done.output
