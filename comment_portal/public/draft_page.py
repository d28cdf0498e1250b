"""The public draft page, rendered once per state rather than once per request.

The page carries no per-visitor data (no form, no token), so its HTML depends only on the stored
draft, its comment counts and the local date (for "days left"). A cheap query yields a marker of
that state; the rendered page is reused until the marker changes. The cache is per worker process.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from flask import current_app

from ..store.rows import Clause

_lock = threading.Lock()


def cached_page(slug: str, marker: tuple[Any, ...], render: Callable[[], str]) -> str:
    cache: dict[str, tuple[tuple[Any, ...], str]] = current_app.extensions.setdefault("draft_page_cache", {})
    hit = cache.get(slug)
    if hit is not None and hit[0] == marker:
        return hit[1]
    html = render()
    with _lock:
        cache[slug] = (marker, html)
    return html


def clause_tree(clauses: list[Clause]) -> list[dict[str, Any]]:
    """Clauses (in document order, with parent keys) → nested dicts for the page, with ``children``."""
    nodes: dict[str, dict[str, Any]] = {clause.key: asdict(clause) | {"children": []} for clause in clauses}
    roots: list[dict[str, Any]] = []
    for clause in clauses:
        parent = nodes.get(clause.parent_key) if clause.parent_key else None
        (parent["children"] if parent else roots).append(nodes[clause.key])
    return roots
