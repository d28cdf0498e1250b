"""Abuse control: rate limits per browser and per address, one comment per form load, honeypot."""

from __future__ import annotations

import re
import threading

import pytest

from comment_portal.db import get_db, rows, scalar
from tests.helpers import FORM_TOKEN_RE, comment_data, csrf_token, form_tokens, post_comment


def _count(app) -> int:
    with app.app_context():
        return scalar(get_db(), "SELECT count(*) FROM comments")


def rows_of(app, sql: str) -> list[dict]:
    with app.app_context():
        return rows(get_db(), sql)


def test_rate_limit_per_browser_keeps_what_was_typed_and_says_when(app, client, seeded, clock):
    for i in range(10):
        assert post_comment(client, body=f"第{i}条不同的测试意见内容。").status_code == 303
    blocked = post_comment(client, body="第十一条意见应被限流拒绝。")
    assert blocked.status_code == 429
    assert 1 <= int(blocked.headers["Retry-After"]) <= 61
    page = blocked.get_data(as_text=True)
    assert "过于频繁" in page and "第十一条意见应被限流拒绝。" in page
    assert re.search(r"请在\d+秒后再试|请在约\d+分钟后", page)
    assert _count(app) == 10
    clock.advance(seconds=int(blocked.headers["Retry-After"]))
    assert post_comment(client, body="过了一分钟可以再提交。").status_code == 303
    assert _count(app) == 11


def test_retry_after_names_a_beijing_clock_time_for_long_waits(app, client, seeded, clock):
    app.config["COMMENT_RATE_LIMIT"] = "2 per hour"
    for i in range(2):
        assert post_comment(client, body=f"每小时限额第{i}条意见。").status_code == 303
    blocked = post_comment(client, body="第三条意见被限流。")
    assert blocked.status_code == 429 and int(blocked.headers["Retry-After"]) > 3000
    page = blocked.get_data(as_text=True)
    assert "请在约60分钟后（北京时间13:00以后）再试" in page and "第三条意见被限流。" in page


def test_an_association_commenting_clause_by_clause_is_not_blocked(app, client, seeded, clock):
    """20 prepared comments pasted into 20 clauses, one every 10 seconds (the old 5/minute per address
    blocked the 6th)."""
    keys = [r["key"] for r in rows_of(app, "SELECT key FROM clauses ORDER BY position LIMIT 20")]
    for i, key in enumerate(keys):
        response = post_comment(client, key=key, body=f"本协会对该条款的第{i}条修改建议：请明确适用范围。",
                                submitter_type="社会组织", name="某跨境电商协会")
        assert response.status_code == 303, i
        clock.advance(seconds=10)
    assert _count(app) == 20


def test_many_citizens_behind_one_carrier_nat_are_not_blocked(app, seeded, clock):
    """60 people on one carrier address, each in their own browser, at a busy 6 per minute for 10 minutes,
    with a burst of 20 in one minute."""
    for i in range(60):
        person = app.test_client()
        assert post_comment(person, body=f"市民{i}：建议延长跨境电商企业的扶持期限。").status_code == 303, i
        clock.advance(seconds=10)
    for i in range(20):
        assert post_comment(app.test_client(), body=f"高峰时段市民{i}的意见内容。").status_code == 303, i
    assert _count(app) == 80


def test_per_address_ceiling_stops_a_flood_of_fresh_browsers(app, seeded, clock):
    for i in range(30):
        assert post_comment(app.test_client(), body=f"洪水式提交第{i}条。").status_code == 303
    blocked = post_comment(app.test_client(), body="第三十一个新浏览器。")
    assert blocked.status_code == 429 and "Retry-After" in blocked.headers
    # Another address is not affected.
    other = app.test_client()
    other.environ_base["REMOTE_ADDR"] = "10.9.9.9"
    assert post_comment(other, body="另一个地址的意见。").status_code == 303


