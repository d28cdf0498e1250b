"""Staff's corrections to a parsed draft, as operations that can be replayed.

The parser gets most drafts right; where it does not, staff fix the clause tree in the preview before the
consultation opens. Each fix is a :class:`Fix` value (JSON-safe): the portal stores the list keyed to the
source file's SHA-256 and replays it when the same file is imported again, so a correction is made once.

Operations (each keeps the draft's text in document order; nothing is lost):

``merge``    the clause is not a clause of its own: its text (number, heading, body) joins the clause just
             before it in document order (the preamble for the very first clause); its children take its place.
``split``    a clause's body holds a second clause: the body from paragraph ``paragraph`` (1 = the first) on
             becomes a new clause right after it, with ``label`` and ``heading`` (read from the paragraph when both
             are empty: ``十三、…`` gives 十三、; a paragraph without a number becomes an unnumbered paragraph). The
             clause's children follow that text, so they move to the new clause.
``relabel``  the number (``label``) or heading is wrong: both are set as given.
``outdent``  the clause belongs to the clause above its parent: it moves up one level, right after its parent.
             Only a parent's last child can move, so that the text stays in order.

Keys of untouched clauses never change. A new clause, a relabelled one and a moved one get a key from their
number and their parent as the parser would give it (``3.3.13``, ``a1.p2``), made unique, and their
descendants follow. Each fix records the clause it was made on (``expect``); replayed on a clause whose text
differs (the parser changed), it is skipped and reported rather than applied to the wrong clause.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from typing import Any

from .errors import DraftError
from .markers import match_annex, match_marker
from .model import Clause, Draft
from .tree import split_heading, tidy_heading

MERGE, SPLIT, RELABEL, OUTDENT = "merge", "split", "relabel", "outdent"
OPERATIONS = {MERGE: "与上一条合并", SPLIT: "拆分为新条款", RELABEL: "修改编号和标题", OUTDENT: "移到上一级"}


class FixError(DraftError):
    """A fix that cannot be made on this draft (the message says why, in Chinese)."""


@dataclass(frozen=True)
class Fix:
    op: str
    key: str
    label: str = ""
    heading: str = ""
    paragraph: int = 0
    was: str = ""      # the clause as cited when the fix was made (for people)
    expect: str = ""   # a fingerprint of that clause (for replaying)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Fix:
        return cls(op=str(d["op"]), key=str(d["key"]), label=str(d.get("label", "")),
                   heading=str(d.get("heading", "")), paragraph=int(d.get("paragraph", 0) or 0),
                   was=str(d.get("was", "")), expect=str(d.get("expect", "")))

    def describe(self) -> str:
        """What the fix did, in Chinese (for the preview and the audit log)."""
        who = f"“{self.was}”" if self.was else f"条款 {self.key}"
        if self.op == MERGE:
            return f"{who}并入上一条"
        if self.op == SPLIT:
            new = f"{self.label}{self.heading}" or "无编号段落"
            return f"{who}从第{self.paragraph}段起拆分为新条款“{new}”"
        if self.op == RELABEL:
            return f"{who}的编号和标题改为“{self.label}{self.heading}”"
        if self.op == OUTDENT:
            return f"{who}移到上一级"
        return f"{who}：{self.op}"


def describe_clause(clause: Clause) -> str:
    """How a clause is cited in messages: its number and heading, else its number and the start of its text."""
    if clause.heading:
        return clause.title
    return clause.label + clause.body[:16] + ("…" if len(clause.body) > 16 else "")


def fingerprint(clause: Clause) -> str:
    return f"{clause.label}|{clause.heading}|{clause.body[:40]}"


def make_fix(draft: Draft, op: str, key: str, *, label: str = "", heading: str = "", paragraph: int = 0) -> Fix:
    """A fix on ``draft`` as it stands, recording the clause it is made on."""
    clause = draft.find(key)
    if clause is None:
        raise FixError(f"没有编号为 {key} 的条款。")
    return Fix(op=op, key=key, label=label.strip(), heading=heading.strip(), paragraph=paragraph,
               was=describe_clause(clause), expect=fingerprint(clause))


# -- the tree --------------------------------------------------------------------------------------------
def _locate(draft: Draft, key: str) -> tuple[list[Clause], int, list[Clause]]:
    """(the list holding the clause, its index there, its ancestors outermost first)."""
    def search(siblings: list[Clause], ancestors: list[Clause]) -> tuple[list[Clause], int, list[Clause]] | None:
        for i, clause in enumerate(siblings):
            if clause.key == key:
                return siblings, i, ancestors
            found = search(clause.children, [*ancestors, clause])
            if found:
                return found
        return None

    found = search(draft.clauses, [])
    if found is None:
        raise FixError(f"没有编号为 {key} 的条款。")
    return found


def _last_descendant(clause: Clause) -> Clause:
    while clause.children:
        clause = clause.children[-1]
    return clause


def _append_lines(text: str, lines: Iterable[str]) -> str:
    return "\n".join([*([text] if text else []), *(line for line in lines if line)])


def _segment(label: str, top_level: bool) -> tuple[str, str | None]:
    """(key segment, the marker's fixed kind) for a clause numbered ``label``; ('', None) when unnumbered."""
    if not label:
        return "", None
    annex = match_annex(label)
    if annex is not None and top_level:
        return "a" + (annex.segment or "1"), "annex"
    marker = match_marker(f"{label}文", decimal_headings=True)
    if marker is None or not marker.segment:
        return "", None
    return marker.segment, marker.kind


def _key_for(draft: Draft, ancestors: list[Clause], clause: Clause, exclude: set[str]) -> str:
    """A key for ``clause`` under ``ancestors`` as the parser would build it, unique in ``draft``."""
    used = {c.key for c in draft.walk()} - exclude
    parent = ancestors[-1] if ancestors else None
    segment, _ = _segment(clause.label, parent is None)
    if not segment:
        siblings = parent.children if parent else draft.clauses
        before = siblings[:next((i for i, c in enumerate(siblings) if c is clause), len(siblings))]
        segment = f"p{sum(1 for c in before if c.kind == 'paragraph') + 1}"
    key = f"{parent.key}.{segment}" if parent and not segment.startswith("a") else segment
    candidate, n = key, 1
    while candidate in used:
        n += 1
        candidate = f"{key}-{n}"
    return candidate


def _rekey(draft: Draft, ancestors: list[Clause], clause: Clause) -> None:
    """Give ``clause`` a key for its place and number; its descendants follow (``3.3.p1`` → ``4.p1``)."""
    subtree = {c.key for c in clause.walk()}
    old = clause.key
    new = _key_for(draft, ancestors, clause, subtree)
    if new == old:
        return
    for c in clause.walk():
        c.key = new + c.key[len(old):] if c.key.startswith(old + ".") or c.key == old else c.key


def _settle(draft: Draft) -> None:
    """Levels follow depth; a numbered clause with children is a section (as the parser would say)."""
    def visit(clause: Clause, level: int) -> None:
        clause.level = level
        if clause.children and clause.kind in ("item", "paragraph"):
            clause.kind = "section"
        for child in clause.children:
            visit(child, level + 1)

    for top in draft.clauses:
        visit(top, 1)


def _kind(label: str, fixed: str | None, like: Clause, top_level: bool) -> str:
    if fixed:
        return fixed
    if not label:
        return "paragraph"
    if top_level:
        return "part"
    return like.kind if like.kind not in ("paragraph", "annex") else "item"


# -- the operations ----------------------------------------------------------------------------------------
def _merge(draft: Draft, fix: Fix) -> None:
    siblings, i, ancestors = _locate(draft, fix.key)
    clause = siblings[i]
    lines = clause.written_lines()
    if i > 0:
        target = _last_descendant(siblings[i - 1])
        target.body = _append_lines(target.body, lines)
    elif ancestors:
        ancestors[-1].body = _append_lines(ancestors[-1].body, lines)
    else:
        draft.preamble = _append_lines(draft.preamble, lines)
    siblings[i:i + 1] = clause.children


def _split_label(first: str, label: str, heading: str) -> tuple[str, str, str, str | None]:
    """(label, heading, the first paragraph's remaining text, fixed kind) for a new clause opening with
    paragraph ``first``."""
    if not label and not heading:
        marker = match_marker(first, decimal_headings=True)
        if marker is None:
            return "", "", first, None
        if marker.kind in ("part", "chapter", "section") or marker.style == "annex":
            return marker.label, tidy_heading(marker.rest), "", marker.kind
        if marker.kind == "article":
            return marker.label, "", marker.rest.strip(), marker.kind
        head, body, _ = split_heading(marker.rest)
        return marker.label, head, body, None
    rest = first
    if label and rest.startswith(label):
        rest = rest[len(label):].lstrip(" \u3000")
    if heading and rest.startswith(heading):
        rest = rest[len(heading):].lstrip("。：:．. \u3000")
    return label, heading, rest, _segment(label, False)[1]


def _split(draft: Draft, fix: Fix) -> None:
    siblings, i, ancestors = _locate(draft, fix.key)
    clause = siblings[i]
    paragraphs = clause.body.split("\n") if clause.body else []
    if not 1 <= fix.paragraph <= len(paragraphs):
        raise FixError(f"“{describe_clause(clause)}”的正文没有第{fix.paragraph}段（共{len(paragraphs)}段）。")
    keep = paragraphs[:fix.paragraph - 1]
    if not keep and not clause.label and not clause.heading:
        raise FixError(f"“{describe_clause(clause)}”从第1段拆分后就没有内容了：请改用“修改编号和标题”。")
    label, heading, rest, fixed = _split_label(paragraphs[fix.paragraph - 1], fix.label, fix.heading)
    parent = ancestors[-1] if ancestors else None
    new = Clause(key="", label=label, heading=heading,
                 body=_append_lines("", [rest, *paragraphs[fix.paragraph:]]), level=clause.level,
                 kind=_kind(label, fixed, clause, parent is None), children=clause.children)
    clause.body = "\n".join(keep)
    clause.children = []
    siblings.insert(i + 1, new)
    new.key = _key_for(draft, ancestors, new, set())
    for child in new.children:   # the children now hang under the new clause: their keys follow it
        _rekey(draft, [*ancestors, new], child)


def _relabel(draft: Draft, fix: Fix) -> None:
    siblings, i, ancestors = _locate(draft, fix.key)
    clause = siblings[i]
    if not fix.label and not fix.heading and not clause.body:
        raise FixError(f"“{describe_clause(clause)}”没有正文，编号和标题不能都为空。")
    clause.label, clause.heading = fix.label, fix.heading
    _, fixed = _segment(fix.label, not ancestors)
    if fixed:
        clause.kind = fixed
    elif not fix.label and not clause.children:
        clause.kind = "paragraph"
    elif fix.label and clause.kind == "paragraph":
        clause.kind = _kind(fix.label, None, clause, not ancestors)
    _rekey(draft, ancestors, clause)


def _outdent(draft: Draft, fix: Fix) -> None:
    siblings, i, ancestors = _locate(draft, fix.key)
    clause = siblings[i]
    if not ancestors:
        raise FixError(f"“{describe_clause(clause)}”已经在最上一级。")
    parent = ancestors[-1]
    if i != len(siblings) - 1:
        raise FixError(f"只有上一级条款中的最后一项可以移到上一级（否则会打乱原文顺序）：“{describe_clause(clause)}”"
                       "后面还有同级条款。")
    grand = ancestors[:-1]
    outer = grand[-1].children if grand else draft.clauses
    del siblings[i]
    outer.insert(outer.index(parent) + 1, clause)
    if not grand and clause.kind not in ("paragraph", "annex"):
        clause.kind = "part"
    _rekey(draft, grand, clause)


_OPERATIONS = {MERGE: _merge, SPLIT: _split, RELABEL: _relabel, OUTDENT: _outdent}


def apply_fix(draft: Draft, fix: Fix) -> Draft:
    """``draft`` with ``fix`` made (a new value; ``draft`` is not changed). Raises :class:`FixError`."""
    operation = _OPERATIONS.get(fix.op)
    if operation is None:
        raise FixError(f"未知的修正操作：{fix.op}")
    result = Draft.from_dict(draft.to_dict())
    clause = result.find(fix.key)
    if clause is None:
        raise FixError(f"没有编号为 {fix.key} 的条款。")
    if fix.expect and fingerprint(clause) != fix.expect:
        raise FixError(f"条款 {fix.key} 的内容与修正时不同（现为“{describe_clause(clause)}”）。")
    operation(result, fix)
    _settle(result)
    return result


@dataclass
class Replayed:
    """The draft after replaying fixes, the fixes made, and those skipped with the reason."""

    draft: Draft
    applied: list[Fix]
    skipped: list[tuple[Fix, str]]


def relocated(draft: Draft, fix: Fix) -> Fix:
    """``fix`` aimed at the clause it was made on when that clause has moved to another key (a later version of
    the text inserted or removed clauses before it): the one clause with the recorded fingerprint. Unchanged when
    the clause at its key still fits, or when no single clause does."""
    if not fix.expect:
        return fix
    clause = draft.find(fix.key)
    if clause is not None and fingerprint(clause) == fix.expect:
        return fix
    found = [c for c in draft.walk() if fingerprint(c) == fix.expect]
    return replace(fix, key=found[0].key) if len(found) == 1 else fix


def apply_fixes(draft: Draft, fixes: Iterable[Fix], *, relocate: bool = False) -> Replayed:
    """Replay ``fixes`` in order; a fix that no longer fits is skipped (and reported), the rest are made.

    ``relocate``: the draft is another version of the text the fixes were made on (the revised draft), so a fix
    follows its clause to a new key (:func:`relocated`)."""
    applied: list[Fix] = []
    skipped: list[tuple[Fix, str]] = []
    for fix in fixes:
        try:
            draft = apply_fix(draft, relocated(draft, fix) if relocate else fix)
        except FixError as exc:
            skipped.append((fix, str(exc)))
        else:
            applied.append(fix)
    return Replayed(draft, applied, skipped)
