"""TF-IDF on tokens that are already computed (never re-tokenising) and a co-occurrence embedding.

Short comments share few words, so TF-IDF vectors of two comments on the same topic are often orthogonal.
:func:`cooccurrence_embedding` maps each document to the TF-IDF-weighted mean of word vectors learnt from the
comments themselves (positive PMI of words appearing in the same comment, reduced by truncated SVD), so
``医保`` and ``报销`` end up close when they co-occur. No model is downloaded; everything comes from the input.
:func:`fit_word_vectors` learns the same vectors once from a larger body of text (all comments of a
consultation plus the draft's sentences) so that a small partition can be embedded with them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

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


@dataclass
class WordVectors:
    """Word vectors learnt from comments (and optionally the draft); embeds any token lists."""

    vocabulary: dict[str, int]
    idf: np.ndarray
    vectors: np.ndarray  # len(vocabulary) × dims, l2-normalised rows

    def embed(self, tokens: Sequence[list[str]]) -> np.ndarray:
        """TF-IDF-weighted (sublinear tf) mean word vector per document, l2-normalised; unknown words ignored."""
        rows, cols, vals = [], [], []
        for r, doc in enumerate(tokens):
            counts: dict[int, int] = {}
            for t in doc:
                j = self.vocabulary.get(t)
                if j is not None:
                    counts[j] = counts.get(j, 0) + 1
            for j, c in counts.items():
                rows.append(r)
                cols.append(j)
                vals.append((1.0 + np.log(c)) * self.idf[j])
        matrix = sp.csr_matrix((np.asarray(vals, dtype=np.float32), (rows, cols)),
                               shape=(len(tokens), len(self.vocabulary)))
        return l2_normalize(matrix @ self.vectors)


def fit_word_vectors(tokens: Sequence[list[str]], *, dims: int = 50, min_df: int = 1,
                     random_state: int = 0) -> WordVectors | None:
    """PPMI-SVD word vectors from documents' co-occurrence; None when there is no co-occurrence to learn from."""
    docs = [t for t in tokens if t]
    if len(docs) < 2:
        return None
    vectorizer = TfidfVectorizer(analyzer=_identity, min_df=min_df, sublinear_tf=True, dtype=np.float32)
    try:
        matrix = vectorizer.fit_transform(docs).tocsr()
    except ValueError:  # min_df removed every term
        return None
    words = _ppmi_svd(matrix, dims, random_state)
    if words is None:
        return None
    vocabulary = {t: i for i, t in enumerate(vectorizer.get_feature_names_out().tolist())}
    return WordVectors(vocabulary, vectorizer.idf_.astype(np.float32), words)


def _ppmi_svd(matrix: sp.csr_matrix, dims: int, random_state: int) -> np.ndarray | None:
    rows = _sample_rows(matrix, random_state)
    binary = matrix[rows].astype(bool).astype(np.float32)
    co = (binary.T @ binary).tocoo()
    off_diagonal = co.row != co.col
    row, col, count = co.row[off_diagonal], co.col[off_diagonal], co.data[off_diagonal].astype(np.float64)
    if count.sum() == 0 or matrix.shape[1] < 3:
        return None
    marginal = np.bincount(row, weights=count, minlength=matrix.shape[1])
    pmi = np.log(count * count.sum() / (marginal[row] * marginal[col]))
    keep = pmi > 0
    ppmi = sp.csr_matrix((pmi[keep].astype(np.float32), (row[keep], col[keep])), shape=(matrix.shape[1],) * 2)
    dims = max(1, min(dims, matrix.shape[1] - 1))
    words = TruncatedSVD(dims, random_state=random_state).fit_transform(ppmi)
    return l2_normalize(words).astype(np.float32)


def cooccurrence_embedding(matrix: sp.csr_matrix, *, dims: int = 50, random_state: int = 0) -> np.ndarray:
    """Dense l2-normalised document vectors (n × dims) from PPMI-SVD word vectors of ``matrix``'s own rows."""
    words = _ppmi_svd(matrix, dims, random_state)
    if words is None:
        return l2_normalize(matrix.toarray())
    return l2_normalize(matrix @ words)
