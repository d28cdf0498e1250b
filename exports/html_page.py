"""The feedback as one standalone, printable, accessible HTML page (inline CSS and SVG, no script)."""

from __future__ import annotations

from html import escape

from . import wording
from .chart import bar_chart, clause_rows, decision_rows
from .public import PublicOpinion, PublicView, public_view
from .report import Report

CSS = """
:root { color-scheme: light; }
body { margin: 0; background: #f4f4f1; color: #1a1a1a;
  font-family: "FangSong", "STFangsong", "仿宋", "仿宋_GB2312", "Noto Serif CJK SC", "Source Han Serif SC",
    "Songti SC", serif;
  font-size: 17px; line-height: 1.8; }
main { max-width: 50rem; margin: 2rem auto; background: #fff; padding: 2.5rem 3rem; box-shadow: 0 0 4px #ccc; }
h1, h2, h3, h4 { font-family: "SimHei", "黑体", "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC",
  sans-serif; line-height: 1.4; }
h1 { text-align: center; font-size: 1.6rem; margin: 0 0 1.5rem; }
h2 { font-size: 1.2rem; margin: 2rem 0 .75rem; }
h3 { font-size: 1.05rem; margin: 1.5rem 0 .5rem; padding-bottom: .2rem; border-bottom: 1px solid #bbb; }
h4 { font-size: 1rem; margin: 1rem 0 .25rem; }
p { margin: .4rem 0; text-indent: 2em; }
.version { text-align: center; text-indent: 0; color: #444; }
.meta { font-weight: normal; color: #444; font-size: .9rem; }
.opinion { margin: 0 0 1rem; padding: .5rem .75rem; border-left: 4px solid #1f4e79; background: #f7f9fc;
  break-inside: avoid; }
.opinion dl { margin: 0; display: grid; grid-template-columns: 6em 1fr; gap: .15rem .75rem; }
.opinion dt { font-weight: bold; }
.opinion dd { margin: 0; white-space: pre-line; }
.decision { font-weight: bold; }
blockquote { margin: .25rem 0 .5rem; padding: .25rem .75rem; border-left: 3px solid #888; background: #fff;
  white-space: pre-line; }
figure { margin: 1rem 0; break-inside: avoid; }
figcaption { font-size: .9rem; color: #333; }
svg.chart { max-width: 100%; height: auto; font-family: inherit; }
svg.chart text { fill: #1a1a1a; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; }
caption { text-align: left; font-weight: bold; padding: .25rem 0; }
th, td { border: 1px solid #777; padding: .3rem .4rem; vertical-align: top; text-align: left; }
td { white-space: pre-line; }
th.short, td.short { white-space: nowrap; }
th { background: #e8edf3; }
.closing { margin-top: 2rem; }
.sign { text-align: right; text-indent: 0; }
@page { size: A4; margin: 2.5cm 2cm; }
@media print {
  body { background: #fff; font-size: 12pt; }
  main { box-shadow: none; margin: 0; padding: 0; max-width: none; }
  .opinion { background: none; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; }
}
""".strip()


def _e(text: str) -> str:
    return escape(text, quote=True)


def _opinion(po: PublicOpinion) -> str:
    op = po.opinion
    rows = [("意见内容", _e(op.summary))]
    if po.submitters:
        rows.append(("提出人", _e(po.submitters)))
    rows.append(("采纳情况", f'<span class="decision">{_e(op.decision_label)}</span>'))
    if op.reply:
        rows.append(("理由说明", _e(op.reply)))
    if op.change and (op.change.before or op.change.after):
        quoted = ""
        if op.change.before:
            quoted += f"修改前：<blockquote>{_e(op.change.before)}</blockquote>"
        if op.change.after:
            quoted += f"修改后：<blockquote>{_e(op.change.after)}</blockquote>"
        rows.append(("修改情况", quoted))
    items = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows)
    return (
        f'<div class="opinion" id="opinion-{po.number}"><h4>意见{po.number}'
        f'<span class="meta">（{_e(wording.opinion_meta(op))}）</span></h4><dl>{items}</dl></div>'
    )


_SHORT_COLUMNS = {"序号", "提交渠道", "对应意见"}


def _short(column: str) -> str:
    return ' class="short"' if column in _SHORT_COLUMNS else ""


def _annex(report: Report, view: PublicView) -> str:
    if not report.include_comment_annex or not view.comments:
        return ""
    show_submitter = report.identity != "none"
    head = ["序号", "对应条款", "意见原文"] + (["提出人"] if show_submitter else []) + ["提交渠道", "对应意见", "采纳情况"]
    out = [
        '<section aria-labelledby="annex">',
        '<h2 id="annex">附件：意见汇总表</h2>',
        f"<p>{_e(wording.REDACTION_NOTE + wording.identity_note(report))}</p>",
        "<table><caption>征求意见期间收到的有效意见</caption><thead><tr>",
        "".join(f'<th scope="col"{_short(h)}>{h}</th>' for h in head),
        "</tr></thead><tbody>",
    ]
    for c in view.comments:
        cells = [str(c.number), c.clause_title, c.text] + ([c.submitter] if show_submitter else [])
        cells += [c.channel, f"意见{c.opinion_number}", c.decision]
        out.append("<tr>" + "".join(f"<td{_short(h)}>{_e(v)}</td>" for h, v in zip(head, cells)) + "</tr>")
    out.append("</tbody></table></section>")
    return "\n".join(out)


def render_html(report: Report) -> str:
    view = public_view(report)
    by_number = {po.number: po for po in view.opinions}
    title = _e(report.title)
    body = [f"<header><h1>{title}</h1>"]
    if report.version > 1:
        body.append(f'<p class="version">（第{report.version}版）</p>')
    body.append("</header>")
    body.append('<section aria-labelledby="basic"><h2 id="basic">一、征求意见基本情况</h2>')
    body.append(f"<p>{_e(wording.process_paragraph(report))}</p>")
    body.append(f"<p>{_e(wording.counts_paragraph(report))}</p>")
    topics = wording.topics_sentence(report)
    if topics:
        body.append(f"<p>{_e(topics)}</p>")
    if report.opinions:
        body.append(
            "<figure>"
            + bar_chart("chart-clauses", "各条款收到意见条数", clause_rows(report))
            + "<figcaption>图1 各条款收到意见条数</figcaption></figure>"
        )
        body.append(
            "<figure>"
            + bar_chart("chart-decisions", "意见采纳情况", decision_rows(report))
            + "<figcaption>图2 意见采纳情况（条）</figcaption></figure>"
        )
    body.append("</section>")
    if report.opinions:
        body.append('<section aria-labelledby="decisions"><h2 id="decisions">二、意见采纳情况及理由</h2>')
        for clause, pairs in report.sections():
            heading = wording.section_title(clause.title if clause else None)
            body.append(f"<section><h3>{_e(heading)}</h3>")
            body.extend(_opinion(by_number[number]) for number, _ in pairs)
            body.append("</section>")
        body.append("</section>")
    body.append(f'<p class="closing">{_e(wording.CLOSING)}</p>')
    body.append(f'<p class="sign">{_e(report.issuer)}<br>{_e(wording.format_date(report.report_date))}</p>')
    body.append(_annex(report, view))
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{title}</title>\n<style>\n{CSS}\n</style>\n</head>\n<body>\n<main>\n<article>\n"
        + "\n".join(part for part in body if part)
        + "\n</article>\n</main>\n</body>\n</html>\n"
    )


def render(report: Report) -> bytes:
    return render_html(report).encode("utf-8")
