import pytest

from analysis import clause_scores, suggest_clauses


@pytest.mark.parametrize(("text", "key"), [
    ("建议第十二条对个人外汇账户结算额度放宽", "3.3.12"),
    ("第12项外汇管理还要再细化", "3.3.12"),
    ("对“创新外汇管理服务”这一条有意见：轧差结算要明确范围", "3.3.12"),
    ("第三部分任务太多了，建议精简", "3"),
    ("附件第二部分园区布局应增加武清", "a1.2"),
    ("天津港外贸航线太少，中欧班列也要加密", "3.4.14"),
    ("无票免征政策在实际中很难享受到，税务局应当出细则", "3.3.11"),
    ("自行车产业带应该把北辰的电助力自行车企业纳入", "a1.1.2"),
    ("高校应该开设跨境电商小语种专业，培养运营人才", "3.4.16"),
])
def test_top_suggestion_on_the_seed(seed_draft, text, key):
    assert suggest_clauses(text, seed_draft, top=3)[0] == key


def test_mentions_beat_similarity(seed_draft):
    # Text about logistics, but it names item 12 explicitly.
    assert suggest_clauses("第十二条：天津港航线和物流也很重要", seed_draft, top=1) == ["3.3.12"]


def test_annex_numbering_only_with_annex_mentioned(seed_draft):
    assert suggest_clauses("第一部分写得很好", seed_draft, top=1) == ["1"]
    assert suggest_clauses("附件第一部分写得很好", seed_draft, top=1) == ["a1.1"]


def test_hand_built_draft(small_draft):
    assert suggest_clauses("OEM企业注册自有品牌的支持力度不够", small_draft, top=1) == ["3.2.3"]
    assert suggest_clauses("第4条轧差结算", small_draft, top=1) == ["3.2.4"]


def test_empty_and_unrelated(seed_draft):
    assert suggest_clauses("", seed_draft) == []
    assert suggest_clauses("   ", seed_draft) == []
    assert len(suggest_clauses("今天天气不错", seed_draft, top=3)) <= 3


def test_scores_sorted_and_deterministic(seed_draft):
    scores = clause_scores("外汇结算和物流费用", seed_draft)
    assert [s for _, s in scores] == sorted((s for _, s in scores), reverse=True)
    assert scores == clause_scores("外汇结算和物流费用", seed_draft)
