"""The Report model: construction, validation naming the opinion, ordering, and check()."""

from __future__ import annotations

from datetime import date

import pytest

from exports import DEFAULT_CATEGORIES, ClauseRef, Counts, MemberComment, Opinion, Report, ReportError, Topic


def opinion(summary: str = "建议加强人才培养。", clause=("3.4.16", "16.", "打造多层次跨境电商人才队伍"), **kw) -> Opinion:
    kw.setdefault("decision", "采纳")
    kw.setdefault("comments", [MemberComment("同意加强人才培养", name="杨帆")])
    return Opinion(summary=summary, clause=clause, **kw)


def report(opinions: list[Opinion], **kw) -> Report:
    return Report(draft_title="某某计划(征求意见稿)", issuer="天津市商务局", report_date=date(2024, 10, 25),
                  opinions=opinions, **kw)


def codes(r: Report) -> list[str]:
    return [p.code for p in r.check()]


def test_clause_tuple_and_counts_are_filled_in() -> None:
    op = opinion(comments=[MemberComment("a", name="甲乙"), MemberComment("b", name="甲乙"),
                           MemberComment("c", organisation="某公司", submitter_type="企业", channel="email")])
    assert op.clause == ClauseRef("3.4.16", "16.", "打造多层次跨境电商人才队伍")
    assert op.clause_title == "16.打造多层次跨境电商人才队伍"
    assert (op.comment_count, op.submitter_count) == (3, 2)
    r = report([op, opinion(clause=None, decision="未采纳", reason="理由")])
    assert r.title == "关于《某某计划(征求意见稿)》公开征求意见采纳情况的反馈"
    assert r.counts.valid == r.counts.received == 4
    assert r.counts.by_category == {"采纳": 3, "部分采纳": 0, "未采纳": 1, "已体现（已有相关规定）": 0, "不属于征求意见范围": 0}
    assert r.counts.by_channel == {"web": 3, "email": 1}
    assert r.counts.by_submitter_type == {"个人": 3, "企业": 1}
    assert r.counts.submitters == 3
    assert r.channels == ["web", "email"]
    assert r.check() == []


def test_every_default_category_constructs() -> None:
    ops = [opinion(decision=c, reason="理由说明" if c in ("部分采纳", "未采纳") else "") for c in DEFAULT_CATEGORIES]
    r = report(ops)
    assert [r.counts.by_category[c] for c in DEFAULT_CATEGORIES] == [1, 1, 1, 1, 1]
    assert r.check() == []


@pytest.mark.parametrize("decision", ["未采纳", "部分采纳"])
def test_missing_reason_raises_naming_the_opinion(decision: str) -> None:
    ops = [opinion(), opinion("建议提高名录登记豁免金额。", clause=("3.3.12", "12.", "创新外汇管理服务"), decision=decision,
                              reason="  ")]
    with pytest.raises(ReportError) as error:
        report(ops)
    message = str(error.value)
    # Named by the number it has in the report (12. comes before 16.), not by its list index.
    assert "意见1（" in message and "12.创新外汇管理服务" in message and "建议提高名录登记豁免金额" in message
    assert decision in message and "理由" in message


def test_unknown_category_and_identity_mode_raise() -> None:
    with pytest.raises(ReportError, match="不予考虑"):
        report([opinion(decision="不予考虑")])
    with pytest.raises(ReportError, match="提出人显示方式"):
        report([opinion()], identity="public")


def test_configurable_categories() -> None:
    categories = ("采纳", "不予采纳", "解释说明")
    r = report([opinion(decision="解释说明"), opinion(decision="不予采纳", reason="理由")], categories=categories,
               reason_required={"不予采纳"})
    assert list(r.counts.by_category) == list(categories)
    with pytest.raises(ReportError, match="不予采纳"):
        report([opinion(decision="不予采纳")], categories=categories, reason_required={"不予采纳"})


def test_supportive_opinion_needs_no_decision_and_is_thanked() -> None:
    support = Opinion("表示支持。", supportive=True, comments=[MemberComment("同意！", name="孙丽")] * 1)
    r = report([support, opinion()])
    assert r.counts.supportive == 1 and sum(r.counts.by_category.values()) == 1
    assert support.reply.startswith("感谢") and support.decision_label == "表示支持"
    assert r.check() == []


def test_sections_follow_clause_order_whole_draft_first() -> None:
    order = ["1", "2", "3", "3.1", "3.1.3", "3.3", "3.3.10", "3.3.12", "3.4.16"]
    ops = [
        opinion("人才", clause=("3.4.16", "16.", "人才")),
        opinion("外汇一", clause=("3.3.12", "12.", "外汇")),
        opinion("不在目录", clause=("9.10", "10.", "x")),
        opinion("总体"),
        opinion("通关", clause=("3.3.10", "10.", "通关")),
        opinion("外汇二", clause=("3.3.12", "12.", "外汇")),
        opinion("不在目录二", clause=("9.2", "2.", "y")),
    ]
    ops[3].clause = None
    r = report(ops, clause_order=order)
    presented = [(n, op.summary) for n, op in r.ordered_opinions()]
    assert presented == [(1, "总体"), (2, "通关"), (3, "外汇一"), (4, "外汇二"), (5, "人才"), (6, "不在目录二"),
                         (7, "不在目录")]
    assert [ref.key if ref else None for ref, _ in r.sections()] == [None, "3.3.10", "3.3.12", "3.4.16", "9.2", "9.10"]


# -- check(): each problem that blocks publication -------------------------------------------------

def test_check_undecided() -> None:
    r = report([opinion(decision="")])
    problems = r.check()
    assert [p.code for p in problems] == ["undecided"] and problems[0].opinion == 0
    assert problems[0].message.startswith("意见1（16.打造多层次跨境电商人才队伍：“建议加强人才培养。”）")


