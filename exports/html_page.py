"""The feedback as one standalone, printable, accessible HTML page (inline CSS and SVG, no script)."""

from __future__ import annotations

from html import escape

from . import comparison, wording
from .chart import bar_chart, clause_rows, decision_rows
from .public import PublicOpinion, PublicView, public_view
from .report import Report, section_title

CSS = """
:root { color-scheme: light; }
body { margin: 0; background: #f4f4f1; color: #1a1a1a;
  font-family: "FangSong", "STFangsong", "仿宋", "仿宋_GB2312", "Noto Serif CJK SC", "Source Han Serif SC",
    "Songti SC", serif;
  font-size: 17px; line-height: 1.8; }
main { box-sizing: border-box; max-width: 50rem; margin: 2rem auto; background: #fff; padding: 2.5rem 3rem;
  box-shadow: 0 0 4px #ccc; }
p, dd, td, blockquote { overflow-wrap: anywhere; }
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
.chart-wrap { overflow-x: auto; }
svg.chart { display: block; max-width: 100%; min-width: 320px; height: auto; font-family: inherit; }
svg.chart text { fill: #1a1a1a; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; }
caption { text-align: left; font-weight: bold; padding: .25rem 0; }
th, td { border: 1px solid #777; padding: .3rem .4rem; vertical-align: top; text-align: left; }
td { white-space: pre-line; }
th.short, td.short { white-space: nowrap; }
th { background: #e8edf3; }
td.text { min-width: 12em; }
td.mid { min-width: 4.5em; }
.cell-label { display: none; }
.support { margin-top: 1rem; }
.closing { margin-top: 2rem; }
.sign { text-align: right; text-indent: 0; }
@media screen and (max-width: 600px) {
  body { font-size: 16px; background: #fff; }
  main { margin: 0; padding: 1rem .75rem; max-width: none; box-shadow: none; }
  h1 { font-size: 1.35rem; }
  .opinion { padding: .5rem; }
  .opinion dl { display: block; }
  .opinion dd { margin: 0 0 .35rem; }
  table.annex, table.annex tbody, table.annex tr, table.annex td { display: block; width: auto; }
  table.annex thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  table.annex tr { border: 1px solid #777; margin: 0 0 .5rem; }
  table.annex caption { display: block; }
  table.annex td, table.annex td.mid { border: 0; border-bottom: 1px solid #ddd; min-width: 0; padding: .15rem .5rem;
    white-space: pre-line; }
  table.annex td:last-child { border-bottom: 0; }
  table.annex .cell-label { display: inline; font-weight: bold; }
}
@page { size: A4; margin: 2.5cm 2cm; }
@media print {
  body { background: #fff; font-size: 12pt; }
  main { box-shadow: none; margin: 0; padding: 0; max-width: none; }
  .opinion { background: none; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; }
}
""".strip()


CORRECTION_CSS = """
.correction { margin: 0 0 1.5rem; padding: .5rem 1rem; border: 2px solid #8b1a1a; background: #fff8f0; }
.correction h2 { margin: .25rem 0; color: #8b1a1a; }"""


def _e(text: str) -> str:
    return escape(text, quote=True)


def _opinion(po: PublicOpinion, submitters_known: bool = True) -> str:
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
            quoted += f"{op.change.after_label}：<blockquote>{_e(op.change.after)}</blockquote>"
        rows.append(("修改情况", quoted))
    items = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows)
    meta = wording.opinion_meta(op, submitters_known)
    note = f'<span class="meta">（{_e(meta)}）</span>' if meta else ""
    return f'<div class="opinion" id="opinion-{po.number}"><h4>意见{po.number}{note}</h4><dl>{items}</dl></div>'


_SHORT_COLUMNS = {"序号", "提交渠道", "对应意见"}
_MID_COLUMNS = {"对应条款", "提出人", "采纳情况"}


