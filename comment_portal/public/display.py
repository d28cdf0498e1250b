"""How pages are shown to the reader: the 大字版 (large text) switch."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import abort, redirect, request, url_for

from .. import text_size
from ..web import Routes, safe_next

routes = Routes()


@routes.get("/text-size/<size>")
def text_size_switch(size: str):
    """Set (or clear) the large-text cookie and go back to the page the link was on.

    A GET, so that a plain link works everywhere without JavaScript or a form token; it changes nothing but
    how this browser shows pages. The page to go back to is the ``Referer`` (browsers send it for same-site
    links: ``Referrer-Policy: same-origin``), accepted only when it is this site; otherwise the home page.
    The link itself carries no address, so every page's HTML stays the same whoever asked for it."""
    if size not in text_size.LABELS:
        abort(404)
    back = url_for("public.index")
    referer = urlsplit(request.referrer or "")
    if referer.netloc == request.host:  # only its path is used: never a redirect off this site
        back = safe_next(referer.path + (f"?{referer.query}" if referer.query else ""), back, prefix="/")
    response = redirect(back, code=303)
    if size == text_size.LARGE:
        response.set_cookie(text_size.COOKIE, text_size.LARGE, max_age=text_size.MAX_AGE, samesite="Lax",
                            secure=request.is_secure, httponly=False)  # portal.js reads and sets it too
    else:
        response.delete_cookie(text_size.COOKIE, samesite="Lax", secure=request.is_secure)
    response.headers["Cache-Control"] = "no-store"
    return response
