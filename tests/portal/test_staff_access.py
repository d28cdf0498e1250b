"""The staff side is deny-by-default: walk every staff endpoint logged out and as a reviewer."""

from __future__ import annotations

import logging

import pytest
from werkzeug.routing import Rule

from comment_portal.staff.access import PUBLIC_ENDPOINTS, REVIEWER_ENDPOINTS
from tests.helpers import csrf_token, login, make_staff

SAMPLE_ARGS = {"slug": "seed", "fmt": "csv", "version": 1}


def staff_rules(app) -> list[Rule]:
    rules = [r for r in app.url_map.iter_rules() if r.endpoint.startswith("staff.")]
    assert len(rules) >= 5
    return rules


def build(rule: Rule) -> str:
    values = {arg: SAMPLE_ARGS.get(arg, 1) for arg in rule.arguments}
    return rule.build(values)[1]


def request_rule(client, rule: Rule, token: str):
    url = build(rule)
    if "GET" in rule.methods:
        return client.get(url)
    return client.post(url, data={"csrf_token": token})


def test_every_staff_endpoint_redirects_to_login_when_logged_out(app, client, seeded):
    token = csrf_token(client, "/staff/login")
    for rule in staff_rules(app):
        if rule.endpoint in PUBLIC_ENDPOINTS:
            continue
        response = request_rule(client, rule, token)
        assert response.status_code == 302, rule.endpoint
        assert "/staff/login" in response.headers["Location"], rule.endpoint


def test_reviewer_is_refused_where_admin_is_needed(app, reviewer_client, seeded):
    token = csrf_token(reviewer_client, "/staff/")
    admin_only = [r for r in staff_rules(app) if r.endpoint not in REVIEWER_ENDPOINTS | PUBLIC_ENDPOINTS]
    assert any(r.endpoint == "staff.accounts" for r in admin_only)
    for rule in admin_only:
        response = request_rule(reviewer_client, rule, token)
        assert response.status_code == 403, rule.endpoint


def test_admin_reaches_admin_pages(admin_client, seeded):
    assert admin_client.get("/staff/accounts").status_code == 200


def test_login_wrong_password_logged_without_password(app, client, caplog):
    make_staff(app, "zhang", "reviewer", "Correct-horse-9")
    caplog.set_level(logging.WARNING)
    response = login(client, "zhang", "Wrong-password-1")
    assert response.status_code == 401
    assert "用户名或密码不正确" in response.get_data(as_text=True)
    assert "Wrong-password-1" not in caplog.text
    assert "login failed" in caplog.text and "zhang" in caplog.text


def test_unknown_user_same_message(client):
    response = login(client, "nobody", "Whatever-123")
    assert response.status_code == 401 and "用户名或密码不正确" in response.get_data(as_text=True)


def test_first_login_forces_password_change(app, client):
    from comment_portal.db import get_db
    from comment_portal.store import staff as staff_accounts

    with app.app_context():
        staff_accounts.create(get_db(), "wang", "reviewer", "Temp-pass-123", staff=None, now=app.extensions["clock"].now())
    response = login(client, "wang", "Temp-pass-123")
    assert response.headers["Location"].endswith("/staff/password")
    assert client.get("/staff/").headers["Location"].endswith("/staff/password")
    token = csrf_token(client, "/staff/password")
    weak = client.post("/staff/password", data={"csrf_token": token, "current": "Temp-pass-123", "new": "short",
                                                "confirm": "short"})
    assert weak.status_code == 400 and "至少需要10个字符" in weak.get_data(as_text=True)
    ok = client.post("/staff/password", data={"csrf_token": token, "current": "Temp-pass-123",
                                              "new": "Better-pass-2024", "confirm": "Better-pass-2024"})
    assert ok.status_code == 302
    assert client.get("/staff/").status_code == 200


def test_idle_session_expires(app, reviewer_client, clock):
    assert reviewer_client.get("/staff/").status_code == 200
    clock.advance(minutes=29)
    assert reviewer_client.get("/staff/").status_code == 200
    clock.advance(minutes=31)
    response = reviewer_client.get("/staff/")
    assert response.status_code == 302 and "expired=1" in response.headers["Location"]


def test_logout_ends_session(reviewer_client):
    token = csrf_token(reviewer_client, "/staff/")
    assert reviewer_client.post("/staff/logout", data={"csrf_token": token}).status_code == 302
    assert reviewer_client.get("/staff/").status_code == 302


