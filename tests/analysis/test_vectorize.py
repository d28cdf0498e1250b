import numpy as np
import pytest
from sklearn.feature_extraction.text import CountVectorizer

from analysis.vectorize import counts, fit_word_vectors, frequent_terms, pretokenized, unit_rows

DOCS = [["跨境", "电商", "企业", "电商"], [], ["海外仓", "企业"], ["跨境", "海外仓", "物流", "物流", "物流"], ["支持"]]


@pytest.mark.parametrize("min_df", [1, 2])
def test_counts_are_what_count_vectorizer_gives(min_df):
    expected = CountVectorizer(analyzer=pretokenized, min_df=min_df, dtype=np.float32)
    matrix, terms = counts(DOCS, min_df=min_df)
    assert list(terms) == list(expected.fit(DOCS).get_feature_names_out())
    assert matrix.dtype == np.float32
    assert np.array_equal(matrix.toarray(), expected.transform(DOCS).toarray())


def test_counts_refuse_documents_without_tokens_or_frequent_terms():
    with pytest.raises(ValueError):
        counts([[], []])
    with pytest.raises(ValueError):
        counts([["a"], ["b"]], min_df=2)


def test_frequent_terms_keep_the_matrix_when_no_term_is_frequent_enough():
    matrix, terms = counts(DOCS)
    kept, kept_terms = frequent_terms(matrix, terms, 2)
    assert list(kept_terms) == ["企业", "海外仓", "跨境"]
    assert kept.toarray().tolist() == [[1, 0, 1], [0, 0, 0], [1, 1, 0], [0, 1, 1], [0, 0, 0]]
    assert frequent_terms(matrix, terms, 9)[0] is matrix


def test_embedding_from_counts_is_the_embedding_from_tokens():
    docs = [["跨境", "电商", "企业"], ["海外仓", "物流", "企业"], ["跨境", "物流"], ["电商", "海外仓"]] * 5
    vectors = fit_word_vectors(docs, dims=3)
    assert vectors is not None
    new = [["跨境", "电商", "未知词"], ["未知词"], ["物流", "物流", "企业"]]
    matrix, terms = counts(new)
    assert np.allclose(vectors.embed_counts(matrix, terms), vectors.embed(new), atol=1e-6)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_unit_rows_are_what_scikit_learn_normalize_gives(dtype):
    from sklearn.preprocessing import normalize

    rng = np.random.default_rng(3)
    x = rng.normal(size=(40, 7)).astype(dtype)
    x[5] = 0.0  # a zero row stays zero
    x[9] = 1e-30  # so does a row too short to scale
    got = unit_rows(x)
    assert got.dtype == dtype
    assert np.array_equal(got, normalize(x))
    assert np.allclose(np.linalg.norm(got[[i for i in range(40) if i not in (5, 9)]], axis=1), 1.0)


def test_word_vectors_leave_out_documents_without_terms():
    """Rows without a term (a document with no tokens) are left out of the statistics (n in the idf), whether or
    not the matrix holds any (it is copied only when it does)."""
    from analysis.vectorize import word_vectors_from_counts

    docs = [["跨境", "电商", "企业"], ["海外仓", "物流", "企业"], ["跨境", "物流"], ["电商", "海外仓"]] * 5
    full, terms = counts(docs)
    gappy, gappy_terms = counts(docs[:7] + [[]] + docs[7:] + [[]])
    assert gappy.shape[0] == full.shape[0] + 2 and list(gappy_terms) == list(terms)
    a = word_vectors_from_counts(full, terms, dims=3)
    b = word_vectors_from_counts(gappy, gappy_terms, dims=3)
    assert a is not None and b is not None and a.vocabulary == b.vocabulary
    assert np.array_equal(a.idf, b.idf) and np.array_equal(a.vectors, b.vectors)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_smooth_idf_is_what_scikit_learn_learns(dtype):
    from sklearn.feature_extraction.text import TfidfTransformer

    from analysis.vectorize import smooth_idf

    matrix, _ = counts(DOCS * 3 + [["物流"]])
    matrix = matrix.astype(dtype)
    expected = TfidfTransformer(sublinear_tf=True).fit(matrix).idf_
    got = smooth_idf(np.bincount(matrix.indices, minlength=matrix.shape[1]), matrix.shape[0], dtype)
    assert got.dtype == expected.dtype and np.array_equal(got, expected)


def test_word_vectors_learn_from_a_sample_of_the_frequent_terms_as_from_the_matrix_cut_down(monkeypatch):
    """The rows with terms and the frequent columns are selected without copying the matrix: the vectors are what
    the matrix cut down to them gives, also when only a sample of rows fits the co-occurrence budget."""
    from analysis import vectorize

    rng = np.random.default_rng(3)
    words = [f"词{i}" for i in range(40)]
    # Words of one document only (left out at min_df 2) change which rows fit the budget if they were counted.
    docs = [list(rng.choice(words, size=int(rng.integers(0, 8)))) + [f"孤词{d}-{j}" for j in range(d % 7)]
            for d in range(300)]
    matrix, terms = counts(docs)
    for budget in (10**9, 2_000):  # everything, then a sample
        monkeypatch.setattr(vectorize, "COOCCURRENCE_BUDGET", budget)
        got = vectorize.word_vectors_from_counts(matrix, terms, dims=4, min_df=2)
        rows = np.flatnonzero(np.diff(matrix.indptr))
        cut, cut_terms = frequent_terms(matrix[rows], terms, 2)
        direct = vectorize._ppmi_svd(cut, 4, 0)
        known = np.flatnonzero(np.abs(direct).sum(axis=1) > 0)
        assert list(got.vocabulary) == [str(cut_terms[j]) for j in known]
        assert np.array_equal(got.vectors, direct[known])
        assert not any(w.startswith("孤词") for w in got.vocabulary)


def test_counts_with_a_keep_mask_are_the_counts_of_the_kept_tokens():
    rng = np.random.default_rng(5)
    docs = [list(rng.choice(["跨境", "电商", "企业", "海外仓", "物流", "第十二条"], size=int(rng.integers(0, 7))))
            for _ in range(60)]
    keep = rng.random(sum(map(len, docs))) < 0.6
    at = np.cumsum([0] + [len(d) for d in docs])
    kept = [[t for t, k in zip(d, keep[a:b]) if k] for d, a, b in zip(docs, at[:-1], at[1:])]
    for min_df in (1, 3):
        matrix, terms = counts(docs, keep=keep, min_df=min_df)
        expected, expected_terms = counts(kept, min_df=min_df)
        assert list(terms) == list(expected_terms)  # no column for a word only in dropped tokens
        assert (matrix != expected).nnz == 0 and matrix.shape == expected.shape
    with pytest.raises(ValueError):
        counts(docs, keep=np.zeros(len(keep), dtype=bool))
    with pytest.raises(ValueError):
        counts(docs, keep=keep[:-1])
