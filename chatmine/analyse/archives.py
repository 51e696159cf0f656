"""An archive read and analysed: every log found, parsed and split (cached per file, in workers),
then threads, questions, answers and topics over the whole. What export, build and search share.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from chatmine import heap
from chatmine.analyse.pipeline import analyse_logs, tags_of
from chatmine.analyse.prepare import prepare_files
from chatmine.analyse.settled import load_model, load_tags, save_model, save_tags, settled_key
from chatmine.errors import Problem
from chatmine.model import Log, Thread
from chatmine.progress import Progress, note
from chatmine.read.archive import check_same_day
from chatmine.read.sources import find_logs


@dataclass(slots=True)
class Analysis:
    """The archive read and analysed: what export, build and search share."""

    logs: list[Log]
    threads: list[Thread]
    problems: list[Problem] = field(default_factory=list)
    reused: int = 0
    """Pages an incremental build linked from the previous site instead of rendering."""

    @property
    def messages(self) -> int:
        return sum(len(log.messages) for log in self.logs)

    @property
    def questions(self) -> int:
        return sum(qa.asks for thread in self.threads for qa in thread.qa)

    @property
    def discussions(self) -> int:
        """Statements that opened a discussion (QA.asks False)."""
        return sum(not qa.asks for thread in self.threads for qa in thread.qa)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def analyse_archives(archives: list[Path], cache_dir: Path | None = None, rebuild: bool = False) -> Analysis:
    """Read every log under `archives` and split it into tagged threads.

    Files are parsed and split once per content (prepare.py caches them); `rebuild` ignores
    that cache (and refreshes it).
    """
    # Everything made here lives to the end of the run: nothing for the cycle collector (heap.py).
    with heap.paused():
        return _analyse(archives, cache_dir, rebuild)


def _analyse(archives: list[Path], cache_dir: Path | None, rebuild: bool) -> Analysis:
    started = time.perf_counter()
    problems: list[Problem] = []
    files = find_logs([Path(p) for p in archives], problems)
    logs, parts, keys = [], [], []
    for done in prepare_files(files, cache_dir, use_cache=not rebuild, progress=Progress("read")):
        problems.extend(done.problems)
        if done.log is not None:
            logs.append(done.log)
            parts.append(done.part)
            keys.append(done.key)
    problems.extend(check_same_day(logs))
    note(f"read {len(logs)} logs in {time.perf_counter() - started:.1f} s")
    # The topic model is fitted on the settled part of the archive (settled.py), so it is
    # reused until that part changes, and so are the tags it gave each file's threads;
    # --rebuild fits it again (to the same model).
    key = settled_key(logs, keys)
    tags = {} if rebuild else load_tags(key, cache_dir)
    known = [tags.get(k) for k in keys]
    model = None if rebuild or all(k is not None for k in known) else load_model(key, cache_dir)
    started = time.perf_counter()
    analysed = analyse_logs(logs, model=model, parts=parts, known=known)
    note(f"analysed {len(analysed.threads)} threads in {time.perf_counter() - started:.1f} s"
         f" (topic model {'fitted' if analysed.model is not None and model is None else 'reused'},"
         f" {sum(analysed.tagged)} of {len(known)} files tagged)")
    if model is None and analysed.model is not None:
        save_model(analysed.model, key, cache_dir)
    fresh = {k: tags_of(part.threads) for k, part, new in zip(keys, parts, analysed.tagged) if new}
    if fresh:
        save_tags({k: tags[k] for k in keys if k in tags} | fresh, key, cache_dir)
    return Analysis(logs, analysed.threads, problems)
