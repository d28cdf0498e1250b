"""The comment window, enforced at POST time in Asia/Shanghai, including the whole last day."""

from __future__ import annotations

from datetime import UTC, date

import pytest

from comment_portal.window import CLOSED, OPEN, UPCOMING, Window
from tests.helpers import beijing, comment_data, csrf_token, form_tokens

SEED_WINDOW = Window(date(2024, 9, 25), date(2024, 10, 10))


#: One second before opening, the first second, the last second of the closing day, one second after.
EDGES = [
    (beijing(2024, 9, 24, 23, 59, 59), UPCOMING),
    (beijing(2024, 9, 25, 0, 0, 0), OPEN),
    (beijing(2024, 10, 10, 23, 59, 59), OPEN),
    (beijing(2024, 10, 11, 0, 0, 0), CLOSED),
]


@pytest.mark.parametrize("moment, expected", EDGES)
def test_window_edges(moment, expected):
    assert SEED_WINDOW.status(moment) == expected


def test_window_is_local_time_not_utc():
    # 2024-10-10 20:00 UTC is 2024-10-11 04:00 in Beijing: closed, although still the 10th in UTC.
    from datetime import datetime

    assert SEED_WINDOW.status(datetime(2024, 10, 10, 20, 0, tzinfo=UTC)) == CLOSED
    # 2024-09-24 16:00 UTC is 2024-09-25 00:00 in Beijing: open.
    assert SEED_WINDOW.status(datetime(2024, 9, 24, 16, 0, tzinfo=UTC)) == OPEN


def test_days_left():
    assert SEED_WINDOW.days_left(beijing(2024, 10, 10, 9, 0)) == 0
    assert SEED_WINDOW.days_left(beijing(2024, 10, 1, 9, 0)) == 9
    assert SEED_WINDOW.length_days == 16


@pytest.mark.parametrize("moment, expected", EDGES)
def test_post_at_window_edges(client, seeded, clock, moment, expected):
    # The form is fetched while open; the POST happens at the edge (token obtained earlier).
    clock.set(beijing(2024, 10, 1, 12, 0))
    tokens = form_tokens(client, "/c/seed/comment")
    clock.set(moment)
    response = client.post("/c/seed/comment", data=comment_data(*tokens))
    if expected == OPEN:
        assert response.status_code == 303
    else:
        assert response.status_code == 403
        text = response.get_data(as_text=True)
        assert ("尚未开始" in text) or ("已截止" in text)


def test_form_replaced_by_notice_outside_window(client, seeded, clock):
    clock.set(beijing(2024, 10, 11, 0, 0, 1))
    page = client.get("/c/seed/comment").get_data(as_text=True)
    assert "已于2024年10月10日截止" in page
    assert "<form method=\"post\" class=\"comment-form\"" not in page
    draft_page = client.get("/c/seed").get_data(as_text=True)
    assert "对此条提意见" not in draft_page
    assert "已截止" in draft_page

    clock.set(beijing(2024, 9, 20, 8, 0))
    page = client.get("/c/seed/comment").get_data(as_text=True)
    assert "尚未开始" in page
    assert "comment-form" not in page


def test_closed_post_stores_nothing(app, client, seeded, clock):
    token = csrf_token(client, "/c/seed/comment")
    clock.advance(days=30)
    assert client.post("/c/seed/comment", data=comment_data(token)).status_code == 403
    from comment_portal.db import get_db, scalar

    with app.app_context():
        assert scalar(get_db(), "SELECT count(*) FROM comments") == 0
