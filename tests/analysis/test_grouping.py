import json
from collections import Counter

import pytest

import analysis
from analysis import ANALYSIS_VERSION, CommentIn, Grouping, group_comments
from tests.analysis.helpers import FOREX, LOGISTICS, TALENT

CAMPAIGN = ("我们坚决支持跨境电商高质量发展。建议外汇管理更加便利，小微企业结算手续要简化。"
            "希望降低物流成本，加密天津港航线。恳请采纳。")


def _comments():
    comments = []
    for i, text in enumerate(FOREX):
        comments.append(CommentIn(f"f{i}", text, "3.3.12" if i % 2 else None))
    for i, text in enumerate(LOGISTICS + TALENT):
        comments.append(CommentIn(f"w{i}", text, None))
    for i in range(8):  # a campaign of 8 copies, one with an extra sentence, on the whole draft
        comments.append(CommentIn(100 + i, CAMPAIGN + ("另外我们公司有十名员工。" if i == 3 else ""), None))
    comments += [CommentIn("e1", ""), CommentIn("e2", "👍👍"), CommentIn("s1", "同意", "3.3.12")]
    return comments


@pytest.fixture(scope="module")
def grouping(seed_draft) -> Grouping:
    return group_comments(_comments(), seed_draft)


def test_every_processable_comment_is_placed_once(grouping):
    placed = [m for g in grouping.groups if g.parent is None for m in g.member_ids]
    expected = [c.id for c in _comments() if c.id not in ("e1", "e2")]
    assert sorted(map(str, placed)) == sorted(map(str, expected))
    assert len(placed) == len(set(placed))


def test_unprocessable_comments_are_returned(grouping):
    assert {(u.id, u.reason) for u in grouping.unprocessed} == {("e1", "empty"), ("e2", "no letters or digits")}


def test_campaign_found_once_with_size_and_additions(grouping):
    campaigns = [g for g in grouping.groups if g.kind == "campaign"]
    assert len(campaigns) == 1
    camp = campaigns[0]
    assert camp.member_ids == list(range(100, 108)) and camp.size == 8
    assert camp.clause_key is None and camp.representative_id in camp.member_ids
    assert list(camp.additions) == [103] and "员工" in camp.additions[103][0]
    if camp.parent is not None:
        parent = next(g for g in grouping.groups if g.id == camp.parent)
        assert set(camp.member_ids) <= set(parent.member_ids) and camp.id in parent.campaigns


def test_campaign_counts_once_for_clustering(seed_draft, monkeypatch):
    from analysis import grouping as grouping_module

    seen = []  # each clustered document as its term counts
    real = grouping_module.cluster_counts

    def spy(matrix, terms, **kwargs):
        for row in matrix.toarray():
            seen.append({str(terms[j]): int(row[j]) for j in row.nonzero()[0]})
        return real(matrix, terms, **kwargs)

    monkeypatch.setattr(grouping_module, "cluster_counts", spy)
    group_comments(_comments(), seed_draft)
    campaign_tokens = Counter(analysis.tokenizer_for_draft(seed_draft).tokenize(CAMPAIGN))
    assert sum(document == campaign_tokens for document in seen) == 1


def test_clusters_are_per_clause(grouping):
    for g in grouping.groups:
        if g.kind == "cluster":
            keys = {c.clause_key for c in _comments() if c.id in g.member_ids and c.id not in range(100, 108)}
            assert keys == {g.clause_key}
            assert g.size == len(g.member_ids) >= 2
            assert g.representative_id in g.member_ids and g.label_terms


def test_to_dict_is_json_and_carries_version_and_params(grouping):
    data = json.loads(json.dumps(grouping.to_dict(), ensure_ascii=False))
    assert data["version"] == ANALYSIS_VERSION == data["params"]["analysis_version"]
    assert {"k", "random_state", "num_perm"} <= set(data["params"])
    kinds = {g["kind"] for g in data["groups"]}
    assert kinds <= {"campaign", "cluster", "singleton", "supportive", "noise"} and "campaign" in kinds
    for g in data["groups"]:
        assert g["size"] == len(g["member_ids"])


def test_deterministic(seed_draft, grouping):
    assert group_comments(_comments(), seed_draft).to_dict() == grouping.to_dict()


def test_stored_tokens_are_used(seed_draft, monkeypatch):
    from analysis import Tokenizer

    comments = [CommentIn(i, t, None, tokens=["外汇"] if i < 5 else ["物流"]) for i, t in enumerate(FOREX)]
    real = Tokenizer.tokenize_many

    def spy(self, texts, workers=None):
        assert not set(texts) & set(FOREX), "stored comments re-tokenised"
        return real(self, texts, workers)

    monkeypatch.setattr(Tokenizer, "tokenize_many", spy)
    result = group_comments(comments, seed_draft, k=2)
    clusters = sorted(sorted(g.member_ids) for g in result.groups if g.kind == "cluster")
    assert clusters == [[0, 1, 2, 3, 4], [5, 6, 7, 8, 9]]


