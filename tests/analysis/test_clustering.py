import random
from collections import Counter
from pathlib import Path

import pytest
from sklearn.metrics import normalized_mutual_info_score

import analysis
from analysis import Tokenizer, cluster, split_sentences, terms_from_draft
from analysis import clustering as clustering_module
from analysis.clustering import EMBEDDING_MIN_DOCS, class_tfidf_labels
from analysis.vectorize import fit_word_vectors


def _purity(assignments, labels):
    by_cluster = {}
    for a, y in zip(assignments, labels):
        by_cluster.setdefault(a, []).append(y)
    return sum(Counter(ys).most_common(1)[0][1] for ys in by_cluster.values()) / len(labels)


def test_three_topics_with_k3_structure(topic_comments):
    texts, _ = topic_comments
    result = cluster(texts, k=3)
    assert result.k == 3 and len(result.clusters) == 3
    for c in result.clusters:
        assert c.size == len(c.members) and c.representative in c.members
        assert 0.0 <= c.cohesion <= 1.0
        assert c.label_terms and all(isinstance(t, str) for t in c.label_terms)
    assert sorted(i for c in result.clusters for i in c.members) == list(range(len(texts)))


@pytest.fixture(scope="module")
def word_vectors(topic_comments, seed_draft):
    # What group_comments does: learn word vectors from all comments plus the draft's sentences.
    tokenizer = Tokenizer(terms_from_draft(seed_draft))
    sentences = [s for c in seed_draft.walk() for s in split_sentences(f"{c.heading}。{c.body}")]
    return tokenizer, fit_word_vectors(tokenizer.tokenize_many(topic_comments[0] + sentences))


def test_small_set_with_word_vectors_from_draft_and_comments(topic_comments, word_vectors):
    texts, labels = topic_comments
    tokenizer, vectors = word_vectors
    result = cluster(texts, tokens=tokenizer.tokenize_many(texts), word_vectors=vectors)
    assert 3 <= result.k <= 6
    assert _purity(result.assignments, labels) >= 0.7
    assert result.params["word_vectors"] is True


def test_label_terms_name_the_topic(topic_comments, word_vectors):
    texts, labels = topic_comments
    tokenizer, vectors = word_vectors
    result = cluster(texts, tokens=tokenizer.tokenize_many(texts), word_vectors=vectors)
    labels_by_topic = {}
    for c in result.clusters:
        topic = Counter(labels[i] for i in c.members).most_common(1)[0][0]
        labels_by_topic.setdefault(topic, set()).update(c.label_terms)
    assert {"外汇", "结算"} & labels_by_topic.get(0, set())
    assert {"物流", "航线", "海外仓"} & labels_by_topic.get(1, set())
    assert {"人才", "人才培养", "培训"} & labels_by_topic.get(2, set())


def test_k_none_chooses_a_k_and_is_deterministic(topic_comments):
    texts, _ = topic_comments
    first = cluster(texts)
    second = cluster(texts)
    assert 2 <= first.k <= 20
    assert first.to_dict() == second.to_dict()


def test_empty_after_stop_words_is_unclustered(topic_comments):
    texts, _ = topic_comments
    texts = list(texts) + ["我们认为应该这样。", "👍👍", ""]
    result = cluster(texts, k=3)
    assert result.assignments[-3:] == [-1, -1, -1]
    assert result.unclustered == [len(texts) - 3, len(texts) - 2, len(texts) - 1]
    assert all(i not in c.members for c in result.clusters for i in result.unclustered)


def test_given_tokens_are_not_retokenised(topic_comments, monkeypatch):
    texts, _ = topic_comments
    tokens = analysis.default_tokenizer().tokenize_many(texts)
    monkeypatch.setattr(clustering_module, "default_tokenizer", lambda: pytest.fail("re-tokenised"))
    result = cluster(["ignored"] * len(texts), k=3, tokens=tokens)
    assert len(result.assignments) == len(texts)


def test_all_empty_gives_no_clusters():
    result = cluster(["", "👍", "我们认为"], k=2)
    assert result.clusters == [] and result.assignments == [-1, -1, -1]


def test_larger_set_uses_the_embedding_and_recovers_topics(topic_comments):
    # Above EMBEDDING_MIN_DOCS the co-occurrence embedding is used; build mixed comments from topic sentences.
    texts, labels = topic_comments
    rng = random.Random(3)
    by_topic = {t: [x for x, y in zip(texts, labels) if y == t] for t in range(3)}
    built, truth = [], []
    for i in range(EMBEDDING_MIN_DOCS + 100):
        topic = i % 3
        built.append("".join(rng.sample(by_topic[topic], 2)))
        truth.append(topic)
    result = cluster(built, k=3, random_state=0)
    assert normalized_mutual_info_score(truth, result.assignments) > 0.6
    assert cluster(built, k=3, random_state=0).assignments == result.assignments


