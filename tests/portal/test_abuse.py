"""Abuse control: rate limit per client, repeat submissions, honeypot."""

from __future__ import annotations

import re

from comment_portal.db import get_db, rows, scalar
from tests.conftest import comment_data, csrf_token, post_comment


def _count(app) -> int:
    with app.app_context():
        return scalar(get_db(), "SELECT count(*) FROM comments")


def test_rate_limit_per_minute_keeps_what_was_typed(app, client, seeded, clock):
    for i in range(5):
        assert post_comment(client, body=f"第{i}条不同的测试意见内容。").status_code == 303
    blocked = post_comment(client, body="第六条意见应被限流拒绝。")
    assert blocked.status_code == 429
    page = blocked.get_data(as_text=True)
    assert "过于频繁" in page and "第六条意见应被限流拒绝。" in page
    assert _count(app) == 5
    clock.advance(minutes=1, seconds=1)
    assert post_comment(client, body="过了一分钟可以再提交。").status_code == 303
    assert _count(app) == 6


def test_rate_limit_is_per_client(app, client, seeded):
    for i in range(5):
        post_comment(client, body=f"客户端一的第{i}条意见。")
    other = app.test_client()
    url = "/c/seed/comment"
    token = csrf_token(other, url)
    response = other.post(url, data=comment_data(token, body="另一个客户端的意见。"),
                          environ_overrides={"REMOTE_ADDR": "10.9.9.9"})
    assert response.status_code == 303


def test_daily_limit(app, seeded, clock):
    app.config["COMMENT_RATE_LIMIT"] = "100 per minute;3 per day"
    client = app.test_client()
    for i in range(3):
        assert post_comment(client, body=f"每日限额测试第{i}条。").status_code == 303
    clock.advance(hours=2)
    assert post_comment(client, body="当天第四条。").status_code == 429
    clock.advance(days=1)
    assert post_comment(client, body="第二天可以提交。").status_code == 303


def test_form_errors_do_not_count_against_the_limit(client, seeded):
    for _ in range(8):
        assert post_comment(client, body="短").status_code == 400
    assert post_comment(client, body="修改之后的完整意见。").status_code == 303


def test_identical_text_within_ten_minutes_returns_first_receipt(app, client, seeded, clock):
    first = post_comment(client, body="完全相同的一条意见内容。")
    code1 = re.search(r'id="receipt-code">([^<]+)<', client.get(first.headers["Location"]).get_data(as_text=True))[1]
    clock.advance(minutes=5)
    second = post_comment(client, body="完全相同的一条意见内容。")
    page = client.get(second.headers["Location"]).get_data(as_text=True)
    assert code1 in page and "没有重复保存" in page
    assert _count(app) == 1
    clock.advance(minutes=6)
    post_comment(client, body="完全相同的一条意见内容。")
    assert _count(app) == 2


def test_honeypot_gets_normal_receipt_and_is_stored_as_spam(app, client, seeded):
    response = post_comment(client, website="http://spam.example", body="买便宜货请访问我的网站。")
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "回执编号" in page and "您的意见已提交" in page
    with app.app_context():
        assert [r["status"] for r in rows(get_db(), "SELECT status FROM comments")] == ["spam"]
    assert "已收到意见 0 条" in client.get("/").get_data(as_text=True)
