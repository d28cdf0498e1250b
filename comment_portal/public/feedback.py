"""The published 公众意见采纳情况反馈: latest version, earlier versions, downloads.

Only stored snapshots are ever shown (``published_reports``): unpublished decisions never reach a
public page. The stored page carries its own inline CSS, so these responses (and only these)
allow inline styles; scripts stay forbidden.
"""

from __future__ import annotations

from typing import Any

from flask import Response, abort, render_template
from markupsafe import Markup

import exports

from .. import store
from ..db import get_db
from ..errors import render_error
from ..security import REPORT_CSP
from ..store.rows import Consultation
from ..web import Routes, public_consultation_or_404

routes = Routes()

NOT_PUBLISHED = "本次征求意见的采纳情况反馈尚未发布，请稍后再来查看。"


#: Added to the stored page when it is shown on the portal: no favicon request, a style for the nav.
HEAD_EXTRA = (
    '<link rel="icon" href="data:,">\n'
    "<style>\n.feedback-nav { max-width: 50rem; margin: 1rem auto 0; padding: 0 1rem; font-family: sans-serif; "
    "font-size: .95rem; }\n.feedback-nav p { text-indent: 0; margin: .2rem 0; }\n"
    "@media print { .feedback-nav { display: none; } }\n</style>\n"
)


def _insert(html: str, marker: str, extra: str, *, before: bool = False) -> str:
    at = html.find(marker)
    if at < 0:
        return html
    cut = at if before else at + len(marker)
    return html[:cut] + extra + html[cut:]


def _page(consultation: Consultation, row: dict[str, Any]) -> Response:
    """The stored page with a short navigation (versions, downloads) put in after <body>."""
    versions = store.published.versions(get_db(), consultation.id)
    nav = render_template(
        "_feedback_nav.html", consultation=consultation, shown=row, versions=versions, latest=versions[0]["version"],
        formats=[(fmt, exports.FORMAT_LABELS[fmt]) for fmt in exports.PUBLIC_FORMATS],
    )
    page = _insert(row["html"], "</head>", HEAD_EXTRA, before=True)
    page = _insert(page, "<body>\n", str(Markup(nav)))
    page = _insert(page, "</body>", render_template("_site_footer.html"), before=True)
    response = Response(page, content_type=exports.MEDIA_TYPES["html"])
    response.headers["Content-Security-Policy"] = REPORT_CSP
    return response


def _not_published():
    return render_error(404, NOT_PUBLISHED, "采纳情况反馈尚未发布")


@routes.get("/c/<slug>/feedback")
@routes.get("/c/<slug>/反馈", endpoint="feedback_cn")
def feedback(slug: str):
    consultation = public_consultation_or_404(slug)
    row = store.published.get(get_db(), consultation.id)
    if row is None:
        return _not_published()
    return _page(consultation, row)


@routes.get("/c/<slug>/feedback/v<int:version>")
def feedback_version(slug: str, version: int):
    consultation = public_consultation_or_404(slug)
    row = store.published.get(get_db(), consultation.id, version)
    if row is None:
        return _not_published() if store.published.latest_version(get_db(), consultation.id) == 0 else render_error(404)
    return _page(consultation, row)


@routes.get("/c/<slug>/feedback/v<int:version>.<fmt>")
def feedback_download(slug: str, version: int, fmt: str):
    if fmt not in exports.PUBLIC_FORMATS:
        abort(404)
    consultation = public_consultation_or_404(slug)
    row = store.published.get(get_db(), consultation.id, version)
    if row is None:
        return _not_published()
    report = store.published.snapshot(row)
    response = Response(store.published.render(get_db(), row, fmt), content_type=exports.MEDIA_TYPES[fmt])
    response.headers["Content-Disposition"] = exports.content_disposition(report, fmt)
    if fmt == "html":
        response.headers["Content-Security-Policy"] = REPORT_CSP
    return response