def test_class_tfidf_prefers_terms_distinctive_for_a_cluster():
    tokens = [["外汇", "结算", "企业"], ["外汇", "额度", "企业"], ["物流", "航线", "企业"], ["物流", "海运", "企业"]]
    labels = class_tfidf_labels(tokens, [0, 0, 1, 1], 2, top=2)
    assert labels[0][0] == "外汇" and labels[1][0] == "物流"
    assert "企业" not in labels[0][:1] and "企业" not in labels[1][:1]


def test_class_tfidf_breaks_ties_at_the_cut_by_the_term():
    """Terms of equal weight across the top-k cut: the first ones by the term itself, whatever the order they come
    in (the heaviest term first, then the tied ones in term order)."""
    tied = ["仓储", "保税", "物流", "海关", "退货", "外汇"]  # each once in every document of cluster 0
    tokens = [["跨境", "跨境", *tied], ["跨境", "跨境", *reversed(tied)], ["人才", "培训"], ["人才", "培训"]]
    labels = class_tfidf_labels(tokens, [0, 0, 1, 1], 2, top=4)
    assert labels[0] == ["跨境", *sorted(tied)[:3]]


def test_word_vectors_leave_documents_without_known_words_unclustered(word_vectors):
    tokenizer, vectors = word_vectors
    texts = ["外汇结算太慢", "个人外汇账户额度太低", "天津港航线太少", "物流成本太高", "量子纠缠薛定谔"]
    result = cluster(texts, k=2, tokens=tokenizer.tokenize_many(texts), word_vectors=vectors)
    assert result.assignments[-1] == -1
    assert all(a >= 0 for a in result.assignments[:-1])


ONE_OPINION = ["个人外汇账户结汇额度太低，建议提高额度。", "建议提高个人外汇账户的年度结汇额度。", "个人账户结汇额度每年五万美元不够，请提高。",
               "希望提高个人外汇结汇额度，额度太低了。", "个人外汇额度应当提高，小卖家结汇不够用。", "结汇额度太低，个人外汇账户额度要提高。",
               "建议个人外汇账户结汇额度提高到二十万美元。", "个人结汇额度限制太严，希望放宽提高。", "提高个人外汇账户额度，方便小卖家结汇。",
               "个人外汇账户的结汇额度需要提高。"]


def test_a_cluster_of_two_topics_is_flagged_too_mixed(topic_comments, word_vectors):
    texts, labels = topic_comments
    tokenizer, vectors = word_vectors
    two = [t for t, y in zip(texts, labels) if y in (0, 2)]
    mixed = cluster(two, k=1, tokens=tokenizer.tokenize_many(two), word_vectors=vectors).clusters[0]
    alone = cluster(ONE_OPINION, k=1, tokens=tokenizer.tokenize_many(ONE_OPINION), word_vectors=vectors).clusters[0]
    assert mixed.too_mixed and not alone.too_mixed
    assert 0.0 <= mixed.cohesion < alone.cohesion <= 1.0


LABELED = next((p / "shared" / "data" / "messages_titles_labeled.csv" for p in Path(__file__).resolve().parents
                if (p / "shared" / "data" / "messages_titles_labeled.csv").exists()), None)


@pytest.mark.slow
@pytest.mark.skipif(LABELED is None, reason="needs ../shared/data/messages_titles_labeled.csv")
def test_automatic_k_on_real_titles_does_not_collapse():
    import csv

    with LABELED.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    rows = random.Random(0).sample(rows, 3000)
    texts, labels = [r["text"] for r in rows], [r["label"] for r in rows]
    result = cluster(texts, k=None, tokens=analysis.default_tokenizer().tokenize_many(texts))
    assert 4 <= result.k <= 14  # within 0.5–2 × the 7 labels
    assert normalized_mutual_info_score(labels, result.assignments) >= 0.3


def test_silhouette_matches_scikit_learn():
    import numpy as np
    from sklearn.metrics import silhouette_score

    from analysis.clustering import _silhouette

    rng = np.random.default_rng(0)
    points = rng.normal(size=(300, 8))
    points /= np.linalg.norm(points, axis=1, keepdims=True)
    distances = np.clip(1 - points @ points.T, 0, 2)
    np.fill_diagonal(distances, 0)
    for k in (2, 5):
        labels = np.concatenate(([k - 1], rng.integers(0, k, 299)))
        assert _silhouette(distances, labels) == pytest.approx(silhouette_score(distances, labels, metric="precomputed"))


def _blobs(sizes, dims=20, spread=0.05, seed=0):
    import numpy as np

    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(len(sizes), dims))
    points = np.concatenate([c + spread * rng.normal(size=(n, dims)) for c, n in zip(centres, sizes)])
    truth = np.repeat(np.arange(len(sizes)), sizes)
    return points / np.linalg.norm(points, axis=1, keepdims=True), truth


def test_lloyd_recovers_separated_groups_and_is_deterministic():
    import numpy as np
    from sklearn.metrics import adjusted_rand_score

    from analysis.clustering import _lloyd

    points, truth = _blobs([40, 60, 25, 80])
    labels = _lloyd(points, 4, random_state=0)
    assert adjusted_rand_score(truth, labels) == 1.0
    assert np.array_equal(labels, _lloyd(points, 4, random_state=0))


