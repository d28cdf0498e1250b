"""Jinja filters for dates and times as Chinese readers expect them."""

from __future__ import annotations

import re
import sqlite3
from datetime import date, datetime
from typing import Any

from flask import Flask, g, has_request_context
from markupsafe import Markup, escape

from exports.wording import format_date, window_text

from .clock import parse_iso, to_local


def cn_date(value: date | str | None) -> str:
    """2024-09-25 → 2024年9月25日."""
    if not value:
        return ""
    return format_date(date.fromisoformat(value[:10]) if isinstance(value, str) else value)


def cn_window(opens: date | str | None, closes: date | str | None) -> str:
    """2024年9月25日至10月10日 (the year is not repeated within one year)."""
    if not opens or not closes:
        return ""
    return window_text(date.fromisoformat(opens) if isinstance(opens, str) else opens,
                       date.fromisoformat(closes) if isinstance(closes, str) else closes)


def cn_datetime(value: datetime | str | None) -> str:
    """A stored UTC timestamp shown in Beijing time: 2024年9月25日 14:03."""
    if not value:
        return ""
    moment = parse_iso(value) if isinstance(value, str) else value
    local = to_local(moment)
    return f"{cn_date(local.date())} {local:%H:%M}"


_PHONE = re.compile(r"(?<![\d-])(0\d{2,3}-?\d{7,8}|1[3-9]\d{9})(?![\d-])")


def tel_links(text: str | None) -> Markup:
    """Escape, then make the phone numbers in an office's contact line tappable (and unbroken)."""
    escaped = str(escape(text or ""))
    return Markup(_PHONE.sub(lambda m: f'<a class="tel" href="tel:{m.group(1).replace("-", "")}">{m.group(1)}</a>',
                             escaped))


def digits(text: str | None) -> str:
    """Only the digits (津公网安备 12010302001234号 → 12010302001234, for the record's query link)."""
    return "".join(ch for ch in text or "" if ch.isdigit())


def site_settings() -> Any:
    """The site settings the footer of every public page shows, read once per request. This is the one
    template global that reads the database: every page has the footer, and a page that cannot read them (the
    database is broken) still renders, with an empty footer."""
    from . import store
    from .db import get_db

    cached = g.get("site_settings") if has_request_context() else None
    if cached is None:
        try:
            cached = store.site_settings.get(get_db())
        except sqlite3.Error:
            cached = store.site_settings.SiteSettings()
        if has_request_context():
            g.site_settings = cached
    return cached


def init_app(app: Flask) -> None:
    from . import text_size
    from .citations import cite

    app.jinja_env.globals.update(cite=cite, site_settings=site_settings, text_size=text_size.current,
                                 text_size_toggle=text_size.toggle)
    app.jinja_env.filters.update(cn_date=cn_date, cn_window=cn_window, cn_datetime=cn_datetime, tel_links=tel_links,
                                 digits=digits)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
