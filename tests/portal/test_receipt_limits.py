"""The receipt lookup behind one shared address (h13, session 9).

A government office, a company or a campus reaches the portal through one NAT address. The lookup was limited to 30
a minute per address, so on the day the 采纳情况反馈 is published (a mail tells every submitter to look up their
receipt) the 31st colleague in the office got 提交过于频繁. Guessing a code is hopeless at any of these rates (60
bits: with 1,000 codes stored, 300 guesses a minute take ~7 million years to hit one), so the limit only guards
against floods: it now counts per browser (30 a minute: an association checks its 20 codes) with a per-address
ceiling of 300 a minute, as the comment form does."""

from __future__ import annotations

import pytest

from tests.helpers import CSRF_RE, post_comment

LOOKUP = "/receipt"


def _code(client) -> str:
    response = post_comment(client)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    return page.split('id="receipt-code">', 1)[1].split("<", 1)[0]


def _lookup(client, code: str):
    token = CSRF_RE.search(client.get(LOOKUP).get_data(as_text=True)).group(1)
    return client.post(LOOKUP, data={"csrf_token": token, "code": code})


def test_forty_colleagues_behind_one_address_all_get_their_answer(app, seeded, client):
    code = _code(client)
    answers = [_lookup(app.test_client(), code).status_code for _ in range(40)]  # 40 browsers, one address
    assert answers == [200] * 40, answers


def test_one_browser_is_still_limited_and_told_when_to_retry(app, seeded, client):
    code = _code(client)
    answers = [_lookup(client, code) for _ in range(31)]
    assert [a.status_code for a in answers[:30]] == [200] * 30
    assert answers[30].status_code == 429 and answers[30].headers["Retry-After"]
    assert "过于频繁" in answers[30].get_data(as_text=True)


@pytest.mark.parametrize("ceiling", ["5 per minute"])
def test_a_bot_taking_a_fresh_session_each_time_meets_the_address_ceiling(app, seeded, client, ceiling):
    app.config["RECEIPT_ADDRESS_RATE_LIMIT"] = ceiling
    code = _code(client)
    answers = [_lookup(app.test_client(), code).status_code for _ in range(6)]
    assert answers == [200] * 5 + [429], answers
