"""The comment-portal command: every failure is one clear line and a non-zero exit."""

from __future__ import annotations

import re
from pathlib import Path

from comment_portal.cli import SEED_SLUG, main
from draft import SEED_PATH

README = Path(__file__).resolve().parents[2] / "README.md"


def _one_line_error(result) -> str:
    assert result.exit_code != 0
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert lines[0].startswith("Error: ")
    return lines[0]


def test_init_db_twice(cli):
    first = cli("init-db")
    assert first.exit_code == 0 and "数据库已就绪" in first.output
    second = cli("init-db")
    assert second.exit_code == 0 and "无需迁移" in second.output


def test_import_seed_with_notice_window(cli):
    result = cli("import-draft", str(SEED_PATH), "--slug", "seed")
    assert result.exit_code == 0, result.output
    assert "2024-09-25 至 2024-10-10" in result.output


def test_import_demo(cli):
    result = cli("import-draft", str(SEED_PATH), "--slug", "seed", "--demo")
    assert result.exit_code == 0, result.output
    opens, closes = re.search(r"(\d{4}-\d\d-\d\d) 至 (\d{4}-\d\d-\d\d)", result.output).groups()
    from datetime import date

    assert (date.fromisoformat(closes) - date.fromisoformat(opens)).days == 15


def test_missing_file(cli, tmp_path):
    assert "不存在" in _one_line_error(cli("import-draft", str(tmp_path / "nope.txt")))


def test_undecodable_bytes(cli, tmp_path):
    path = tmp_path / "bad.txt"
    path.write_bytes(bytes(range(128, 256)) * 20)
    line = _one_line_error(cli("import-draft", str(path), "--opens", "2024-01-01", "--closes", "2024-01-31"))
    assert "编码" in line or "无法" in line


def test_closing_before_opening(cli):
    line = _one_line_error(cli("import-draft", str(SEED_PATH), "--opens", "2024-10-10", "--closes", "2024-09-25"))
    assert "早于" in line


def test_bad_date_format(cli):
    assert "YYYY-MM-DD" in _one_line_error(cli("import-draft", str(SEED_PATH), "--opens", "2024/9/25", "--closes", "x"))


def test_slug_already_used_says_how_to_replace(cli):
    assert cli("import-draft", str(SEED_PATH), "--slug", "seed").exit_code == 0
    line = _one_line_error(cli("import-draft", str(SEED_PATH), "--slug", "seed"))
    assert "已被使用" in line and "--replace" in line
    assert cli("import-draft", str(SEED_PATH), "--slug", "seed", "--replace").exit_code == 0


def test_no_window_in_notice_and_none_given(cli, tmp_path):
    path = tmp_path / "plain.txt"
    path.write_text("某某市促进数字经济发展办法（征求意见稿）\n第一条 为了促进数字经济发展，制定本办法。\n第二条 本办法自发布之日起施行。\n",
                    encoding="utf-8")
    line = _one_line_error(cli("import-draft", str(path)))
    assert "--opens" in line and "--closes" in line
    ok = cli("import-draft", str(path), "--opens", "2025-01-01", "--closes", "2025-01-31")
    assert ok.exit_code == 0, ok.output


def test_unstructured_text_imports_as_one_clause_with_warning(cli, tmp_path):
    path = tmp_path / "blob.txt"
    path.write_text("这是一段没有任何编号结构的文字，用来测试导入时的容错处理，系统应当将其作为一个整体导入。", encoding="utf-8")
    result = cli("import-draft", str(path), "--opens", "2025-01-01", "--closes", "2025-01-31")
    assert result.exit_code == 0, result.output
    assert "警告" in result.output


def test_demo_no_serve_is_idempotent(cli):
    first = cli("demo", "--no-serve")
    assert first.exit_code == 0 and "已导入演示征求意见稿" in first.output
    second = cli("demo", "--no-serve")
    assert second.exit_code == 0 and "已存在" in second.output


