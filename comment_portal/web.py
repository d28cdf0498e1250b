"""Helpers every view uses, public and staff: the consultation of a URL, where to go back to, the page of a list."""

from __future__ import annotations

import math
from collections.abc import Callable, Container
from typing import Any
from urllib.parse import quote, urlsplit

from flask import Blueprint, abort, request

from .db import get_db
from .store import consultations
from .store.rows import Consultation
from .vocabulary import PUBLIC_STATE


def consultation_or_404(slug: str) -> Consultation:
    """The consultation a URL names, or a 404 page."""
    found = consultations.get_by_slug(get_db(), slug)
    if found is None:
        abort(404)
    return found


def public_consultation_or_404(slug: str) -> Consultation:
    """The consultation a public URL names, or a 404 page: a draft (草稿，未发布) is on no public page."""
    found = consultation_or_404(slug)
    if found.state != PUBLIC_STATE:
        abort(404)
    return found


def requested_page() -> int:
    """The page of a paged list the URL asks for (``?page=``; 1 when missing or not a page)."""
    return max(1, request.args.get("page", 1, type=int))


def requested_choice(name: str, allowed: Container[str]) -> str:
    """A list's filter the URL sets (``?name=``): its value when it is one of ``allowed``, else "" (no filter)."""
    value = request.args.get(name, "")
    return value if value in allowed else ""


def page_count(total: int, page_size: int) -> int:
    """How many pages ``total`` rows fill (at least one, for an empty list)."""
    return max(1, math.ceil(total / page_size))


def referrer_path() -> str | None:
    """The path of the page this request came from, when it is one of this site's."""
    came_from = urlsplit(request.referrer or "")
    return came_from.path if came_from.netloc == request.host else None


def safe_next(target: str | None, fallback: str, prefix: str = "/staff/") -> str:
    """``target`` when it is a same-site path under ``prefix``, else ``fallback``: never an open redirect
    (no ``//host``, no backslash, no tab, newline or other control character, which browsers drop from URLs)."""
    if (target and target.startswith(prefix) and not target.startswith("//") and "\\" not in target
            and target.isprintable()):
        return target
    return fallback


class Routes:
    """The pages of one view module: each view is recorded where it is defined (``@routes.get(rule)``), and
    the package's ``register`` adds them all to its blueprint (``module.routes.register(bp)``). Importing a module
    changes no app."""

    def __init__(self) -> None:
        self._rules: list[tuple[str, Callable[..., Any], dict[str, Any]]] = []

    def route(self, rule: str, **options: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        def record(view: Callable[..., Any]) -> Callable[..., Any]:
            self._rules.append((rule, view, options))
            return view
        return record

    def get(self, rule: str, **options: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        return self.route(rule, methods=["GET"], **options)

    def post(self, rule: str, **options: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        return self.route(rule, methods=["POST"], **options)

    def register(self, bp: Blueprint) -> None:
        for rule, view, options in self._rules:
            bp.add_url_rule(rule, view_func=view, **options)


def attachment_header(name: str) -> str:
    """A ``Content-Disposition`` that makes the browser save the file (never show it inline), with an ASCII
    fallback name and the real one in UTF-8 (RFC 6266)."""
    stem, dot, ext = name.rpartition(".")
    fallback = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_") else "_" for ch in (stem or ext)) or "file"
    fallback = f"{fallback[:60]}.{ext}" if dot and ext.isascii() and ext.isalnum() else fallback[:60]
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"
