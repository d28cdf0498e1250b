"""Response headers that hold for every page."""

from __future__ import annotations

from flask import Flask, Response, request

#: No inline script anywhere; styles come from /static. Pages that embed a published report
#: (which carries its own inline CSS) widen style-src for that response only.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; object-src 'none'"
)
#: For the published report (and its staff preview) only: the stored page carries its own inline CSS.
#: Scripts stay forbidden.
REPORT_CSP = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")


def init_app(app: Flask) -> None:
    @app.after_request
    def _headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if request.is_secure:
            response.headers["Strict-Transport-Security"] = "max-age=31536000"
        return response