def _short(column: str) -> str:
    if column == "意见原文":
        return ' class="text"'
    if column in _MID_COLUMNS:
        return ' class="mid"'
    return ' class="short"' if column in _SHORT_COLUMNS else ""


def _cell(column: str, value: str) -> str:
    """A table cell; its header repeated in a span that only shows where rows are stacked (phones)."""
    return f'<td{_short(column)}><span class="cell-label">{column}：</span>{_e(value)}</td>'


def _annex(report: Report, view: PublicView) -> str:
    if not report.include_comment_annex or not view.comments:
        return ""
    show_submitter = report.identity != "none"
    head = ["序号", "对应条款", "意见原文"] + (["提出人"] if show_submitter else []) + ["提交渠道", "对应意见", "采纳情况"]
    out = [
        '<section aria-labelledby="annex">',
        '<h2 id="annex">附件：意见汇总表</h2>',
        f"<p>{_e(wording.REDACTION_NOTE + wording.identity_note(report))}</p>",
        '<table class="annex"><caption>征求意见期间收到的有效意见</caption><thead><tr>',
        "".join(f'<th scope="col"{_short(h)}>{h}</th>' for h in head),
        "</tr></thead><tbody>",
    ]
    for c in view.comments:
        cells = [str(c.number), c.clause_title, c.text] + ([c.submitter] if show_submitter else [])
        cells += [c.channel, c.opinion_ref, c.decision]
        out.append("<tr>" + "".join(_cell(h, v) for h, v in zip(head, cells)) + "</tr>")
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
    correction = wording.correction_heading(report)
    if correction:
        body.append(f'<section class="correction" aria-labelledby="correction"><h2 id="correction">{_e(correction)}</h2>'
                    + "".join(f"<p>{_e(line)}</p>" for line in report.correction.strip().splitlines() if line.strip())
                    + "</section>")
    body.append('<section aria-labelledby="basic"><h2 id="basic">一、征求意见基本情况</h2>')
    body += [f"<p>{_e(text)}</p>" for text in wording.basic_facts(report)]
    if report.opinions:
        body.append(
            '<figure><div class="chart-wrap">'
            + bar_chart("chart-clauses", "各条款收到意见条数", clause_rows(report))
            + "</div><figcaption>图1 各条款收到意见条数</figcaption></figure>"
        )
        body.append(
            '<figure><div class="chart-wrap">'
            + bar_chart("chart-decisions", "意见采纳情况", decision_rows(report))
            + "</div><figcaption>图2 意见采纳情况（条）</figcaption></figure>"
        )
    body.append("</section>")
    if report.opinions:
        body.append('<section aria-labelledby="decisions"><h2 id="decisions">二、意见采纳情况及理由</h2>')
        known = report.counts.submitters_known if report.counts else True
        for clause, pairs in report.sections(numbered_only=True):
            heading = section_title(clause.title if clause else None)
            body.append(f"<section><h3>{_e(heading)}</h3>")
            body.extend(_opinion(by_number[number], known) for number, _ in pairs)
            body.append("</section>")
        support = wording.support_sentence(report)
        if support:
            body.append(f'<p class="support">{_e(support)}</p>')
        body.append("</section>")
    body.append(f'<p class="closing">{_e(wording.CLOSING)}</p>')
    body.append(f'<p class="sign">{_e(report.issuer)}<br>{_e(wording.format_date(report.report_date))}</p>')
    body.append(_annex(report, view))
    if report.revisions is not None:
        body.append(comparison.html_section(report.revisions))
    css = CSS + (CORRECTION_CSS if correction else "") + (comparison.CSS.rstrip() if report.revisions is not None else "")
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{title}</title>\n<style>\n{css}\n</style>\n</head>\n<body>\n<main>\n<article>\n"
        + "\n".join(part for part in body if part)
        + "\n</article>\n</main>\n</body>\n</html>\n"
    )


def render(report: Report) -> bytes:
    return render_html(report).encode("utf-8")
