"""Draft source files (the .docx / .txt / .pdf an office uploaded), kept as uploaded for 原文下载.

Files live in one folder beside the database (``DRAFT_FILES``, default ``instance/drafts``), never under a path
the web server serves, each by a random name; the database row keeps that name, the original name and the
SHA-256. A name read back from the database is checked against the pattern this module writes, so a row can
never point outside the folder.
"""

from __future__ import annotations

import os
import re
import secrets
from pathlib import Path

from flask import Flask, current_app

KINDS = ("txt", "docx", "pdf")
_NAME = re.compile(r"^[A-Za-z0-9_-]{24}\.(?:txt|docx|pdf)$")


class DraftFileMissing(LookupError):
    """The stored file is gone (the instance folder was moved or restored without it)."""


def folder(app: Flask | None = None) -> Path:
    """``DRAFT_FILES``, else ``drafts`` beside the database (``instance/drafts`` by default)."""
    app = app or current_app
    return Path(app.config.get("DRAFT_FILES") or Path(app.config["DATABASE"]).parent / "drafts")


def save(data: bytes, kind: str, app: Flask | None = None) -> str:
    """Store ``data`` durably under a new random name; returns the name (for the database row)."""
    if kind not in KINDS:
        raise ValueError(f"unknown draft file kind {kind!r}")
    where = folder(app)
    where.mkdir(parents=True, exist_ok=True)
    name = f"{secrets.token_urlsafe(18)}.{kind}"
    tmp = where / f".{name}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o640)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, where / name)
    return name


def read(name: str, app: Flask | None = None) -> bytes:
    """The bytes of a stored file; :class:`DraftFileMissing` when it is not there (or the name is not one of ours)."""
    if not _NAME.match(name or ""):
        raise DraftFileMissing(name)
    try:
        return (folder(app) / name).read_bytes()
    except FileNotFoundError:
        raise DraftFileMissing(name) from None
