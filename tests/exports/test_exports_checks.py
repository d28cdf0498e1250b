"""Publication checks: unfilled placeholders, topic counts that match the chart, one numbering."""

from __future__ import annotations

import re

import pytest

from exports import FORMATS, MemberComment, Opinion, Report, Topic
from exports.chart import clause_rows
from exports.placeholders import find_placeholders
from tests.exports.helpers import FOREX, TALENT, build_seed_report, seed_opinions


def one_opinion_report(**opinion) -> Report:
    fields = {"summary": "建议提高门槛。", "clause": FOREX, "decision": "未采纳", "reason": "地方无权调整。",
              "comments": [MemberComment("建议提高门槛。")]}
    fields.update(opinion)
    return Report(draft_title="某计划(征求意见稿)", issuer="天津市商务局", opinions=[Opinion(**fields)],
                  clause_order=[FOREX[0]])


# -- placeholders ----------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "gap"),
    [
        ("该建议已在《…》第X条中体现。", "《…》"),
        ("该建议已在《…》第X条中体现。", "第X条"),
        ("已在第×条中明确。", "第×条"),
        ("已在第 条中明确。", "第 条"),
        ("已在第某条中明确。", "第某条"),
        ("已在《》中明确。", "《》"),
        ("已在《XXX》中明确。", "《XXX》"),
        ("由XXX部门负责。", "XXX"),
        ("由××部门负责。", "××"),
        ("将于X月X日前完成。", "X月"),
        ("【请填写理由】", "【请填写理由】"),
        ("理由：（待补充）", "（待补充）"),
        ("……", "……"),
        ("经研究，……。", "……"),
        ("详见____。", "____"),
        ("{{reason}}", "{{reason}}"),
        ("TODO", "TODO"),
    ],
)
def test_placeholders_are_found(text: str, gap: str) -> None:
    assert gap in find_placeholders(text)


@pytest.mark.parametrize(
    "text",
    [
        "第十二条已明确支持跨境电商企业在综保区内设立退货中心仓。",
        "已在《天津市跨境电子商务高质量发展三年倍增计划》第10条中体现。",
        "梳理五金工具、家具家纺、地毯、自行车、宠物用品、乐器……等重点产业图谱",
        "发展B2B出口(9710)、海外仓出口(9810)模式，2024年9月25日起施行。",
        "二〇〇八年以来，（一）项已完成。",
        "建议支持Xbox等游戏主机出口。",
        "天津某某科技有限公司建议简化流程。",
    ],
)
def test_ordinary_wording_is_not_a_placeholder(text: str) -> None:
    assert find_placeholders(text) == []


def test_a_placeholder_in_a_reason_blocks_publication_naming_the_opinion() -> None:
    """「该建议已在《…》第X条中体现。」 was published as it stood."""
    report = one_opinion_report(decision="已体现（已有相关规定）", reason="该建议已在《…》第X条中体现。")
    problems = [p for p in report.check() if p.code == "placeholder"]
    assert len(problems) == 1
    p = problems[0]
    assert (p.opinion, p.field) == (0, "reason")
    assert p.message.startswith("意见1（12.创新外汇管理服务") and "“《…》”、“第X条”" in p.message


@pytest.mark.parametrize(("field", "value"), [("summary", "建议修改第X条。"), ("change", "XXX")])
def test_placeholders_in_summary_and_revised_text(field: str, value: str) -> None:
    from exports import ClauseChange

    kw = {"summary": value} if field == "summary" else {"decision": "采纳", "reason": "",
                                                         "change": ClauseChange("原文", value)}
    problems = [p for p in one_opinion_report(**kw).check() if p.code == "placeholder"]
    assert [(p.opinion, p.field) for p in problems] == [(0, field)]


def test_placeholders_in_report_fields_and_topics() -> None:
    report = one_opinion_report()
    report.issuer = "【请填写发布单位】"
    report.published_where = "XXX网站"
    report.topics = [Topic("××", 1)]
    problems = {p.field: p for p in report.check() if p.code == "placeholder"}
    assert set(problems) == {"issuer", "published_where", "topic"}
    assert problems["topic"].topic == 0 and problems["issuer"].opinion is None


