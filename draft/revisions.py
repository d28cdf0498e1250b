"""Two versions of a draft side by side: which clause became which, and what changed in it.

Used for the 修改对照表 (征求意见稿 → 送审稿) and wherever a text is shown against a clause.

Keys and matching
    Comments are tied to clause keys, and re-importing a draft keeps a key wherever the
    numbering is unchanged (:func:`missing_keys` is the check ``--replace`` makes: keys that
    comments use and the new text no longer has). But inserting or deleting a clause renumbers
    the ones after it, so a key alone can tie a comment to a different clause. :func:`match`
    pairs clauses by their text instead: clauses whose text is unchanged are aligned in document
    order (a renumbered clause is found under its new key), then, within each stretch between
    them, a clause is paired with the one under the same key if their texts are alike, else with
    the most alike remaining one; what stays unpaired was removed or added.

Differences
    :func:`diff` compares two texts by character (a Latin word or number counts as one unit), so
    Chinese edits show as the words that changed; an unchanged stretch of one or two characters
    between two changes is folded into the change rather than shown as confetti, and a text
    rewritten throughout is shown as one deletion and one insertion.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from .model import Clause, Draft

ALIKE = 0.5          # bigram similarity from which two clauses are the same clause, edited
SAME_KEY_ALIKE = 0.3  # … when they also share a key
MIN_EQUAL_RUN = 3    # unchanged runs shorter than this between two changes are folded into them
REWRITE_BELOW = 0.3  # below this share of unchanged characters a text counts as rewritten


def missing_keys(draft: Draft, keys: Iterable[str | None]) -> set[str]:
    """The keys in ``keys`` (e.g. those comments are tied to) that ``draft`` does not have."""
    present = {c.key for c in draft.walk()}
    return {k for k in keys if k is not None and k not in present}


def clause_text(clause: Clause) -> str:
    """A clause's own text as the draft reads (children not included)."""
    return "\n".join(clause.written_lines())


def _content(clause: Clause) -> str:
    """What identifies a clause across versions: its heading and body, not its number."""
    return re.sub(r"\s+", "", f"{clause.heading}\n{clause.body}")


def _bigrams(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)} or {text}


def similarity(a: str, b: str) -> float:
    """Dice coefficient of character bigrams (0 … 1): cheap and robust for Chinese text."""
    if not a and not b:
        return 1.0
    x, y = _bigrams(a), _bigrams(b)
    return 2 * len(x & y) / (len(x) + len(y))


@dataclass(frozen=True)
class ClauseMatch:
    """One clause in both versions (``old`` and ``new``), or only in one (removed / added)."""

    old: Clause | None
    new: Clause | None

    @property
    def status(self) -> str:
        """``unchanged``, ``renumbered`` (same text, new label), ``changed``, ``added`` or ``removed``."""
        if self.old is None:
            return "added"
        if self.new is None:
            return "removed"
        if clause_text(self.old) == clause_text(self.new):
            return "unchanged"
        if _content(self.old) == _content(self.new) and self.old.heading == self.new.heading:
            return "renumbered" if self.old.label != self.new.label else "unchanged"
        return "changed"


def match(old: Draft, new: Draft) -> list[ClauseMatch]:
    """Every clause of both versions, paired; in the new version's order, a removed clause
    placed after the clause that preceded it in the old version."""
    a, b = list(old.walk()), list(new.walk())
    pairs: dict[int, int] = {}
    blocks = SequenceMatcher(None, [_content(c) for c in a], [_content(c) for c in b], autojunk=False)
    for tag, i1, i2, j1, j2 in blocks.get_opcodes():
        if tag == "equal":
            pairs.update(zip(range(i1, i2), range(j1, j2)))
        elif tag == "replace":
            pairs.update(_pair_window(a, b, range(i1, i2), range(j1, j2)))
    return _in_new_order(a, b, pairs)


def _pair_window(a: list[Clause], b: list[Clause], olds: range, news: range) -> dict[int, int]:
    texts_a = {i: _content(a[i]) for i in olds}
    texts_b = {j: _content(b[j]) for j in news}
    pairs: dict[int, int] = {}
    by_key = {b[j].key: j for j in news}
    for i in olds:
        j = by_key.get(a[i].key)
        if j is not None and j not in pairs.values() and similarity(texts_a[i], texts_b[j]) >= SAME_KEY_ALIKE:
            pairs[i] = j
    candidates = sorted(
        ((similarity(texts_a[i], texts_b[j]), i, j) for i in olds if i not in pairs for j in news
         if j not in pairs.values()),
        reverse=True,
    )
    taken = set(pairs.values())
    for score, i, j in candidates:
        if score < ALIKE:
            break
        if i not in pairs and j not in taken:
            pairs[i] = j
            taken.add(j)
    return pairs


def _in_new_order(a: list[Clause], b: list[Clause], pairs: dict[int, int]) -> list[ClauseMatch]:
    back = {j: i for i, j in pairs.items()}
    removed_after: dict[int, list[int]] = {}   # new index (-1: before everything) → removed old indexes
    last_new = -1
    for i in range(len(a)):
        if i in pairs:
            last_new = pairs[i]
        else:
            removed_after.setdefault(last_new, []).append(i)
    out = [ClauseMatch(a[i], None) for i in removed_after.get(-1, [])]
    for j, clause in enumerate(b):
        out.append(ClauseMatch(a[back[j]] if j in back else None, clause))
        out.extend(ClauseMatch(a[i], None) for i in removed_after.get(j, []))
    return out