def test_every_command_has_help_with_example_and_is_in_readme(cli):
    readme = README.read_text(encoding="utf-8")
    for name in main.commands:
        result = cli(name, "--help")
        assert result.exit_code == 0
        assert "Example:" in result.output, name
        assert f"comment-portal {name}" in readme, f"README does not document `comment-portal {name}`"


def test_create_staff_prints_one_time_password(cli):
    result = cli("create-staff", "zhangsan", "--role", "admin")
    assert result.exit_code == 0, result.output
    password = re.search(r"一次性密码（只显示这一次，首次登录须修改）：(\S+)", result.output).group(1)
    assert len(password) >= 10
    again = cli("create-staff", "zhangsan")
    assert "已存在" in _one_line_error(again)


def test_create_staff_bad_name(cli):
    assert "用户名" in _one_line_error(cli("create-staff", "has space"))


def test_demo_creates_admin_once(cli):
    first = cli("demo", "--no-serve")
    assert "已创建管理员账号 admin" in first.output
    second = cli("demo", "--no-serve")
    assert "已创建管理员账号" not in second.output and "已存在" in second.output


def test_reset_password_gives_a_new_one_time_password(cli):
    """A lost one-time admin password is recoverable from the command line (audited)."""
    import sqlite3

    from werkzeug.security import check_password_hash

    first = cli("demo", "--no-serve")
    old = re.search(r"一次性密码（只显示这一次，首次登录须修改）：(\S+)", first.output).group(1)
    result = cli("reset-password", "admin")
    assert result.exit_code == 0, result.output
    new = re.search(r"一次性密码（只显示这一次，首次登录须修改）：(\S+)", result.output).group(1)
    assert new != old
    with sqlite3.connect(cli.db_path) as conn:
        stored, must_change = conn.execute(
            "SELECT password_hash, must_change_password FROM staff WHERE username = 'admin'").fetchone()
        audit = conn.execute("SELECT actor, after_json FROM audit_log WHERE action = 'staff.update'").fetchall()
    assert check_password_hash(stored, new) and not check_password_hash(stored, old)
    assert must_change == 1
    assert audit == [("命令行", '{"password_reset": true}')]
    assert "没有用户名" in _one_line_error(cli("reset-password", "nobody"))


def test_taken_port_is_one_error_line_without_an_address(cli):
    """`make run` on a port another program holds: say so, print no address and no password, change nothing."""
    import socket

    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        for command in ("demo", "serve"):
            line = _one_line_error(cli(command, "--host", "127.0.0.1", "--port", str(port)))
            assert f"端口 {port} 已被其他程序占用" in line and f"PORT={port + 1}" in line
            assert "http://" not in line
    assert not cli.db_path.exists()  # nothing was set up (no admin password printed and lost)


def test_replace_that_drops_commented_clauses_is_refused_unless_asked(cli, tmp_path):
    from comment_portal import create_app
    from comment_portal.db import close_all, get_db
    from comment_portal.store import consultations as consultation_q
    from comment_portal.store import reports
    from tests.helpers import add_comment

    assert cli("import-draft", str(SEED_PATH), "--slug", "seed").exit_code == 0
    app = create_app()
    add_comment(app, "建议加快传统企业转型升级的配套政策。", "3.1.2")
    close_all()
    shorter = tmp_path / "shorter.txt"
    shorter.write_text(SEED_PATH.read_text(encoding="utf-8").replace("2.加快传统企业转型升级。", "加快传统企业转型升级。"),
                       encoding="utf-8")
    line = _one_line_error(cli("import-draft", str(shorter), "--slug", "seed", "--replace"))
    assert "3.1.2（1条意见）" in line and "--drop-clauses" in line
    assert cli("import-draft", str(shorter), "--slug", "seed", "--replace", "--drop-clauses").exit_code == 0
    with app.app_context():
        db = get_db()
        built = reports.build(db, consultation_q.get_by_slug(db, "seed"))
    assert "unknown_clause" in {p.code for p in reports.problems(built)}
    close_all()


