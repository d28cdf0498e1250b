"""The 修改对照表 (征求意见稿 → revised draft) as an HTML fragment, a Word document, Markdown, and
JSON values (``table_data`` / ``load_table``, for the published snapshot of the feedback report, which
carries the table it was published with: see ``Report.revisions``).

Duck-typed on ``draft.revisions.RevisionTable`` (``title``, ``rows`` with ``clause``,
``status``, ``before``, ``after``, ``changes`` of ``op``/``old``/``new``, and ``basis``), so
``exports`` does not import ``draft``. Deleted words are struck through, added words underlined
(``<del>``/``<ins>`` in HTML, which screen readers announce), and a legend says so.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Cm

from .word import TABLE_TEXT_STYLE, add_table, body_paragraph, setup_document, xml_safe

HEAD = ("条款", "征求意见稿原文", "修改后", "修改依据")
LEGEND = "删除的文字加删除线，新增的文字加下划线。"
MARKDOWN_LEGEND = "删除的文字加删除线，新增的文字加粗。"
ADDED = "（新增）"
REMOVED = "（删除）"
EMPTY = "修改后的草案与征求意见稿相比没有条款改动。"

CSS = """
.revision-table { border-collapse: collapse; width: 100%; font-size: .9rem; }
.revision-table th, .revision-table td { border: 1px solid #777; padding: .3rem .4rem; vertical-align: top;
  text-align: left; white-space: pre-line; overflow-wrap: anywhere; }
