"""TF-IDF on tokens that are already computed (never re-tokenising) and a co-occurrence embedding.

Short comments share few words, so TF-IDF vectors of two comments on the same topic are often orthogonal.
:func:`cooccurrence_embedding` maps each document to the TF-IDF-weighted mean of word vectors learnt from the
comments themselves (positive PMI of words appearing in the same comment, reduced by truncated SVD), so
``医保`` and ``报销`` end up close when they co-occur. No model is downloaded; everything comes from the input.
:func:`fit_word_vectors` learns the same vectors once from a larger body of text (all comments of a
consultation plus the draft's sentences) so that a small partition can be embedded with them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import chain, compress
from typing import Any

import numpy as np
import scipy.sparse as sp
from threadpoolctl import threadpool_limits

#: Upper bound on the sum over sampled documents of (distinct terms)², the cost of the co-occurrence product.
COOCCURRENCE_BUDGET = 5_000_000
#: Word vectors are learnt for this many terms at most (those in most documents); the others get none.
MAX_EMBED_VOCAB = 5_000


def pretokenized(tokens: list[str]) -> list[str]:
    """The analyzer for documents that are already token lists (scikit-learn vectorizers)."""
    return tokens


def counts(tokens: Sequence[list[str]], *, min_df: int = 1,
           keep: np.ndarray | None = None) -> tuple[sp.csr_matrix, np.ndarray]:
    """(term-count matrix, vocabulary array) for pre-tokenised documents: one pass over the tokens.

    What scikit-learn's ``CountVectorizer(analyzer=pretokenized, min_df=min_df, dtype=np.float32)`` gives (terms
    sorted, float32 counts; ValueError when no term is left), in a quarter of its time: its per-token Python
    loop was a tenth of clustering a consultation. ``keep``: whether each token (of all documents, one after the
    other) counts; the counts are those of the documents with only those tokens (e.g. without their quotations of
    the draft, :meth:`analysis.quotes.OpinionTokens.kept`, so those lists need not be made)."""
    vocabulary: dict[str, int] = {}
    add = vocabulary.setdefault
    counted: Iterator[str] = chain.from_iterable(tokens)
    if keep is not None:  # the flags as bytes: a list of a million comments' flags would hold hundreds of MB
        counted = compress(counted, keep.astype(bool).view(np.uint8).tobytes())
    ids = np.fromiter((add(t, len(vocabulary)) for t in counted), dtype=np.int32)
    if not vocabulary:
        raise ValueError("empty vocabulary; the documents hold no tokens")
    lengths = np.fromiter((len(t) for t in tokens), dtype=np.int64, count=len(tokens))
    if keep is not None:  # each document's tokens that count
        if len(keep) != int(lengths.sum()):
            raise ValueError("keep must hold one flag per token")
        # Summed over the runs of flags of the documents with tokens (a running sum over every token of a million
        # comments would be a 240 MB array).
        filled = np.flatnonzero(lengths)
        kept = np.zeros(len(lengths), dtype=np.int64)
        if len(filled):
            kept[filled] = np.add.reduceat(keep, (np.cumsum(lengths) - lengths)[filled], dtype=np.int64)
        lengths = kept
    terms = np.array(sorted(vocabulary), dtype=object)
    rank = np.empty(len(terms), dtype=np.int32)  # int32 ids: a million comments hold tens of millions of tokens
    rank[np.fromiter((vocabulary[t] for t in terms), dtype=np.int64, count=len(terms))] = np.arange(len(terms))
    indptr = np.concatenate(([0], np.cumsum(lengths)))
    indices = np.take(rank, ids, out=ids)  # in place: a million comments hold tens of millions of tokens
    del ids
    matrix = sp.csr_matrix((np.ones(len(indices), dtype=np.float32), indices, indptr), shape=(len(tokens), len(terms)))
    del indices
    matrix.sum_duplicates()  # a word said twice in one document: one entry counting 2 (indices sorted)
    if min_df > 1:
        matrix, terms = frequent_terms(matrix, terms, min_df)
        if not (np.bincount(matrix.indices, minlength=matrix.shape[1]) >= min_df).any():
            raise ValueError("After pruning, no terms remain. Try a lower min_df or a higher max_df.")
    return matrix, terms


def frequent_terms(count_matrix: sp.csr_matrix, terms: np.ndarray, min_df: int) -> tuple[sp.csr_matrix, np.ndarray]:
    """The columns of terms in at least ``min_df`` documents (what ``counts(..., min_df=min_df)`` gives), or the
    matrix unchanged when no term is that frequent."""
    df = np.bincount(count_matrix.indices, minlength=count_matrix.shape[1])
    keep = np.flatnonzero(df >= min_df)
    if len(keep) == count_matrix.shape[1] or not len(keep):
        return count_matrix, terms
    return count_matrix[:, keep].tocsr(), terms[keep]


def unit_rows(x: np.ndarray) -> np.ndarray:
    """The rows of a dense array scaled to length 1, zero rows left as they are: scikit-learn's ``normalize`` for
    dense arrays, step for step (same figures), without importing scikit-learn (see :func:`tfidf_from_counts`)."""
    norms = np.sqrt(np.einsum("ij,ij->i", x, x))
    norms[norms < 10 * np.finfo(norms.dtype).eps] = 1.0
    return np.asarray(x / norms[:, None])


def tfidf_from_counts(count_matrix: sp.csr_matrix) -> sp.csr_matrix:
    """Sublinear-tf TF-IDF with l2-normalised rows (what ``TfidfVectorizer(sublinear_tf=True)`` gives).

    scikit-learn is imported where it is used in this package: importing it costs a worker process about two
    seconds of CPU, and the clustering workers of :func:`analysis.group_comments` never need it."""
    from sklearn.feature_extraction.text import TfidfTransformer

    return TfidfTransformer(sublinear_tf=True).fit_transform(count_matrix).astype(np.float32).tocsr()


def tfidf(tokens: Sequence[list[str]], *, min_df: int = 1,
          max_features: int | None = None) -> tuple[sp.csr_matrix, np.ndarray]:
    """(sparse TF-IDF matrix with l2 rows, vocabulary array) for pre-tokenised documents."""
    from sklearn.feature_extraction.text import TfidfVectorizer  # see tfidf_from_counts

    vectorizer = TfidfVectorizer(analyzer=pretokenized, min_df=min_df, sublinear_tf=True,
                                 max_features=max_features, dtype=np.float32)
    matrix = vectorizer.fit_transform(tokens)
    return matrix.tocsr(), vectorizer.get_feature_names_out()


def _sample_rows(nnz: np.ndarray, random_state: int) -> np.ndarray:
    """Rows for the co-occurrence statistics, given each row's term count: all of them, or a seeded sample within
    the budget."""
    nnz = nnz.astype(np.int64)
    if int((nnz ** 2).sum()) <= COOCCURRENCE_BUDGET:
        return np.arange(len(nnz))
    order = np.random.default_rng(random_state).permutation(len(nnz))
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
        from sklearn.feature_extraction.text import CountVectorizer  # see tfidf_from_counts

        return self._embed(CountVectorizer(analyzer=pretokenized, vocabulary=self.vocabulary,
                                           dtype=np.float32).transform(tokens))

    def embed_counts(self, count_matrix: sp.csr_matrix, terms: np.ndarray) -> np.ndarray:
        """:meth:`embed` of the documents of a term-count matrix (columns ``terms``, as :func:`counts` gives), without
        a second pass over their tokens."""
        columns = np.fromiter((self.vocabulary.get(str(t), -1) for t in terms), dtype=np.int64, count=len(terms))
        known = count_matrix[:, np.flatnonzero(columns >= 0)].tocsr()
        matrix = sp.csr_matrix((known.data, columns[columns >= 0][known.indices], known.indptr),
                               shape=(count_matrix.shape[0], len(self.vocabulary)))
        matrix.sort_indices()
        return self._embed(matrix)

    def _embed(self, matrix: sp.csr_matrix) -> np.ndarray:
        matrix = matrix.astype(np.float32)
        matrix.data = (1.0 + np.log(matrix.data)).astype(np.float32)
        matrix = matrix.multiply(self.idf[None, :]).tocsr()
        return unit_rows(matrix @ self.vectors)


def fit_word_vectors(tokens: Sequence[list[str]], *, dims: int = 50, min_df: int = 1,
                     random_state: int = 0) -> WordVectors | None:
    """PPMI-SVD word vectors from documents' co-occurrence; None when there is no co-occurrence to learn from."""
    docs = [t for t in tokens if t]
    if len(docs) < 2:
        return None
    matrix, terms = counts(docs)
    return word_vectors_from_counts(matrix, terms, dims=dims, min_df=min_df, random_state=random_state)


