"""The 回执 (receipt) a submitter keeps: plain text and a small PDF, from a :class:`Receipt` value.

The caller masks personal data in the text before building the value (the receipt repeats what
was submitted, and a PDF travels). The PDF is set in the Adobe CID font STSong-Light, which every
PDF reader carries, so no font file is embedded and a receipt stays a few kilobytes; reportlab's
invariant mode makes the same receipt give the same bytes.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from html import escape
from typing import Any

TITLE = "意见提交回执"
WHOLE_DRAFT = "对草案整体的意见"
DEFAULT_NEXT_STEPS = (
    "征求意见期结束后，我们将对收到的每一条意见认真研究，并在网站上公布意见采纳情况反馈。",
    "届时可凭回执编号查询您的意见的采纳情况和理由。",
)
KEEP = "请妥善保存本回执编号。"


@dataclass(frozen=True)
class ReceiptPart:
    """One opinion of the submission: the clause it is on (``""``: the draft as a whole), the
    text as submitted (personal data already masked) and the names of attached files."""

    clause: str
    text: str
    attachments: tuple[str, ...] = ()


@dataclass(frozen=True)
class Receipt:
    code: str                          # e.g. ABCD-EFGH-JKLM
    consultation: str                  # the draft's title
    submitted_at: datetime             # timezone-aware, in the consultation's time zone
    parts: Sequence[ReceiptPart]
    next_steps: Sequence[str] = DEFAULT_NEXT_STEPS
    office: str = ""                   # who receives the opinions, e.g. 天津市商务局电商处
    lookup: str = ""                   # where to look the code up (an address or a page name)
    extra: Sequence[tuple[str, str]] = field(default_factory=tuple)   # more (label, value) lines


def format_time(moment: datetime) -> str:
    """``2024年10月1日 12:00（北京时间）`` (the zone named only when it is UTC+8)."""
    zone = "（北京时间）" if moment.utcoffset() == timedelta(hours=8) else ""
    return f"{moment.year}年{moment.month}月{moment.day}日 {moment:%H:%M}{zone}"


_ORDINALS = "一二三四五六七八九十"


def _ordinal(n: int) -> str:
    return _ORDINALS[n - 1] if n <= 10 else str(n)


def _fields(receipt: Receipt) -> list[tuple[str, str]]:
    fields = [("回执编号", receipt.code), ("征求意见", receipt.consultation),
              ("提交时间", format_time(receipt.submitted_at))]
    if receipt.office:
        fields.append(("受理单位", receipt.office))
    fields.extend(receipt.extra)
    if len(receipt.parts) == 1:
        fields.append(("对应条款", receipt.parts[0].clause or WHOLE_DRAFT))
    return fields


def _part_heading(receipt: Receipt, n: int, part: ReceiptPart) -> str:
    if len(receipt.parts) == 1:
        return "意见内容"
    return f"意见{_ordinal(n)}　" + (f"对应条款：{part.clause}" if part.clause else WHOLE_DRAFT)


def _closing(receipt: Receipt) -> list[str]:
    lookup = f"查询方式：{receipt.lookup}" if receipt.lookup else ""
    return [*receipt.next_steps, KEEP + lookup]


def render_txt(receipt: Receipt) -> bytes:
    """UTF-8 with a byte-order mark and CRLF line ends, so Windows Notepad shows it right."""
    lines = [TITLE, ""]
    lines += [f"{label}：{value}" for label, value in _fields(receipt)]
    if len(receipt.parts) > 1:
        lines.append(f"意见条数：{len(receipt.parts)}")
    for n, part in enumerate(receipt.parts, 1):
        lines += ["", f"{_part_heading(receipt, n, part)}："]
        lines += [f"  {line}" for line in part.text.splitlines() or [""]]
        if part.attachments:
            lines.append(f"  附件：{'、'.join(part.attachments)}")
    lines += ["", "后续安排："]
    lines += [f"  {line}" for line in _closing(receipt)]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8-sig")


def render_pdf(receipt: Receipt) -> bytes:
    """An A4 PDF in STSong-Light (not embedded)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = "STSong-Light"
    pdfmetrics.registerFont(UnicodeCIDFont(font))
    base = ParagraphStyle("base", fontName=font, fontSize=11, leading=17, wordWrap="CJK")
    title = ParagraphStyle("title", parent=base, fontSize=18, leading=26, alignment=1, spaceAfter=10)
    heading = ParagraphStyle("heading", parent=base, fontSize=12.5, leading=20, spaceBefore=8)
    text = ParagraphStyle("text", parent=base, leftIndent=10)

    def para(value: str, style: ParagraphStyle) -> Paragraph:
        return Paragraph(escape(value).replace("\n", "<br/>"), style)

    story: list[Any] = [para(TITLE, title)]
    grid = Table([[para(label, base), para(value, base)] for label, value in _fields(receipt)],
                 colWidths=[24 * mm, 130 * mm])
    grid.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "#777777"), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                              ("BACKGROUND", (0, 0), (0, -1), "#eef2f6")]))
    story.append(grid)
    for n, part in enumerate(receipt.parts, 1):
        story.append(para(_part_heading(receipt, n, part), heading))
        story.append(para(part.text, text))
        if part.attachments:
            story.append(para(f"附件：{'、'.join(part.attachments)}", text))
    story += [Spacer(1, 4), para("后续安排", heading)]
    story += [para(line, text) for line in _closing(receipt)]
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=28 * mm, rightMargin=28 * mm,
                                 topMargin=25 * mm, bottomMargin=25 * mm, title=TITLE,
                                 subject=receipt.consultation, creator="comment-portal", invariant=True)
    document.build(story)
    return buffer.getvalue()
