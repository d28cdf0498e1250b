"""Issue 8 item 6: a full disk or a read-only database loses nothing typed, gives no receipt, and /healthz says so.

Faults are made real on the worker's kept connection: ``PRAGMA max_page_count`` at the current size makes
SQLite answer SQLITE_FULL ("database or disk is full") exactly as on a full disk, ``PRAGMA query_only``
answers SQLITE_READONLY as a read-only file does.
"""

from __future__ import annotations

import re

import pytest

from comment_portal.db import get_db, scalar
from tests.helpers import post_comment, staff_post

LONG = "建议对跨境电商海外仓建设给予专项补贴，并明确认定标准和申报流程。" * 60  # needs new pages to store


def _full(app) -> None:
    with app.app_context():
        db = get_db()
        db.execute("VACUUM")  # no free pages left to reuse: the next write that needs a page fails
        pages = db.execute("PRAGMA page_count").fetchone()[0]
        db.execute(f"PRAGMA max_page_count = {pages}")


def _read_only(app) -> None:
    with app.app_context():
        get_db().execute("PRAGMA query_only = ON")


def _repair(app) -> None:
    with app.app_context():
        db = get_db()
        db.execute("PRAGMA query_only = OFF")
        db.execute("PRAGMA max_page_count = 1073741823")


FAULTS = {"disk full": _full, "read-only database": _read_only}


@pytest.fixture
def quiet(app):
    app.config["PROPAGATE_EXCEPTIONS"] = False  # show a crash as the 500 a visitor would get
    return app


@pytest.mark.parametrize("fault", list(FAULTS))
def test_comment_is_kept_on_the_page_without_a_receipt(quiet, client, seeded, fault):
    app = quiet
    FAULTS[fault](app)
    response = post_comment(client, body=LONG, name="李春华", contact="13912345678")
    page = response.get_data(as_text=True)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "60"
    assert "系统暂时无法保存您的意见" in page and "没有生成回执" in page
    assert LONG[:40] in page and "李春华" in page and "13912345678" in page  # everything typed is still there
    assert not re.search(r"[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}", page)  # no receipt code
    with client.session_transaction() as session:
        assert "receipt" not in session
    _repair(app)
    with app.app_context():
        assert scalar(get_db(), "SELECT count(*) FROM comments") == 0
    assert post_comment(client, body=LONG).status_code == 303  # the same connection works again once repaired


@pytest.mark.parametrize("fault", list(FAULTS))
def test_staff_write_on_a_broken_database_is_a_503_page(quiet, seeded, reviewer_client, fault):
    app = quiet
    FAULTS[fault](app)
    url = "/staff/c/seed/enter"
    response = staff_post(reviewer_client, url, {"body": LONG, "clause": "__whole__", "channel": "letter",
                                                 "received_on": "2024-10-01", "submitter_type": "个人", "save": "1"},
                          form_url=url)
    assert response.status_code == 503
    assert "暂时无法保存" in response.get_data(as_text=True)
    _repair(app)
    with app.app_context():
        assert scalar(get_db(), "SELECT count(*) FROM comments") == 0


def test_healthz_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}


@pytest.mark.parametrize("fault", list(FAULTS))
def test_healthz_is_503_when_a_write_cannot_happen(app, client, fault):
    FAULTS[fault](app)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "error", "problems": ["database_not_writable"]}
    _repair(app)
    assert client.get("/healthz").status_code == 200
    with app.app_context():  # the probe left nothing behind
        assert scalar(get_db(), "SELECT count(*) FROM sqlite_master WHERE name = 'health_probe'") == 0


def test_healthz_is_503_below_the_free_space_floor(app, client):
    app.config["HEALTH_MIN_FREE_MB"] = 1024 ** 3  # a petabyte: more than any test machine has free
    response = client.get("/healthz")
    assert response.status_code == 503 and response.get_json()["problems"] == ["disk_space_low"]