def test_small_partitions_are_singletons(seed_draft):
    result = group_comments([CommentIn(1, "外汇结算太慢", "3.3.12"), CommentIn(2, "物流太贵", "3.4.14")], seed_draft)
    assert [(g.kind, g.clause_key, g.member_ids) for g in result.groups] == [
        ("singleton", "3.3.12", [1]), ("singleton", "3.4.14", [2])]


def test_without_draft_and_duplicate_ids():
    result = group_comments([CommentIn(i, t) for i, t in enumerate(FOREX + LOGISTICS)], None, k=2)
    assert sum(g.size for g in result.groups if g.parent is None) == len(FOREX + LOGISTICS)
    with pytest.raises(ValueError):
        group_comments([CommentIn(1, "a"), CommentIn(1, "b")], None)


def test_empty_input():
    result = group_comments([], None)
    assert result.groups == [] and result.unprocessed == []


def test_progress_is_reported(seed_draft):
    calls = []
    group_comments(_comments(), seed_draft, progress=lambda stage, done, total: calls.append((stage, done, total)))
    stages = [c[0] for c in calls]
    assert stages[:5] == ["tokenise", "quotes", "noise", "duplicates", "vectors"] and stages[-1] == "cluster"
    assert calls[-1][1] == calls[-1][2]


@pytest.mark.parametrize("one_pool_below", [10**9, 0], ids=["one pool", "a pool for noise, one for clustering"])
def test_worker_pool_gives_the_same_groups(seed_draft, monkeypatch, one_pool_below):
    from analysis import grouping as grouping_module

    serial = group_comments(_comments(), seed_draft).to_dict()
    monkeypatch.setattr(grouping_module, "POOL_FROM", 10)
    monkeypatch.setattr(grouping_module, "ONE_POOL_BELOW", one_pool_below)
    assert group_comments(_comments(), seed_draft).to_dict() == serial


def test_worker_processes_end_when_the_analysis_fails(seed_draft, monkeypatch):
    """An exception mid-analysis (here while the word vectors are learnt, when the clustering workers have just
    started) must not leave worker processes running until the garbage collector or interpreter exit finds the
    pool."""
    import multiprocessing

    from analysis import grouping as grouping_module

    def broken(*args, **kwargs):
        raise RuntimeError("vectors failed")

    monkeypatch.setattr(grouping_module, "POOL_FROM", 10)
    monkeypatch.setattr(grouping_module, "pending_word_vectors", broken)
    with pytest.raises(RuntimeError, match="vectors failed") as failure:
        group_comments(_comments(), seed_draft)
    assert failure.traceback  # the failed frames (and whatever they hold) are still referenced here
    assert multiprocessing.active_children() == []


def test_comments_staff_said_are_not_noise_are_grouped_again(seed_draft):
    """A rejected noise proposal goes back into the analysis: never set aside as noise a second time."""
    advert = "代开各类发票，税点低，加微信 fp8866"
    comments = [CommentIn(1, advert), CommentIn(2, "建议加大对海外仓建设的资金支持力度。")]
    flagged = group_comments(comments, seed_draft)
    assert [g.member_ids for g in flagged.groups if g.kind == "noise"] == [[1]] and 1 in flagged.noise_evidence
    kept = group_comments(comments, seed_draft, not_noise={1})
    assert not [g for g in kept.groups if g.kind == "noise"] and kept.noise_evidence == {}
    assert kept.group_of(1) is not None and kept.params["noise"] == 0


def test_tokens_handed_to_worker_processes_come_back_as_they_were():
    from analysis.grouping import _packed, _unpacked

    cases = [["跨境", "电商"], [], [""], ["含\x1f分隔符", "词"], ["一个"], ["", ""]]
    packed = _packed(cases)
    assert [_unpacked(p) for p in packed] == cases
    assert isinstance(packed[0], str)  # the usual case travels as one string


def test_support_for_a_clause_quoted_without_marks_is_answered_with_thanks(seed_draft):
    """The draft's 鼓励 quoted without quotation marks is no proposal of the writer's: the comment agrees (it was
    clustered with substantive comments); the writer's own proposal beside the same quotation stays substantive."""
    texts = ["鼓励OEM、ODM企业注册自有品牌——赞成！", "鼓励OEM、ODM企业注册自有品牌——赞成！建议补贴注册费。",
             "建议对企业建设海外仓给予资金补贴，并明确海外仓认定标准和申报流程。"]
    grouping = group_comments([CommentIn(i, t) for i, t in enumerate(texts)], seed_draft)
    assert grouping.group_of(0).kind == "supportive"
    assert grouping.group_of(1).kind != "supportive" and grouping.group_of(2).kind != "supportive"
