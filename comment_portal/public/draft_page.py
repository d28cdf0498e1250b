"""The public draft page, rendered (and compressed) once per state rather than once per request.

The page carries no per-visitor data (no form, no token), so its HTML depends only on the stored
draft, its comment counts, the local date (for "days left") and the reader's text size (大字版). A cheap
query yields a marker of that state; the rendered page — as HTML, gzip and brotli bytes with its ETag
(``caching.encode``) — is reused until the marker changes. The cache is per worker process.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from flask import current_app

from ..caching import Encoded, encode
from ..clock import now
from ..store.rows import Clause

_lock = threading.Lock()


def cached_page(key: tuple[Any, ...], marker: tuple[Any, ...], render: Callable[[], str]) -> Encoded:
    """The page for ``key`` (slug, text size) in the state ``marker``: rendered and compressed only when
    the state changed. Its Last-Modified is when this worker first saw the state (never earlier than the
    change itself)."""
    cache: dict[tuple[Any, ...], tuple[tuple[Any, ...], Encoded]] = current_app.extensions.setdefault(
        "draft_page_cache", {})
    hit = cache.get(key)
    if hit is not None and hit[0] == marker:
        return hit[1]
    page = encode(render(), "text/html", now())
    with _lock:
        cache[key] = (marker, page)
    return page


def clause_tree(clauses: list[Clause]) -> list[dict[str, Any]]:
    """Clauses (in document order, with parent keys) → nested dicts for the page, with ``children``."""
    nodes: dict[str, dict[str, Any]] = {clause.key: asdict(clause) | {"children": []} for clause in clauses}
    roots: list[dict[str, Any]] = []
    for clause in clauses:
        parent = nodes.get(clause.parent_key) if clause.parent_key else None
        (parent["children"] if parent else roots).append(nodes[clause.key])
    return roots