.revision-table th { background: #e8edf3; }
.revision-table del { color: #8b1a1a; text-decoration: line-through; }
.revision-table ins { color: #14532d; text-decoration: underline; font-weight: bold; }
.revision-legend { font-size: .9rem; color: #333; }
"""
"""Styles for the fragment; the page that embeds it may use its own instead."""


def basis_text(basis: list[Any]) -> str:
    """``[3, 7, "文字修改"]`` → ``意见3、意见7；文字修改`` (opinions by the numbers the feedback report
    prints for them)."""
    numbers = [f"意见{b}" for b in basis if isinstance(b, int)]
    notes = [str(b) for b in basis if not isinstance(b, int) and str(b).strip()]
    parts = (["、".join(numbers)] if numbers else []) + notes
    return "；".join(parts)


# -- as data (the published JSON snapshot) -----------------------------------------------------

@dataclass(frozen=True)
class Piece:
    """A stretch of a row's text as stored: ``op`` equal / delete / insert / replace."""

    op: str
    old: str = ""
    new: str = ""


@dataclass(frozen=True)
class Row:
    """A row of a stored 修改对照表 (the attributes of ``draft.revisions.RevisionRow`` renderers read)."""

    clause: str
    status: str
    before: str
    after: str
    changes: tuple[Piece, ...] = ()
    basis: tuple[int | str, ...] = ()


@dataclass(frozen=True)
class Table:
    """A stored 修改对照表, rebuilt by :func:`load_table`."""

    title: str
    rows: tuple[Row, ...] = ()
    old_title: str = ""
    new_title: str = ""


def table_data(table: Any) -> dict[str, Any]:
    """A 修改对照表 as JSON values (what the renderers read, nothing else)."""
    return {
        "title": table.title,
        "old_title": getattr(table, "old_title", ""),
        "new_title": getattr(table, "new_title", ""),
        "rows": [
            {
                "clause": row.clause,
                "status": row.status,
                "before": row.before,
                "after": row.after,
                "changes": [{"op": c.op, "old": c.old, "new": c.new} for c in row.changes],
                "basis": list(row.basis),
            }
            for row in table.rows
        ],
    }


def load_table(data: dict[str, Any]) -> Table:
    """The inverse of :func:`table_data`."""
    return Table(
        title=data["title"],
        old_title=data.get("old_title", ""),
        new_title=data.get("new_title", ""),
        rows=tuple(
            Row(clause=r["clause"], status=r["status"], before=r["before"], after=r["after"],
                changes=tuple(Piece(c["op"], c.get("old", ""), c.get("new", "")) for c in r["changes"]),
                basis=tuple(r["basis"]))
            for r in data["rows"]
        ),
    )


def _sides(row: Any) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(before, after) as lists of (text, mark) with mark ``""``, ``del`` or ``ins``."""
    if row.status == "added":
        return [(ADDED, "")], [(row.after, "ins")]
    if row.status == "removed":
        return [(row.before, "del")], [(REMOVED, "")]
    before: list[tuple[str, str]] = []
    after: list[tuple[str, str]] = []
    for change in row.changes:
        if change.op == "equal":
            before.append((change.old, ""))
            after.append((change.new, ""))
            continue
        if change.old:
            before.append((change.old, "del"))
        if change.new:
            after.append((change.new, "ins"))
    return before, after


# -- HTML -------------------------------------------------------------------------------------

def _html_cell(parts: list[tuple[str, str]]) -> str:
    out = []
    for text, mark in parts:
        text = escape(text)
        out.append(f"<{mark}>{text}</{mark}>" if mark else text)
    return "".join(out)


def html_section(table: Any, *, heading_id: str = "revisions") -> str:
    """The fragment as text: a ``<section>`` labelled by its heading (the table's title)."""
    out = [f'<section class="revisions" aria-labelledby="{escape(heading_id)}">',
           f'<h2 id="{escape(heading_id)}">{escape(table.title)}</h2>']
    if not table.rows:
        out.append(f"<p>{EMPTY}</p></section>")
        return "\n".join(out)
    out.append(f'<p class="revision-legend">{LEGEND}</p>')
    out.append('<table class="revision-table">')
    out.append("<thead><tr>" + "".join(f'<th scope="col">{h}</th>' for h in HEAD) + "</tr></thead><tbody>")
    for row in table.rows:
        before, after = _sides(row)
        out.append(f'<tr class="{escape(row.status)}"><th scope="row">{escape(row.clause)}</th>'
                   f"<td>{_html_cell(before)}</td><td>{_html_cell(after)}</td>"
                   f"<td>{escape(basis_text(list(row.basis)))}</td></tr>")
    out.append("</tbody></table></section>")
    return "\n".join(out)


def render_html(table: Any) -> bytes:
    """An HTML fragment (a ``<section>`` with the table), for the feedback page; UTF-8."""
    return html_section(table).encode("utf-8")


# -- Markdown ---------------------------------------------------------------------------------

def markdown_lines(table: Any, escape_text: Callable[[str], str]) -> list[str]:
    """The table in Markdown (deleted words as ~~…~~, added words as **…**), with ``escape_text``
    escaping what people wrote (the report's Markdown escaper)."""
    def cell(parts: list[tuple[str, str]]) -> str:
        marks = {"": "{}", "del": "~~{}~~", "ins": "**{}**"}
        return "".join(marks[mark].format(escape_text(" ".join(text.split()))) for text, mark in parts
                       if text.strip())

    out = [f"## {escape_text(table.title)}", ""]
    if not table.rows:
        return out + [EMPTY, ""]
    out += [MARKDOWN_LEGEND, ""]
    out.append("| " + " | ".join(HEAD) + " |")
    out.append("|" + "|".join("---" for _ in HEAD) + "|")
    for row in table.rows:
        before, after = _sides(row)
        out.append(f"| {escape_text(row.clause)} | {cell(before)} | {cell(after)} | "
                   f"{escape_text(basis_text(list(row.basis)))} |")
    return out + [""]


# -- DOCX -------------------------------------------------------------------------------------

_MARK_XML = {"": "", "del": "<w:strike/>", "ins": "<w:b/><w:u w:val=\"single\"/>"}


def _cell_xml(parts: list[tuple[str, str]], width: int, style_id: str) -> str:
    paragraphs: list[list[str]] = [[]]
    for text, mark in parts:
        for k, piece in enumerate(xml_safe(text).split("\n")):
            if k:
                paragraphs.append([])
            if piece:
                rpr = f"<w:rPr>{_MARK_XML[mark]}</w:rPr>" if mark else ""
                paragraphs[-1].append(f'<w:r>{rpr}<w:t xml:space="preserve">{xml_escape(piece)}</w:t></w:r>')
    body = "".join(f'<w:p><w:pPr><w:pStyle w:val="{style_id}"/></w:pPr>{"".join(runs)}</w:p>' for runs in paragraphs)
    return f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>{body}</w:tc>'


def _landscape(section: Any) -> None:
    """Two columns of clause text side by side need the width of a landscape page."""
    if section.orientation != WD_ORIENT.LANDSCAPE:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width


def build_document(table: Any) -> Any:
    document = Document()
    setup_document(document, title=table.title, subject="修改对照表")
    _landscape(document.sections[0])
    document.add_heading(xml_safe(table.title), level=0)
    add_table_to(document, table)
    return document


def append_section(document: Any, table: Any) -> None:
    """The table, under its title, on landscape pages of its own at the end of another document (the
    feedback report)."""
    _landscape(document.add_section(WD_SECTION.NEW_PAGE))
    document.add_heading(xml_safe(table.title), level=1)
    add_table_to(document, table)


def add_table_to(document: Any, table: Any) -> None:
    if not table.rows:
        body_paragraph(document, EMPTY)
        return
    body_paragraph(document, LEGEND, indent=False)
    widths = [2.8, 9.3, 9.3, 2.9]   # 24.3 cm between the margins
    grid = add_table(document, list(HEAD), [], widths)
    text_id = document.styles[TABLE_TEXT_STYLE].style_id
    twips = [int(Cm(w).twips) for w in widths]
    rows = []
    for row in table.rows:
        before, after = _sides(row)
        cells = [[(row.clause, "")], before, after, [(basis_text(list(row.basis)), "")]]
        rows.append("<w:tr>" + "".join(_cell_xml(c, w, text_id) for c, w in zip(cells, twips)) + "</w:tr>")
    for tr in parse_xml(f"<w:tbl {nsdecls('w')}>{''.join(rows)}</w:tbl>"):
        grid._tbl.append(tr)


def render_docx(table: Any) -> bytes:
    buffer = io.BytesIO()
    build_document(table).save(buffer)
    return buffer.getvalue()
