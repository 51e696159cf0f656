"""Fit the page model (chatmine/analyse/worth.py) on the labelled days of the dev split.

Each QA qa.py links in a labelled day is a candidate: positive when its question is one of an
editor's page's messages (its line or `also`), negative otherwise; which of a page's messages
gets the page is worth.judge's rule (follow-ups and re-asks join the first). Borderline pages
are left out.
Each reply qa.py linked to a QA of an editor's page is a listing candidate: positive when the
editor counted it among the page's answers. The held-out days are never read here. Writes
chatmine/data/listing_weights.tsv, then chatmine/data/page_text_weights.tsv (the opener text
model, fitted on every page candidate's opener) and chatmine/data/page_weights.tsv (the page
model reads the listing model's scores and the text model's, out of fold while it is fitted);
--cv prints 8-fold cross-validation grouped by day instead (the text model refitted per fold).

Run: python bench/train_pages.py [ARCHIVE] [--cv]
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from eval_pages import ROOT, editor_pages, labelled_days  # noqa: E402

C = 1.0
TEXT_C = 0.1
TEXT = "(text)"
"""The key of a page row's opener text; no feature: fit() leaves it out."""


def labelled_qas(archive: Path, split: str):
    """Each labelled day of `split` analysed as a build does, its QAs before the page decision:
    (day, log messages, QAs in order, content words of a message, editor's page of a line)."""
    from chatmine.analyse.pipeline import split_log
    from chatmine.read.archive import read_archive
    from chatmine.analyse.threads import content_set
    from chatmine.analyse.worth import day_qas

    days = labelled_days(split)
    owner = {}
    for page in editor_pages(days):
        for line in [page["line"], *page.get("also", [])]:
            owner[(page["source"], line)] = page
    for source in sorted(days):
        log = read_archive([archive / source]).logs[0]
        part = split_log(log, pages=False)
        words_of = {id(m): content_set(w) for m, w in zip(log.messages, part.terms)}
        yield (source, log.messages, day_qas(part.threads), lambda m, w=words_of: w[id(m)],
               lambda line, s=source: owner.get((s, line)))


def candidates(archive: Path, split: str = "dev") -> list[tuple[str, dict, int]]:
    """(day, features, label) of every QA of the labelled days of `split`; each features dict
    also holds the opener's text under TEXT, for the opener text model (text_scores)."""
    from chatmine.analyse.worth import page_features, preceding, score_answers

    rows = []
    for source, messages, qas, words, page_of in labelled_qas(archive, split):
        score_answers(messages, qas, words)
        before = preceding(messages, {id(qa.question) for qa in qas})
        for i, qa in enumerate(qas):
            page = page_of(qa.question.line)
            if page is None or not page["borderline"]:
                f = {**page_features(qa, qas[:i], words, before), TEXT: qa.question.text}
                rows.append((source, f, int(page is not None)))
    return rows


def fit_text(rows):
    """The opener text model: a logistic regression over worth.opener_grams of the rows' openers."""
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.linear_model import LogisticRegression

    from chatmine.analyse.worth import opener_grams

    vectorizer = CountVectorizer(analyzer=opener_grams, min_df=2, binary=True)
    x = vectorizer.fit_transform([f[TEXT] for _, f, _ in rows])
    return vectorizer, LogisticRegression(C=TEXT_C, max_iter=5000).fit(x, [y for _, _, y in rows])


def text_scores(train, test, folds: int = 4):
    """Set the page rows' "opener-text" feature: for `train`, from text models fitted on the
    other days of `train` (out of fold, as the page model meets it on a new day); for `test`,
    from one fitted on all of `train`, which it returns."""
    days = sorted({d for d, _, _ in train})
    for k in range(folds):
        inner = set(days[k::folds])
        vectorizer, model = fit_text([r for r in train if r[0] not in inner])
        scored = [r for r in train if r[0] in inner]
        for (_, f, _), p in zip(scored, model.predict_proba(vectorizer.transform([f[TEXT] for _, f, _ in scored]))[:, 1]):
            f["opener-text"] = p
    vectorizer, model = fit_text(train)
    if test:
        for (_, f, _), p in zip(test, model.predict_proba(vectorizer.transform([f[TEXT] for _, f, _ in test]))[:, 1]):
            f["opener-text"] = p
    return vectorizer, model