def test_citizen_text_may_say_xxx() -> None:
    """Only staff wording is checked: a citizen writing XXX公司 blocks nothing."""
    report = one_opinion_report(comments=[MemberComment("XXX公司说第X条不合理……")])
    assert [p for p in report.check() if p.code == "placeholder"] == []


def test_seed_report_has_no_placeholders() -> None:
    assert build_seed_report().check() == []


# -- the summary paragraph counts what the chart counts ------------------------------------------------

def _forex_report(topic_count: int) -> Report:
    """Eight comments on 12.创新外汇管理服务: a group of three and five decided one by one."""
    group = Opinion("建议提高名录登记豁免金额。", FOREX, decision="未采纳", reason="由国家统一规定。",
                    comments=[MemberComment(f"建议提高门槛{i}。") for i in range(3)])
    singles = [Opinion(f"建议{i}", FOREX, decision="采纳", comments=[MemberComment(f"单独意见{i}")]) for i in range(5)]
    return Report(draft_title="某计划(征求意见稿)", issuer="天津市商务局", opinions=[group, *singles],
                  clause_order=[FOREX[0]], topics=[Topic("创新外汇管理服务", topic_count)])


def test_a_topic_named_like_a_chart_bar_must_count_what_the_bar_counts() -> None:
    """The summary said 创新外汇管理服务 3条 while the chart showed 8."""
    report = _forex_report(3)
    assert clause_rows(report) == [("12.创新外汇管理服务", 8)]
    problems = [p for p in report.check() if p.code == "topic_count"]
    assert len(problems) == 1 and problems[0].topic == 0 and problems[0].field == "topic"
    assert "“创新外汇管理服务”为3条" in problems[0].message and "8条" in problems[0].message
    assert [p for p in _forex_report(8).check() if p.code == "topic_count"] == []


def test_a_topic_of_its_own_name_is_not_compared_with_the_chart() -> None:
    report = _forex_report(3)
    report.topics = [Topic("外汇登记门槛", 3)]
    assert [p for p in report.check() if p.code == "topic_count"] == []


def test_seed_report_topics_do_not_contradict_the_chart() -> None:
    report = build_seed_report(topics=[Topic("打造多层次跨境电商人才队伍", 5), Topic("创新外汇管理服务", 4)])
    assert report.check() == []
    wrong = build_seed_report(topics=[Topic("打造多层次跨境电商人才队伍", 4)])
    assert [p.code for p in wrong.check()] == ["topic_count"]


# -- one numbering ----------------------------------------------------------------------------------------

def test_every_check_message_uses_the_number_the_report_prints() -> None:
    """Each message names 意见N, and 意见N in the published HTML is that same opinion."""
    opinions = seed_opinions()
    opinions[8].reason = "该建议已在《…》第X条中体现。"  # 四(三): printed last, listed last
    opinions[7].summary = "建议共建实训基地，联系人手机1 3 9 0 2 2 1 5 5 6 6。"  # 16.
    opinions[5].decision = ""  # 12., the first FOREX opinion
    report = build_seed_report(opinions=opinions, counts=None, topics=[])
    report_numbers = report.number_of()
    html = FORMATS["html"](build_seed_report(opinions=seed_opinions(), counts=None, topics=[])).decode("utf-8")
    problems = [p for p in report.check() if p.opinion is not None]
    assert {p.code for p in problems} >= {"placeholder", "personal_data", "undecided"}
    for p in problems:
        number = report_numbers[p.opinion]
        assert re.match(rf"意见{number}（", p.message), p.message
        block = re.search(rf'<div class="opinion" id="opinion-{number}">.*?</div>', html, re.DOTALL).group()
        assert seed_opinions()[p.opinion].summary[:10] in block
    assert TALENT[2] in next(p.message for p in problems if p.code == "personal_data")