PASSWORD_LINE = re.compile(r"账号 (\w+)[^，\n]*，一次性密码（只显示这一次，首次登录须修改）：(\S+)")


def test_demo_creates_an_approver_so_the_demo_can_publish(cli):
    """`make run` alone goes through sign-off: admin submits, the demo's 审核 account approves, admin publishes."""
    from comment_portal import create_app
    from comment_portal.db import close_all
    from tests.helpers import csrf_token, login

    first = cli("demo", "--no-serve")
    passwords = dict(PASSWORD_LINE.findall(first.output))
    assert set(passwords) == {"admin", "shenhe"}, first.output
    assert passwords["admin"] != passwords["shenhe"] and "shenhe 审核通过" in first.output
    second = cli("demo", "--no-serve")
    assert PASSWORD_LINE.search(second.output) is None       # created once, printed once

    app = create_app({"TESTING": True, "SECRET_KEY": "cli-test", "DATABASE": str(cli.db_path), "JOBS_RUNNER": "inline"})
    try:
        clients = {}
        for username, new in (("admin", "Chu-office-2024"), ("shenhe", "Chu-signoff-2024")):
            client = app.test_client()
            assert login(client, username, passwords[username]).headers["Location"].endswith("/staff/password")
            changed = client.post("/staff/password", data={"csrf_token": csrf_token(client, "/staff/password"),
                                                            "current": passwords[username], "new": new, "confirm": new})
            assert changed.status_code == 302, changed.get_data(as_text=True)
            clients[username] = client
        admin, shenhe = clients["admin"], clients["shenhe"]
        page = shenhe.get("/staff/").get_data(as_text=True)
        assert "shenhe（审核）" in page and "账号管理" not in page          # 审核 only, not an admin

        report = f"/staff/c/{SEED_SLUG}/report"
        submitted = admin.post(f"{report}/submit", data={"csrf_token": csrf_token(admin, report), "identity": "none",
                                                         "confirm": "y"})
        assert submitted.status_code == 303, submitted.get_data(as_text=True)
        review_id = re.search(r'name="review_id"[^>]*value="(\d+)"', shenhe.get(report).get_data(as_text=True)).group(1)
        approved = shenhe.post(f"{report}/approve", data={"csrf_token": csrf_token(shenhe, report), "review_id": review_id})
        assert approved.status_code == 303, approved.get_data(as_text=True)
        published = admin.post(f"{report}/publish", data={"csrf_token": csrf_token(admin, report), "review_id": review_id,
                                                          "confirm": "y"})
        assert published.status_code == 303, published.get_data(as_text=True)
        assert "已签发发布第1版" in admin.get(report).get_data(as_text=True)
        assert app.test_client().get(f"/c/{SEED_SLUG}/feedback").status_code == 200
    finally:
        close_all()


def test_demo_adds_the_approver_to_an_older_demo_database_once(cli):
    """A database set up before the demo had a 审核 account gets one; an account already named shenhe is left alone."""
    assert cli("create-staff", "admin", "--role", "admin").exit_code == 0
    result = cli("demo", "--no-serve")
    assert [name for name, _ in PASSWORD_LINE.findall(result.output)] == ["shenhe"]

    import sqlite3

    with sqlite3.connect(cli.db_path) as conn:
        roles = conn.execute("SELECT role FROM staff_roles r JOIN staff s ON s.id = r.staff_id "
                             "WHERE s.username = 'shenhe'").fetchall()
        must_change = conn.execute("SELECT must_change_password FROM staff WHERE username = 'shenhe'").fetchone()[0]
        assert roles == [("approver",)] and must_change == 1
        conn.execute("DELETE FROM staff_roles WHERE role = 'approver'")
        conn.execute("INSERT INTO staff_roles (staff_id, role) SELECT id, 'reviewer' FROM staff WHERE username = 'shenhe'")
    again = cli("demo", "--no-serve")
    assert PASSWORD_LINE.search(again.output) is None and "没有可用的审核账号" in again.output
