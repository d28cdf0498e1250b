"""意见采纳情况报告（报审稿）: the internal Word document for the deciding body (局长办公会).

《重大行政决策程序暂行条例》 art. 29 asks for the 主要意见的研究采纳情况 in the package sent to the
deciding body. Unlike the public feedback, this document is for staff: it lists every opinion group with
its decision and reason and, under each, every comment behind it as received (unredacted text, the
submitter's name or organisation, the channel, the date), marked 内部资料 on every page. Contact details
are printed only with ``include_contact=True`` (for admins, as in the staff exports).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt, RGBColor

from . import wording
from .comparison import append_section
from .public import channel_label
from .report import Opinion, Report
from .word import add_table, body_paragraph, setup_document, xml_safe

MARK = "内部资料 注意保密"
SUFFIX = "（报审稿）"
COMMENT_HEAD = ["序号", "提出人", "身份", "渠道", "收到日期", "意见原文"]
CONTACT_HEAD = "联系方式"


def title(report: Report) -> str:
    return f"关于《{report.draft_title}》公开征求意见采纳情况的报告{SUFFIX}"


def _marked(document: Any) -> None:
    """内部资料 in red at the top of every page (the header), and once above the title."""
    header = document.sections[0].header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = header.add_run(MARK)
    run.font.bold = True
    run.font.size = Pt(12)
    run.font.color.rgb = RGBColor(0xB0, 0x00, 0x00)


def _counts_rows(report: Report) -> list[list[str]]:
    c = report.counts
    assert c is not None
    rows = [["收到意见", f"{c.received}条"], ["有效意见", f"{c.valid}条"]]
    if c.excluded_spam:
        rows.append(["与征求意见无关（未计入）", f"{c.excluded_spam}条"])
    if c.excluded_duplicate:
        rows.append(["重复提交（未计入）", f"{c.excluded_duplicate}条"])
    if c.submitters_known and c.submitters:
        rows.append(["提出人", wording.submitters_phrase(c.submitters)])
    rows += [[f"其中：{k}", f"{c.by_category.get(k, 0)}条"] for k in report.categories]
    if c.supportive:
        rows.append(["表示支持（致谢）", f"{c.supportive}条"])
    if c.undecided:
        rows.append(["尚未作出决定", f"{c.undecided}条"])
    rows += [[f"渠道：{channel_label(k)}", f"{n}条"] for k, n in c.by_channel.items() if n]
    rows += [[f"提出人类型：{k}", f"{n}条"] for k, n in c.by_submitter_type.items() if n]
    return rows


def _opinion(document: Any, number: int, op: Opinion, include_contact: bool) -> None:
    document.add_heading(xml_safe(f"意见{number}　{op.clause_title}"), level=2)
    lines = [("意见内容", op.summary), ("采纳情况", op.decision or op.decision_label), ("理由说明", op.reply)]
    if op.change and op.change.after:
        lines.append(("修改后表述", op.change.after))
    if op.group:
        lines.append(("意见分组", op.group))
    for label, text in lines:
        if text:
            paragraph = body_paragraph(document, "", indent=False)
            paragraph.add_run(f"{label}：").bold = True
            paragraph.add_run(xml_safe(text))
    if not op.comments:
        return
    head = COMMENT_HEAD[:5] + ([CONTACT_HEAD] if include_contact else []) + COMMENT_HEAD[5:]
    widths = [1.0, 2.6, 1.4, 1.9, 2.1, 6.6] if not include_contact else [1.0, 2.3, 1.3, 1.7, 2.0, 2.4, 4.9]
    rows = []
    for k, c in enumerate(op.comments, start=1):
        who = " ".join(x for x in (c.name, c.organisation) if x) or "（未署名）"
        row = [str(k), who, c.submitter_type, channel_label(c.channel),
               c.received_on.isoformat() if c.received_on else ""]
        rows.append(row + ([c.contact] if include_contact else []) + [c.text])
    body_paragraph(document, f"该项意见由以下{len(op.comments)}条原始意见归纳：", indent=False)
    add_table(document, head, rows, widths)


def build_document(report: Report, *, include_contact: bool = False,
                   record: Sequence[tuple[str, str]] = ()) -> Any:
    """The document; ``record`` adds (label, text) lines under the title, e.g. (经办, 张三 2024年10月15日提交)."""
    document: Any = Document()
    setup_document(document, title=title(report), author=report.issuer, subject=MARK, dated=report.report_date)
    _marked(document)
    mark = body_paragraph(document, MARK, indent=False, align=WD_ALIGN_PARAGRAPH.LEFT)
    mark.runs[0].bold = True
    document.add_heading(xml_safe(title(report)), level=0)
    for label, text in record:
        body_paragraph(document, f"{label}：{text}", indent=False)
    document.add_heading("一、征求意见基本情况", level=1)
    for text in wording.basic_facts(report):
        body_paragraph(document, text)
    add_table(document, ["项目", "数量"], _counts_rows(report), [8.0, 7.6])
    document.add_heading("二、意见研究采纳情况", level=1)
    if not report.opinions:
        body_paragraph(document, wording.NO_COMMENTS)
    for number, op in report.ordered_opinions():
        _opinion(document, number, op, include_contact)
    heading = wording.correction_heading(report)
    if heading:
        document.add_heading(f"三、{heading}", level=1)
        body_paragraph(document, report.correction)
    if report.revisions is not None:
        append_section(document, report.revisions)
    return document


def render(report: Report, *, include_contact: bool = False, record: Sequence[tuple[str, str]] = ()) -> bytes:
    buffer = io.BytesIO()
    build_document(report, include_contact=include_contact, record=record).save(buffer)
    return buffer.getvalue()
