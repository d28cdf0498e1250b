"""Clause references for a whole draft, with citations that tell same-labelled clauses apart.

Duck-typed on ``key``, ``label``, ``heading``, ``kind`` and ``children`` (``draft.Clause``), so
``exports`` does not import ``draft``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from .report import ClauseRef

_TRAILING = "、.．,，:： "


def _bare(label: str) -> str:
    return label.strip().rstrip(_TRAILING)


def clause_refs(roots: Iterable[Any]) -> dict[str, ClauseRef]:
    """``{key: ClauseRef}`` for every clause under ``roots`` (``draft.clauses``), in document order.

    A clause whose label is unique in the draft is cited by its label (``12.``). Otherwise the
    nearest ancestors' labels are prefixed until the citation is unique (``四(三)``), and clauses in
    an annex always carry the annex label (``附件三(一)``).
    """
    paths: list[tuple[Any, tuple[str, ...], str, str | None]] = []

    def walk(clause: Any, ancestors: tuple[str, ...], annex: str, parent: str | None) -> None:
        path = (*ancestors, clause.label or "")
        paths.append((clause, path, annex, parent))
        is_annex = getattr(clause, "kind", "") == "annex"
        for child in getattr(clause, "children", []):
            walk(child, () if is_annex else path, annex or (_bare(clause.label) if is_annex else ""), clause.key)

    for root in roots:
        walk(root, (), "", None)
    suffixes = Counter(path[-k:] for _, path, _, _ in paths for k in range(1, len(path) + 1))
    refs: dict[str, ClauseRef] = {}
    for clause, path, annex, parent in paths:
        label = clause.label or ""
        if not label:  # an unnumbered paragraph: cite it by the part it belongs to
            where = refs[parent].title if parent in refs else ""
            refs[clause.key] = ClauseRef(clause.key, "", clause.heading or "", f"{where}（未编号段落）")
            continue
        k = next(k for k in range(1, len(path) + 1) if suffixes[path[-k:]] == 1 or k == len(path))
        citation = "".join(_bare(part) for part in path[-k:-1]) + label if k > 1 else ""
        if annex:
            citation = annex + (citation or label)
        refs[clause.key] = ClauseRef(clause.key, label, clause.heading or "", citation)
    return refs