def listing_pairs(archive: Path, split: str = "dev") -> list[tuple[str, dict, int]]:
    """(day, features, label) of every reply linked to a QA of an editor's page: label 1 when
    the editor listed it among the page's answers."""
    from chatmine.analyse.worth import day_of, listing_features

    rows = []
    for source, messages, qas, words, page_of in labelled_qas(archive, split):
        day = day_of(messages, qas, words)
        for qa in qas:
            page = page_of(qa.question.line)
            if page is None or page["borderline"]:
                continue
            answers = set(page["answers"]) - set(page.get("also", []))
            for a in qa.answers:
                rows.append((source, listing_features(day, qa, a), int(a.line in answers)))
    return rows


def fit(rows):
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = DictVectorizer(sparse=False)
    x = vectorizer.fit_transform([{k: v for k, v in f.items() if k != TEXT} for _, f, _ in rows])
    return vectorizer, LogisticRegression(C=C, max_iter=5000).fit(x, [y for _, _, y in rows])


def cross_validate(rows, folds: int = 8, prepare=None) -> None:
    """Grouped by day; `prepare(train, test)` first sets what depends on the training days."""
    days = sorted({d for d, _, _ in rows})
    scored = []
    for k in range(folds):
        test = set(days[k::folds])
        train, held = [r for r in rows if r[0] not in test], [r for r in rows if r[0] in test]
        if prepare:
            prepare(train, held)
        vectorizer, model = fit(train)
        if held:
            p = model.predict_proba(vectorizer.transform([{k: v for k, v in f.items() if k != TEXT} for _, f, _ in held]))[:, 1]
            scored += [(pi, y) for pi, (_, _, y) in zip(p, held)]
    for threshold in (0.3, 0.4, 0.5, 0.6, 0.65, 0.7):
        tp = sum(p >= threshold and y for p, y in scored)
        chosen = sum(p >= threshold for p, _ in scored)
        positive = sum(y for _, y in scored)
        print(f"threshold {threshold}: precision {tp / max(1, chosen):.3f} recall {tp / max(1, positive):.3f}"
              f" ({chosen} chosen, {positive} pages)")


def write_weights(vectorizer, model, n: int, path: Path, what: str) -> None:
    lines = [
        f"# {what} model: logistic regression weights, written by bench/train_pages.py",
        f"# from {n} rows of the dev days of tests/data/pages.jsonl (C={C}).",
        f"(bias)\t{model.intercept_[0]:.4f}",
    ]
    lines += [f"{name}\t{w:.4f}" for name, w in sorted(zip(vectorizer.feature_names_, model.coef_[0]))]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_text_weights(vectorizer, model, n: int) -> None:
    """The opener text model's weights, the n-grams whose weight rounds to zero left out."""
    from chatmine.analyse.worth import TEXT_WEIGHTS

    lines = [
        "# Opener text model: logistic regression weights over worth.opener_grams (characters, pairs,",
        f"# triples), written by bench/train_pages.py from {n} QAs of the dev days (C={TEXT_C}).",
        f"(bias)\t{model.intercept_[0]:.4f}",
    ]
    lines += [f"{name}\t{w:.4f}" for name, w in sorted(zip(vectorizer.get_feature_names_out(), model.coef_[0]))
              if round(w, 4) and not name.startswith("#")]  # a "#" line is a comment
    TEXT_WEIGHTS.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    from chatmine.analyse.worth import LIST_WEIGHTS, WEIGHTS

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("archive", nargs="?", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--cv", action="store_true")
    args = parser.parse_args()
    # The listing model first: the page model reads the scores it gives a QA's replies.
    for name, rows_of, path in (("Listing", listing_pairs, LIST_WEIGHTS), ("Page", candidates, WEIGHTS)):
        rows = rows_of(args.archive)
        prepare = text_scores if name == "Page" else None
        print(f"{name}: {len(rows)} rows, {sum(y for _, _, y in rows)} positive", file=sys.stderr)
        if args.cv:
            cross_validate(rows, prepare=prepare)
            continue
        if prepare:
            vectorizer, model = prepare(rows, [])
            write_text_weights(vectorizer, model, len(rows))
        vectorizer, model = fit(rows)
        write_weights(vectorizer, model, len(rows), path, name)
        print(json.dumps(dict(zip(vectorizer.feature_names_, model.coef_[0].round(3))), ensure_ascii=False))


if __name__ == "__main__":
    main()
