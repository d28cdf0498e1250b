"""Fixtures shared by the portal and browser tests: the app factory on a temporary SQLite file.

Plain helper functions (posting forms, logging in, storing comments) are in tests/helpers.py."""

from __future__ import annotations

import pytest

from comment_portal.clock import FixedClock
from tests.helpers import beijing, login, make_staff


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
            "JOBS_RUNNER": "inline",  # a job is done within the request that queues it (tests/portal/test_jobs.py: the runner)
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

    from comment_portal.db import get_db
    from comment_portal.store import consultations

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


@pytest.fixture
def reviewer_client(app):
    """A test client logged in as a reviewer."""
    account = make_staff(app, "reviewer1", "reviewer")
    client = app.test_client()
    assert login(client, account["username"], account["password"]).status_code == 302
    client.staff = account
    return client


@pytest.fixture
def admin_client(app):
    """A test client logged in as an admin."""
    account = make_staff(app, "admin1", "admin", "Admin-pass-2024")
    client = app.test_client()
    assert login(client, account["username"], account["password"]).status_code == 302
    client.staff = account
    return client
