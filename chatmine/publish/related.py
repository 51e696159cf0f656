"""Related Q&A: for each Q&A page, the few most like it, by TF-IDF over its words.

Input: the threads that have a Q&A page. Output: thread id -> the related threads, best first.
"""
from __future__ import annotations

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
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(analyzer=terms, min_df=1, max_df=0.5, sublinear_tf=True)
    try:
        matrix = vectorizer.fit_transform([thread.title + "\n" + thread_text(thread) for thread in threads])
    except ValueError:  # no term survived (tiny or empty fixtures)
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
