"""Does a question asked in other words find its discussion? The terminal search over the whole
archive, queried with the titles an editor wrote for the labelled days (tests/data/pages.jsonl).

A query is the title of an editor's page of kind question or discussion (borderline ones left
out). The right result is a search record holding that question's line (or a restatement of it,
`also`): the Q&A page of its thread, or the day-log block holding the line; for a labelled raw
dump, the record of the daily log that records the same message again (copies.py: the site
shows those once, from the daily log). Printed: how often
the first result is right, and how often one of the first five is, over all labelled days, the
dev days (ranking may be tuned on them) and the held days (never tuned on).

Run: python bench/eval_search.py [ARCHIVE] [--cache-dir DIR] [--misses]
(default ../shared/corpus; the index is the one `chatmine search` keeps in the cache folder).
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from eval_pages import labelled_days  # noqa: E402

LABELS = ROOT / "tests" / "data" / "pages.jsonl"
TOP = 5


def queries() -> list[dict]:
    """The editor's non-borderline questions and discussions of every labelled day."""
    days = labelled_days("all")
    rows = [json.loads(line) for line in LABELS.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [dict(r, split=days[r["source"]]) for r in rows
            if r["source"] in days and r["kind"] in ("question", "discussion") and not r["borderline"]]


def right(record: dict, query: dict) -> bool:
    """The record holds the question's line (or a restatement's, or a daily log's copy of one)."""
    held = {(record["source"], line) for line in (record["line"], *record["lines"])}
    return bool(held & query["places"])


def with_places(rows: list[dict], archive: Path) -> list[dict]:
    """Each query with `places`: the (source, line) of its question and restatements, and of the
    same messages in the daily logs of the day and its neighbours when its day is a raw dump."""
    from datetime import timedelta

    from chatmine.analyse.copies import one_message
    from chatmine.read.parse import parse_file

    logs = {}

    def log(source: str):
        if source not in logs:
            path = archive / source
            logs[source] = parse_file(path, archive).log if path.exists() else None
        return logs[source]

    out = []
    for row in rows:
        lines = {row["line"], *row["also"]}
        places = {(row["source"], line) for line in lines}
        dump = log(row["source"])
        if dump is not None and dump.layout != "source":
            asked = [m for m in dump.messages if m.line in lines]
            for day in (dump.date + timedelta(days=d) for d in (-1, 0, 1)):
                for path in sorted(archive.glob(f"*/{day.isoformat()}-*.markdown")):
                    daily = log(str(path.relative_to(archive)))
                    if daily is None or daily.layout != "source":
                        continue
                    places |= {(daily.source, m.line) for m in daily.messages for q in asked if one_message(q, m)}
        out.append(dict(row, places=places))
    return out


def places(index, rows: list[dict]) -> list[int | None]:
    """Rank (1-based) of the first right record among the first TOP results of each query."""
    from chatmine.search.rank import search, take

    out = []
    for query in rows:
        found = take(index, search(index, query["title"]), TOP)
        out.append(next((n for n, hit in enumerate(found, 1) if right(hit[3], query)), None))
    return out


def report(rows: list[dict], found: list[int | None]) -> None:
    for split in ("all", "dev", "held"):
        chosen = [f for r, f in zip(rows, found) if split in ("all", r["split"])]
        first = sum(f == 1 for f in chosen) / len(chosen)
        top = sum(f is not None for f in chosen) / len(chosen)
        print(f"{split:5} {len(chosen):4} queries  first {first:.3f}  top{TOP} {top:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("archive", nargs="?", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--cache-dir", type=Path, default=None)
    parser.add_argument("--misses", action="store_true", help="print the queries whose first result is wrong")
    args = parser.parse_args()
    from chatmine.search.terminal import open_index

    index, _ = open_index([args.archive], args.cache_dir)
    rows = with_places(queries(), args.archive)
    started = time.perf_counter()
    found = places(index, rows)
    print(f"{len(rows)} queries in {time.perf_counter() - started:.1f} s")
    report(rows, found)
    if args.misses:
        for query, place in zip(rows, found):
            if place != 1:
                print(f"{place or '-':>2} {query['split']:4} {query['title']}  ({query['source']}:{query['line']})")


if __name__ == "__main__":
    main()
