"""Train the question model (chatmine/data/question_weights.tsv) on the dev split of the labels.

A logistic regression over chatmine.analyse.questions.features (rule verdict, cue features, where the
request word stands, character 1-2 grams and jieba words seen in 2+ messages), fitted on the candidates the rules let through. The held-out
split is never used here: measure it afterwards with bench/eval_questions.py.

Then the context stage (chatmine/analyse/asking.py, weights in data/question_context_weights.tsv): a
logistic regression over the text model's score and the conversation around each message
(tests/data/question_context.tsv, written by bench/question_context.py), fitted on the dev
candidates with text scores out of fold (a text model never scores the rows it was fitted on,
or the stage would learn to trust an in-sample score).

Run: python bench/train_questions.py [--cv]   (--cv: 10-fold cross-validation on dev, no write)
"""
from __future__ import annotations

import sys
from functools import lru_cache
from pathlib import Path

from eval_questions import load

from question_context import read as read_context

from chatmine.analyse import asking
from chatmine.analyse.questions import ACCEPTED, REJECTED, THRESHOLD, WEIGHTS, features, rule_verdict

CONTEXT_C = 1.0
C = 0.1
"""Inverse L2 strength: 10-fold CV F1 on dev 0.808 at C=0.05, 0.812 at 0.1, 0.807 at 0.2, 0.804 at 0.3
(threshold 0.38, 5 shuffles)."""


def candidates(rows: list[dict]) -> list[dict]:
    """Rows the rules do not reject: the only ones the model ever scores."""
    return [r for r in rows if not rule_verdict(r["text"]).startswith(REJECTED)]


def fit(rows: list[dict]):
    """(vectorizer, model) fitted on labelled rows."""
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = CountVectorizer(analyzer=_features, binary=True, min_df=2)
    x = vectorizer.fit_transform([r["text"] for r in rows])
    y = [r["label"] == "Q" for r in rows]
    return vectorizer, LogisticRegression(C=C, max_iter=5000).fit(x, y)


@lru_cache(maxsize=None)
def _features(text: str) -> tuple[str, ...]:
    """features(text), once per text: cross-validation fits the model a hundred times."""
    return tuple(features(text))


def context_rows(rows: list[dict], scores: dict[int, float]) -> tuple[list[dict], list[bool]]:
    """The context stage's inputs and labels: each scored row the rules do not accept alone,
    with `scores[i]` (its text score) in its conversation."""
    context = read_context()
    x, y = [], []
    for i, row in enumerate(rows):
        if i in scores and rule_verdict(row["text"]) not in ACCEPTED:
            x.append(context_of(row, context, scores[i]))
            y.append(row["label"] == "Q")
    return x, y


def context_of(row: dict, context, score: float) -> dict[str, float]:
    """The context stage's features of a labelled row (tests/data/question_context.tsv), its own
    text score given as `score`."""
    return {**context[(row["source"], int(row["line"]))], "text": asking.logit(score)}


def out_of_fold(rows: list[dict], folds: int = 10, seed: int = 0) -> dict[int, float]:
    """Row index -> text score by a model fitted on the other folds, for each candidate row."""
    from sklearn.model_selection import StratifiedKFold

    scores: dict[int, float] = {}
    labels = [r["label"] == "Q" for r in rows]
    for train, test in StratifiedKFold(folds, shuffle=True, random_state=seed).split(rows, labels):
        scores.update(_score_fold(rows, train, test))
    return scores


def _score_fold(rows: list[dict], train, test) -> dict[int, float]:
    vectorizer, model = fit(candidates([rows[i] for i in train]))
    test = [i for i in test if not rule_verdict(rows[i]["text"]).startswith(REJECTED)]
    if not test:
        return {}
    p = model.predict_proba(vectorizer.transform([rows[i]["text"] for i in test]))[:, 1]
    return {i: float(pi) for i, pi in zip(test, p)}


