"""Question-detection figures on tests/data/questions.tsv (dev, held-out and near splits: near is
messages the text model scored around its threshold, never trained on).

What the pipeline decides: each message read in its conversation (asking.questions_in over the
messages around it, as tests/data/question_context.tsv holds it); `--text` gives the text model alone
(questions.looks_like_question). The question model is trained on dev, so dev figures here are in-sample; its honest dev
figure is the cross-validation of bench/train_questions.py --cv. Held-out is never trained on. `--output` reads the
pipeline's own output instead (the rows' files of ../shared/corpus analysed whole): a row is found when it is the first
message of a Q&A, counting or not the statements that opened a discussion (QA.asks False).
Run: python bench/eval_questions.py [--text | --output [CORPUS]] [--errors dev]
"""
from __future__ import annotations

import csv
import sys
from pathlib import Path

from chatmine.analyse import asking
from chatmine.analyse.qa import looks_like_question

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


CORPUS = DATA.parents[3] / "shared" / "corpus"


def in_output(rows: list[dict], discussions: bool, corpus: Path = CORPUS) -> list[bool]:
    """Whether each row opens a Q&A of the pipeline's output (an echo, threads.is_echo, as its
    original); with `discussions`, a discussion's opening counts too."""
    from chatmine.analyse.pipeline import split_log
    from chatmine.read.parse import parse_file
    from chatmine.analyse.predicates import is_echo

    found = set()
    for source in sorted({r["source"] for r in rows}):
        log = parse_file(corpus / source, corpus).log
        first = {id(qa.question): qa.asks for t in split_log(log).threads for qa in t.qa}
        previous, opens = None, False
        for message in log.messages:
            if previous is None or not is_echo(message, previous):
                opens = id(message) in first and (first[id(message)] or discussions)
            if opens:
                found.add((source, message.line))
            previous = message
    return [(r["source"], int(r["line"])) in found for r in rows]


def scores(rows: list[dict], text_only: bool = False, said: list[bool] | None = None) -> dict[str, float]:
    if said is None:
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
    for split in ("dev", "held", "near"):
        part = [r for r in rows if r["split"] == split]
        if "--output" in sys.argv:
            for discussions in (False, True):
                said = in_output(part, discussions, next((Path(a) for a in sys.argv[1:] if Path(a).is_dir()), CORPUS))
                print(split, "questions and discussions" if discussions else "questions",
                      {k: round(v, 3) for k, v in scores(part, said=said).items()})
        else:
            print(split, {k: round(v, 3) for k, v in scores(part, text_only).items()})
    if "--errors" in sys.argv:
        which = sys.argv[sys.argv.index("--errors") + 1]
        part = [r for r in rows if r["split"] == which]
        said = [looks_like_question(r["text"]) for r in part] if text_only else in_context(part)
        for r, s in zip(part, said):
            if (r["label"] == "Q") != s:
                print(r["label"], r["text"][:100].replace("\n", " "))
