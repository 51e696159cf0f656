"""`chatmine search` start to finish against a bare start of the same Python: a word and a sentence.

Usage: python bench/search_start.py [ARCHIVE] [--rounds 15] [--cache-dir DIR] [--against CHECKOUT --against-cache DIR]
  ARCHIVE     default ../shared/corpus (its index is built first, once, in DIR)
  --against   also time another checkout of chatmine (run from its folder, with its own cache
              folder: two index formats never share one), alternated in the same rounds

Each round runs `python -c pass`, then each checkout's word and sentence query, one after the other
(so load that comes and goes falls on all of them); prints each one's median and minimum wall time,
the median's ratio to the bare start and the peak resident memory. The environment is passed as it is (PYTHONDONTWRITEBYTECODE
included: then every module chatmine imports is compiled each run, as the figures say).
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORD = "渠道对账"
SENTENCE = "渠道对账平账之后还要再全部对一遍吗"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("archive", nargs="?", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--cache-dir", type=Path, default=None, help="the index's cache folder (default: chatmine's)")
    parser.add_argument("--against", type=Path, default=None, help="another checkout of chatmine")
    parser.add_argument("--against-cache", type=Path, default=None, help="its cache folder")
    args = parser.parse_args()
    runs = {"python -c pass": (ROOT, [sys.executable, "-c", "pass"])}
    checkouts = [("", ROOT, args.cache_dir)]
    if args.against:
        checkouts.append((f"{args.against.name}: ", args.against, args.against_cache))
    for label, folder, cache in checkouts:
        for query in (WORD, SENTENCE):
            cmd = [sys.executable, "-m", "chatmine", "search", query, str(args.archive.resolve())]
            cmd += ["--cache-dir", str(cache.resolve())] if cache else []
            subprocess.run(cmd, cwd=folder, check=True, capture_output=True)  # the index, built or updated once
            runs[f"{label}chatmine search {query}"] = (folder, cmd)
    times: dict[str, list[float]] = {name: [] for name in runs}
    memory: dict[str, int] = dict.fromkeys(runs, 0)
    for _ in range(args.rounds):
        for name, (folder, cmd) in runs.items():
            seconds, mib = timed(cmd, folder)
            times[name].append(seconds)
            memory[name] = max(memory[name], mib)
    bare = statistics.median(times["python -c pass"])
    print(f"{args.rounds} rounds, {sys.executable}")
    for name, seconds in times.items():
        median = statistics.median(seconds)
        print(f"{name}: median {median * 1000:.1f} ms, min {min(seconds) * 1000:.1f} ms, {median / bare:.2f}x, "
              f"peak {memory[name]} MiB")


def timed(cmd: list[str], folder: Path) -> tuple[float, int]:
    """(seconds, peak RSS in MiB) of one run of `cmd` in `folder`."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}")
    return seconds, usage.ru_maxrss // 1024


if __name__ == "__main__":
    main()
