"""A fitted topic model applied without scikit-learn: its TF-IDF, classifier and clusters as arrays.

Input: the fitted scikit-learn parts (`plain_parts`), then token lists. Output: the same numbers
scikit-learn gives, bit for bit (each step below is its arithmetic, in its order and float32).

Importing scikit-learn to unpickle the model cost an incremental build ~1.1 s (of ~8.5 s on the
whole corpus) to tag the one new day's threads; numpy alone costs ~0.1 s. Fitting still uses
scikit-learn (topics.py); a saved model is kept in this form (topics.TopicModel.save).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy


@dataclass(slots=True)
class Rows:
    """Sparse rows, as scikit-learn's CSR matrix holds them: each row's sorted column indices and
    float32 values."""

    rows: list[tuple[numpy.ndarray, numpy.ndarray]]

    def __len__(self) -> int:
        return len(self.rows)


@dataclass(slots=True)
class Tfidf:
    """TfidfVectorizer.transform (sublinear tf, idf, l2 norm) over token lists."""

    vocabulary: dict[str, int]
    idf: numpy.ndarray
    """float32, one per column."""

    def transform(self, docs: list[list[str]]) -> Rows:
        return Rows([self._row(doc) for doc in docs])

    def _row(self, doc: list[str]) -> tuple[numpy.ndarray, numpy.ndarray]:
        counts: dict[int, int] = {}
        for token in doc:
            column = self.vocabulary.get(token)
            if column is not None:
                counts[column] = counts.get(column, 0) + 1
        columns = numpy.array(sorted(counts), dtype=numpy.int32)
        values = numpy.array([counts[c] for c in sorted(counts)], dtype=numpy.float32)
        numpy.log(values, values)
        values += numpy.float32(1.0)
        values *= self.idf[columns]
        # sklearn.utils.sparsefuncs_fast._inplace_csr_row_normalize_l2: squares summed in double.
        total = 0.0
        for v in values:
            total += float(v * v)
        if total != 0.0:
            norm = math.sqrt(total)
            values = numpy.array([float(v) / norm for v in values], dtype=numpy.float32)
        return columns, values


def _dot(row: tuple[numpy.ndarray, numpy.ndarray], weights: numpy.ndarray) -> numpy.ndarray:
    """A sparse row times `weights` (columns x outputs, float32), summed in the row's order as
    scipy's csr_matvecs does."""
    out = numpy.zeros(weights.shape[1], dtype=numpy.float32)
    for column, value in zip(*row):
        out += value * weights[column]
    return out


@dataclass(slots=True)
class Logistic:
    """LogisticRegression.predict_proba of a multinomial model."""

    weights: numpy.ndarray
    """coef_.T, C-ordered (columns x classes)."""
    intercept: numpy.ndarray

    def predict_proba(self, x: Rows) -> numpy.ndarray:
        if not len(x):
            return numpy.zeros((0, self.weights.shape[1]), dtype=numpy.float32)
        scores = numpy.array([_dot(row, self.weights) for row in x.rows], dtype=numpy.float32) + self.intercept
        # sklearn.utils.extmath.softmax
        scores -= numpy.reshape(numpy.max(scores, axis=1), (-1, 1))
        numpy.exp(scores, out=scores)
        scores /= numpy.reshape(numpy.sum(scores, axis=1), (-1, 1))
        return scores


@dataclass(slots=True)
class Nearest:
    """KMeans.predict on sparse rows: the centre nearest each row (the first of equals)."""

    centres: numpy.ndarray
    """cluster_centers_ (clusters x columns, float32)."""
    squared: numpy.ndarray
    """Each centre's squared norm (sklearn's row_norms)."""

    def predict(self, x: Rows) -> list[int]:
        out = []
        for columns, values in x.rows:
            best, label = math.inf, 0
            for j in range(self.centres.shape[0]):
                dot = numpy.float32(0.0)
                for column, value in zip(columns, values):
                    dot += self.centres[j, column] * value
                distance = self.squared[j] - numpy.float32(2) * dot
                if distance < best:
                    best, label = distance, j
            out.append(label)
        return out


def plain_parts(vectorizer, classifier, cluster_vectorizer, clusterer) -> tuple:
    """The fitted scikit-learn parts in this module's form (None stays None)."""
    def tfidf(v):
        return None if v is None else Tfidf({str(k): int(i) for k, i in v.vocabulary_.items()},
                                            numpy.asarray(v.idf_, dtype=numpy.float32))

    logistic = None if classifier is None else Logistic(
        numpy.ascontiguousarray(classifier.coef_.T), numpy.asarray(classifier.intercept_))
    nearest = None
    if clusterer is not None:
        centres = numpy.asarray(clusterer.cluster_centers_)
        nearest = Nearest(centres, numpy.einsum("ij,ij->i", centres, centres))
    return tfidf(vectorizer), logistic, tfidf(cluster_vectorizer), nearest
