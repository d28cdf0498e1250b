"""Build the clause tree from clean body lines.

Nesting is by numbering style: a line whose style is already open closes back to that level and
becomes a sibling; a style not open yet becomes a child of the innermost open clause. The
``第…编/章/节/条`` family and decimal headings (1 / 1.1 / 1.2.1) nest by fixed rank instead.

Unnumbered lines: a heading-only clause or an article collects the paragraphs that follow as its
body until its first child; after that (or after an inline item) a paragraph becomes an
unnumbered ``paragraph`` clause of the innermost enclosing clause that has children or collects
text. Table rows and notes in parentheses (（责任单位：…）) stay in the body of the clause they
follow.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .cleanup import is_table_row
from .markers import Marker, match_annex, match_marker
from .model import Clause

_CJK_GAP = re.compile(r"(?<=[\u4e00-\u9fff])[ \t\u3000\u00a0]+(?=[\u4e00-\u9fff])")
_SENTENCE = re.compile(r"^(.+?)[。！？!?](.*)$", re.DOTALL)
_COLON_HEADING = re.compile(r"^([^，,。；;：:]{2,15})[：:](.+)$", re.DOTALL)
_ARTICLE_HEADING = re.compile(r"^(?:【([^】]{1,16})】|[（(]([\u4e00-\u9fff、和与及]{2,12})[）)])[ \u3000]*(.*)$", re.DOTALL)
_TABLE_NOTE = re.compile(r"^(?:续?表\s*[0-9０-９一二三四五六七八九十]+|单位\s*[:：]|注\s*[0-9０-９]*\s*[:：])")
_NOTE = re.compile(r"^[（(][^（()）]*(?:[（(][^（()）]*[）)][^（()）]*)*[）)]$")
DRAFT_TITLE_LINE = re.compile(r"^[（(](?:征求意见稿|草案|送审稿|讨论稿|试行)[）)]$")

MAX_HEADING = 40     # characters; a longer first sentence is body text, not a heading
MAX_TITLE = 60


def tidy_heading(text: str) -> str:
    """Headings lose the spaces typed between characters (``总　　则`` → ``总则``)."""
    return _CJK_GAP.sub("", text).strip()


def split_heading(rest: str) -> tuple[str, str, bool]:
    """(heading, body, heading_only) for the text after a marker."""
    rest = rest.strip()
    if not rest:
        return "", "", True
    m = _SENTENCE.match(rest)
    if m is None:
        if rest[-1] in "；;，,：:" or len(rest) > MAX_HEADING:
            return "", rest, False      # a list entry (…的；) or one long clause
        c = _COLON_HEADING.match(rest)
        if c:
            return tidy_heading(c.group(1)), c.group(2).strip(), False
        return tidy_heading(rest), "", True
    first, remainder = m.group(1).strip(), m.group(2).strip()
    c = _COLON_HEADING.match(first)
    if c:
        return tidy_heading(c.group(1)), rest[len(c.group(1)) + 1:].strip(), False
    if len(first) > MAX_HEADING or not remainder:
        return "", rest, False          # a single sentence is the item's text, not its heading
    return tidy_heading(first), remainder, False


@dataclass
class _Open:
    clause: Clause
    marker: Marker
    collects: bool                # takes following paragraphs as its body until it has children
    paragraphs: int = 0


@dataclass
class TreeResult:
    preamble: list[str] = field(default_factory=list)
    clauses: list[Clause] = field(default_factory=list)
    heading_only: set[str] = field(default_factory=set)   # keys of clauses opened by a heading line


class TreeBuilder:
    def __init__(self, decimal_headings: bool) -> None:
        self.decimal_headings = decimal_headings
        self.result = TreeResult()
        self.stack: list[_Open] = []          # innermost last; an annex, if open, is stack[0]
        self.used_keys: set[str] = set()
        self.top_paragraphs = 0
        self.annex_count = 0

    # -- keys ------------------------------------------------------------------------------
    def _unique(self, key: str) -> str:
        candidate, n = key, 1
        while candidate in self.used_keys:
            n += 1
            candidate = f"{key}-{n}"
        self.used_keys.add(candidate)
        return candidate

    def _key_for(self, parent: _Open | None, marker: Marker) -> str:
        if marker.family == "dec":   # decimal numbers are already full paths: key them as written
            outer = next((o for o in reversed(self.stack) if o.marker.family != "dec"), None)
            return f"{outer.clause.key}.{marker.segment}" if outer else marker.segment
        return f"{parent.clause.key}.{marker.segment}" if parent else marker.segment

    # -- structure -------------------------------------------------------------------------
    def _attach(self, parent: _Open | None, clause: Clause) -> None:
        if parent is None:
            self.result.clauses.append(clause)
        else:
            parent.clause.children.append(clause)

    def _parent_for(self, marker: Marker) -> _Open | None:
        """Close the open clauses this marker is a sibling of (or outranks); return its parent."""
        floor = 1 if self.stack and self.stack[0].clause.kind == "annex" else 0
        opened = range(floor, len(self.stack))
        if marker.family is not None:
            # the outermost open clause of the same family whose rank is not above this one
            close_from = next((i for i in opened if self.stack[i].marker.family == marker.family
                               and (self.stack[i].marker.rank or 0) >= (marker.rank or 0)), None)
        else:
            # the innermost open clause numbered in the same style
            close_from = next((i for i in reversed(opened) if self.stack[i].marker.style == marker.style), None)
        if close_from is not None:
            del self.stack[close_from:]
        return self.stack[-1] if self.stack else None

    def open_annex(self, marker: Marker, heading: str) -> None:
        self.stack.clear()
        self.annex_count += 1
        segment = marker.segment or str(self.annex_count)
        clause = Clause(key=self._unique(f"a{segment}"), label=marker.label, heading=tidy_heading(heading),
                        level=1, kind="annex")
        self.result.clauses.append(clause)
        self.stack.append(_Open(clause, marker, collects=True))

    def open_clause(self, marker: Marker) -> None:
        parent = self._parent_for(marker)
        if marker.kind in ("part", "chapter", "section"):
            heading, body, heading_only = tidy_heading(marker.rest), "", True
        elif marker.kind == "article":
            m = _ARTICLE_HEADING.match(marker.rest)
            heading = tidy_heading(m.group(1) or m.group(2)) if m else ""
            body, heading_only = (m.group(3) if m else marker.rest).strip(), False
        else:
            heading, body, heading_only = split_heading(marker.rest)
        clause = Clause(key=self._unique(self._key_for(parent, marker)), label=marker.label, heading=heading,
                        body=body, level=parent.clause.level + 1 if parent else 1, kind=marker.kind or "")
        self._attach(parent, clause)
        if heading_only:
            self.result.heading_only.add(clause.key)
        self.stack.append(_Open(clause, marker, collects=heading_only or marker.kind == "article"))

    def add_text(self, line: str) -> None:
        if not self.stack and not self.result.clauses:
            self.result.preamble.append(line)
            return
        if self.stack and (is_table_row(line) or _NOTE.match(line) or _TABLE_NOTE.match(line)):
            _append_body(self.stack[-1].clause, line)
            return
        for open_ in reversed(self.stack):
            if open_.collects and not open_.clause.children:
                _append_body(open_.clause, line)
                return
            if open_.collects or open_.clause.children:
                open_.paragraphs += 1
                self._add_paragraph(open_.clause, f"{open_.clause.key}.p{open_.paragraphs}", line)
                return
        self.top_paragraphs += 1
        self._add_paragraph(None, f"p{self.top_paragraphs}", line)

    def _add_paragraph(self, parent: Clause | None, key: str, line: str) -> None:
        clause = Clause(key=self._unique(key), label="", heading="", body=line,
                        level=parent.level + 1 if parent else 1, kind="paragraph")
        if parent is None:
            self.result.clauses.append(clause)
        else:
            parent.children.append(clause)


def _append_body(clause: Clause, line: str) -> None:
    clause.body = f"{clause.body}\n{line}" if clause.body else line


def _norm_title(text: str) -> str:
    return re.sub(r"[\s《》“”\"'：:，,。.、（）()]", "", text)


def _annex_titles(lines: list[str]) -> dict[int, str]:
    """For each annex line, the annex's name (on the line itself or the next title line)."""
    titles = {}
    for i, line in enumerate(lines):
        marker = match_annex(line)
        if marker is None:
            continue
        name = marker.rest
        if not name and i + 1 < len(lines) and is_title_line(lines[i + 1]):
            name = lines[i + 1]
        titles[i] = name
    return titles


