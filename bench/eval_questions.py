"""Question-detection figures on tests/data/questions.tsv (dev and held-out splits).

What the pipeline decides: each message read in its conversation (asking.questions_in over the
messages around it, as tests/data/question_context.tsv holds it); `--text` gives the text model alone
(questions.looks_like_question). The question model is trained on dev, so dev figures here are in-sample; its honest dev
figure is the cross-validation of bench/train_questions.py --cv. Held-out is never trained on.
Run: python bench/eval_questions.py [--text] [--errors dev]
"""
from __future__ import annotations

import csv
import sys
from pathlib import Path

from chatmine import asking
from chatmine.qa import looks_like_question

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "questions.tsv"


def load(path: Path = DATA) -> list[dict]:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    rows = list(csv.DictReader(lines, delimiter="\t"))
    for row in rows:
        row["text"] = row["text"].replace("\\n", "\n")
    return rows


def in_context(rows: list[dict]) -> list[bool]:
    """Whether the pipeline finds each row a question, read in its conversation (the context
    stage's features of it, tests/data/question_context.tsv)."""
    from question_context import read

    context = read()
    return [asking.asks(r["text"], asking.text_score(r["text"]), lambda r=r: context[(r["source"], int(r["line"]))])
            for r in rows]


def scores(rows: list[dict], text_only: bool = False) -> dict[str, float]:
    said = [looks_like_question(r["text"]) for r in rows] if text_only else in_context(rows)
    truth = [r["label"] == "Q" for r in rows]
    tp = sum(s and t for s, t in zip(said, truth))
    fp = sum(s and not t for s, t in zip(said, truth))
    fn = sum(t and not s for s, t in zip(said, truth))
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"n": len(rows), "precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


if __name__ == "__main__":
    rows = load()
    text_only = "--text" in sys.argv
    for split in ("dev", "held"):
        part = [r for r in rows if r["split"] == split]
        print(split, {k: round(v, 3) for k, v in scores(part, text_only).items()})
    if "--errors" in sys.argv:
        which = sys.argv[sys.argv.index("--errors") + 1]
        part = [r for r in rows if r["split"] == which]
        said = [looks_like_question(r["text"]) for r in part] if text_only else in_context(part)
        for r, s in zip(part, said):
            if (r["label"] == "Q") != s:
                print(r["label"], r["text"][:100].replace("\n", " "))