def word_vectors_from_counts(count_matrix: sp.csr_matrix, terms: np.ndarray, *, dims: int = 50, min_df: int = 1,
                             random_state: int = 0) -> WordVectors | None:
    """:func:`fit_word_vectors` from the term counts of the documents (:func:`counts`; rows without a term are left
    out, as documents without tokens are)."""
    pending = pending_word_vectors(count_matrix, terms, dims=dims, min_df=min_df, random_state=random_state)
    return None if pending is None else pending.finish(svd_rows(*pending.svd_args))


@dataclass
class PendingWordVectors:
    """Word vectors learnt but for their one expensive step, the SVD of the PPMI matrix (:func:`svd_rows` of
    ``svd_args``), which the caller may run elsewhere (another process) while it does other work."""

    svd_args: tuple[sp.csr_matrix, int, int]
    kept: np.ndarray  # which of the n_terms terms the PPMI matrix's rows are
    n_terms: int
    terms: np.ndarray  # the selected columns' terms
    idf: np.ndarray

    def finish(self, rows: np.ndarray) -> WordVectors | None:
        """The word vectors, given ``svd_rows(*self.svd_args)``."""
        words = np.zeros((self.n_terms, rows.shape[1]), dtype=np.float32)
        words[self.kept] = rows
        known = np.flatnonzero(np.abs(words).sum(axis=1) > 0)
        vocabulary = {str(self.terms[j]): i for i, j in enumerate(known)}
        return WordVectors(vocabulary, self.idf[known].astype(np.float32), words[known])


