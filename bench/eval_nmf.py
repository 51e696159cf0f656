"""Seeded NMF against the lexicon-seeded classifier, on tests/data/topics.tsv (top two tags).

Issue 3 names both ways of tagging the threads the lexicon cannot: a linear classifier trained
on the threads the lexicon labels confidently (what chatmine ships, topics.fit_model), or NMF
seeded with the taxonomy. Here NMF factorises the threads' TF-IDF (the shipped vectoriser) into
one component per tag, its word loadings started from the tag's terms (a vocabulary word
holding a term) and each thread's weights from its lexicon scores, plus EXTRA free components
that take up subjects outside the taxonomy so that no tag has to. A thread's NMF scores are its
tag components' shares of its weight; they stand in for the classifier's probabilities in
topics.combine (lexicon share added) and topics.tag_topics (banter, weak fits), so only the
learned part differs.

Run: python bench/eval_nmf.py [ARCHIVE]   (default ../shared/corpus)
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy

sys.path.insert(0, str(Path(__file__).resolve().parent))
from eval_topics import load, top2  # noqa: E402

from chatmine.analyse.pipeline import split_log  # noqa: E402
from chatmine.read.archive import read_archive  # noqa: E402
from chatmine.analyse.settled import cutoff, is_settled  # noqa: E402
from chatmine.analyse.topics import (  # noqa: E402
    _float32,
    _identity,
    combine,
    fit_model,
    lexicon_scores,
    load_taxonomy,
    tag_topics,
    thread_terms,
    thread_text,
)

SEED = 0.01
"""What a vocabulary word without a tag's term starts with in that tag's component (1 with one)."""


def nmf_scores(docs, lexicons, extra: int, fit_on: list[int], iterations: int = 200, loss: str = "frobenius") -> list[dict[str, float]]:
    """Each thread's share of weight per tag, from NMF seeded with the taxonomy."""
    from sklearn.decomposition import NMF
    from sklearn.feature_extraction.text import TfidfVectorizer

    taxonomy = load_taxonomy()
    vectorizer = TfidfVectorizer(analyzer=_identity, min_df=2, max_df=0.5, sublinear_tf=True, dtype=_float32())
    vectorizer.fit([docs[i] for i in fit_on])
    x = vectorizer.transform(docs)
    vocabulary = vectorizer.get_feature_names_out()
    tags = taxonomy.ids
    rng = numpy.random.default_rng(0)
    k = len(tags) + extra
    h = numpy.full((k, len(vocabulary)), SEED, dtype=numpy.float32)
    for row, tag in enumerate(taxonomy.tags):
        for col, word in enumerate(vocabulary):
            if any(term in word for term in tag.terms):
                h[row, col] = 1.0
    h[len(tags):] = rng.random((extra, len(vocabulary)), dtype=numpy.float32) * 0.1
    w = numpy.full((x.shape[0], k), SEED, dtype=numpy.float32)
    for i, lexicon in enumerate(lexicons):
        for tag, value in lexicon.items():
            w[i, tags.index(tag)] += value
    w[:, len(tags):] = 0.1
    model = NMF(n_components=k, init="custom", solver="mu", beta_loss=loss, max_iter=iterations, random_state=0)
    weights = model.fit_transform(x, W=w, H=h)
    out = []
    for row in weights:
        total = row.sum()
        out.append({tag: float(row[j] / total) for j, tag in enumerate(tags)} if total > 0 else {})
    return out


def with_lexicon(learned: list[dict[str, float]], lexicons) -> list[dict[str, float]]:
    """topics.combine's sum, with `learned` in place of the classifier's probabilities."""
    lexical = combine(None, None, lexicons)
    return [{t: a.get(t, 0.0) + b.get(t, 0.0) for t in set(a) | set(b)} for a, b in zip(learned, lexical)]


if __name__ == "__main__":
    archive = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
    logs = read_archive([archive]).logs
    rows = load()
    parts = [split_log(log) for log in logs]
    threads, terms_of = [], {}
    for log, part in zip(logs, parts):
        for message, words in zip(log.messages, part.terms):
            terms_of[id(message)] = words
        threads.extend(part.threads)
    docs = [thread_terms(t, terms_of) for t in threads]
    lexicons = [lexicon_scores(thread_text(t)) for t in threads]
    cut = cutoff(logs)
    settled = [i for i, t in enumerate(threads) if is_settled(t.log, cut)]
    start = time.perf_counter()
    model, x = fit_model(docs, lexicons, settled)
    tag_topics(threads, combine(model, x, lexicons), lexicons, True)
    print(f"{'classifier (shipped)':36} top-2 {top2(threads, rows)}  ({time.perf_counter() - start:.1f} s)")
    classifier = [dict(zip(model.classes, map(float, row))) for row in model.classifier.predict_proba(x)]
    for extra, loss in ((0, "frobenius"), (20, "frobenius"), (0, "kullback-leibler"), (20, "kullback-leibler")):
        start = time.perf_counter()
        learned = nmf_scores(docs, lexicons, extra, settled, loss=loss)
        tag_topics(threads, with_lexicon(learned, lexicons), lexicons, True)
        print(f"{f'seeded NMF, {loss}, {extra} free':36} top-2 {top2(threads, rows)}  ({time.perf_counter() - start:.1f} s)")
    both = [{t: (a.get(t, 0.0) + b.get(t, 0.0)) / 2 for t in set(a) | set(b)} for a, b in zip(classifier, learned)]
    tag_topics(threads, with_lexicon(both, lexicons), lexicons, True)
    print(f"{'classifier and NMF (KL, 20), averaged':36} top-2 {top2(threads, rows)}")
