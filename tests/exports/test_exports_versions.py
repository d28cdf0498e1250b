"""A report's versions: the content hash an approval is bound to, what changed between two versions, and a
later version's 更正说明 and the 修改对照表 published with the report (every format, and back from JSON)."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from datetime import date

import docx
import pytest

from draft import SEED_PATH, load_seed, parse
from draft.revisions import revision_table
from exports import FORMATS, Opinion, ReportError, content_hash, differences, load, report_data


def _revised():
    """The seed with one clause edited (3.1.2)."""
    return parse(SEED_PATH.read_text(encoding="utf-8").replace("2.加快传统企业转型升级。", "2.加快传统企业数字化转型升级。"))


@pytest.fixture(scope="module")
def table():
    return revision_table(load_seed(), _revised(), {"3.1.2": [4]})


def test_hash_ignores_version_and_date_but_not_content(make_seed_report):
    report = make_seed_report()
    same = replace(make_seed_report(), version=3, report_date=date(2025, 1, 1))
    assert content_hash(report) == content_hash(same)
    assert content_hash(report) == content_hash(report_data(report))   # a stored document hashes alike
    changed = make_seed_report()
    changed.opinions[0].reason += "另行通知。"
    assert content_hash(changed) != content_hash(report)
    reworded = make_seed_report()
    reworded.opinions[2].summary = "建议提高交易额目标。"
    assert content_hash(reworded) != content_hash(report)
    assert content_hash(replace(make_seed_report(), identity="masked")) != content_hash(
        replace(make_seed_report(), identity="none"))
    assert content_hash(replace(make_seed_report(), issuer="天津市人民政府")) != content_hash(report)
    noted = replace(make_seed_report(), correction="更正第3项意见的理由。", correction_kind="更正")
    assert content_hash(noted) != content_hash(report)


def test_hash_covers_the_revision_table(make_seed_report, table):
    with_table = replace(make_seed_report(), revisions=table)
    assert content_hash(with_table) != content_hash(make_seed_report())
    other = revision_table(load_seed(), _revised(), {"3.1.2": [5]})
    assert content_hash(replace(make_seed_report(), revisions=other)) != content_hash(with_table)


def test_differences_name_the_opinion_and_the_field(make_seed_report):
    old = report_data(make_seed_report())
    changed = make_seed_report()
    changed.opinions[2].decision = "部分采纳"
    changed.opinions[2].reason = "目标调整为1100亿元。"
    found = differences(old, report_data(changed))
    fields = {(d.where, d.what) for d in found}
    number = next(o["number"] for o in old["opinions"] if o["summary"].startswith("建议将2027年"))
    assert (f"意见{number}", "采纳情况") in fields and (f"意见{number}", "理由说明") in fields
    assert differences(old, report_data(make_seed_report())) == []


def test_differences_follow_an_opinion_by_its_comments_when_numbers_shift(make_seed_report):
    old_report = make_seed_report()
    new_report = make_seed_report()
    new_report.opinions.insert(0, Opinion(summary="新增的总体意见。", decision="未采纳", reason="不在本计划范围内。"))
    new_report.opinions[3].reason = "改写后的理由。"   # the old opinions[2]
    old, new = report_data(old_report), report_data(new_report)
    old_no = {id(op): n for n, op in old_report.ordered_opinions()}
    new_no = {id(op): n for n, op in new_report.ordered_opinions()}
    # Members: each old opinion stands for "its" comments; the new list keeps them.
    old_members = {old_no[id(op)]: {k} for k, op in enumerate(old_report.opinions)}
    new_members = {new_no[id(op)]: {k - 1} for k, op in enumerate(new_report.opinions) if k}
    found = differences(old, new, old_members=old_members, new_members=new_members)
    added = [d for d in found if d.what == "新增意见"]
    assert len(added) == 1 and added[0].after == "新增的总体意见。"
    reason = [d for d in found if d.what == "理由说明"]
    assert len(reason) == 1 and reason[0].after == "改写后的理由。"
    assert "原意见" in reason[0].where   # its number moved


def test_correction_and_revision_table_in_every_format(make_seed_report, table):
    report = replace(make_seed_report(), version=2, correction="第3项意见的理由说明有误，现予更正。",
                     correction_kind="更正", revisions=table)
    html = FORMATS["html"](report).decode("utf-8")
    assert html.index('<h2 id="correction">更正说明</h2>') < html.index("一、征求意见基本情况")
    assert "第3项意见的理由说明有误" in html
    assert "修改对照表</h2>" in html and "<ins>数字化</ins>" in html and "<td>意见4</td>" in html
    md = FORMATS["md"](report).decode("utf-8")
    assert "## 更正说明" in md and "**数字化**" in md and "意见4" in md
    document = docx.Document(io.BytesIO(FORMATS["docx"](report)))
    paragraphs = [p.text for p in document.paragraphs]
    assert "更正说明" in paragraphs and "第3项意见的理由说明有误，现予更正。" in paragraphs
    assert any("修改对照表" in p for p in paragraphs)
    last = document.tables[-1]
    assert [c.text for c in last.rows[0].cells] == ["条款", "征求意见稿原文", "修改后", "修改依据"]
    assert document.sections[-1].page_width > document.sections[-1].page_height   # the table's landscape pages
    assert document.sections[0].page_width < document.sections[0].page_height


def test_json_round_trip_keeps_correction_and_table(make_seed_report, table):
    report = replace(make_seed_report(), version=2, correction="补充第5项意见的修改情况。", correction_kind="补充",
                     revisions=table)
    data = json.loads(FORMATS["json"](report))
    assert data["correction"] == {"kind": "补充", "text": "补充第5项意见的修改情况。"}
    assert data["revision_table"]["rows"][0]["basis"] == [4]
    again = load(data)
    assert again.correction_kind == "补充" and again.revisions is not None
    assert FORMATS["html"](again) == FORMATS["html"](report)
    assert FORMATS["docx"](again) and content_hash(again) == content_hash(report)
    plain = json.loads(FORMATS["json"](make_seed_report()))
    assert plain["correction"] is None and plain["revision_table"] is None


def test_a_correction_needs_a_known_kind(make_seed_report):
    with pytest.raises(ReportError, match="更正说明的类型"):
        replace(make_seed_report(), correction="说明", correction_kind="修订")


def test_personal_data_in_the_correction_blocks_publication(make_seed_report):
    report = replace(make_seed_report(), correction="如有疑问请联系13912345678。", correction_kind="更正")
    assert any(p.field == "correction" and p.code == "personal_data" for p in report.check())