def moved_keys(matches: Iterable[ClauseMatch]) -> dict[str, str]:
    """``{old key: new key}`` for every clause found under another key in the new version."""
    return {m.old.key: m.new.key for m in matches if m.old and m.new and m.old.key != m.new.key}


# -- character differences ---------------------------------------------------------------------

@dataclass(frozen=True)
class Change:
    """A stretch of text: ``equal`` (in both), ``delete`` (only before), ``insert`` (only after),
    or ``replace`` (``old`` became ``new``)."""

    op: str
    old: str = ""
    new: str = ""


_UNIT = re.compile(r"[0-9A-Za-z]+(?:[.%][0-9A-Za-z]+)*|\s+|.", re.DOTALL)


def _units(text: str) -> list[str]:
    return _UNIT.findall(text)


def diff(before: str, after: str) -> list[Change]:
    """The changes that turn ``before`` into ``after`` (see the module docstring)."""
    if before == after:
        return [Change("equal", before, after)] if before else []
    x, y = _units(before), _units(after)
    matcher = SequenceMatcher(None, x, y, autojunk=False)
    kept = sum(len("".join(x[i:i + n])) for i, _, n in matcher.get_matching_blocks())
    if kept < REWRITE_BELOW * max(len(before), len(after)):
        return [c for c in (Change("delete", old=before), Change("insert", new=after)) if c.old or c.new]
    raw = [Change(tag, "".join(x[i1:i2]), "".join(y[j1:j2])) for tag, i1, i2, j1, j2 in matcher.get_opcodes()]
    return _fold(raw)


def _fold(changes: list[Change]) -> list[Change]:
    """Fold short unchanged runs between two changes into them; merge neighbouring changes."""
    out: list[Change] = []
    for k, change in enumerate(changes):
        between = 0 < k < len(changes) - 1
        if change.op == "equal" and between and len(change.old.strip()) < MIN_EQUAL_RUN:
            change = Change("replace", change.old, change.new)
        if out and change.op != "equal" and out[-1].op != "equal":
            prev = out.pop()
            change = Change("replace", prev.old + change.old, prev.new + change.new)
        out.append(change)
    return [Change("delete", c.old) if c.op == "replace" and not c.new
            else Change("insert", new=c.new) if c.op == "replace" and not c.old else c for c in out]


# -- the 修改对照表 --------------------------------------------------------------------------------

@dataclass
class RevisionRow:
    """One row of the 修改对照表."""

    clause: str                     # how the row cites the clause (new version's, or the old one's if removed)
    status: str                     # changed / added / removed (/ unchanged, renumbered when asked for)
    before: str                     # 征求意见稿原文 ("" when added)
    after: str                      # 修改后 ("" when removed)
    changes: list[Change] = field(default_factory=list)
    basis: list[int | str] = field(default_factory=list)   # opinion numbers, or a note such as 文字修改
    old_key: str | None = None
    new_key: str | None = None


@dataclass
class RevisionTable:
    """The 修改对照表 as a value; rendered by ``exports.COMPARISON_FORMATS``."""

    title: str
    old_title: str
    new_title: str
    rows: list[RevisionRow] = field(default_factory=list)
    old_label: str = "征求意见稿原文"
    new_label: str = "修改后"


def _cite(clause: Clause, cite: Mapping[str, str] | None) -> str:
    return (cite or {}).get(clause.key) or clause.title or clause.label or "（未编号段落）"


def revision_table(
    old: Draft,
    new: Draft,
    basis: Mapping[str, Sequence[int | str]] | None = None,
    *,
    cite_old: Mapping[str, str] | None = None,
    cite_new: Mapping[str, str] | None = None,
    include_unchanged: bool = False,
) -> RevisionTable:
    """The 修改对照表 from the 征求意见稿 (``old``) to the revised draft (``new``).

    ``basis`` maps a clause key to what the change rests on: opinion numbers as published in the
    feedback report (ints) or a short note (str). The key is the one the clause had in the
    draft commented on; a clause added in the new version is looked up under its new key.
    ``cite_old`` / ``cite_new`` give how to cite a key (e.g. ``exports.clause_refs``' citations);
    otherwise a clause is cited by its label and heading. Rows list changed, added and removed
    clauses (with ``include_unchanged``, every clause), in the new version's order.
    """
    basis = basis or {}
    rows = []
    for m in match(old, new):
        status = m.status
        if status in ("unchanged", "renumbered") and not include_unchanged:
            continue
        before = clause_text(m.old) if m.old else ""
        after = clause_text(m.new) if m.new else ""
        shown = m.new or m.old
        assert shown is not None  # a match pairs two clauses or has one side
        key = m.old.key if m.old else shown.key
        rows.append(RevisionRow(
            clause=_cite(m.new, cite_new) if m.new else _cite(shown, cite_old),
            status=status, before=before, after=after, changes=diff(before, after),
            basis=list(basis.get(key, ())), old_key=m.old.key if m.old else None,
            new_key=m.new.key if m.new else None,
        ))
    title = new.title or old.title
    plain = re.sub(r"[（(](?:征求意见稿|送审稿|草案|修订稿|讨论稿)[）)]$", "", title)
    return RevisionTable(title=f"《{plain}》修改对照表", old_title=old.title, new_title=new.title, rows=rows)
