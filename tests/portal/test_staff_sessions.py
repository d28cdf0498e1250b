"""Staff sessions that really end, login throttling on the normalised username, private contact details."""

from __future__ import annotations

import pytest
from werkzeug.routing import Rule

from comment_portal.db import get_db, one
from comment_portal.staff.access import REVIEWER_ENDPOINTS
from comment_portal.store import staff as staff_accounts
from tests.helpers import add_comment, csrf_token, docx_text, login, make_staff, staff_post


def _cookie(client) -> str:
    return client.get_cookie("session").value


def _copy_of(app, client):
    """Another browser holding a copy of ``client``'s session cookie (stolen, or left on a shared PC)."""
    thief = app.test_client()
    thief.set_cookie("session", _cookie(client))
    return thief


def _note(app, comment_id: int) -> str | None:
    with app.app_context():
        return one(get_db(), "SELECT staff_note FROM comments WHERE id = ?", [comment_id])["staff_note"]


def test_a_copied_cookie_is_useless_after_logout(app, seeded, reviewer_client):
    cid = add_comment(app, "海外仓补贴标准要明确。", "3.3.10")
    url = f"/staff/c/seed/comments/{cid}"
    old_token = csrf_token(reviewer_client, url)
    thief = _copy_of(app, reviewer_client)
    assert thief.get("/staff/").status_code == 200  # the copy works while the session lives
    assert reviewer_client.post("/staff/logout", data={"csrf_token": old_token}).status_code == 302
    response = thief.get("/staff/")
    assert response.status_code == 302 and "/staff/login" in response.headers["Location"]
    stolen = thief.post(url + "/note", data={"csrf_token": old_token, "note": "登出后用旧令牌写的备注"})
    assert stolen.status_code == 302 and "/staff/login" in stolen.headers["Location"]
    assert _note(app, cid) is None


def test_logout_ends_every_session_of_the_account(app, seeded):
    account = make_staff(app, "chen", "reviewer", "Sesame-open-2024")
    office, laptop = app.test_client(), app.test_client()
    assert login(office, "chen", account["password"]).status_code == 302
    assert login(laptop, "chen", account["password"]).status_code == 302
    assert office.post("/staff/logout", data={"csrf_token": csrf_token(office, "/staff/")}).status_code == 302
    assert laptop.get("/staff/").status_code == 302


def test_password_change_ends_other_sessions_and_keeps_this_one(app, seeded, reviewer_client):
    other = app.test_client()
    assert login(other, "reviewer1", reviewer_client.staff["password"]).status_code == 302
    thief = _copy_of(app, reviewer_client)
    token = csrf_token(reviewer_client, "/staff/password")
    changed = reviewer_client.post("/staff/password", data={"csrf_token": token, "current": "Review-pass-2024",
                                                           "new": "Newer-pass-2025", "confirm": "Newer-pass-2025"})
    assert changed.status_code == 302
    assert reviewer_client.get("/staff/").status_code == 200
    assert other.get("/staff/").status_code == 302
    assert thief.get("/staff/").status_code == 302


def test_disabling_ends_sessions_and_enabling_does_not_revive_them(app, seeded, admin_client, reviewer_client):
    thief = _copy_of(app, reviewer_client)
    target = reviewer_client.staff["id"]
    response = staff_post(admin_client, f"/staff/accounts/{target}/disable", form_url="/staff/accounts")
    assert response.status_code == 303
    assert reviewer_client.get("/staff/").status_code == 302
    staff_post(admin_client, f"/staff/accounts/{target}/disable", {"enable": "1"}, form_url="/staff/accounts")
    assert reviewer_client.get("/staff/").status_code == 302
    assert thief.get("/staff/").status_code == 302
    fresh = app.test_client()
    assert login(fresh, "reviewer1", reviewer_client.staff["password"]).status_code == 302
    with app.app_context():
        actions = [r[0] for r in
                   get_db().execute("SELECT after_json FROM audit_log WHERE entity = 'staff' AND action = 'staff.update'")]
    assert actions == ['{"disabled": true}', '{"disabled": false}']


def test_an_admin_cannot_disable_their_own_account(app, seeded, admin_client):
    response = staff_post(admin_client, f"/staff/accounts/{admin_client.staff['id']}/disable", form_url="/staff/accounts")
    assert response.status_code == 303
    assert "不能停用自己" in admin_client.get("/staff/accounts").get_data(as_text=True)
    assert admin_client.get("/staff/").status_code == 200


def test_the_session_cookie_carries_no_part_of_the_password_hash(app, reviewer_client):
    session = app.session_interface.get_signing_serializer(app).loads(_cookie(reviewer_client))
    with app.app_context():
        hashed = staff_accounts.get(get_db(), reviewer_client.staff["id"]).password_hash
    values = " ".join(str(v) for v in session.values())
    assert all(hashed[i:i + 8] not in values for i in range(len(hashed) - 8))
    assert set(session) <= {"staff_id", "staff_gen", "staff_seen", "staff_login_at", "csrf_token", "_permanent",
                            "_fresh"}