def pending_word_vectors(count_matrix: sp.csr_matrix, terms: np.ndarray, *, dims: int = 50, min_df: int = 1,
                         random_state: int = 0) -> PendingWordVectors | None:
    """:func:`word_vectors_from_counts` up to the SVD; None when there is nothing to learn from."""
    # The rows with a term and the frequent terms are selected without copying the matrix (a million comments'
    # counts are hundreds of MB): the idf needs only the document frequencies, and the co-occurrences a sample.
    rows = np.flatnonzero(np.diff(count_matrix.indptr))
    if len(rows) < 2:
        return None
    df = np.bincount(count_matrix.indices, minlength=count_matrix.shape[1])
    columns = np.flatnonzero(df >= min_df)
    if not len(columns):
        return None  # no term is in min_df documents
    ppmi = _ppmi(count_matrix, dims, random_state, rows=rows, columns=columns)
    if ppmi is None:
        return None
    matrix, kept, reduced = ppmi
    return PendingWordVectors((matrix, reduced, random_state), kept, len(columns), terms[columns],
                              smooth_idf(df[columns], len(rows), count_matrix.dtype))


def smooth_idf(df: np.ndarray, documents: int, dtype: Any) -> np.ndarray:
    """The idf scikit-learn's ``TfidfTransformer`` (``smooth_idf=True``) learns from these document frequencies,
    step for step in ``dtype`` (its count matrix's float type): ln((1 + n) / (1 + df)) + 1."""
    df = df.astype(dtype) + 1.0
    idf = np.full_like(df, fill_value=documents + 1, dtype=dtype)
    idf /= df
    np.log(idf, out=idf)
    idf += 1.0
    return idf


def rows_of(count_matrix: sp.csr_matrix, terms: np.ndarray, rows: np.ndarray) -> tuple[sp.csr_matrix, np.ndarray]:
    """The term counts of some documents (rows) of a count matrix, with only the terms they use: what
    :func:`counts` gives for those documents' tokens."""
    part = count_matrix[rows]
    used = np.flatnonzero(np.bincount(part.indices, minlength=part.shape[1]))
    return part[:, used].tocsr(), terms[used]


