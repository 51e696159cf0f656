"""Train the answer model (chatmine/data/answer_weights.tsv) on the answer links read by hand.

Each row of tests/data/answer_pairs.tsv is a (question, reply) pair of a dev file, labelled Y
when the reply answers the question (tests/data/answers.tsv, drawn another way, tests the
result). Its features (chatmine.analyse.replies.features) are computed in the conversation the pair
is in, as qa.find_qa sees it. A logistic regression over them is
written as weights; --cv prints 10-fold cross-validation grouped by file (no write).

Run: python bench/train_answers.py [--cv] [ARCHIVE]   (default ../shared/corpus)
"""
from __future__ import annotations

import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "answer_pairs.tsv"
STRATA = {
    "linked": 33184, "unlinked": 63985,  # batch 1: inside a conversation, 200 rows each
    "other-linked": 2322, "other-shared": 2663, "other-unshared": 59180,  # batch 2: across two
}
"""How many candidate pairs each stratum was drawn from (header of answer_pairs.tsv): a row
of batch 1 stands for that many / 200 pairs, so figures and fit are weighted to the whole
population. Batch 2 (a reply in another conversation than the question) is not trained on
here (load reads batch 1, TRAINED): bench/answers_across.py reads it, and why link_across
keeps its own rule is written there."""
C = 1.0
TRAINED = ("linked", "unlinked")
"""Batch 1's strata: what the model is fitted and cross-validated on."""


def load(path: Path = DATA, strata: tuple[str, ...] | None = TRAINED) -> list[dict]:
    """The rows of `strata` (None: every row)."""
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    return [r for r in csv.DictReader(lines, delimiter="\t") if strata is None or r["stratum"] in strata]


def labelled_logs(rows: list[dict], archive: Path):
    """For each log the rows come from: (log, its rows, each message's content words by
    id(message), its conversations as lists of messages), as the pipeline splits them."""
    from chatmine.read.archive import read_archive
    from chatmine.analyse.threads import content_set, split_conversations
    from chatmine.text.tokens import get_tokenizer

    sources = {r["source"] for r in rows}
    tokenizer = get_tokenizer()
    for log in read_archive([archive]).logs:
        if log.source in sources:
            terms = [tokenizer.terms(m.text) for m in log.messages]
            words_of = {id(m): content_set(t) for m, t in zip(log.messages, terms)}
            conversations = split_conversations(log, terms)
            yield log, [r for r in rows if r["source"] == log.source], words_of, conversations


def pair_features(rows: list[dict], archive: Path) -> list[tuple[dict, dict]]:
    """(row, features) for each row whose question and reply share a conversation (batch 1)."""
    from chatmine.analyse.replies import Conversation, features

    out = []
    for log, log_rows, words_of, conversations in labelled_logs(rows, archive):
        by_line = {m.line: m for m in log.messages}
        where = {}
        for messages in conversations:
            context = Conversation(messages, lambda m, words_of=words_of: words_of[id(m)])
            for m in messages:
                where[id(m)] = context
        for row in log_rows:
            q, r = by_line.get(int(row["question_line"])), by_line.get(int(row["answer_line"]))
            if q is None or r is None or where[id(q)] is not where[id(r)]:
                continue
            out.append((row, features(where[id(q)], q, r)))
    return out


def fit(pairs: list[tuple[dict, dict]]):
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = DictVectorizer()
    x = vectorizer.fit_transform([f for _, f in pairs])
    y = [row["label"] == "Y" for row, _ in pairs]
    return vectorizer, LogisticRegression(C=C, max_iter=5000).fit(x, y, sample_weight=[_weight(r) for r, _ in pairs])


def _weight(row: dict) -> float:
    return STRATA[row["stratum"]] / STRATA["linked"]


def cross_validate(pairs, folds: int = 10, thresholds=(0.3, 0.35, 0.4, 0.45, 0.5, 0.6)) -> dict:
    """Precision and recall at each threshold, each pair scored by a model fitted on the folds
    without its file, weighted to the population; and the same for the rules' links (stratum)."""
    from sklearn.model_selection import GroupKFold

    said = [0.0] * len(pairs)
    groups = [row["source"] for row, _ in pairs]
    for train, test in GroupKFold(folds).split(pairs, groups=groups):
        vectorizer, model = fit([pairs[i] for i in train])
        p = model.predict_proba(vectorizer.transform([pairs[i][1] for i in test]))[:, 1]
        for i, pi in zip(test, p):
            said[i] = pi
    labels = [row["label"] == "Y" for row, _ in pairs]
    weights = [_weight(row) for row, _ in pairs]
    answers = sum(w for y, w in zip(labels, weights) if y)

    def figures(linked: list[bool]) -> dict[str, float]:
        tp = sum(w for s, y, w in zip(linked, labels, weights) if s and y)
        n = sum(w for s, w in zip(linked, weights) if s)
        return {"precision": round(tp / max(n, 1e-9), 3), "recall": round(tp / answers, 3)}

    out = {t: figures([s >= t for s in said]) for t in thresholds}
    out["rules"] = figures([row["stratum"] == "linked" for row, _ in pairs])  # the rules' own links
    return out


def write_weights(vectorizer, model, n: int) -> None:
    from chatmine.analyse.replies import WEIGHTS

    lines = [
        "# Answer model: logistic regression weights, written by bench/train_answers.py",
        f"# from {n} (question, reply) pairs read by hand in tests/data/answer_pairs.tsv (C={C}), weighted by stratum.",
        f"(bias)\t{model.intercept_[0]:.4f}",
    ]
    lines += [f"{name}\t{w:.4f}" for name, w in zip(vectorizer.get_feature_names_out(), model.coef_[0])]
    WEIGHTS.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    archive = Path(args[0]) if args else ROOT.parent / "shared" / "corpus"
    pairs = pair_features(load(), archive)
    print(f"{len(pairs)} pairs, {sum(r['label'] == 'Y' for r, _ in pairs)} answers")
    if "--cv" in sys.argv:
        for t, figures in cross_validate(pairs).items():
            print(t, figures)
    else:
        vectorizer, model = fit(pairs)
        write_weights(vectorizer, model, len(pairs))
        for name, w in sorted(zip(vectorizer.get_feature_names_out(), model.coef_[0]), key=lambda x: -abs(x[1])):
            print(f"{name:20} {w:+.3f}")