def test_ipv6_ceiling_counts_one_subscriber_prefix(app, seeded):
    app.config["COMMENT_ADDRESS_RATE_LIMIT"] = "3 per minute"
    for i in range(3):
        c = app.test_client()
        c.environ_base["REMOTE_ADDR"] = f"2001:db8:1:2::{i + 1}"
        assert post_comment(c, body=f"IPv6第{i}条意见。").status_code == 303
    same_prefix = app.test_client()
    same_prefix.environ_base["REMOTE_ADDR"] = "2001:db8:1:2:ffff::9"
    assert post_comment(same_prefix, body="同一前缀的第四条。").status_code == 429
    other_prefix = app.test_client()
    other_prefix.environ_base["REMOTE_ADDR"] = "2001:db8:1:3::1"
    assert post_comment(other_prefix, body="另一前缀的意见。").status_code == 303


def test_a_session_without_a_browser_id_is_limited_by_its_address(app, seeded):
    """A bot that keeps a CSRF-only session (from the receipt page) and takes form tokens with no cookie
    never presents a browser id: the per-browser limit then counts its address."""
    bot = app.test_client()
    csrf = csrf_token(bot, "/receipt")
    codes = []
    for i in range(11):
        _, token = form_tokens(app.test_client(), "/c/seed/comment")
        codes.append(bot.post("/c/seed/comment", data=comment_data(csrf, token, body=f"机器人第{i}条。")).status_code)
    assert codes == [303] * 10 + [429]


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


def _receipt(client, response) -> str:
    return re.search(r'id="receipt-code">([^<]+)<', client.get(response.headers["Location"]).get_data(as_text=True))[1]


def test_two_people_same_words_same_address_get_two_comments(app, seeded, clock):
    """Two browsers behind one address (NAT, an office) sending the same words: two rows, two receipts
    (the old rule returned the first person's receipt to the second within 10 minutes)."""
    first, second = app.test_client(), app.test_client()
    words = "完全相同的一条意见内容：建议降低海外仓补贴门槛。"
    r1 = post_comment(first, body=words)
    clock.advance(minutes=1)
    r2 = post_comment(second, body=words)
    assert r1.status_code == r2.status_code == 303
    assert _receipt(first, r1) != _receipt(second, r2)
    assert _count(app) == 2
    # The same person loading the form again for the same words is a second comment too.
    assert post_comment(first, body=words).status_code == 303
    assert _count(app) == 3


def test_one_form_posted_twice_stores_one_comment(app, client, seeded, clock):
    """Double click, back and resubmit, a lost response: the same form load gets the first receipt."""
    data = comment_data(*form_tokens(client, "/c/seed/comment/3.3.10"), body="同一份表单提交两次。")
    first = client.post("/c/seed/comment/3.3.10", data=data)
    code = _receipt(client, first)
    clock.advance(hours=3)
    again = client.post("/c/seed/comment/3.3.10", data=data)
    assert again.status_code == 303
    page = client.get(again.headers["Location"]).get_data(as_text=True)
    assert code in page and "没有重复保存" in page
    assert _count(app) == 1


def test_same_form_with_other_words_keeps_them_and_offers_a_fresh_form(app, client, seeded):
    url = "/c/seed/comment"
    csrf, token = form_tokens(client, url)
    assert client.post(url, data=comment_data(csrf, token, body="第一次提交的意见。")).status_code == 303
    edited = client.post(url, data=comment_data(csrf, token, body="返回修改后的另一条意见。"))
    assert edited.status_code == 409
    page = edited.get_data(as_text=True)
    assert "返回修改后的另一条意见。" in page and "已提交过" in page
    fresh = FORM_TOKEN_RE.search(page).group(1)
    assert fresh != token
    assert client.post(url, data=comment_data(csrf, fresh, body="返回修改后的另一条意见。")).status_code == 303
    assert _count(app) == 2


