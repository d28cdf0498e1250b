"""Clustering of comments by topic, with class-based TF-IDF labels and a representative per cluster."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from itertools import compress
from typing import Any, NamedTuple

import numpy as np
import scipy.sparse as sp
from threadpoolctl import threadpool_limits

from .boilerplate import cut_boilerplate, without_passages
from .labels import is_label_term
from .normalize import canonical_many
from .tokenize import default_tokenizer
from .vectorize import WordVectors, cooccurrence_embedding, counts, frequent_terms, rows_of, tfidf_from_counts

#: Below this many clusterable documents the TF-IDF space itself is clustered: co-occurrence statistics
#: from a handful of comments are too thin to learn word vectors from.
EMBEDDING_MIN_DOCS = 200
#: Above this many documents mini-batch k-means replaces full k-means.
MINIBATCH_FROM = 50_000
#: Candidate cluster counts when ``k=None`` (capped by the number of documents).
K_CANDIDATES = (2, 3, 4, 5, 6, 7, 8, 10, 12, 14, 16, 20)
#: choose_k fits each candidate on this many documents (seeded sample) and scores the silhouette on this many.
FIT_SAMPLE = 5000
SILHOUETTE_SAMPLE = 2000
#: Initialisations of the k-means fit of the largest candidate k (the smaller ones start from its merged clusters;
#: fewer initialisations made the choice wander between runs on the titles benchmark).
CHOOSE_N_INIT = 4
#: Silhouettes closer than this to the best count as equally good (measured run-to-run spread on short texts).
SILHOUETTE_TOLERANCE = 0.01
LABEL_TERMS = 8
#: A cluster is flagged too mixed for one answer when it splits in two parts of at least MIXED_MIN_SHARE each
#: whose silhouette reaches the clustering's own and beats a structureless copy of the cluster by MIXED_MARGIN
#: (clusters under 2 × MIXED_MIN_SIZE members are never flagged).
MIXED_MARGIN = 0.1
MIXED_MAX_CENTRES_COSINE = 0.9
MIXED_SAMPLE = 500
MIXED_MIN_SHARE = 0.25
MIXED_MIN_SIZE = 3


@dataclass
class Cluster:
    """One topic: member indices (into the input), label terms, the representative member, cohesion, size.

    ``representative`` is the member nearest the centroid in the space that was clustered; ``cohesion`` is the
    mean cosine similarity of the members to their mean direction in the space that was clustered (1 = all alike;
    staff can sort by it); ``too_mixed``: the cluster splits cleanly in two (see :func:`_too_mixed`), so one
    decision is unlikely to answer it.
    """

    id: int
    members: list[int]
    label_terms: list[str]
    representative: int
    cohesion: float
    size: int
    too_mixed: bool = False

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
            n_init: int = 4, max_iter: int = 300) -> np.ndarray:
    """Labels of k-means: mini-batch for big inputs, :func:`_lloyd` for dense points, scikit-learn's for sparse."""
    from sklearn.cluster import KMeans, MiniBatchKMeans  # see analysis/__init__: scikit-learn loads on use

    if points.shape[0] >= MINIBATCH_FROM:
        model = MiniBatchKMeans(k, random_state=random_state, n_init=min(n_init, 3), batch_size=4096)
    elif not sp.issparse(points):
        return _lloyd(points, k, random_state, n_init=n_init, max_iter=max_iter)
    else:
        model = KMeans(k, random_state=random_state, n_init=n_init, max_iter=max_iter)
    return np.asarray(model.fit_predict(points))


def choose_k(points: np.ndarray | sp.csr_matrix, random_state: int = 0) -> int:
    return _choose_k(points, random_state).k


