"""Fixtures shared by the portal and browser tests: the app factory on a temporary SQLite file."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest

from comment_portal.clock import LOCAL_TZ, FixedClock

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def beijing(*args: int) -> datetime:
    return datetime(*args, tzinfo=LOCAL_TZ)


@pytest.fixture
def clock() -> FixedClock:
    """Inside the seed's real window (2024-09-25 … 2024-10-10), Beijing time."""
    return FixedClock(beijing(2024, 10, 1, 12, 0, 0))


@pytest.fixture
def app(tmp_path, clock):
    from comment_portal import create_app
    from comment_portal.db import close_all

    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "DATABASE": str(tmp_path / "portal.db"),
            "CLOCK": clock,
        }
    )
    yield app
    close_all()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def seed_draft():
    from draft import load_seed

    return load_seed()


@pytest.fixture
def seeded(app, seed_draft, clock):
    """The seed draft imported with its real window; returns the slug."""
    from datetime import date

    from comment_portal import consultations
    from comment_portal.db import get_db

    with app.app_context():
        consultations.import_draft(
            get_db(),
            seed_draft,
            slug="seed",
            opens_on=date(2024, 9, 25),
            closes_on=date(2024, 10, 10),
            now=clock.now(),
        )
    return "seed"


CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def csrf_token(client, url: str) -> str:
    page = client.get(url)
    match = CSRF_RE.search(page.get_data(as_text=True))
    assert match, f"no CSRF token on {url}"
    return match.group(1)


def comment_data(token: str, **fields) -> dict:
    data = {
        "csrf_token": token,
        "body": "建议进一步明确跨境电商产业园区的评定标准和支持政策。",
        "submitter_type": "个人",
        "name": "",
        "contact": "",
        "consent": "y",
        "website": "",
    }
    data.update(fields)
    return data


def post_comment(client, slug: str = "seed", key: str | None = None, **fields):
    url = f"/c/{slug}/comment" + (f"/{key}" if key else "")
    token = csrf_token(client, url)
    return client.post(url, data=comment_data(token, **fields))
