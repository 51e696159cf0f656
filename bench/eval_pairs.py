"""Precision and recall of the answer links, weighted to the population the read pairs stand for.

tests/data/answer_pairs.tsv holds 660 (question, reply) pairs read by hand, drawn by stratum from
every pair of a question and a later reply of its day within 30 minutes (dev files): linked and
unlinked inside a conversation (batch 1), linked, sharing a word, sharing none across two
(batch 2). Each row stands for its stratum's size / rows drawn (train_answers.STRATA), so what
the pipeline links now, wherever its conversations fall, is scored on the whole population:
precision = weighted Y among the pairs linked, recall = weighted linked among the Y pairs.
Batch 1 is what the answer model was fitted on, so this is a yardstick for comparing splitters
and linkers, not a held-out figure (tests/data/answers.tsv is that).

Run: python bench/eval_pairs.py [ARCHIVE]   (default ../shared/corpus)
"""
from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from train_answers import ROOT, STRATA, load


def links_of(sources: set[str], archive: Path) -> dict[tuple[str, int], set[int]]:
    """(source, question line) -> answer lines, as analyse links them (per file, so only these files)."""
    from chatmine.analyse.pipeline import split_log
    from chatmine.read.archive import read_archive

    out = {}
    for log in read_archive([archive]).logs:
        if log.source in sources:
            for thread in split_log(log).threads:
                for qa in thread.qa:
                    out[(log.source, qa.question.line)] = {a.line for a in qa.answers}
    return out


def evaluate(archive: Path) -> dict[str, float]:
    rows = load(strata=None)
    drawn = Counter(r["stratum"] for r in rows)
    links = links_of({r["source"] for r in rows}, archive)
    tp = fp = fn = 0.0
    for r in rows:
        weight = STRATA[r["stratum"]] / drawn[r["stratum"]]
        linked = int(r["answer_line"]) in links.get((r["source"], int(r["question_line"])), ())
        answers = r["label"] == "Y"
        tp += weight * (linked and answers)
        fp += weight * (linked and not answers)
        fn += weight * (answers and not linked)
    return {"pairs": len(rows), "precision": round(tp / (tp + fp), 3), "recall": round(tp / (tp + fn), 3)}


if __name__ == "__main__":
    print(evaluate(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "corpus"))