def _silhouette(distances: np.ndarray, labels: np.ndarray) -> float:
    """Mean silhouette from a precomputed distance matrix: one matrix product for every point's mean distance to
    every cluster (what sklearn's silhouette_score computes, several times faster for a few thousand points)."""
    k = int(labels.max()) + 1
    onehot = np.zeros((len(labels), k), dtype=distances.dtype)
    onehot[np.arange(len(labels)), labels] = 1.0
    sizes = onehot.sum(axis=0)
    if (sizes > 0).sum() < 2:
        return 0.0
    sums = distances @ onehot  # n × k: total distance from each point to each cluster
    own = sizes[labels]
    a = np.divide(sums[np.arange(len(labels)), labels], own - 1, out=np.zeros(len(labels)), where=own > 1)
    means = np.divide(sums, sizes, out=np.full_like(sums, np.inf), where=sizes > 0)
    means[np.arange(len(labels)), labels] = np.inf
    b = means.min(axis=1)
    score = np.divide(b - a, np.maximum(a, b), out=np.zeros(len(labels)), where=np.maximum(a, b) > 0)
    score[own <= 1] = 0.0  # sklearn: a point alone in its cluster scores 0
    return float(score.mean())


def _plusplus(x: np.ndarray, squared: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """Greedy k-means++ seeding (scikit-learn's: ``2 + log k`` candidates per step, the one that lowers the
    potential most is kept)."""
    n = len(x)
    trials = 2 + int(np.log(k))
    centers = np.empty((k, x.shape[1]))
    first = int(rng.integers(n))
    centers[0] = x[first]
    closest = np.maximum(squared - 2 * x @ x[first] + squared[first], 0.0)
    potential = closest.sum()
    for c in range(1, k):
        if potential <= 0:  # fewer distinct points than k: any point will do
            centers[c] = x[int(rng.integers(n))]
            continue
        picks = np.searchsorted(np.cumsum(closest), rng.random(trials) * potential)
        picks = np.minimum(picks, n - 1)
        to_picks = np.maximum(squared[picks][:, None] - 2 * x[picks] @ x.T + squared[None, :], 0.0)
        np.minimum(closest[None, :], to_picks, out=to_picks)
        potentials = to_picks.sum(axis=1)
        best = int(np.argmin(potentials))
        potential, closest = potentials[best], to_picks[best]
        centers[c] = x[picks[best]]
    return centers


def _lloyd(points: np.ndarray, k: int, random_state: int, n_init: int = 4, max_iter: int = 300,
           tol: float = 1e-4) -> np.ndarray:
    """Labels of k-means in NumPy: greedy k-means++ seeding, then :func:`_refine`; best of ``n_init`` by inertia.

    This module solves many small problems (a partition of a few hundred or thousand comments, a two-way split of
    every cluster), where the cost is per step, not per point: scikit-learn's KMeans spent most of its time in
    per-call set-up and in its k-means++ (bench/analysis_scale.py)."""
    x = np.asarray(points, dtype=np.float32)
    squared = np.einsum("ij,ij->i", x, x)
    rng = np.random.default_rng(random_state)
    centers = np.stack([_plusplus(x, squared, k, rng) for _ in range(n_init)])
    return _refine(x, squared, centers, max_iter=max_iter, tol=tol)


def _refine(x: np.ndarray, squared: np.ndarray, centers: np.ndarray, *, max_iter: int = 300,
            tol: float = 1e-4) -> np.ndarray:
    """Lloyd iterations from ``centers`` (runs × k × dims) until no label changes or the centres move less than
    ``tol`` × the mean feature variance (scikit-learn's rule); the labels of the run with the least inertia.

    The runs iterate together (one matrix product per step for all of them); a run that has converged is
    frozen. ``x`` is float32 (half the work of float64; the labels, not the last digits, are what matter here).
    Most calls refine a few hundred or thousand points in 10-40 steps, so a step's cost is mostly its NumPy calls:
    no copy is made when every run is still active (the common case), 2·x is formed once, and the distances are
    computed in place (the same arithmetic, so the same labels, as forming them afresh)."""
    n, dims = x.shape
    runs, k = centers.shape[:2]
    centers = centers.astype(x.dtype)  # a copy
    threshold = tol * float(np.mean(np.var(x, axis=0)))
    labels = np.full((runs, n), -1, dtype=np.int64)
    active = np.arange(runs)
    rows = np.arange(n)
    twice = 2 * x  # (2·x) @ c.T: what 2 * x @ c.T computes at every step
    indicator = np.zeros((k, n), dtype=x.dtype)  # one run's clusters × points, reset after each use
    for _ in range(max_iter):
        every = len(active) == runs
        moved = centers.reshape(-1, dims) if every else centers[active].reshape(-1, dims)
        distances = twice @ moved.T
        np.subtract((moved * moved).sum(axis=1), distances, out=distances)  # |c|² - 2 x·c (|x|² is the same for all c)
        distances = distances.reshape(n, len(active), k)
        new = distances.argmin(axis=2).T  # active runs × n
        changed = (new != (labels if every else labels[active])).any(axis=1)
        labels[active] = new
        if not changed.all():
            active, new, distances = active[changed], new[changed], distances[:, changed]
            if not len(active):  # every run's labels stayed the same: converged
                break
            moved = centers[active].reshape(-1, dims)
        # Sum the members of every cluster of every active run: a product with the run's cluster indicator (three
        # times faster than sorting the points by cluster and adding up runs: 1.1 ms against 3.2 ms a step for
        # 5,000 points, k 20 and 4 runs).
        sizes = np.bincount((new + (np.arange(len(active)) * k)[:, None]).ravel(), minlength=len(active) * k)
        sums = np.empty((len(active) * k, dims), dtype=x.dtype)
        for r in range(len(active)):
            indicator[new[r], rows] = 1.0
            sums[r * k:(r + 1) * k] = indicator @ x
            indicator[new[r], rows] = 0.0
        filled = sizes > 0
        if filled.all():
            updated = (sums / sizes[:, None]).astype(x.dtype)
        else:
            updated = moved.copy()
            updated[filled] = sums[filled] / sizes[filled, None]
            for run in np.unique(np.flatnonzero(~filled) // k):  # an empty cluster takes a point far from its centre
                empty = np.flatnonzero(~filled[run * k:(run + 1) * k])
                far = np.argsort(-distances[rows, run, new[run]], kind="stable")[:len(empty)]
                updated[run * k + empty] = x[far]
        shifts = ((updated - moved) ** 2).reshape(len(active), -1).sum(axis=1)
        centers[active] = updated.reshape(len(active), k, dims)
        active = active[shifts > threshold]  # the others moved too little to go on: labelled once more below
        if not len(active):
            break
    flat = centers.reshape(-1, dims)
    distances = ((flat * flat).sum(axis=1)[None, :] - twice @ flat.T).reshape(n, runs, k)
    inertia = np.maximum(squared[:, None] + distances.min(axis=2), 0.0).sum(axis=0)
    return np.asarray(distances[:, int(np.argmin(inertia))].argmin(axis=1))


def _ward_levels(centers: np.ndarray, sizes: np.ndarray, wanted: Sequence[int]) -> dict[int, np.ndarray]:
    """For each count in ``wanted``: which merged group each of the clusters (``centers``, ``sizes``) belongs to,
    merging greedily the pair whose merge adds the least within-cluster variance (Ward)."""
    groups = [[i] for i in range(len(centers))]
    means = [c.astype(np.float64) for c in centers]
    weights = [float(max(w, 1e-12)) for w in sizes]
    out: dict[int, np.ndarray] = {}
    while True:
        if len(groups) in wanted:
            level = np.empty(len(centers), dtype=np.int64)
            for g, members in enumerate(groups):
                level[members] = g
            out[len(groups)] = level
        if len(groups) <= min(wanted, default=1):
            return out
        best, pair = np.inf, (0, 1)
        for i in range(len(groups)):
            for j in range(i + 1, len(groups)):
                diff = means[i] - means[j]
                cost = weights[i] * weights[j] / (weights[i] + weights[j]) * float(diff @ diff)
                if cost < best:
                    best, pair = cost, (i, j)
        i, j = pair
        total = weights[i] + weights[j]
        means[i] = (means[i] * weights[i] + means[j] * weights[j]) / total
        weights[i] = total
        groups[i] += groups.pop(j)
        means.pop(j)
        weights.pop(j)


class _Choice(NamedTuple):
    """The chosen number of clusters, the labels of that clustering on the sample and its centres (None for k 1)."""

    k: int
    sample: np.ndarray
    labels: np.ndarray | None
    centers: np.ndarray | None


def _choose_k(points: np.ndarray | sp.csr_matrix, random_state: int = 0) -> _Choice:
    """The number of clusters: the SMALLEST candidate k whose cosine silhouette is within ``SILHOUETTE_TOLERANCE``
    of the best candidate's.

    Candidates: 2–8, 10, 12, 14, 16, 20 (at most √n). They are fitted on a seeded sample of up to ``FIT_SAMPLE``
    documents and scored on up to ``SILHOUETTE_SAMPLE`` of them: the largest candidate by k-means
    (``CHOOSE_N_INIT`` initialisations), each smaller one by k-means started from the largest one's clusters
    merged by Ward's criterion (one run; far cheaper than seeding every candidate afresh several times, and as
    stable: the merged clusters are a good start). Why not simply the best silhouette: on short texts the
    silhouette is flat and keeps creeping up with k (differences of 0.01 are within the noise of sampling and
    fitting), so the best candidate is a coin toss between 3 and 20; the smallest k that is as good as the best,
    within that noise, is the most parsimonious grouping the data supports. With a 600-document sample and one
    initialisation (an earlier method) the flat curve collapsed varied text into 2. Also returns the chosen
    clustering of the sample, to start the clustering of every document from (or to keep, when the sample was
    every document).
    """
    n = points.shape[0]
    rng = np.random.default_rng(random_state)
    fit = np.sort(rng.choice(n, size=min(n, FIT_SAMPLE), replace=False))
    # Sparse points are TF-IDF rows of fewer than EMBEDDING_MIN_DOCS documents (see cluster): small when dense.
    subset = np.asarray(points[fit].toarray() if sp.issparse(points) else points[fit], dtype=np.float32)
    scored = np.sort(rng.choice(len(fit), size=min(len(fit), SILHOUETTE_SAMPLE), replace=False))
    dense = subset[scored] / np.maximum(np.linalg.norm(subset[scored], axis=1, keepdims=True), 1e-12)
    distances = np.clip(1.0 - dense @ dense.T, 0.0, 2.0)
    np.fill_diagonal(distances, 0.0)
    candidates = [k for k in K_CANDIDATES if k <= max(2, int(np.sqrt(n))) and k < len(scored)]
    if not candidates:
        return _Choice(1, fit, None, None)
    squared = np.einsum("ij,ij->i", subset, subset)
    fitted: dict[int, np.ndarray] = {candidates[-1]: _lloyd(subset, candidates[-1], random_state,
                                                            n_init=CHOOSE_N_INIT)}
    finest = _centers(subset, fitted[candidates[-1]], candidates[-1])
    sizes = np.bincount(fitted[candidates[-1]], minlength=candidates[-1]).astype(np.float64)
    for k, level in _ward_levels(finest, sizes, candidates[:-1]).items():
        merged = np.zeros((k, subset.shape[1]))
        np.add.at(merged, level, finest * sizes[:, None])
        merged /= np.maximum(np.bincount(level, weights=sizes, minlength=k), 1e-12)[:, None]
        fitted[k] = _refine(subset, squared, merged[None])
    scores: dict[int, float] = {}
    for k in candidates:
        labels = fitted[k][scored]
        if len(set(labels.tolist())) >= 2:
            scores[k] = _silhouette(distances, labels)
    if not scores:
        return _Choice(1, fit, None, None)
    best = max(scores.values())
    chosen = min(k for k, score in scores.items() if score >= best - SILHOUETTE_TOLERANCE)
    return _Choice(chosen, fit, fitted[chosen], _centers(subset, fitted[chosen], chosen))


def _centers(x: np.ndarray, labels: np.ndarray, k: int) -> np.ndarray:
    """The mean of each cluster's points (k × dims, float64; zeros for an empty cluster)."""
    members = np.zeros((k, len(labels)), dtype=x.dtype)
    members[labels, np.arange(len(labels))] = 1.0
    return np.asarray((members @ x).astype(np.float64) / np.maximum(np.bincount(labels, minlength=k), 1)[:, None])


def class_tfidf_terms(count_matrix: sp.csr_matrix, terms: np.ndarray, assignments: np.ndarray, n_clusters: int,
                      top: int = LABEL_TERMS, allowed_latin: frozenset[str] = frozenset()) -> list[list[str]]:
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
    usable = np.array([is_label_term(t, allowed_latin) for t in names], dtype=bool)
    out = []
    for c in range(n_clusters):
        candidates = np.flatnonzero((weights[c] > 0) & usable)
        if len(candidates) > top:  # only terms weighing at least the top-th weight can make the list (ties kept)
            weighed = weights[c, candidates]
            candidates = candidates[weighed >= np.partition(weighed, len(weighed) - top)[len(weighed) - top]]
        # Highest weight first, ties broken by the term itself so labels are stable.
        order = sorted(candidates.tolist(), key=lambda j: (-weights[c, j], names[j]))[:top]
        out.append([str(names[j]) for j in order])
    return out


def class_tfidf_labels(tokens: Sequence[list[str]], assignments: Sequence[int], n_clusters: int,
                       top: int = LABEL_TERMS) -> list[list[str]]:
    """:func:`class_tfidf_terms` from token lists."""
    count_matrix, terms = counts([list(t) if t else [""] for t in tokens])
    return class_tfidf_terms(count_matrix, terms, np.asarray(assignments), n_clusters, top)


def _split_silhouette(points: np.ndarray, random_state: int) -> tuple[float, float, float]:
    """(cosine silhouette of the best split of a cluster in two, the same for its null copy, cosine between the
    two parts' centres); zeros (and cosine 1) when one part would hold less than ``MIXED_MIN_SHARE`` or the cluster
    is too small to tell.

    The null copy shuffles each dimension across the members (same spread, no structure): any cloud of points
    splits with some silhouette, and only a split well above the null's shows two groups."""
    n = len(points)
    if n < 2 * MIXED_MIN_SIZE:
        return 0.0, 0.0, 1.0
    rng = np.random.default_rng(random_state)
    sample = points if n <= MIXED_SAMPLE else points[np.sort(rng.choice(n, MIXED_SAMPLE, replace=False))]
    null = np.column_stack([rng.permutation(sample[:, j]) for j in range(sample.shape[1])])
    null /= np.maximum(np.linalg.norm(null, axis=1, keepdims=True), 1e-12)
    out, centres_cosine = [], 1.0
    for data in (sample, null):
        labels = _lloyd(data, 2, random_state, n_init=2, max_iter=50)
        share = np.bincount(labels, minlength=2) / len(labels)
        if share.min() < MIXED_MIN_SHARE:
            out.append(0.0)
            continue
        distances = np.clip(1.0 - data @ data.T, 0.0, 2.0)
        np.fill_diagonal(distances, 0.0)
        out.append(_silhouette(distances, labels))
        if data is sample:
            a, b = data[labels == 0].mean(axis=0), data[labels == 1].mean(axis=0)
            centres_cosine = float(a @ b / max(np.linalg.norm(a) * np.linalg.norm(b), 1e-12))
    return out[0], out[1], centres_cosine


def _too_mixed(points: np.ndarray, overall: float, random_state: int) -> bool:
    """A cluster splits in two as cleanly as the clusters stand apart (its split silhouette at least the
    clustering's own), clearly more cleanly than structureless points would (by ``MIXED_MARGIN``), and into parts
    that really differ (their centres' cosine at most ``MIXED_MAX_CENTRES_COSINE``: ten rephrasings of one opinion
    split cleanly too, into near-identical halves)."""
    split, null, centres = _split_silhouette(points, random_state)
    return split > 0 and split >= overall and split - null >= MIXED_MARGIN and centres <= MIXED_MAX_CENTRES_COSINE


def _silhouette_of(points: np.ndarray, labels: np.ndarray, random_state: int) -> float:
    """The clustering's cosine silhouette on a seeded sample (0 with fewer than two clusters)."""
    n = len(points)
    sample = np.sort(np.random.default_rng(random_state).choice(n, min(n, SILHOUETTE_SAMPLE), replace=False))
    if len(set(labels[sample].tolist())) < 2:
        return 0.0
    sub = points[sample]
    distances = np.clip(1.0 - sub @ sub.T, 0.0, 2.0)
    np.fill_diagonal(distances, 0.0)
    return _silhouette(distances, labels[sample])


def cluster(texts: Sequence[str], *, k: int | None = None, tokens: Sequence[list[str]] | None = None,
            random_state: int = 0, word_vectors: WordVectors | None = None,
            allowed_latin: Iterable[str] = (), boilerplate: bool = True) -> Clustering:
    """Cluster texts by topic; deterministic for a fixed input and ``random_state``.

    Steps: TF-IDF on jieba tokens (``tokens`` given → no re-tokenising); for 200 or more documents each one is
    mapped to a 50-dimensional co-occurrence embedding (see :mod:`analysis.vectorize`), fewer are clustered in
    TF-IDF space, unless ``word_vectors`` learnt from a larger body of text (see
    :func:`analysis.vectorize.fit_word_vectors`) are given: then those embed every document whatever the size;
    then k-means. Texts without a single kept token are assigned -1. With ``k=None`` the number of clusters is
    chosen by :func:`choose_k` on a sample of up to ``FIT_SAMPLE`` documents, and the chosen clustering of the
    sample is kept (or, for more documents, refined on all of them); a fixed ``k`` is fitted afresh (mini-batch
    k-means from ``MINIBATCH_FROM`` documents).

    ``boilerplate``: the greetings, self-introductions and sign-offs the texts share (learnt from them, see
    :mod:`analysis.boilerplate`) are left out of the tokens, so a stock greeting on every comment does not pull
    them together and never becomes a label.
    """
    if tokens is None:
        tokens = default_tokenizer().tokenize_many(list(texts))
    tokens = list(tokens)  # the token lists themselves are only read, never copied (but those losing boilerplate)
    if boilerplate and len(texts) == len(tokens):
        canon = canonical_many([t if isinstance(t, str) else "" for t in texts])
        cut = cut_boilerplate(canon, random_state)[2]
        if cut:  # only the cut passages are tokenised (once each)
            for d, keep in without_passages(tokens, cut, default_tokenizer().tokenize_many).items():
                tokens[d] = list(compress(tokens[d], keep))
    if not any(tokens):
        params = {"k": k, "random_state": random_state, "embedding_min_docs": EMBEDDING_MIN_DOCS,
                  "word_vectors": word_vectors is not None}
        return Clustering([-1] * len(tokens), [], 0, params)
    every_term, all_terms = counts(tokens)
    return cluster_counts(every_term, all_terms, k=k, random_state=random_state, word_vectors=word_vectors,
                          allowed_latin=allowed_latin)


def cluster_counts(every_term: sp.csr_matrix, all_terms: np.ndarray, *, k: int | None = None, random_state: int = 0,
                   word_vectors: WordVectors | None = None, allowed_latin: Iterable[str] = ()) -> Clustering:
    """:func:`cluster` of documents given as their term counts (:func:`analysis.vectorize.counts`: a row per
    document, a column per term of ``all_terms``), so a consultation's tokens are counted once for all its
    partitions (:func:`analysis.vectorize.rows_of`) and are not sent to worker processes as strings."""
    n = every_term.shape[0]
    assignments = np.full(n, -1, dtype=np.int64)
    usable = np.flatnonzero(every_term.getnnz(axis=1))
    params: dict[str, Any] = {"k": k, "random_state": random_state, "embedding_min_docs": EMBEDDING_MIN_DOCS,
                              "word_vectors": word_vectors is not None}
    if len(usable) == 0:
        return Clustering([-1] * n, [], 0, params)
    if len(usable) < n:
        every_term, all_terms = rows_of(every_term, all_terms, usable)
    # Rare terms are left out of the TF-IDF space of big partitions (unless no term is frequent).
    count_matrix, terms = frequent_terms(every_term, all_terms, 2 if len(usable) >= 1000 else 1)
    if word_vectors is not None:  # the TF-IDF space is needed only without word vectors
        points = word_vectors.embed_counts(every_term, all_terms)
        keep = np.linalg.norm(points, axis=1) > 0  # no known word: not clusterable in this space
    else:
        matrix = tfidf_from_counts(count_matrix)
        keep = np.asarray(matrix.getnnz(axis=1)) > 0
    if not keep.all():
        usable, count_matrix = usable[keep], count_matrix[keep]
        if word_vectors is not None:
            points = points[keep]
        else:
            matrix = matrix[keep]
    m = len(usable)
    if m == 0:
        return Clustering([-1] * n, [], 0, params)
    if word_vectors is None:
        points = cooccurrence_embedding(matrix, random_state=random_state) if m >= EMBEDDING_MIN_DOCS else matrix
    # k-means on one thread: deterministic, and on 2 cores faster than OpenMP contention (measured in bench/).
    with threadpool_limits(1):
        choice = None
        if k is None:
            choice = _choose_k(points, random_state) if m > 2 else None
            k = choice.k if choice is not None else 1
        k = max(1, min(int(k), m))
        if k == 1:
            local = np.zeros(m, dtype=np.int64)
        elif choice is not None and choice.labels is not None and len(choice.sample) == m:
            local = choice.labels
        elif choice is not None and choice.centers is not None:  # the sample's clustering, refined on every point
            x = np.asarray(points, dtype=np.float32)
            local = _refine(x, np.einsum("ij,ij->i", x, x), choice.centers[None])
        else:
            local = _kmeans(points, k, random_state)
    # Renumber clusters by first appearance so ids do not depend on k-means' internal order.
    _, first = np.unique(local, return_index=True)
    order = np.argsort(first)
    remap = np.empty(local.max() + 1, dtype=np.int64)
    remap[np.unique(local)[order]] = np.arange(len(order))
    local = remap[local]
    k = len(order)
    assignments[usable] = local
    labels = class_tfidf_terms(count_matrix, terms, local, k, allowed_latin=frozenset(allowed_latin))
    clusters = []
    dense_points = np.asarray(sp.csr_matrix(points).toarray() if sp.issparse(points) else points)
    dense_points = dense_points / np.maximum(np.linalg.norm(dense_points, axis=1, keepdims=True), 1e-12)
    overall = _silhouette_of(dense_points, local, random_state) if k > 1 else 0.0
    params["silhouette"] = round(overall, 4)
    for c in range(k):
        idx = np.flatnonzero(local == c)
        sub = dense_points[idx]
        centroid = sub.mean(axis=0)
        norm = np.linalg.norm(centroid)
        scores = sub @ (centroid / norm) if norm else np.zeros(len(idx))
        representative = int(usable[idx[int(np.argmax(scores))]])
        cohesion = float(scores.mean())
        clusters.append(Cluster(id=c, members=[int(i) for i in usable[idx]], label_terms=labels[c],
                                representative=representative, cohesion=round(cohesion, 4), size=len(idx),
                                too_mixed=_too_mixed(sub, overall, random_state)))
    params["k_chosen"] = k
    return Clustering([int(a) for a in assignments], clusters, k, params)
