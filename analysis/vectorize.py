"""TF-IDF on tokens that are already computed (never re-tokenising) and a co-occurrence embedding.

Short comments share few words, so TF-IDF vectors of two comments on the same topic are often orthogonal.
:func:`cooccurrence_embedding` maps each document to the TF-IDF-weighted mean of word vectors learnt from the
comments themselves (positive PMI of words appearing in the same comment, reduced by truncated SVD), so
``医保`` and ``报销`` end up close when they co-occur. No model is downloaded; everything comes from the input.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize as l2_normalize

#: Upper bound on the sum over sampled documents of (distinct terms)², the cost of the co-occurrence product.
COOCCURRENCE_BUDGET = 40_000_000


def _identity(tokens: list[str]) -> list[str]:
    return tokens


def tfidf(tokens: Sequence[list[str]], *, min_df: int = 1, max_features: int | None = None):
    """(sparse TF-IDF matrix with l2 rows, vocabulary array) for pre-tokenised documents."""
    vectorizer = TfidfVectorizer(analyzer=_identity, min_df=min_df, sublinear_tf=True,
                                 max_features=max_features, dtype=np.float32)
    matrix = vectorizer.fit_transform(tokens)
    return matrix.tocsr(), vectorizer.get_feature_names_out()


def _sample_rows(matrix: sp.csr_matrix, random_state: int) -> np.ndarray:
    """Rows for the co-occurrence statistics: all of them, or a seeded sample within the budget."""
    nnz = np.diff(matrix.indptr).astype(np.int64)
    if int((nnz ** 2).sum()) <= COOCCURRENCE_BUDGET:
        return np.arange(matrix.shape[0])
    order = np.random.default_rng(random_state).permutation(matrix.shape[0])
    cost = np.cumsum(nnz[order] ** 2)
    return np.sort(order[: max(1, int(np.searchsorted(cost, COOCCURRENCE_BUDGET)))])


def cooccurrence_embedding(matrix: sp.csr_matrix, *, dims: int = 50, random_state: int = 0) -> np.ndarray:
    """Dense l2-normalised document vectors (n × dims) from PPMI-SVD word vectors; zero rows stay zero."""
    rows = _sample_rows(matrix, random_state)
    binary = matrix[rows].astype(bool).astype(np.float32)
    co = (binary.T @ binary).tocoo()
    off_diagonal = co.row != co.col
    row, col, count = co.row[off_diagonal], co.col[off_diagonal], co.data[off_diagonal].astype(np.float64)
    marginal = np.bincount(row, weights=count, minlength=matrix.shape[1])
    total = count.sum()
    if total == 0:
        return l2_normalize(matrix.toarray() if matrix.shape[1] <= dims else matrix[:, :dims].toarray())
    pmi = np.log(count * total / (marginal[row] * marginal[col]))
    keep = pmi > 0
    ppmi = sp.csr_matrix((pmi[keep].astype(np.float32), (row[keep], col[keep])), shape=(matrix.shape[1],) * 2)
    dims = max(1, min(dims, matrix.shape[1] - 1))
    words = TruncatedSVD(dims, random_state=random_state).fit_transform(ppmi)
    words = l2_normalize(words).astype(np.float32)
    return l2_normalize(matrix @ words)
