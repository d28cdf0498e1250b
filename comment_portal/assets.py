"""Static files under fingerprinted names: ``url_for('static', filename='portal.css')`` gives
``/static/portal.3f2a9c1e07.css``, a name that changes whenever the content does.

Such a URL is cached by browsers and proxies for a year without revalidation (``immutable``). The plain name
(``/static/portal.css``) is still served, but revalidated on every use, so nobody keeps a stale copy; a
fingerprint that is not the current content's gets 404, never today's file under yesterday's name. Every
file is read, hashed and compressed (gzip, brotli) once when the app starts (in debug mode, again when a
file changes).
"""

from __future__ import annotations

import hashlib
import mimetypes
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flask import Flask, abort, current_app

from .caching import IMMUTABLE, REVALIDATE, Encoded, encode, respond

DIGEST_LENGTH = 10


@dataclass(frozen=True)
class Manifest:
    fingerprinted: dict[str, str]  # "portal.css" → "portal.3f2a9c1e07.css"
    original: dict[str, str]  # and back; an outdated fingerprint is not in it
    files: dict[str, Encoded]  # "portal.css" → its bytes in every encoding
    stamp: tuple[tuple[str, float, int], ...]  # (name, mtime, size) of every file, to notice changes


def fingerprint(name: str, content: bytes) -> str:
    digest = hashlib.sha256(content).hexdigest()[:DIGEST_LENGTH]
    path = Path(name)
    return str(path.with_name(f"{path.stem}.{digest}{path.suffix}"))


def _stamp(folder: Path) -> tuple[tuple[str, float, int], ...]:
    return tuple(sorted((str(p.relative_to(folder)), p.stat().st_mtime, p.stat().st_size)
                        for p in folder.rglob("*") if p.is_file()))


def build(folder: Path) -> Manifest:
    fingerprinted: dict[str, str] = {}
    files: dict[str, Encoded] = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        name = path.relative_to(folder).as_posix()
        content = path.read_bytes()
        mimetype = mimetypes.guess_type(name)[0] or "application/octet-stream"
        modified = datetime.fromtimestamp(path.stat().st_mtime, UTC)
        fingerprinted[name] = fingerprint(name, content)
        files[name] = encode(content, mimetype, modified)
    original = {hashed: name for name, hashed in fingerprinted.items()}
    return Manifest(fingerprinted, original, files, _stamp(folder))


def manifest() -> Manifest:
    app = current_app
    current: Manifest = app.extensions["assets"]
    if app.debug and _stamp(Path(app.static_folder or "")) != current.stamp:
        current = app.extensions["assets"] = build(Path(app.static_folder or ""))
    return current


def serve(filename: str):
    """The ``static`` endpoint: fingerprinted names for a year, plain names revalidated, stale ones 404."""
    assets = manifest()
    name = assets.original.get(filename)
    if name is not None:
        return respond(assets.files[name], IMMUTABLE)
    if filename in assets.files:
        return respond(assets.files[filename], REVALIDATE)
    abort(404)


def _fingerprinted_url(endpoint: str, values: dict[str, Any]) -> None:
    if endpoint == "static" and "filename" in values:
        values["filename"] = manifest().fingerprinted.get(values["filename"], values["filename"])


def init_app(app: Flask) -> None:
    app.extensions["assets"] = build(Path(app.static_folder or ""))
    app.view_functions["static"] = serve
    app.url_defaults(_fingerprinted_url)
