"""The feedback as Markdown, for pasting into a 政府网站 CMS.

Text is escaped so that neither Markdown syntax nor raw HTML typed by a citizen takes effect
(``<script>`` arrives as the entity text ``&lt;script&gt;``).
"""

from __future__ import annotations

import re

from . import comparison, wording
from .public import PublicOpinion, public_view
from .report import Report, section_title

_SPECIAL = re.compile(r"([\\`*_\[\]#|~!])")


def md_escape(text: str) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _SPECIAL.sub(r"\\\1", text)
    text = re.sub(r"(?m)^(\s*)([-+]|\d+[.)])(\s)", r"\1\\\2\3", text)  # would start a list
    return text


def _paragraph(text: str) -> str:
    return "  \n".join(md_escape(line) for line in text.strip().splitlines())


def _cell(text: str) -> str:
    return md_escape(" ".join(text.split()))


def _opinion(po: PublicOpinion, submitters_known: bool = True) -> list[str]:
    op = po.opinion
    meta = wording.opinion_meta(op, submitters_known)
    lines = [f"#### 意见{po.number}" + (f"（{md_escape(meta)}）" if meta else ""), ""]
    lines.append(f"- **意见内容：** {_paragraph(op.summary)}")
    if po.submitters:
        lines.append(f"- **提出人：** {md_escape(po.submitters)}")
    lines.append(f"- **采纳情况：** {md_escape(op.decision_label)}")
    if op.reply:
        lines.append(f"- **理由说明：** {_paragraph(op.reply)}")
    lines.append("")
    if op.change and (op.change.before or op.change.after):
        if op.change.before:
            lines += [f"> 修改前：{_paragraph(op.change.before)}", ">"]
        if op.change.after:
            lines += [f"> {op.change.after_label}：{_paragraph(op.change.after)}"]
        if lines[-1] == ">":
            lines.pop()
        lines.append("")
    return lines


def render_markdown(report: Report) -> str:
    view = public_view(report)
    by_number = {po.number: po for po in view.opinions}
    out = [f"# {md_escape(report.title)}", ""]
    if report.version > 1:
        out += [f"（第{report.version}版）", ""]
    heading = wording.correction_heading(report)
    if heading:
        out += [f"## {heading}", "", _paragraph(report.correction), ""]
    out += ["## 一、征求意见基本情况", ""]
    for text in wording.basic_facts(report):
        out += [_paragraph(text), ""]
    if report.opinions:
        out += ["## 二、意见采纳情况及理由", ""]
        known = report.counts.submitters_known if report.counts else True
        for clause, pairs in report.sections(numbered_only=True):
            out += [f"### {md_escape(section_title(clause.title if clause else None))}", ""]
            for number, _ in pairs:
                out += _opinion(by_number[number], known)
        support = wording.support_sentence(report)
        if support:
            out += [md_escape(support), ""]
    out += [md_escape(wording.CLOSING), ""]
    out += [md_escape(report.issuer) + "  ", md_escape(wording.format_date(report.report_date)), ""]
    if report.include_comment_annex and view.comments:
        show_submitter = report.identity != "none"
        head = ["序号", "对应条款", "意见原文"] + (["提出人"] if show_submitter else []) + ["提交渠道", "对应意见", "采纳情况"]
        out += ["## 附件：意见汇总表", "", _paragraph(wording.REDACTION_NOTE + wording.identity_note(report)), ""]
        out.append("| " + " | ".join(head) + " |")
        out.append("|" + "|".join("---" for _ in head) + "|")
        for c in view.comments:
            cells = [str(c.number), c.clause_title, c.text] + ([c.submitter] if show_submitter else [])
            cells += [c.channel, c.opinion_ref, c.decision]
            out.append("| " + " | ".join(_cell(v) for v in cells) + " |")
        out.append("")
    if report.revisions is not None:
        out += comparison.markdown_lines(report.revisions, md_escape)
    return "\n".join(out)


def render(report: Report) -> bytes:
    return render_markdown(report).encode("utf-8")
