"""Related Q&A: for each Q&A page, the few most like it, by TF-IDF over its words.

Input: the threads that have a Q&A page. Output: thread id -> the related threads, best first.
"""
from __future__ import annotations

import math

from chatmine.model import Thread
from chatmine.text.tokens import terms


def thread_text(thread: Thread) -> str:
    """The words of a Q&A: questions and answers, what related Q&A are compared on."""
    return "\n".join(m.text for qa in thread.qa for m in [qa.question, *qa.answers])


def related_threads(threads: list[Thread], count: int) -> dict[str, list[Thread]]:
    """About `count` most similar Q&A per thread: TF-IDF over jieba terms, cosine similarity."""
    if len(threads) < 2 or count <= 0:
        return {}
    import numpy as np

    matrix = tfidf_matrix([terms(thread.title + "\n" + thread_text(thread)) for thread in threads])
    if matrix is None:  # no term survived (tiny or empty fixtures)
        return {}
    related: dict[str, list[Thread]] = {}
    # Row blocks keep the dense similarity slice small (1,000 x n floats) on the whole corpus.
    for start in range(0, len(threads), 1000):
        block = (matrix[start:start + 1000] @ matrix.T).toarray()
        for offset, row in enumerate(block):
            i = start + offset
            row[i] = 0.0
            # The top `count` of the rows above the cut-off by a partial sort, ties at the edge
            # kept as a stable sort keeps them: a full argsort per row grew as n² log n.
            top = np.flatnonzero(row > 0.05)
            if len(top) > count:
                kth = np.partition(-row[top], count - 1)[count - 1]
                top = top[-row[top] <= kth]
            best = sorted(top, key=lambda j: (-row[j], j))[:count]
            related[threads[i].id] = [threads[j] for j in best]
    return related


MAX_DF = 0.5
"""A term in more than this share of the Q&A says nothing about which are alike."""


def tfidf_matrix(docs: list[list[str]]):
    """The rows scikit-learn's TfidfVectorizer(min_df=1, max_df=MAX_DF, sublinear_tf=True)
    .fit_transform gives `docs`, bit for bit, in a scipy CSR matrix; None when no term is kept.

    Built here because importing scikit-learn cost an incremental build ~0.4-1 s of its ~6 s;
    scipy.sparse alone ~0.1 s. Its arithmetic in its order: each row's terms in the order first
    seen in the archive, as columns of the terms sorted; tf 1 + log(count), times
    idf 1 + log((n + 1) / (df + 1)), over the row's l2 norm summed in that order."""
    import numpy as np
    import scipy.sparse

    first: dict[str, int] = {}
    rows = []
    for doc in docs:
        counts: dict[int, int] = {}
        for term in doc:
            column = first.setdefault(term, len(first))
            counts[column] = counts.get(column, 0) + 1
        rows.append(sorted(counts.items()))
    df = [0] * len(first)
    for row in rows:
        for column, _ in row:
            df[column] += 1
    kept = [term for term, column in first.items() if df[column] <= MAX_DF * len(docs)]
    if not kept:
        return None
    column_of = {first[term]: number for number, term in enumerate(sorted(kept))}
    indptr, indices, data = [0], [], []
    for row in rows:
        for column, count in row:
            if column in column_of:
                indices.append(column_of[column])
                data.append(count)
        indptr.append(len(indices))
    indices = np.asarray(indices, dtype=np.int32)
    values = np.asarray(data, dtype=np.float64)
    frequency = np.bincount(indices, minlength=len(kept)).astype(np.float64) + 1.0
    idf = np.full_like(frequency, fill_value=len(docs) + 1, dtype=np.float64)
    idf /= frequency
    np.log(idf, out=idf)
    idf += 1.0
    np.log(values, values)
    values += 1.0
    values *= idf[indices]
    for start, end in zip(indptr, indptr[1:]):
        total = 0.0
        for value in values[start:end].tolist():
            total += value * value
        if total:
            values[start:end] /= math.sqrt(total)
    return scipy.sparse.csr_matrix((values, indices, np.asarray(indptr, dtype=np.int32)),
                                   shape=(len(docs), len(kept)))
