"""Fixtures for the portal tests (the app, clients and helpers are in tests/conftest.py)."""

from __future__ import annotations

import pytest
from aiosmtpd.controller import Controller
from click.testing import CliRunner

from comment_portal import mail
from comment_portal.cli import main
from tests.helpers import Inbox, free_port


@pytest.fixture
def cli(tmp_path, monkeypatch):
    """``comment-portal`` on a fresh database file; ``cli.db_path`` is that file."""
    db_path = tmp_path / "cli.db"
    monkeypatch.setenv("COMMENT_PORTAL_DATABASE", str(db_path))
    monkeypatch.setenv("COMMENT_PORTAL_SECRET_KEY", "cli-test")
    monkeypatch.setenv("COMMENT_PORTAL_JOBS_RUNNER", "inline")  # serve/demo would start a job runner process
    runner = CliRunner()

    def invoke(*args: str):
        from comment_portal.db import close_all

        try:
            return runner.invoke(main, list(args), catch_exceptions=False)
        finally:
            close_all()

    invoke.db_path = db_path
    return invoke


# -- a local SMTP server for the mail tests (aiosmtpd on 127.0.0.1: no mail leaves the machine) --

@pytest.fixture
def inbox(app):
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port, MAIL_FROM="noreply@portal.example.cn",
                      MAIL_TIMEOUT=5)
    yield handler
    mail.wait(app)
    controller.stop()