# -- login throttling --------------------------------------------------------------------------------
@pytest.mark.parametrize("disguise", ["admin\u200b", "\u200badmin\u200d", "ADMIN", "ａｄｍｉｎ", "ad\u2060min", " admin "])
def test_disguised_usernames_count_against_the_real_account(app, disguise):
    make_staff(app, "admin", "admin", "Strong-pass-2024")
    client = app.test_client()
    for _ in range(5):
        assert login(client, disguise, "wrong-password-1").status_code == 401
    blocked = login(client, "admin", "Strong-pass-2024")
    assert blocked.status_code == 429 and int(blocked.headers["Retry-After"]) > 0
    assert "登录失败次数过多" in blocked.get_data(as_text=True)


def test_a_disguised_username_still_means_its_account(app):
    make_staff(app, "admin", "admin", "Strong-pass-2024")
    assert login(app.test_client(), "ａｄｍｉｎ\u200b", "Strong-pass-2024").status_code == 302


def test_failures_per_account_and_address_are_strict_and_end(app, clock):
    make_staff(app, "li", "reviewer", "Sesame-open-2024")
    make_staff(app, "wu", "reviewer", "Sesame-open-2025")
    client = app.test_client()
    for _ in range(5):
        assert login(client, "li", "bad-password-x1").status_code == 401
    blocked = login(client, "li", "Sesame-open-2024")
    assert blocked.status_code == 429
    # Another account from the same address is not held up by li's failures ...
    assert login(app.test_client(), "wu", "Sesame-open-2025").status_code == 302
    # ... and li may try again once the window has passed.
    clock.advance(seconds=int(blocked.headers["Retry-After"]))
    assert login(client, "li", "Sesame-open-2024").status_code == 302


def test_failed_logins_are_throttled_even_with_rate_limits_switched_off(tmp_path, clock):
    """RATELIMIT_ENABLED=False (a bench, or a proxy that limits requests) must not open the door to
    password guessing, nor break the login page (it used to answer 500)."""
    from comment_portal import create_app
    from comment_portal.db import close_all

    app = create_app({"TESTING": True, "SECRET_KEY": "t", "DATABASE": str(tmp_path / "p.db"), "CLOCK": clock,
                      "RATELIMIT_ENABLED": False})
    try:
        make_staff(app, "li", "reviewer", "Sesame-open-2024")
        client = app.test_client()
        for _ in range(5):
            assert login(client, "li", "bad-password-x1").status_code == 401
        assert login(client, "li", "Sesame-open-2024").status_code == 429
        clock.advance(seconds=16 * 60)
        assert login(client, "li", "Sesame-open-2024").status_code == 302
    finally:
        close_all()


def test_spraying_one_account_from_many_addresses_does_not_lock_its_owner_out(app, clock):
    make_staff(app, "li", "reviewer", "Sesame-open-2024")
    owner = app.test_client()
    owner.environ_base["REMOTE_ADDR"] = "10.1.1.1"
    assert login(owner, "li", "Sesame-open-2024").status_code == 302  # the owner's usual browser
    owner.post("/staff/logout", data={"csrf_token": csrf_token(owner, "/staff/")})
    waits = []
    for i in range(40):
        attacker = app.test_client()
        attacker.environ_base["REMOTE_ADDR"] = f"192.0.2.{i + 1}"
        response = login(attacker, "li", f"guess-password-{i}")
        if response.status_code == 429:
            waits.append(int(response.headers["Retry-After"]))
        clock.advance(seconds=1)
    # The attacker is slowed down, more with every failure ...
    assert len(waits) > 20 and waits[-1] > waits[0]
    # ... while the owner, at their usual browser, gets in at once.
    assert login(owner, "li", "Sesame-open-2024").status_code == 302
    # A browser the owner never used waits (a delay, never a lockout).
    new_laptop = app.test_client()
    new_laptop.environ_base["REMOTE_ADDR"] = "10.1.1.2"
    delayed = login(new_laptop, "li", "Sesame-open-2024")
    assert delayed.status_code == 429 and int(delayed.headers["Retry-After"]) <= 900
    clock.advance(seconds=int(delayed.headers["Retry-After"]))
    assert login(new_laptop, "li", "Sesame-open-2024").status_code == 302


def test_login_rate_limited_per_client_keeps_the_username(app, client):
    app.config["LOGIN_RATE_LIMIT"] = "3 per minute"
    for name in ["a1", "a2", "a3"]:
        assert login(client, name, "bad-password-x1").status_code == 401
    blocked = login(client, "a4", "bad-password-x1")
    assert blocked.status_code == 429 and "Retry-After" in blocked.headers
    assert 'value="a4"' in blocked.get_data(as_text=True)


