"""Draft source files (the .docx / .txt / .pdf an office uploaded), kept as uploaded for 原文下载.

Files live in one folder beside the database (``DRAFT_FILES``, default ``instance/drafts``), never under a path
the web server serves, each by a random name; the database row keeps that name, the original name and the
SHA-256. A name read back from the database is checked against the pattern this module writes, so a row can
never point outside the folder.
"""

from __future__ import annotations

import html
import io
import os
import re
import secrets
import zipfile
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


#: Members of a .docx read for :func:`published_extras`, at most this large each (the file was parsed already).
_EXTRAS_MAX = 20 * 1024 * 1024
_COMMENT = re.compile(rb"<w:comment\b")
_REVISION = re.compile(rb"<w:(?:ins|del|moveFrom|moveTo)\b")
_PROPERTY = {"作者": re.compile(rb"<dc:creator>([^<]+)</dc:creator>"),
             "最后修改者": re.compile(rb"<cp:lastModifiedBy>([^<]+)</cp:lastModifiedBy>")}


def published_extras(data: bytes, kind: str) -> list[str]:
    """What 原文下载 would publish besides the draft's text: a .docx's 批注 (review comments, with their authors),
    tracked changes not yet accepted, and the names in its properties — each as a phrase for the staff preview.
    The file is served byte for byte (it is the authentic draft), so staff remove these in Word and upload it again."""
    if kind != "docx":
        return []
    found: list[str] = []
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            def part(name: str) -> bytes:
                try:
                    info = archive.getinfo(name)
                except KeyError:
                    return b""
                return archive.read(name) if info.file_size <= _EXTRAS_MAX else b""

            comments = len(_COMMENT.findall(part("word/comments.xml")))
            if comments:
                found.append(f"{comments} 条批注（审阅意见及批注人姓名）")
            if _REVISION.search(part("word/document.xml")):
                found.append("未接受的修订（修订人姓名和删改前的文字）")
            core = part("docProps/core.xml")
            for label, pattern in _PROPERTY.items():
                if (match := pattern.search(core)) and match.group(1).strip():
                    found.append(f"文件属性中的{label}“{html.unescape(match.group(1).decode('utf-8', 'replace').strip())}”")
    except (zipfile.BadZipFile, OSError, ValueError):
        return []
    return found
