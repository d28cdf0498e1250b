"""A draft (征求意见稿) as a Word document, for 原文下载 when the draft came in as text.

Duck-typed on ``draft.Draft`` (``title``, ``notice``, ``preamble``, ``clauses`` whose clauses
have ``label``, ``heading``, ``kind``, ``children`` and ``written_lines()``), so ``exports``
does not import ``draft``. The layout is the one of :mod:`exports.word`: headings of parts in
黑体, of sections in 楷体, body text indented two characters, annexes on a new page.

The notice (when the draft has one) comes first, as the consultation page shows it, then a
``草案正文`` line and the draft, then the 背景介绍; reading the file back with ``draft.load`` gives the same
title, notice (its text, dates, contact, background) and clause tree.
"""

from __future__ import annotations

import io
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from .word import add_table, body_paragraph, setup_document, xml_safe
from .wording import format_date

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def notice_lines(draft: Any) -> list[str]:
    """The notice as lines that ``draft.parse`` reads back (empty when the draft has none): the office's own text
    (``announcement``) when there is one, a sentence stating the window when that text does not, the contact
    line and the date."""
    notice = draft.notice
    announcement = getattr(notice, "announcement", "") or ""
    lines: list[str] = [line for line in announcement.split("\n") if line.strip()]
    states_window = bool(notice.closes_on) and f"{notice.closes_on.month}月{notice.closes_on.day}日" in announcement
    if lines and states_window:
        pass   # the office's own text states the window (its last day, at least): no sentence added
    elif notice.opens_on and notice.closes_on:
        name = f"《{notice.title or draft.title}》" if (notice.title or draft.title) else "本草案"
        lines.append(f"现将{name}公开征求意见，征求意见时间为{format_date(notice.opens_on)}至{format_date(notice.closes_on)}。")
    elif notice.closes_on:
        lines.append(f"征求意见截止日期为{format_date(notice.closes_on)}。")
    if notice.contact:
        lines.append(f"联系方式：{notice.contact}")
    if notice.published_on:
        lines.append(format_date(notice.published_on))
    return lines


def _rows(lines: list[str]) -> list[tuple[str, list[str]]]:
    """Lines grouped into ("text", [line]) and ("table", [tab-separated rows])."""
    out: list[tuple[str, list[str]]] = []
    for line in lines:
        kind = "table" if "\t" in line.strip() else "text"
        if kind == "table" and out and out[-1][0] == "table":
            out[-1][1].append(line)
        else:
            out.append((kind, [line]))
    return out


def _write_lines(document: Any, lines: list[str], *, lead: str = "") -> None:
    """Body lines; the first begins with ``lead`` set in bold (an item's number and heading)."""
    for kind, group in _rows(lines):
        if kind == "table":
            rows = [row.split("\t") for row in group]
            width = max(len(r) for r in rows)
            rows = [r + [""] * (width - len(r)) for r in rows]
            add_table(document, rows[0], rows[1:], [15.6 / width] * width)
            continue
        text = group[0]
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.first_line_indent = Pt(32)
        if lead and text.startswith(lead):
            paragraph.add_run(xml_safe(lead)).bold = True
            text = text[len(lead):]
            lead = ""
        paragraph.add_run(xml_safe(text))


def _clause(document: Any, clause: Any) -> None:
    lines = clause.written_lines()
    if clause.kind == "annex":
        document.add_page_break()
        label = document.add_paragraph()
        label.add_run(xml_safe(lines[0])).bold = True
        if clause.heading:
            document.add_heading(xml_safe(clause.heading), level=0)
        _write_lines(document, lines[1 + bool(clause.heading):])
    elif clause.kind in ("part", "chapter", "section"):
        heading = document.add_heading(xml_safe(lines[0]), level=2 if clause.kind == "section" else 1)
        if clause.kind == "chapter":
            heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
        else:
            heading.paragraph_format.first_line_indent = Pt(32)
        _write_lines(document, lines[1:])
    else:
        lead = clause.label   # set in bold: the number, and an inline heading with it
        if clause.kind != "article" and clause.heading and lines:
            lead = lines[0][:lines[0].find(clause.heading) + len(clause.heading)]
        _write_lines(document, lines, lead=lead)
    for child in clause.children:
        _clause(document, child)


def build_document(draft: Any) -> Any:
    """The python-docx ``Document`` of ``draft``."""
    document = Document()
    setup_document(document, title=draft.title, author=draft.notice.department, subject="征求意见稿",
                   dated=draft.notice.published_on or draft.notice.opens_on)
    notice = notice_lines(draft)
    if notice:
        document.add_heading("公告", level=1).alignment = WD_ALIGN_PARAGRAPH.CENTER
        dated = bool(draft.notice.published_on)
        for line in notice[:-1] if dated else notice:
            body_paragraph(document, line)
        if dated:   # the date under the notice, as signed
            body_paragraph(document, notice[-1], indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
        document.add_heading("草案正文", level=1).alignment = WD_ALIGN_PARAGRAPH.CENTER
    if draft.title:
        document.add_heading(xml_safe(draft.title), level=0)
    for line in draft.preamble.split("\n") if draft.preamble else []:
        body_paragraph(document, line)
    for clause in draft.clauses:
        _clause(document, clause)
    background = getattr(draft.notice, "background", "") or ""
    if background:   # printed after the draft, as the consultation page carries it
        document.add_heading("背景介绍", level=1)
        for line in background.split("\n"):
            body_paragraph(document, line)
    return document


def render(draft: Any) -> bytes:
    buffer = io.BytesIO()
    build_document(draft).save(buffer)
    return buffer.getvalue()