def _ppmi_svd(matrix: sp.csr_matrix, dims: int, random_state: int) -> np.ndarray | None:
    """Word vectors (one row per column of ``matrix``; zero rows for terms beyond ``MAX_EMBED_VOCAB``)."""
    ppmi = _ppmi(matrix, dims, random_state)
    if ppmi is None:
        return None
    words = np.zeros((matrix.shape[1], ppmi[2]), dtype=np.float32)
    words[ppmi[1]] = svd_rows(ppmi[0], ppmi[2], random_state)
    return words


def _ppmi(matrix: sp.csr_matrix, dims: int, random_state: int, *, rows: np.ndarray | None = None,
          columns: np.ndarray | None = None) -> tuple[sp.csr_matrix, np.ndarray, int] | None:
    """(PPMI matrix of the ``MAX_EMBED_VOCAB`` terms in most documents, which of the columns those terms are, the
    number of dimensions its SVD can have), or None without co-occurrences.

    ``rows`` / ``columns``: learn from ``matrix[rows][:, columns]`` (and count the terms among those columns)
    without making that matrix: only the sampled rows are copied."""
    n_terms = matrix.shape[1] if columns is None else len(columns)
    if n_terms < 3:
        return None
    rows = np.arange(matrix.shape[0]) if rows is None else rows
    if columns is None:
        nnz = np.diff(matrix.indptr)[rows]
    else:  # each row's entries in the columns, summed over the runs of entries of the rows that have some
        wanted = np.zeros(matrix.shape[1], dtype=bool)
        wanted[columns] = True
        per_row = np.zeros(matrix.shape[0], dtype=np.int64)
        filled = np.flatnonzero(np.diff(matrix.indptr))
        if len(filled):
            per_row[filled] = np.add.reduceat(wanted[matrix.indices], matrix.indptr[filled], dtype=np.int64)
        nnz = per_row[rows]
    sample = matrix[rows[_sample_rows(nnz, random_state)]]
    if columns is not None:
        sample = sample[:, columns]
    binary = sample.astype(bool).astype(np.float32).tocsc()
    del sample
    df = np.diff(binary.indptr)
    keep = np.sort(np.argsort(-df, kind="stable")[:MAX_EMBED_VOCAB])
    binary = binary[:, keep].tocsr()
    co = (binary.T @ binary).tocoo()
    off_diagonal = co.row != co.col
    row, col, count = co.row[off_diagonal], co.col[off_diagonal], co.data[off_diagonal].astype(np.float64)
    if count.sum() == 0:
        return None
    marginal = np.bincount(row, weights=count, minlength=len(keep))
    pmi = np.log(count * count.sum() / (marginal[row] * marginal[col]))
    positive = pmi > 0
    ppmi = sp.csr_matrix((pmi[positive].astype(np.float32), (row[positive], col[positive])), shape=(len(keep),) * 2)
    return ppmi, keep, max(1, min(dims, len(keep) - 1))


def svd_rows(ppmi: sp.csr_matrix, dims: int, random_state: int) -> np.ndarray:
    """The l2-normalised rows of the truncated SVD of a PPMI matrix (the word vectors of its terms).

    One BLAS thread: the same vectors whatever the machine's core count (a multi-threaded BLAS sums in another
    order), and on two shared cores it is faster too: the SVD of a consultation of 100,000 comments took 0.9 s of
    CPU on one thread against 2–5 s on two (threads spinning while the worker processes hold the cores)."""
    from sklearn.decomposition import TruncatedSVD  # see tfidf_from_counts

    with threadpool_limits(1):
        return unit_rows(TruncatedSVD(dims, random_state=random_state).fit_transform(ppmi))


def cooccurrence_embedding(matrix: sp.csr_matrix, *, dims: int = 50, random_state: int = 0) -> np.ndarray:
    """Dense l2-normalised document vectors (n × dims) from PPMI-SVD word vectors of ``matrix``'s own rows."""
    words = _ppmi_svd(matrix, dims, random_state)
    if words is None:
        return unit_rows(matrix.toarray())
    return unit_rows(matrix @ words)
