"""A saved topic model applied with numpy (applied.py) gives scikit-learn's numbers bit for bit."""
from __future__ import annotations

from pathlib import Path

import numpy

from chatmine.analyse import applied
from chatmine.analyse.pipeline import analyse_logs
from chatmine.analyse.topics import TopicModel, content_words, thread_text
from chatmine.read.archive import read_archive
from chatmine.text.tokens import terms


def test_plain_model_gives_scikit_learns_probabilities_and_clusters(seeds: Path):
    fitted = analyse_logs(read_archive([seeds]).logs)
    model = fitted.model
    assert model.classifier is not None
    docs = [terms(thread_text(t)) for t in fitted.threads] + [[], ["没有", "这个", "词"]]
    vectorizer, classifier, cluster_vectorizer, clusterer = applied.plain_parts(
        model.vectorizer, model.classifier, model.cluster_vectorizer, model.clusterer)
    expected = model.classifier.predict_proba(model.vectorizer.transform(docs))
    assert numpy.array_equal(classifier.predict_proba(vectorizer.transform(docs)), expected)
    # Row by row as a new day's few threads are: the same bits.
    assert numpy.array_equal(classifier.predict_proba(vectorizer.transform(docs[:3])), expected[:3])
    if model.clusterer is not None:
        words = [content_words(doc) for doc in docs]
        assert list(clusterer.predict(cluster_vectorizer.transform(words))) == \
            list(model.clusterer.predict(model.cluster_vectorizer.transform(words)))


def test_saved_model_tags_as_the_fitted_one(seeds: Path, tmp_path: Path):
    logs = read_archive([seeds]).logs
    fitted = analyse_logs(logs)
    path = tmp_path / "topics.pickle"
    fitted.model.save(path)
    again = analyse_logs(read_archive([seeds]).logs, model=TopicModel.load(path))
    assert [(t.topics, t.topic_scores, t.cluster) for t in again.threads] == \
        [(t.topics, t.topic_scores, t.cluster) for t in fitted.threads]
