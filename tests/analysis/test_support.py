"""Supportive comments in their many forms; support followed by a proposal is substantive."""

import pytest

from analysis import CommentIn, group_comments, is_supportive


@pytest.mark.parametrize("text", ["支持！希望早日落地。", "赞成", "同意本条", "好政策👍", "非常支持，尽快出台", "👍👍",
                                  "完全同意，没有意见。", "同意，希望各区抓紧落实。", "赞同第12条，外汇结算便利化是企业的期盼。",
                                  "同意，没有修改意见。"])
def test_supportive(text):
    assert is_supportive(text)


@pytest.mark.parametrize("text", ["支持，但建议把补贴提高到50万", "同意本条，另外希望明确申报时间。", "不同意，目标定得太高。",
                                  "支持是支持，但补贴什么时候能到位？", "好政策，就是门槛太高，小企业享受不到。",
                                  "同意第5条，园区评定标准希望公开征求意见。", "反对", "",
                                  "支持跨境电商发展。" * 10])
def test_not_supportive(text):
    assert not is_supportive(text)


def test_supportive_comments_are_set_aside_per_clause(seed_draft):
    texts = [("支持！希望早日落地。", "3.3.12"), ("好政策👍", "3.3.12"), ("赞成", None),
             ("支持，但建议把补贴提高到50万", "3.3.12"), ("外汇结算手续太复杂，建议简化。", "3.3.12"),
             ("个人外汇账户额度太低，建议提高。", "3.3.12")]
    grouping = group_comments([CommentIn(i, t, k) for i, (t, k) in enumerate(texts)], seed_draft)
    supportive = {g.clause_key: g.member_ids for g in grouping.groups if g.kind == "supportive"}
    assert supportive == {"3.3.12": [0, 1], None: [2]}
    others = [m for g in grouping.groups if g.kind in ("cluster", "singleton") for m in g.member_ids]
    assert sorted(others) == [3, 4, 5]