def is_title_line(line: str) -> bool:
    return (len(line) <= MAX_TITLE and match_marker(line, decimal_headings=True) is None
            and not re.search(r"[。；;，,！？]$", line) and "。" not in line)


def drop_annex_listing(lines: list[str]) -> list[str]:
    """``附件：名称`` (and ``2.名称`` lines after it) that only list annexes printed later."""
    titles = _annex_titles(lines)
    drop: set[int] = set()
    for i, name in titles.items():
        later = {_norm_title(t) for j, t in titles.items() if j > i and t}
        if not later:
            continue
        first = re.sub(r"^[0-9０-９]{1,2}[.．、]\s*", "", name)
        if _norm_title(first) in later:
            drop.add(i)
            k = i + 1
            while k < len(lines):
                entry = re.sub(r"^[0-9０-９]{1,2}[.．、]\s*", "", lines[k])
                if entry == lines[k] or _norm_title(entry) not in later:
                    break
                drop.add(k)
                k += 1
    return [line for i, line in enumerate(lines) if i not in drop]


def _nested_marker(marker: Marker, decimal_headings: bool) -> Marker | None:
    if marker.family is not None or not marker.rest:
        return None
    inner = match_marker(marker.rest, decimal_headings)
    if inner is None or inner.family is not None or inner.style in (marker.style, "annex"):
        return None
    return inner


def build_tree(lines: list[str], decimal_headings: bool) -> TreeResult:
    lines = list(lines)
    builder = TreeBuilder(decimal_headings)
    i = 0
    while i < len(lines):
        line = lines[i]
        marker = None if is_table_row(line) else match_marker(line, decimal_headings)
        if marker is not None and marker.style == "annex":
            heading = marker.rest
            if not heading and i + 1 < len(lines) and is_title_line(lines[i + 1]):
                heading = lines[i + 1]
                i += 1
            builder.open_annex(marker, heading)
        elif marker is not None:
            inner = _nested_marker(marker, decimal_headings)
            if inner is not None:      # "(1)①实现…": open (1) and read ① as the next line
                builder.open_clause(Marker(marker.style, marker.label, marker.segment, "", marker.rank, marker.kind))
                lines[i] = marker.rest
                continue
            builder.open_clause(marker)
        else:
            builder.add_text(line)
        i += 1
    _assign_kinds(builder.result)
    return builder.result


def _assign_kinds(result: TreeResult) -> None:
    """Kinds for generic numbering: ``part`` at the top of the draft or an annex, ``section``
    for a heading-only clause or one with children, ``item`` for an inline leaf."""
    def visit(clause: Clause, parent: Clause | None) -> None:
        if not clause.kind:
            if parent is None or parent.kind == "annex":
                clause.kind = "part"
            elif clause.key in result.heading_only or clause.children:
                clause.kind = "section"
            else:
                clause.kind = "item"
        for child in clause.children:
            visit(child, clause)

    for clause in result.clauses:
        visit(clause, None)
