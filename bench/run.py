"""Whole-process benchmark of chatmine on a real archive: builds, incremental builds, search.

Usage: python bench/run.py [ARCHIVE] [--rounds N] [--scale K] [--work DIR]
  ARCHIVE  default ../shared/corpus
  --scale  also measure an archive K times the size (the same text, dates shifted by years)

Each comparison alternates its two commands (A B A B ...) and reports medians, their
ratio and each command's peak resident memory (the largest process of the command: a
build's workers are counted as their own processes). The archive is
copied to a scratch folder first, so the incremental case can add a day to it.
Prints a Markdown table for the README.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHATMINE = [sys.executable, "-m", "chatmine"]


def timed(cmd: list[str], env: dict | None = None) -> tuple[float, int]:
    """(seconds, peak RSS in MiB of the command's largest process) for one run."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    err = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{err[-2000:]}")
    return seconds, usage.ru_maxrss // 1024


def compare(name: str, a: tuple[str, list[str]], b: tuple[str, list[str]], rounds: int,
            before_a=None, before_b=None, env=None) -> dict:
    """Alternate a and b `rounds` times; medians, ratio b/a, peak memory."""
    runs: dict[str, list[tuple[float, int]]] = {a[0]: [], b[0]: []}
    for _ in range(rounds):
        for (label, cmd), before in ((a, before_a), (b, before_b)):
            if before:
                before()
            runs[label].append(timed(cmd, env))
    med = {label: statistics.median(s for s, _ in r) for label, r in runs.items()}
    mem = {label: max(m for _, m in r) for label, r in runs.items()}
    row = {"what": name, "a": a[0], "b": b[0], "a_s": med[a[0]], "b_s": med[b[0]],
           "ratio": med[b[0]] / med[a[0]], "a_mib": mem[a[0]], "b_mib": mem[b[0]]}
    print(f"{name}: {b[0]} {row['b_s']:.2f} s ({row['b_mib']} MiB) vs {a[0]} {row['a_s']:.2f} s "
          f"({row['a_mib']} MiB): {row['ratio']:.2f}x", flush=True)
    return row


def scaled_copy(archive: Path, dest: Path, times: int) -> Path:
    """The archive `times` over: copy k shifts every date by 2k years (file names and front matter)."""
    for k in range(times):
        for path in sorted(archive.rglob("*")):
            if not path.is_file() or path.suffix not in (".markdown", ".md", ".toml"):
                continue
            rel = path.relative_to(archive)
            if path.suffix == ".toml":
                if k == 0:
                    (dest / rel).parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy(path, dest / rel)
                continue
            text = path.read_bytes()
            name = re.sub(r"^(\d{4})", lambda m: str(int(m.group(1)) + 2 * k), rel.name)
            text = re.sub(rb"(\ndate:[ \t]*)(\d{4})", lambda m: m.group(1) + str(int(m.group(2)) + 2 * k).encode(), text)
            target = dest / rel.parent / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(text)
    return dest


def newest_day(archive: Path) -> Path:
    days = [p for p in archive.rglob("*-chat.markdown")]
    return max(days, key=lambda p: (p.name, str(p)))


def bench_archive(archive: Path, work: Path, rounds: int, label: str) -> list[dict]:
    site, cache = work / "site", work / "cache"
    env = {**os.environ, "CHATMINE_CACHE": str(cache)}
    rows = []
    cold = ("cold build", [*CHATMINE, "build", str(archive), "-o", str(site), "--rebuild"])
    reference = ("jieba only", [sys.executable, str(ROOT / "bench" / "jieba_reference.py"), str(archive)])
    rows.append(compare(f"{label}: cold build vs jieba", reference, cold, rounds, env=env))

    day = newest_day(archive)
    held = work / day.name
    shutil.move(day, held)
    incremental = ("incremental build", [*CHATMINE, "build", str(archive), "-o", str(site)])

    def without_day():
        if day.exists():
            shutil.move(day, held)
        timed(incremental[1], env)  # the site and caches as they were before the new day

    def with_day():
        without_day()
        shutil.move(held, day)

    def full():
        if held.exists():
            shutil.move(held, day)

    rows.append(compare(f"{label}: incremental (one new day) vs cold", cold, incremental, rounds,
                        before_a=full, before_b=with_day, env=env))
    full()
    timed(incremental[1], env)  # warm search index
    search = ("chatmine search", [*CHATMINE, "search", "渠道对账", str(archive)])
    bare = ("python -c pass", [sys.executable, "-c", "pass"])
    timed(search[1], env)
    rows.append(compare(f"{label}: search vs bare python", bare, search, max(rounds, 5), env=env))
    # A question typed whole: no thread holds every word, so each word is looked up and weighed.
    sentence = ("chatmine search, a sentence", [*CHATMINE, "search", "渠道对账平账之后还要再全部对一遍吗", str(archive)])
    rows.append(compare(f"{label}: sentence search vs word search", search, sentence, max(rounds, 5), env=env))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("archive", nargs="?", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--scale", type=int, default=0, help="also an archive this many times the size")
    parser.add_argument("--scaled-only", action="store_true", help="with --scale: skip the 1x archive")
    parser.add_argument("--work", type=Path, default=None, help="scratch folder (default: a temporary one)")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="chatmine-bench-"))
    print(f"machine: {os.cpu_count()} cores, {os.uname().machine}, Python {sys.version.split()[0]}; work in {work}")
    rows = []
    if not (args.scaled_only and args.scale > 1):
        copy = work / "x1" / "archive"
        shutil.copytree(args.archive, copy)
        rows += bench_archive(copy, work / "x1", args.rounds, "1x")
    if args.scale > 1:
        big = scaled_copy(args.archive, work / f"x{args.scale}" / "archive", args.scale)
        rows += bench_archive(big, work / f"x{args.scale}", 1, f"{args.scale}x")
    print("\n| what | A | B | A median | B median | B/A | peak memory A / B |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['what']} | {r['a']} | {r['b']} | {r['a_s']:.2f} s | {r['b_s']:.2f} s | {r['ratio']:.2f}x "
              f"| {r['a_mib']} / {r['b_mib']} MiB |")
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
