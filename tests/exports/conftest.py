"""Fixtures for the exports tests: the seed-shaped reports built in tests/exports/helpers.py."""

from __future__ import annotations

from datetime import date

import pytest

from exports import Report
from tests.exports.helpers import CLAUSE_ORDER, DRAFT_TITLE, ISSUER, build_seed_report, seed_opinions
from tests.exports.redaction_corpus import seed_vocabulary


@pytest.fixture
def seed_report() -> Report:
    return build_seed_report()


@pytest.fixture
def empty_report() -> Report:
    return Report(
        draft_title=DRAFT_TITLE,
        issuer=ISSUER,
        opens_on=date(2024, 9, 25),
        closes_on=date(2024, 10, 10),
        report_date=date(2024, 10, 25),
        published_where="天津市商务局门户网站",
        channels=["web", "email"],
        clause_order=list(CLAUSE_ORDER),
    )


@pytest.fixture
def make_seed_report():
    """The builder itself, for tests that vary identity mode or other fields."""
    return build_seed_report


@pytest.fixture
def make_opinions():
    return seed_opinions


@pytest.fixture(scope="session")
def vocabulary() -> str:
    """The seed draft's words, which redaction leaves alone (built once for the redaction test files)."""
    return seed_vocabulary()