def test_password_reset_by_admin_logs_out_old_sessions(app, admin_client, reviewer_client):
    from tests.helpers import staff_post

    response = staff_post(admin_client, f"/staff/accounts/{reviewer_client.staff['id']}/reset", form_url="/staff/accounts")
    assert response.status_code == 200
    assert reviewer_client.get("/staff/").status_code == 302


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/c/seed", "/staff\\..\\x"])
def test_login_never_redirects_off_site(app, client, target):
    make_staff(app, "zhao", "reviewer", "Sesame-open-2024")
    token = csrf_token(client, "/staff/login")
    response = client.post(f"/staff/login?next={target}", data={"csrf_token": token, "username": "zhao",
                                                                "password": "Sesame-open-2024"})
    assert response.headers["Location"] == "/staff/"


def test_login_audited(app, reviewer_client):
    from comment_portal.db import get_db
    from comment_portal.store import audit

    with app.app_context():
        actions = [e["action"] for e in audit.entries(get_db(), None)]
    assert "login" in actions


def test_staff_pages_ask_search_engines_not_to_index(reviewer_client):
    page = reviewer_client.get("/staff/").get_data(as_text=True)
    assert 'name="robots" content="noindex"' in page


def test_session_ends_after_its_lifetime_even_when_active(app, reviewer_client, clock):
    """Activity extends the idle timeout, never the 8-hour cap."""
    for _ in range(8 * 3):  # a request every 20 minutes for 8 hours
        assert reviewer_client.get("/staff/").status_code == 200
        clock.advance(minutes=20)
    clock.advance(minutes=5)
    response = reviewer_client.get("/staff/")
    assert response.status_code == 302 and "expired=1" in response.headers["Location"]


def test_huge_ids_in_urls_are_not_found(app, admin_client, seeded):
    huge = "9" * 25
    for url in [f"/c/seed/feedback/v{huge}", f"/c/seed/feedback/v{huge}.json", f"/staff/c/seed/comments/{huge}",
                f"/staff/c/seed/groups/{huge}", f"/staff/c/seed/queue?page={huge}", f"/staff/c/seed/audit?before={huge}"]:
        client = admin_client if url.startswith("/staff") else app.test_client()
        assert client.get(url).status_code in (200, 404), url


def test_anonymous_upload_is_not_given_the_import_limit(app, client, seeded):
    body = b"x" * (app.config["MAX_CONTENT_LENGTH"] + 1024)
    response = client.post("/staff/c/seed/import", data=body, content_type="application/octet-stream")
    assert response.status_code == 413


def test_account_changes_and_logins_have_an_audit_page(app, admin_client, reviewer_client):
    from tests.helpers import staff_post

    staff_post(admin_client, "/staff/accounts", {"username": "newbie", "roles": "reviewer"}, form_url="/staff/accounts")
    page = admin_client.get("/staff/audit").get_data(as_text=True)
    assert "新建账号" in page and "newbie" in page and "登录" in page
    assert reviewer_client.get("/staff/audit").status_code == 403


def test_cli_imports_are_audited(app, seeded):
    from comment_portal.db import get_db
    from comment_portal.store import audit, consultations

    with app.app_context():
        db = get_db()
        row = consultations.get_by_slug(db, "seed")
        (entry,) = [e for e in audit.entries(db, row.id) if e["action"] == "consultation.import"]
    assert entry["actor"] == "命令行" and entry["after"]["clauses"] > 50 and entry["before"] is None


def test_generated_passwords_always_pass_the_rules():
    from comment_portal.store import staff as staff_accounts

    for _ in range(3000):  # an all-letter password (p ≈ 8% per draw before the fix) would fail the rules
        staff_accounts.check_password_rules(staff_accounts.generate_password(), "admin")


def test_audit_changes_read_in_chinese():
    from comment_portal.store.audit import changes

    rows = changes({"status": "pending", "group_id": 3, "category": None}, {"status": "spam", "group_id": 3,
                                                                           "category": "未采纳"})
    assert ("状态", "待处理", "无效") in rows and ("采纳情况", "（无）", "未采纳") in rows
    assert all(field != "分组" for field, _, _ in rows)  # unchanged fields are not listed
    merged = changes({"source": {"members": [1, 2]}, "target": {"members": [3]}},
                     {"source": {"members": []}, "target": {"members": [1, 2, 3]}})
    assert ("原分组·成员意见", "1、2", "（无）") in merged and ("目标分组·成员意见", "3", "1、2、3") in merged
