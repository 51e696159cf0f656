"""Topic figures on tests/data/topics.tsv: is the labelled topic in the question's thread's top 2?

Run on the whole corpus: python bench/eval_topics.py [ARCHIVE] [--errors]  (default ../shared/corpus;
--errors lists the dev questions whose label is not in the top two).
Compares the lexicon alone with the lexicon-seeded classifier.
"""
from __future__ import annotations

import csv
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "topics.tsv"


def load(path: Path = DATA) -> list[dict]:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


def top2(threads, rows) -> dict[str, float]:
    """Share of labelled questions whose thread has the label in its first two topics, per split."""
    where = {(t.log.source, m.line): t for t in threads for m in t.messages}
    out = {}
    for split in ("dev", "held", "all"):
        part = [r for r in rows if split == "all" or r["split"] == split]
        hits = sum(1 for r in part if r["topic"] in where[(r["source"], int(r["line"]))].topics[:2])
        out[split] = round(hits / len(part), 3)
    return out


if __name__ == "__main__":
    from chatmine.analyse.pipeline import analyse_logs
    from chatmine.read.archive import read_archive

    paths = [arg for arg in sys.argv[1:] if not arg.startswith("--")]
    archive = Path(paths[0]) if paths else ROOT.parent / "shared" / "corpus"
    logs = read_archive([archive]).logs
    rows = load()
    for use_classifier in (False, True):
        start = time.perf_counter()
        result = analyse_logs(logs, use_classifier=use_classifier)
        name = "lexicon+classifier" if use_classifier else "lexicon only"
        print(f"{name:20} top-2 {top2(result.threads, rows)}  ({time.perf_counter() - start:.1f} s)")
    if "--errors" in sys.argv:
        where = {(t.log.source, m.line): t for t in result.threads for m in t.messages}
        for r in rows:
            t = where[(r["source"], int(r["line"]))]
            if r["split"] == ("held" if "--held" in sys.argv else "dev") and r["topic"] not in t.topics[:2]:
                print(r["topic"], t.topics[:3], "|", r["text"][:60], "| T:", t.title[:40])
