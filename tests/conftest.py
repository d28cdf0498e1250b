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


CSRF_RE = re.compile(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"')
FORM_TOKEN_RE = re.compile(r'<input[^>]*name="form_token"[^>]*value="([^"]+)"')


def csrf_token(client, url: str) -> str:
    page = client.get(url)
    match = CSRF_RE.search(page.get_data(as_text=True))
    assert match, f"no CSRF token on {url}"
    return match.group(1)


def form_tokens(client, url: str) -> tuple[str, str]:
    """Load a comment form once: its CSRF token and its idempotency token (one per form load)."""
    page = client.get(url).get_data(as_text=True)
    csrf, form = CSRF_RE.search(page), FORM_TOKEN_RE.search(page)
    assert csrf and form, f"no CSRF or form token on {url}"
    return csrf.group(1), form.group(1)


def comment_data(token: str, form_token: str = "", **fields) -> dict:
    data = {
        "csrf_token": token,
        "form_token": form_token,
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
    return client.post(url, data=comment_data(*form_tokens(client, url), **fields))


def make_staff(app, username: str = "reviewer1", role: str = "reviewer", password: str = "Review-pass-2024") -> dict:
    """Create an account whose password need not be changed; returns its row."""
    from comment_portal import staff_accounts
    from comment_portal.db import get_db

    with app.app_context():
        db = get_db()
        staff_id = staff_accounts.create(db, username, role, password, staff=None, now=app.extensions["clock"].now(),
                                         must_change=False)
        return dict(staff_accounts.get(db, staff_id), password=password)


def login(client, username: str, password: str):
    token = csrf_token(client, "/staff/login")
    return client.post("/staff/login", data={"csrf_token": token, "username": username, "password": password})


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


def staff_post(client, url: str, data: dict | None = None, form_url: str | None = None, **kwargs):
    """POST a staff form with a valid CSRF token taken from ``form_url`` (default: the staff home)."""
    token = csrf_token(client, form_url or "/staff/")
    return client.post(url, data={"csrf_token": token, **(data or {})}, **kwargs)