def test_lloyd_with_more_clusters_than_distinct_points_leaves_none_empty_of_meaning():
    import numpy as np

    from analysis.clustering import _lloyd

    points = np.repeat(np.eye(3), 10, axis=0)  # three distinct points, asked for five clusters
    labels = _lloyd(points, 5, random_state=0)
    assert len(labels) == 30 and labels.min() >= 0 and labels.max() < 5
    for block in range(3):  # copies of one point stay together
        assert len(set(labels[block * 10:(block + 1) * 10].tolist())) == 1


def _lloyd_one_run(x, centers, max_iter=300, tol=1e-4):
    """Plain Lloyd iterations of one run (the rules of clustering._refine, written the obvious way): labels and
    inertia."""
    import numpy as np

    threshold = tol * float(np.mean(np.var(x, axis=0)))
    labels = None
    for _ in range(max_iter):
        distances = ((x[:, None, :] - centers[None, :, :]) ** 2).sum(axis=2)
        new = distances.argmin(axis=1)
        if labels is not None and np.array_equal(new, labels):
            break
        labels = new
        moved = centers.copy()
        for c in range(len(centers)):
            if (labels == c).any():
                centers[c] = x[labels == c].mean(axis=0)
            else:  # an empty cluster takes the point farthest from its centre
                taken = [c2 for c2 in range(c) if not (labels == c2).any()]
                far = np.argsort(-distances[np.arange(len(x)), labels], kind="stable")
                centers[c] = x[far[len(taken)]]
        if ((centers - moved) ** 2).sum() <= threshold:
            labels = ((x[:, None, :] - centers[None, :, :]) ** 2).sum(axis=2).argmin(axis=1)
            break
    distances = ((x[:, None, :] - centers[None, :, :]) ** 2).sum(axis=2)
    return distances.argmin(axis=1), float(distances.min(axis=1).sum())


def test_refine_runs_together_as_each_would_alone():
    """The runs of _refine iterate in one matrix product and freeze one by one (here: a run that starts at the
    answer, runs that need several steps, a run with two identical centres, i.e. an empty cluster): each gives
    the labels it would give alone, and the run of least inertia wins."""
    import numpy as np

    from analysis.clustering import _refine

    points, _ = _blobs([40, 60, 25, 80], seed=5)
    x = points.astype(np.float64)
    rng = np.random.default_rng(2)
    starts = [x[rng.choice(len(x), 4, replace=False)] for _ in range(3)]
    starts.append(np.stack([x[0], x[0], x[50], x[150]]))  # two identical centres: one cluster starts empty
    alone = [_lloyd_one_run(x, s.copy()) for s in starts]
    together = _refine(x.astype(np.float32), (x * x).sum(axis=1).astype(np.float32), np.stack(starts))
    best = min(range(len(starts)), key=lambda r: alone[r][1])
    assert np.array_equal(together, alone[best][0])
    for r, start in enumerate(starts):  # and each run on its own
        labels = _refine(x.astype(np.float32), (x * x).sum(axis=1).astype(np.float32), start[None])
        assert np.array_equal(labels, alone[r][0]), r


def test_ward_levels_merge_the_nearest_clusters_first():
    import numpy as np

    from analysis.clustering import _ward_levels

    centres = np.array([[0.0, 0.0], [0.1, 0.0], [5.0, 5.0], [5.0, 5.2], [10.0, 0.0]])
    levels = _ward_levels(centres, np.ones(5), [2, 3, 4])
    assert sorted(levels) == [2, 3, 4]
    three = levels[3]
    assert three[0] == three[1] and three[2] == three[3] and len(set(three.tolist())) == 3
    two = levels[2]
    assert len(set(two.tolist())) == 2 and two[0] == two[1] and two[2] == two[3]
    # A heavy cluster is dearer to move: Ward weighs the merge by the sizes.
    heavy = _ward_levels(np.array([[0.0], [1.0], [2.1]]), np.array([100.0, 1.0, 1.0]), [2])[2]
    assert heavy[1] == heavy[2] != heavy[0]


def test_choose_k_finds_the_number_of_separated_groups_and_clusters_every_point_from_a_sample(monkeypatch):
    from sklearn.metrics import adjusted_rand_score

    from analysis.clustering import _choose_k

    points, truth = _blobs([120, 80, 150, 60, 90], seed=3)
    choice = _choose_k(points, 0)
    assert choice.k == 5
    assert adjusted_rand_score(truth, choice.labels) == 1.0
    # Bigger than the fitting sample: the sample's clustering, refined on every point (what cluster() does).
    monkeypatch.setattr(clustering_module, "FIT_SAMPLE", 200)
    monkeypatch.setattr(clustering_module, "SILHOUETTE_SAMPLE", 150)
    sampled = _choose_k(points, 0)
    assert sampled.k == 5 and len(sampled.sample) == 200 and sampled.centers is not None
    x = points.astype("float32")
    labels = clustering_module._refine(x, (x * x).sum(axis=1), sampled.centers[None])
    assert adjusted_rand_score(truth, labels) == 1.0
