"""What the search index costs on an archive: a cold write, an update in place for one more day,
their files and bytes, and the writer's memory.

The records are the site's (site.search_records over the analysed archive, analysis cached). The
update writes the index without the last day's records, then adds them in place and checks the
result against a cold write of all of them, file for file.

Run: python bench/search_index.py [ARCHIVE] [--cache-dir DIR] [--memory]   (default ../shared/corpus;
--memory traces Python's allocations, which slows the writes ~3x: times are then not comparable)
"""
from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("archive", nargs="?", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--cache-dir", type=Path, default=None)
    parser.add_argument("--memory", action="store_true", help="trace the writer's peak allocations")
    args = parser.parse_args()
    from chatmine.analyse.archives import analyse_archives
    from chatmine.read.config import load_config
    from chatmine.publish.pages import build_model
    from chatmine.search.records import query_words
    from chatmine.search.write import write_index
    from chatmine.publish.site import search_records

    result = analyse_archives([args.archive], cache_dir=args.cache_dir)
    records = search_records(build_model(result.threads, result.logs, load_config([args.archive])))
    words = query_words()
    last = max(r.source for r in records if r.kind == "day" and r.date == max(x.date for x in records))
    with tempfile.TemporaryDirectory() as tmp:
        cold = Path(tmp) / "cold"
        if args.memory:
            tracemalloc.start()
        started = time.perf_counter()
        written = write_index(records, cold, words=words)
        seconds = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1] if args.memory else 0
        tracemalloc.stop()
        data = files(cold)
        shards = sum(len(v) for k, v in data.items() if k.startswith("t/"))
        displays = sum(len(v) for k, v in data.items() if k.startswith("r/"))
        print(f"cold: {written.records} records, {written.files} files in {seconds:.1f} s, "
              f"Python allocations peak {peak / 2**20:.0f} MiB; shards {shards / 2**20:.1f} MiB, "
              f"record files {displays / 2**20:.1f} MiB, meta {len(data['meta.json']) / 1024:.1f} KiB, "
              f"words {len(data['words.json']) / 1024:.1f} KiB")
        before = [r for r in records if r.source != last]
        update = Path(tmp) / "update"
        write_index(before, update, words=words)
        if args.memory:
            tracemalloc.start()
        started = time.perf_counter()
        done = write_index(records, update, words=words, previous=update)
        seconds = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1] if args.memory else 0
        tracemalloc.stop()
        same = files(update) == data
        print(f"update adding {last} ({len(records) - len(before)} records): {done.rewritten} of {done.files} files "
              f"written in {seconds:.1f} s, Python allocations peak {peak / 2**20:.0f} MiB; "
              f"byte-identical to the cold write: {same}")
    print(f"process peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB (analysis included)")
    if not same:
        sys.exit(1)


if __name__ == "__main__":
    main()