@pytest.mark.parametrize("token", ["", "forged", "abc.def", "x" * 300])
def test_absent_or_forged_form_token_stores_nothing_and_keeps_the_text(app, client, seeded, token):
    csrf, _ = form_tokens(client, "/c/seed/comment")
    response = client.post("/c/seed/comment", data=comment_data(csrf, token, body="没有有效表单令牌的意见。"))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "没有有效表单令牌的意见。" in page and "请确认后重新提交" in page
    fresh = FORM_TOKEN_RE.search(page).group(1)
    assert client.post("/c/seed/comment", data=comment_data(csrf, fresh, body="没有有效表单令牌的意见。")).status_code == 303
    assert _count(app) == 1


def test_a_form_token_only_fits_the_form_it_came_with(app, client, seeded):
    csrf, token = form_tokens(client, "/c/seed/comment/3.3.10")
    moved = client.post("/c/seed/comment/3.3.11", data=comment_data(csrf, token, body="把别处的令牌拿来用。"))
    assert moved.status_code == 400 and _count(app) == 0


def test_racing_posts_of_one_form_store_one_row(app, seeded, tmp_path):
    """Two workers (own connections) submit the same form load at the same moment: one row, one receipt."""
    from comment_portal.db import open_database
    from comment_portal.store import comments

    with app.app_context():
        cid = scalar(get_db(), "SELECT id FROM consultations")
    barrier = threading.Barrier(4)
    results = []

    def submit():
        db = open_database(app.config["DATABASE"])
        barrier.wait()
        results.append(comments.submit_form(db, form_token="same-load", consultation_id=cid, clause_key=None,
                                            body="并发提交的同一份表单。", submitter_type="个人", name="", contact="",
                                            now=app.extensions["clock"].now()))
        db.close()

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert _count(app) == 1
    assert len({row.receipt_code for row, _ in results}) == 1
    assert sorted(repeated for _, repeated in results) == [False, True, True, True]


def test_unique_form_token_holds_when_the_check_is_raced_past(app, seeded, monkeypatch):
    """Even if the lookup misses a row another worker just committed, the unique index stores one row and
    the second request gets the first receipt."""
    from comment_portal.store import comments

    with app.app_context():
        db = get_db()
        cid = scalar(db, "SELECT id FROM consultations")
        fields = {"consultation_id": cid, "clause_key": None, "body": "竞争条件下的同一份表单。", "submitter_type": "个人",
                      "name": "", "contact": "", "now": app.extensions["clock"].now()}
        first, repeated = comments.submit_form(db, form_token="tok", **fields)
        assert not repeated
        real = comments.by_form_token
        calls = []

        def miss_once(db, token):
            calls.append(token)
            return None if len(calls) == 1 else real(db, token)

        monkeypatch.setattr(comments, "by_form_token", miss_once)
        second, repeated = comments.submit_form(db, form_token="tok", **fields)
        assert repeated and second.receipt_code == first.receipt_code
    assert _count(app) == 1


def test_honeypot_gets_normal_receipt_and_is_stored_as_spam(app, client, seeded):
    response = post_comment(client, website="http://spam.example", body="买便宜货请访问我的网站。")
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "回执编号" in page and "您的意见已提交" in page
    with app.app_context():
        assert [r["status"] for r in rows(get_db(), "SELECT status FROM comments")] == ["spam"]
    assert "已收到意见 0 条" in client.get("/").get_data(as_text=True)


def test_expired_rate_limit_counters_are_purged(tmp_path):
    """Keys come and go (browsers, addresses, usernames tried at the login): expired ones do not pile up."""
    from comment_portal.ratelimit import SQLiteStorage

    moment = [1000.0]
    storage = SQLiteStorage(f"cpsqlite://{tmp_path}/counters.db", clock=lambda: moment[0])
    storage.PURGE_EVERY = 10
    for i in range(5):
        storage.incr(f"old-{i}", 60)
    moment[0] += 120
    for _ in range(5):
        storage.incr("current", 60)
    assert storage._conn().execute("SELECT key FROM counters").fetchall() == [("current",)]
    assert storage.get("current") == 5
