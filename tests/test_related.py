"""Related Q&A: TF-IDF built without scikit-learn is scikit-learn's, bit for bit."""
from __future__ import annotations

from pathlib import Path

import numpy

from chatmine.analyse.pipeline import analyse_logs
from chatmine.publish.related import related_threads, tfidf_matrix, thread_text
from chatmine.read.archive import read_archive
from chatmine.text.tokens import terms


def test_tfidf_matrix_is_scikit_learns(seeds: Path):
    from sklearn.feature_extraction.text import TfidfVectorizer

    threads = [t for t in analyse_logs(read_archive([seeds]).logs).threads if t.qa]
    texts = [t.title + "\n" + thread_text(t) for t in threads] + ["", "没有 这个 词"]
    expected = TfidfVectorizer(analyzer=terms, min_df=1, max_df=0.5, sublinear_tf=True).fit_transform(texts)
    got = tfidf_matrix([terms(text) for text in texts])
    assert got.shape == expected.shape
    for mine, theirs in ((got.indptr, expected.indptr), (got.indices, expected.indices), (got.data, expected.data)):
        assert numpy.array_equal(mine, theirs)
    assert numpy.array_equal((got @ got.T).toarray(), (expected @ expected.T).toarray())
    assert related_threads(threads, 5)


def test_no_term_left_is_no_related():
    assert tfidf_matrix([[], []]) is None
    assert tfidf_matrix([["同一个"], ["同一个"]]) is None  # in every Q&A: over max_df
