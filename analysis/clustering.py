"""Clustering of comments by topic, with class-based TF-IDF labels and a representative per cluster."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.cluster import KMeans, MiniBatchKMeans
from sklearn.metrics import silhouette_score
from threadpoolctl import threadpool_limits

from .tokenize import default_tokenizer
from .vectorize import WordVectors, cooccurrence_embedding, counts, tfidf_from_counts

#: Below this many clusterable documents the TF-IDF space itself is clustered: co-occurrence statistics
#: from a handful of comments are too thin to learn word vectors from.
EMBEDDING_MIN_DOCS = 200
#: Above this many documents mini-batch k-means replaces full k-means.
MINIBATCH_FROM = 50_000
#: Candidate cluster counts when ``k=None`` (capped by the number of documents).
K_CANDIDATES = (2, 3, 4, 5, 6, 7, 8, 10, 12, 15, 20)
SILHOUETTE_SAMPLE = 600
LABEL_TERMS = 8


@dataclass
class Cluster:
    """One topic: member indices (into the input), label terms, the representative member, cohesion, size.

    ``representative`` is the member nearest the centroid in the space that was clustered; ``cohesion`` is the
    mean cosine similarity of the members' TF-IDF vectors to their mean direction (1 = all alike).
    """

    id: int
    members: list[int]
    label_terms: list[str]
    representative: int
    cohesion: float
    size: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Clustering:
    """``assignments[i]`` is the cluster id of text i, or -1 when it could not be clustered."""

    assignments: list[int]
    clusters: list[Cluster]
    k: int
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def unclustered(self) -> list[int]:
        return [i for i, a in enumerate(self.assignments) if a < 0]

    def to_dict(self) -> dict[str, Any]:
        return {"assignments": list(self.assignments), "clusters": [c.to_dict() for c in self.clusters],
                "k": self.k, "params": dict(self.params)}


def _kmeans(points: np.ndarray | sp.csr_matrix, k: int, random_state: int,
            n_init: int = 4) -> tuple[np.ndarray, np.ndarray]:
    if points.shape[0] >= MINIBATCH_FROM:
        model = MiniBatchKMeans(k, random_state=random_state, n_init=min(n_init, 3), batch_size=4096)
    else:
        model = KMeans(k, random_state=random_state, n_init=n_init)
    labels = model.fit_predict(points)
    return labels, model.cluster_centers_


def choose_k(points: np.ndarray | sp.csr_matrix, random_state: int = 0) -> int:
    """The candidate k (2–8, 10, 12, 15, 20; at most √n) with the best cosine silhouette on a seeded sample.

    Each candidate is one k-means run (a single initialisation) on the sample; the distances are computed once.
    """
    n = points.shape[0]
    rng = np.random.default_rng(random_state)
    sample = np.sort(rng.choice(n, size=min(n, SILHOUETTE_SAMPLE), replace=False))
    subset = points[sample]
    dense = subset.toarray() if sp.issparse(subset) else np.asarray(subset)
    dense = dense / np.maximum(np.linalg.norm(dense, axis=1, keepdims=True), 1e-12)
    distances = np.clip(1.0 - dense @ dense.T, 0.0, 2.0)
    np.fill_diagonal(distances, 0.0)
    best_k, best_score = 1, -np.inf
    for k in K_CANDIDATES:
        if k > max(2, int(np.sqrt(n))) or k >= subset.shape[0]:
            break
        labels, _ = _kmeans(subset, k, random_state, n_init=1)
        if len(set(labels.tolist())) < 2:
            continue
        score = silhouette_score(distances, labels, metric="precomputed")
        if score > best_score + 1e-9:
            best_k, best_score = k, score
    return best_k


def class_tfidf_terms(count_matrix: sp.csr_matrix, terms: np.ndarray, assignments: np.ndarray, n_clusters: int,
                      top: int = LABEL_TERMS) -> list[list[str]]:
    """Top terms per cluster by class-based TF-IDF: tf within the cluster × log(1 + mean words per class / f(t)).

    ``count_matrix`` holds term counts per document (rows aligned with ``assignments``; -1 rows are ignored).
    """
    assignments = np.asarray(assignments)
    rows = np.flatnonzero(assignments >= 0)
    indicator = sp.csr_matrix((np.ones(len(rows)), (assignments[rows], rows)),
                              shape=(n_clusters, count_matrix.shape[0]))
    per_class = (indicator @ count_matrix).toarray()
    freq = per_class.sum(axis=0)
    if not freq.any():
        return [[] for _ in range(n_clusters)]
    totals = per_class.sum(axis=1, keepdims=True)
    tf = np.divide(per_class, totals, out=np.zeros_like(per_class), where=totals > 0)
    avg_words = per_class.sum() / n_clusters
    weights = tf * np.log1p(avg_words / np.maximum(freq, 1e-12))
    names = np.asarray(terms).astype(str)
    out = []
    for c in range(n_clusters):
        candidates = np.flatnonzero(weights[c] > 0)
        # Highest weight first, ties broken by the term itself so labels are stable.
        order = sorted(candidates.tolist(), key=lambda j: (-weights[c, j], names[j]))[:top]
        out.append([str(names[j]) for j in order])
    return out


def class_tfidf_labels(tokens: Sequence[list[str]], assignments: Sequence[int], n_clusters: int,
                       top: int = LABEL_TERMS) -> list[list[str]]:
    """:func:`class_tfidf_terms` from token lists."""
    count_matrix, terms = counts([list(t) if t else [""] for t in tokens])
    return class_tfidf_terms(count_matrix, terms, np.asarray(assignments), n_clusters, top)


def cluster(texts: Sequence[str], *, k: int | None = None, tokens: Sequence[list[str]] | None = None,
            random_state: int = 0, word_vectors: WordVectors | None = None) -> Clustering:
    """Cluster texts by topic; deterministic for a fixed input and ``random_state``.

    Steps: TF-IDF on jieba tokens (``tokens`` given → no re-tokenising); for 200 or more documents each one is
    mapped to a 50-dimensional co-occurrence embedding (see :mod:`analysis.vectorize`), fewer are clustered in
    TF-IDF space, unless ``word_vectors`` learnt from a larger body of text (see
    :func:`analysis.vectorize.fit_word_vectors`) are given: then those embed every document whatever the size;
    then k-means (mini-batch from 50,000 documents). Texts without a single kept token are
    assigned -1. With ``k=None`` the number of clusters is chosen by the method itself: k-means is run for
    k = 2…8, 10, 12, 15, 20 (at most √n) on a seeded sample of up to 600 documents and the k with the highest
    mean cosine silhouette wins.
    """
    if tokens is None:
        tokens = default_tokenizer().tokenize_many(list(texts))
    tokens = list(tokens)  # the token lists themselves are only read, never copied
    n = len(tokens)
    assignments = np.full(n, -1, dtype=np.int64)
    usable = np.array([i for i, t in enumerate(tokens) if t], dtype=np.int64)
    params = {"k": k, "random_state": random_state, "embedding_min_docs": EMBEDDING_MIN_DOCS,
              "word_vectors": word_vectors is not None}
    if len(usable) == 0:
        return Clustering([-1] * n, [], 0, params)
    used_tokens = [tokens[i] for i in usable]
    min_df = 2 if len(usable) >= 1000 else 1
    try:
        count_matrix, terms = counts(used_tokens, min_df=min_df)
    except ValueError:  # every term below min_df
        count_matrix, terms = counts(used_tokens)
    matrix = tfidf_from_counts(count_matrix)
    if word_vectors is not None:
        points = word_vectors.embed(used_tokens)
        keep = np.linalg.norm(points, axis=1) > 0  # no known word: not clusterable in this space
    else:
        keep = np.asarray(matrix.getnnz(axis=1)) > 0
    if not keep.all():
        usable, matrix, count_matrix = usable[keep], matrix[keep], count_matrix[keep]
        if word_vectors is not None:
            points = points[keep]
    m = len(usable)
    if m == 0:
        return Clustering([-1] * n, [], 0, params)
    if word_vectors is None:
        points = cooccurrence_embedding(matrix, random_state=random_state) if m >= EMBEDDING_MIN_DOCS else matrix
    # k-means on one thread: deterministic, and on 2 cores faster than OpenMP contention (measured in bench/).
    with threadpool_limits(1):
        if k is None:
            k = choose_k(points, random_state) if m > 2 else 1
        k = max(1, min(int(k), m))
        if k == 1:
            local = np.zeros(m, dtype=np.int64)
        else:
            local, _ = _kmeans(points, k, random_state)
    # Renumber clusters by first appearance so ids do not depend on k-means' internal order.
    _, first = np.unique(local, return_index=True)
    order = np.argsort(first)
    remap = np.empty(local.max() + 1, dtype=np.int64)
    remap[np.unique(local)[order]] = np.arange(len(order))
    local = remap[local]
    k = len(order)
    assignments[usable] = local
    labels = class_tfidf_terms(count_matrix, terms, local, k)
    clusters = []
    for c in range(k):
        idx = np.flatnonzero(local == c)
        sub = points[idx]
        centroid = np.asarray(sub.mean(axis=0)).ravel()
        scores = np.asarray(sub @ centroid).ravel()
        representative = int(usable[idx[int(np.argmax(scores))]])
        tf_centroid = np.asarray(matrix[idx].mean(axis=0)).ravel()
        norm = np.linalg.norm(tf_centroid)
        cohesion = float(np.mean(matrix[idx] @ (tf_centroid / norm))) if norm else 0.0
        clusters.append(Cluster(id=c, members=[int(i) for i in usable[idx]], label_terms=labels[c],
                                representative=representative, cohesion=round(cohesion, 4), size=len(idx)))
    params["k_chosen"] = k
    return Clustering([int(a) for a in assignments], clusters, k, params)