def fit_context(rows: list[dict]):
    """(vectorizer, model) of the context stage, fitted on `rows`' out-of-fold text scores."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    x, y = context_rows(rows, out_of_fold(rows))
    vectorizer = DictVectorizer()
    return vectorizer, LogisticRegression(C=CONTEXT_C, max_iter=5000).fit(vectorizer.fit_transform(x), y), len(y)


def cross_validate(rows: list[dict], folds: int = 10, repeats: int = 3) -> dict[str, dict[str, float]]:
    """Precision, recall, F1 on all dev rows, text alone and with the context stage, with each
    fold's candidates scored by models trained on the other folds (rows the rules reject count
    as said "no"; the context stage of a fold is fitted on its training folds' own out-of-fold
    text scores), averaged over `repeats` shuffles: one split of 700 messages moves F1 by a point."""
    runs = [_cross_validate_once(rows, folds, seed) for seed in range(repeats)]
    return {stage: {k: round(sum(run[stage][k] for run in runs) / repeats, 3) for k in runs[0][stage]}
            for stage in runs[0]}


def _cross_validate_once(rows: list[dict], folds: int, seed: int) -> dict[str, dict[str, float]]:
    from sklearn.model_selection import StratifiedKFold

    said = [False] * len(rows)
    in_context = [False] * len(rows)
    labels = [r["label"] == "Q" for r in rows]
    context = read_context()
    for train, test in StratifiedKFold(folds, shuffle=True, random_state=seed).split(rows, labels):
        scores = _score_fold(rows, train, test)
        vectorizer, model, _ = fit_context([rows[i] for i in train])
        for i, score in scores.items():
            if rule_verdict(rows[i]["text"]) in ACCEPTED:
                said[i] = in_context[i] = True
                continue
            said[i] = score >= THRESHOLD
            x = vectorizer.transform([context_of(rows[i], context, score)])
            in_context[i] = bool(model.predict_proba(x)[0, 1] >= asking.CONTEXT_THRESHOLD)
    return {"text": _figures(said, labels), "context": _figures(in_context, labels)}


def _figures(said: list[bool], labels: list[bool]) -> dict[str, float]:
    tp = sum(s and t for s, t in zip(said, labels))
    precision, recall = tp / max(sum(said), 1), tp / max(sum(labels), 1)
    return {"precision": precision, "recall": recall,
            "f1": float(2 * precision * recall / max(precision + recall, 1e-9))}


def write_weights(vectorizer, model, n: int, path: Path = WEIGHTS) -> None:
    names = vectorizer.get_feature_names_out()
    lines = [
        "# Question model: logistic regression weights, written by bench/train_questions.py",
        f"# from {n} candidate messages of the dev split of tests/data/questions.tsv (C={C}).",
        f"(bias)\t{model.intercept_[0]:.4f}",
    ]
    lines += [f"{name}\t{w:.4f}" for name, w in sorted(zip(names, model.coef_[0])) if abs(w) >= 5e-4]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_context_weights(vectorizer, model, n: int, path: Path = asking.WEIGHTS) -> None:
    names = vectorizer.get_feature_names_out()
    lines = [
        "# Question context stage: logistic regression weights, written by bench/train_questions.py",
        f"# from {n} candidate messages of the dev split of tests/data/questions.tsv in their",
        f"# conversations (tests/data/question_context.tsv), text scores out of fold (C={CONTEXT_C}).",
        f"(bias)\t{model.intercept_[0]:.4f}",
    ]
    lines += [f"{name}\t{w:.4f}" for name, w in sorted(zip(names, model.coef_[0]))]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    dev = [r for r in load() if r["split"] == "dev"]
    if "--cv" in sys.argv:
        print("10-fold CV on dev", cross_validate(dev))
    else:
        rows = candidates(dev)
        write_weights(*fit(rows), n=len(rows))
        print(f"wrote {WEIGHTS} from {len(rows)} candidates")
        write_context_weights(*fit_context(dev))
        print(f"wrote {asking.WEIGHTS}")
