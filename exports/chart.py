"""Small inline SVG bar charts for the HTML page (no chart library, no script, prints cleanly)."""

from __future__ import annotations

from html import escape

from .report import Report, section_title, short_category

BAR_COLOUR = "#1f4e79"
LABEL_WIDTH = 200
BAR_AREA = 120
COUNT_AREA = 40
"""Drawn 360 wide so it fits a phone (390 px less the page padding) at full size; the page keeps it
at least 320 px wide (scrolling sideways below that), so the 13-unit text never shrinks below
about 11.5 px. Labels are cut to 14 characters (the full ones are in the ``<desc>``)."""
ROW = 26


def _shorten(label: str, limit: int = 14) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def bar_chart(chart_id: str, title: str, rows: list[tuple[str, int]], unit: str = "条") -> str:
    """A horizontal bar chart; the title and a text description make it readable without sight."""
    if not rows:
        return ""
    top = max(n for _, n in rows) or 1
    height = ROW * len(rows) + 12
    width = LABEL_WIDTH + BAR_AREA + COUNT_AREA
    desc = "；".join(f"{label}{n}{unit}" for label, n in rows)
    parts = [
        (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="{chart_id}-t {chart_id}-d">'),
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">{escape(desc)}</desc>',
    ]
    for i, (label, n) in enumerate(rows):
        y = 6 + i * ROW
        bar = round(BAR_AREA * n / top)
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 16}" text-anchor="end" font-size="13">{escape(_shorten(label))}</text>'
        )
        if bar:
            parts.append(f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{bar}" height="{ROW - 8}" fill="{BAR_COLOUR}"/>')
        parts.append(f'<text x="{LABEL_WIDTH + bar + 6}" y="{y + 16}" font-size="13">{n}</text>')
    parts.append("</svg>")
    return "\n".join(parts)


def clause_rows(report: Report) -> list[tuple[str, int]]:
    rows = []
    for clause, pairs in report.sections():
        label = section_title(clause.title if clause else None)
        rows.append((label, sum(op.comment_count or 0 for _, op in pairs)))
    return rows


def decision_rows(report: Report) -> list[tuple[str, int]]:
    assert report.counts is not None
    rows = [(short_category(c), report.counts.by_category.get(c, 0)) for c in report.categories]
    if report.counts.supportive:
        rows.append(("表示支持", report.counts.supportive))
    return rows
