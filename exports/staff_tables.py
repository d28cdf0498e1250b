"""Every comment with its clause, group, decision and reason, as CSV or XLSX for staff.

By default (``include_contact=False``) the file is safe to pass around: comment text is redacted
and submitters are shown as in a public output that shows them (individuals as 个人).
``include_contact=True`` gives the raw text, full names, organisations and private contact
details: it must only ever be served to logged-in staff.
"""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from .public import channel_label, redact_comment, submitter_display
from .report import Report

BASE_HEADERS = [
    "序号", "意见编号", "对应条款", "条款编号", "意见分组", "意见内容（摘要）", "意见原文",
    "提出人", "提出人类型", "提交渠道", "收到日期", "采纳情况", "理由说明",
]
CONTACT_HEADERS = ["姓名", "单位", "联系方式", "意见编码"]
WIDTHS = [6, 8, 22, 9, 12, 36, 48, 16, 10, 12, 12, 14, 36, 10, 20, 22, 14]


def headers(include_contact: bool = False) -> list[str]:
    return BASE_HEADERS + (CONTACT_HEADERS if include_contact else [])


def rows(report: Report, include_contact: bool = False) -> list[list[str]]:
    """One row per comment (an opinion without listed comments still gets one row)."""
    identity = report.identity if report.identity != "none" else "masked"
    out: list[list[str]] = []
    for number, op in report.ordered_opinions():
        opinion_cells = [str(number), op.clause_title, op.clause.key if op.clause else "", op.group, op.summary]
        decision_cells = [op.decision or op.decision_label, op.reply]  # staff see the category as configured
        if not op.comments:
            blank = [""] * 5
            out.append([str(len(out) + 1)] + opinion_cells + blank + decision_cells + ([""] * 4 if include_contact else []))
            continue
        for c in op.comments:
            if include_contact:
                text, shown = c.text, (c.name or c.organisation)
            else:
                text = redact_comment(c, report.draft_text)[0]
                shown = submitter_display(c, identity)
            comment_cells = [
                text,
                shown,
                c.submitter_type,
                channel_label(c.channel),
                c.received_on.isoformat() if c.received_on else "",
            ]
            contact_cells = [c.name, c.organisation, c.contact, c.ref] if include_contact else []
            out.append([str(len(out) + 1)] + opinion_cells + comment_cells + decision_cells + contact_cells)
    return out


def _safe_for_spreadsheet(value: str) -> str:
    """Neutralise text a spreadsheet would run as a formula (CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def render_csv(report: Report, include_contact: bool = False) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headers(include_contact))
    for row in rows(report, include_contact):
        writer.writerow([_safe_for_spreadsheet(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # BOM: Excel then reads UTF-8


def render_xlsx(report: Report, include_contact: bool = False) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "意见汇总"
    head = headers(include_contact)
    sheet.append(head)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(vertical="center", horizontal="center")
    wrap = Alignment(wrap_text=True, vertical="top")
    for r, values in enumerate(rows(report, include_contact), start=2):
        for col, value in enumerate(values, start=1):
            cell = sheet.cell(row=r, column=col)
            cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
            cell.data_type = "s"  # never a formula, whatever the text starts with
            cell.alignment = wrap
    for col, width in enumerate(WIDTHS[: len(head)], start=1):
        sheet.column_dimensions[get_column_letter(col)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    workbook.properties.title = report.title
    workbook.properties.creator = report.issuer
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
