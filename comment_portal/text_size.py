"""大字版 (large text): the reader's choice of type size, kept in a cookie and honoured by every public page.

The toggle is a plain link (``/text-size/large``) that sets the cookie and returns to the page,
so it works without JavaScript; ``static/portal.js`` does the same in place when scripts run (no reload,
the reader keeps their place in a long draft). The cookie holds nothing but the choice.
"""

from __future__ import annotations

from flask import request, url_for

COOKIE = "text_size"
LARGE = "large"
STANDARD = "standard"
#: The link's words: what choosing it gives.
LABELS = {LARGE: "大字版", STANDARD: "标准字号"}
MAX_AGE = 365 * 24 * 3600


def current() -> str:
    """The size this request asked for (``large`` or ``standard``)."""
    return LARGE if request.cookies.get(COOKIE) == LARGE else STANDARD


def toggle() -> dict[str, str]:
    """The link that switches to the other size: its URL, its words, the size it sets, and the words it takes
    once switched (for portal.js)."""
    now = current()
    other = STANDARD if now == LARGE else LARGE
    return {"url": url_for("public.text_size_switch", size=other), "label": LABELS[other],
            "size": other, "other_label": LABELS[now]}