def test_check_missing_reason_after_a_change_and_without_validation() -> None:
    r = report([opinion(decision="采纳")])
    r.opinions[0].decision = "未采纳"  # staff changed the decision after the report was built
    r.counts = Counts.derive(r.opinions)
    assert codes(r) == ["missing_reason"]
    draft = report([opinion(decision="部分采纳")], validate=False)
    assert codes(draft) == ["missing_reason"]


def test_check_unknown_category() -> None:
    r = report([opinion(decision="另行研究")], validate=False)
    assert "unknown_category" in codes(r)


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"received": 9}, "收到意见数"),
        ({"by_category": {"采纳": 1}}, "有效意见数"),
        ({"by_channel": {"web": 5}}, "按渠道"),
        ({"by_submitter_type": {"个人": 3}}, "按提出人类型"),
        ({"submitters": 50}, "提出人数"),
    ],
)
def test_check_counts_that_do_not_add_up(change: dict, fragment: str) -> None:
    ops = [opinion(), opinion("二")]
    counts = Counts.derive(ops)
    for name, value in change.items():
        setattr(counts, name, value)
    r = report(ops, counts=counts)
    messages = [p.message for p in r.check() if p.code == "counts_mismatch"]
    assert messages and any(fragment in m for m in messages)


def test_check_counts_disagreeing_with_opinions() -> None:
    ops = [opinion(), opinion("二", decision="未采纳", reason="理由")]
    counts = Counts.derive(ops)
    counts.by_category["采纳"], counts.by_category["未采纳"] = 0, 2  # still sums to valid
    messages = [p.message for p in report(ops, counts=counts).check()]
    assert any("“采纳”统计为0条" in m for m in messages)


def test_check_topic_larger_than_valid() -> None:
    r = report([opinion()], topics=[Topic("人才", 5)])
    assert codes(r) == ["counts_mismatch"]


@pytest.mark.parametrize(
    "field_values",
    [
        {"summary": "王先生建议，电话13812345678。"},
        {"reason": "已电话联系提出人（li@example.com）。", "decision": "未采纳"},
        {"summary": "联系人：张小祥，建议增加补贴"},
    ],
)
def test_check_personal_data_in_staff_text(field_values: dict) -> None:
    r = report([opinion(**field_values)])
    problems = r.check()
    assert [p.code for p in problems] == ["personal_data"]
    assert problems[0].opinion == 0


def test_quoted_clause_text_with_office_phone_is_not_flagged() -> None:
    from exports import ClauseChange

    op = opinion(change=ClauseChange("(联系方式:电商处,电话022-63085581)", "(联系方式:电商处,电话022-63085581)"))
    assert report([op]).check() == []


def test_zero_comment_report_is_publishable() -> None:
    r = report([])
    assert r.counts.received == 0 and r.check() == []


def test_clause_refs_and_order_from_the_parsed_seed_draft() -> None:
    """The portal's path: clause_order and ClauseRef straight from draft.parse of the shipped seed."""
    from pathlib import Path

    import draft

    seed = Path(draft.__file__).parent / "data" / "tianjin_cbec_2024.txt"
    parsed = draft.parse(seed.read_text(encoding="utf-8"))
    forex, talent = ClauseRef.of(parsed.find("3.3.12")), ClauseRef.of(parsed.find("3.4.16"))
    assert forex.title == "12.创新外汇管理服务"
    r = report([opinion("人才", clause=talent), opinion("外汇", clause=forex)],
               clause_order=[c.key for c in parsed.walk()])
    assert [op.summary for _, op in r.ordered_opinions()] == ["外汇", "人才"]


def test_opinions_that_do_not_list_their_comments() -> None:
    """13 phone calls summarised without their text, next to listed web comments."""
    phoned = opinion("电话反馈", decision="采纳", comments=[], comment_count=13, submitter_count=13)
    r = report([phoned, opinion()])
    assert r.counts.valid == 14 and r.counts.submitters == 14
    assert r.counts.by_channel == {} and r.counts.by_submitter_type == {}
    assert r.check() == []


def test_clause_refs_cite_ambiguous_labels_with_their_parents() -> None:
    from types import SimpleNamespace as C

    from exports import clause_refs

    def node(key, label, heading="", kind="part", children=()):
        return C(key=key, label=label, heading=heading, kind=kind, children=list(children))

    roots = [
        node("3", "三、", "主要任务", children=[node("3.3", "(三)", "优化监管", children=[node("3.3.12", "12.", "外汇")])]),
        node("4", "四、", "保障措施", children=[node("4.3", "(三)", "强化政策引导")]),
        node("a1", "附件", "布局", kind="annex", children=[
            node("a1.1", "一、", "产业带", children=[node("a1.1.3", "(三)", "地毯"), node("a1.1.p1", "")]),
        ]),
    ]
    refs = clause_refs(roots)
    assert list(refs) == ["3", "3.3", "3.3.12", "4", "4.3", "a1", "a1.1", "a1.1.3", "a1.1.p1"]
    titles = {key: ref.title for key, ref in refs.items()}
    assert titles["3.3.12"] == "12.外汇" and titles["3"] == "三、主要任务"
    assert titles["3.3"] == "三(三)优化监管" and titles["4.3"] == "四(三)强化政策引导"
    assert titles["a1.1"] == "附件一、产业带" and titles["a1.1.3"] == "附件一(三)地毯"
    assert titles["a1.1.p1"] == "附件一、产业带（未编号段落）"
    assert refs["4.3"].label == "(三)"  # the label stays as written