# -- usernames at creation -------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["admin\u200b", "张三", "ａｄｍｉｎ", "li si", "_li", "x", "a" * 41, "li<b>"])
def test_usernames_outside_plain_ascii_are_refused_by_the_cli(cli, name):
    result = cli("create-staff", name)
    assert result.exit_code != 0 and result.output.startswith("Error:") and "小写英文字母" in result.output


def test_cli_stores_usernames_in_lower_case(cli):
    result = cli("create-staff", "Zhang.San-2")
    assert result.exit_code == 0 and "zhang.san-2" in result.output


def test_the_accounts_page_refuses_a_lookalike_username(app, admin_client):
    response = staff_post(admin_client, "/staff/accounts", {"username": "admin1\u200b", "roles": "reviewer"},
                          form_url="/staff/accounts")
    assert "小写英文字母" in response.get_data(as_text=True)
    with app.app_context():
        assert [s.username for s in staff_accounts.all_staff(get_db())] == ["admin1"]


# -- caching and cookies -------------------------------------------------------------------------------
def _staff_get_rules(app) -> list[Rule]:
    return [r for r in app.url_map.iter_rules() if r.endpoint.startswith("staff.") and "GET" in r.methods]


def test_every_staff_page_is_no_store(app, seeded, admin_client):
    cid = add_comment(app, "海外仓补贴标准要明确。", "3.3.10")
    args = {"slug": "seed", "comment_id": cid, "group_id": 1, "fmt": "csv", "version": 1, "staff_id": 1}
    for rule in _staff_get_rules(app):
        response = admin_client.get(rule.build({a: args.get(a, 1) for a in rule.arguments})[1])
        assert response.headers.get("Cache-Control") == "no-store", rule.endpoint
    assert app.test_client().get("/staff/login").headers["Cache-Control"] == "no-store"


def test_receipt_pages_are_no_store(app, client, seeded):
    from tests.helpers import post_comment

    response = post_comment(client)
    assert client.get(response.headers["Location"]).headers["Cache-Control"] == "no-store"
    assert client.get("/receipt").headers["Cache-Control"] == "no-store"


def _set_cookies(response) -> list[str]:
    return response.headers.getlist("Set-Cookie")


def test_cookies_are_secure_when_the_request_came_over_https(app, seeded):
    account = make_staff(app, "qian", "reviewer", "Sesame-open-2024")
    plain = app.test_client()
    assert all("Secure" not in c for c in _set_cookies(plain.get("/c/seed/comment")))
    https = app.test_client()
    https.get("/c/seed/comment", base_url="https://localhost")
    page = https.get("/staff/login", base_url="https://localhost").get_data(as_text=True)
    from tests.helpers import CSRF_RE

    response = https.post("/staff/login", base_url="https://localhost",
                          headers={"Referer": "https://localhost/staff/login"},  # Flask-WTF checks it over HTTPS
                          data={"csrf_token": CSRF_RE.search(page)[1], "username": "qian", "password": account["password"]})
    cookies = _set_cookies(response)
    assert cookies and all("Secure" in c for c in cookies)


def test_cookies_are_secure_behind_the_configured_https_proxy(tmp_path, clock):
    from comment_portal import create_app
    from comment_portal.db import close_all

    app = create_app({"TESTING": True, "SECRET_KEY": "t", "DATABASE": str(tmp_path / "p.db"), "CLOCK": clock,
                      "PROXY_FIX_X_FOR": 1})
    try:
        response = app.test_client().get("/receipt", headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "1.2.3.4"})
        assert "Secure" in response.headers["Set-Cookie"]
        response = app.test_client().get("/receipt", headers={"X-Forwarded-Proto": "http"})
        assert "Secure" not in response.headers["Set-Cookie"]
    finally:
        close_all()


# -- contact details -----------------------------------------------------------------------------------
def test_reviewers_never_see_contact_details_on_any_staff_page(app, seeded, reviewer_client, admin_client):
    contact = "13912345678"
    cid = add_comment(app, "海外仓补贴标准要明确，建议支持企业租赁海外仓。", "3.3.10", name="王某某", contact=contact)
    args = {"slug": "seed", "comment_id": cid, "group_id": 1, "fmt": "csv", "version": 1, "staff_id": 1}
    for rule in _staff_get_rules(app):
        if rule.endpoint not in REVIEWER_ENDPOINTS:
            continue
        url = rule.build({a: args.get(a, 1) for a in rule.arguments})[1]
        response = reviewer_client.get(url)
        text = docx_text(response.data) if response.mimetype.endswith("document") else response.get_data(as_text=True)
        assert contact not in text, rule.endpoint
    page = reviewer_client.get(f"/staff/c/seed/comments/{cid}").get_data(as_text=True)
    assert "已填写" in page and "仅管理员可见" in page
    assert contact in admin_client.get(f"/staff/c/seed/comments/{cid}").get_data(as_text=True)
    assert reviewer_client.get("/staff/c/seed/export.csv").status_code == 403
    assert contact in admin_client.get("/staff/c/seed/export.csv").get_data(as_text=True)
