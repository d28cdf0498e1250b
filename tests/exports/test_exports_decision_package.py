"""意见采纳情况报告（报审稿）: internal, every opinion with its decision and the comments behind it; contact
details only when asked for (admins)."""

from __future__ import annotations

import io

import docx

from exports import PACKAGE_FORMATS


def _text(data: bytes) -> tuple[str, docx.document.Document]:
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts), document


def test_every_opinion_with_decision_reason_and_comments(seed_report):
    text, document = _text(PACKAGE_FORMATS["docx"](seed_report, record=[("经办", "reviewer1 于2024年10月15日提交")]))
    assert "公开征求意见采纳情况的报告（报审稿）" in text
    assert "内部资料 注意保密" in document.sections[0].header.paragraphs[0].text
    assert "经办：reviewer1 于2024年10月15日提交" in text
    for number, op in seed_report.ordered_opinions():
        assert f"意见{number}" in text
        assert op.summary in text
        assert (op.decision or op.decision_label) in text
        if op.reason:
            assert op.reason in text
        for c in op.comments:
            assert c.text in text                      # as received, not redacted
            assert (c.name or c.organisation) in text   # staff see who sent it
    assert "电子邮件" in text and "电话" in text        # channels
    assert "13902211234" not in text and "qianli@example.com" not in text


def test_contact_details_only_when_asked(seed_report):
    text, _ = _text(PACKAGE_FORMATS["docx"](seed_report, include_contact=True))
    assert "13902211234" in text and "qianli@example.com" in text and "联系方式" in text


def test_counts_table(seed_report):
    _, document = _text(PACKAGE_FORMATS["docx"](seed_report))
    counts = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows[1:]}
    c = seed_report.counts
    assert counts["有效意见"] == f"{c.valid}条"
    for category in seed_report.categories:
        assert counts[f"其中：{category}"] == f"{c.by_category.get(category, 0)}条"
