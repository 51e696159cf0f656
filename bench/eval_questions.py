"""Question-detection figures on tests/data/questions.tsv (dev and held-out splits).

The question model is trained on dev, so dev figures here are in-sample; its honest dev
figure is the cross-validation of bench/train_questions.py --cv. Held-out is never trained on.
Run: python bench/eval_questions.py [--errors dev]
"""
from __future__ import annotations

import csv
import sys
from pathlib import Path

from chatmine.qa import looks_like_question

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "questions.tsv"


def load(path: Path = DATA) -> list[dict]:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    rows = list(csv.DictReader(lines, delimiter="\t"))
    for row in rows:
        row["text"] = row["text"].replace("\\n", "\n")
    return rows


def scores(rows: list[dict]) -> dict[str, float]:
    tp = sum(1 for r in rows if r["label"] == "Q" and looks_like_question(r["text"]))
    fp = sum(1 for r in rows if r["label"] == "N" and looks_like_question(r["text"]))
    fn = sum(1 for r in rows if r["label"] == "Q" and not looks_like_question(r["text"]))
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"n": len(rows), "precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


if __name__ == "__main__":
    rows = load()
    for split in ("dev", "held"):
        part = [r for r in rows if r["split"] == split]
        print(split, {k: round(v, 3) for k, v in scores(part).items()})
    if "--errors" in sys.argv:
        which = sys.argv[sys.argv.index("--errors") + 1]
        for r in rows:
            if r["split"] == which and (r["label"] == "Q") != looks_like_question(r["text"]):
                print(r["label"], r["text"][:100].replace("\n", " "))
