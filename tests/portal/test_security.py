"""CSRF, escaping of hostile input, security headers, cookies."""

from __future__ import annotations

import re

import pytest

from comment_portal.db import get_db, one
from tests.helpers import comment_data, post_comment

XSS = [
    "<script>alert('x')</script>很好的建议内容",
    '<img src=x onerror="alert(1)">建议增加内容',
    '<a href="javascript:alert(1)">点此</a>查看我的建议',
    '"><svg onload=alert(1)>建议修改第三条',
]


def test_post_without_csrf_token_is_refused(app, client, seeded):
    data = comment_data("")
    del data["csrf_token"]
    response = client.post("/c/seed/comment", data=data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "安全校验未通过" in page or "页面已过期" in page
    assert data["body"] in page  # what was typed is still there to resubmit
    with app.app_context():
        assert one(get_db(), "SELECT count(*) AS n FROM comments")["n"] == 0


def test_post_with_forged_csrf_token_is_refused(client, seeded):
    assert client.post("/c/seed/comment", data=comment_data("forged")).status_code == 400


def test_receipt_lookup_requires_csrf(client):
    assert client.post("/receipt", data={"code": "ABCD-EFGH-JKLM"}).status_code == 400


@pytest.mark.parametrize("payload", XSS)
def test_xss_in_body_and_name_never_renders_as_markup(app, client, seeded, payload):
    response = post_comment(client, body=payload, name=payload)
    assert response.status_code in (303, 400)
    pages = [response.get_data(as_text=True)]
    if response.status_code == 303:
        pages.append(client.get(response.headers["Location"]).get_data(as_text=True))
        with app.app_context():
            stored = one(get_db(), "SELECT body, name FROM comments")
        for value in stored.values():
            assert "<" not in value or "<svg" not in value
            assert "onerror" not in value and "javascript:" not in value and "<script" not in value
    for page in pages + [client.get("/c/seed").get_data(as_text=True)]:
        assert "<script>alert" not in page
        assert "onerror=" not in page and "onload=alert" not in page
        assert 'href="javascript:' not in page


def test_form_errors_escape_what_was_typed(client, seeded):
    page = post_comment(client, body="<b>x", contact='"><script>alert(1)</script>').get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page


def test_security_headers(client, seeded):
    for url in ["/", "/c/seed", "/c/seed/comment", "/receipt", "/nope"]:
        headers = client.get(url).headers
        csp = headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in csp
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"]


def test_no_inline_script_in_pages(client, seeded):
    """Scripts come from /static only (one small progressive enhancement); no inline script or style."""
    for url in ["/", "/c/seed", "/c/seed/comment", "/receipt"]:
        page = client.get(url).get_data(as_text=True)
        scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", page, re.DOTALL)
        assert scripts and page.count("<script") == len(scripts)
        assert all(re.search(r'src="/static/[^"]+\.js"', attrs) and not body.strip() for attrs, body in scripts)
        assert " style=" not in page


def test_session_cookie_flags(client, seeded):
    response = client.get("/c/seed/comment")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_secure_cookie_when_configured(tmp_path, clock):
    from comment_portal import create_app
    from comment_portal.db import close_all

    app = create_app({"TESTING": True, "SECRET_KEY": "k", "DATABASE": str(tmp_path / "p.db"), "CLOCK": clock,
                      "SESSION_COOKIE_SECURE": True})
    try:
        cookie = app.test_client().get("/receipt").headers["Set-Cookie"]
        assert "Secure" in cookie
    finally:
        close_all()


def test_contact_never_on_public_pages(client, seeded):
    post_comment(client, name="王小明", contact="13912345678", body="关于联系方式隐私的测试意见。")
    for url in ["/", "/c/seed"]:
        page = client.get(url).get_data(as_text=True)
        assert "13912345678" not in page and "王小明" not in page
