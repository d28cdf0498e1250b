"""One IPv6 subscriber holds a whole /64 of addresses (2^64 of them, picked freely by the machine): the comment
ceiling counted it as one, but the staff login limits and the receipt lookup, download and withdrawal limits
counted each address, so rotating through the prefix walked past them (session 8, hostile tester of the forms)."""

from __future__ import annotations

import pytest

from tests.helpers import csrf_token, make_staff


def _from(client, n: int, prefix: str = "2001:db8:7:1") -> dict:
    return {"REMOTE_ADDR": f"{prefix}:{n:x}::{n + 1:x}"}


def test_the_login_attempt_cap_counts_one_ipv6_prefix(app):
    app.config["LOGIN_RATE_LIMIT"] = "5 per minute"
    client = app.test_client()
    token = csrf_token(client, "/staff/login")
    codes = [client.post("/staff/login", data={"csrf_token": token, "username": f"user{n}", "password": "guess-2024"},
                         environ_base=_from(client, n)).status_code for n in range(6)]
    assert codes == [401] * 5 + [429]
    other = client.post("/staff/login", data={"csrf_token": token, "username": "user9", "password": "guess-2024"},
                        environ_base={"REMOTE_ADDR": "2001:db8:7:2::1"})
    assert other.status_code == 401  # another subscriber's prefix is not held up


def test_failed_logins_on_one_account_count_one_ipv6_prefix(app):
    """5 failures per (account, address) in 15 minutes, then that address waits: from one /64, not 5 per address."""
    make_staff(app, "jingban", "reviewer", "Right-pass-2024")
    app.config.update(LOGIN_ACCOUNT_FREE_FAILURES=1000)  # the per-account delay is another rule: out of the way here
    client = app.test_client()
    token = csrf_token(client, "/staff/login")

    def attempt(n: int, password: str = "wrong-pass-2024"):
        return client.post("/staff/login", data={"csrf_token": token, "username": "jingban", "password": password},
                           environ_base=_from(client, n))

    assert [attempt(n).status_code for n in range(5)] == [401] * 5
    refused = attempt(5, "Right-pass-2024")
    assert refused.status_code == 429 and "登录失败次数过多" in refused.get_data(as_text=True)


@pytest.mark.parametrize("url", ["/receipt", "/receipt/withdraw", "/receipt/download"])
def test_receipt_lookups_count_one_ipv6_prefix(app, seeded, url):
    """Looking receipt codes up (or trying them on withdrawal and download) is 30 a minute per address."""
    client = app.test_client()
    token = csrf_token(client, "/receipt")
    data = {"csrf_token": token, "code": "ABCD-EFGH-JKLM", "format": "txt"}
    codes = [client.post(url, data=data, environ_base=_from(client, n)).status_code for n in range(31)]
    assert codes == [404] * 30 + [429]
