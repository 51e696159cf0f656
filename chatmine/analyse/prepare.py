"""The per-file part of the pipeline: parse a log and split it into threads, cached and in parallel.

Input: LogFiles. Output: each readable file's Log and LogThreads (threads with Q&A and titles;
tokens per message for the files done in this run), plus every problem. Nothing here depends on any other file, so the result
of a file is cached under its content hash (a new day costs one file), and files that miss the
cache are done in worker processes (2 cores: the cold build's analysis in about half the time)
that die with the build (workers.py).
"""
from __future__ import annotations

import hashlib
import os
import pickle
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from chatmine.analyse.pipeline import split_log
from chatmine.cache import cache_root, code_version, write_atomic
from chatmine.errors import ChatmineError, Problem
from chatmine.model import Log
from chatmine.read.parse import parse_bytes, source_of
from chatmine.read.sources import LogFile
from chatmine.workers import worker_pool

# Below this many files to do, starting workers costs more than it saves.
MIN_PARALLEL = 24
CHUNK = 8


@dataclass(slots=True)
class Prepared:
    """One file done: its log, its threads and tokens, its problems (or the error that stopped it)."""

    log: Log | None
    part: object = None
    """analyse.LogThreads"""
    problems: list[Problem] = field(default_factory=list)
    key: str = ""
    """The file's content key (its cache name)."""


def prepare_files(files: list[LogFile], cache_dir: Path | None = None, use_cache: bool = True,
                  progress: Callable[[int, int], None] | None = None, workers: int | None = None) -> list[Prepared]:
    """Every file parsed and split, in the order given; cached results reused unless `use_cache` is off.

    Results are written to the cache in any case (a --rebuild refreshes it).
    """
    folder = cache_root(cache_dir) / "files" / code_version()
    _drop_other_versions(folder)
    results: list[Prepared | None] = [None] * len(files)
    todo: list[tuple[int, LogFile, bytes | None, str]] = []
    for i, file in enumerate(files):
        try:
            data = file.path.read_bytes()
        except OSError as err:
            results[i] = Prepared(None, problems=[Problem(str(file.path), None, err.strerror or "cannot read")])
            continue
        key = _key(file, data)
        cached = _load(folder / f"{key}.pickle") if use_cache else None
        if cached is not None:
            cached.key = key
            results[i] = cached
        else:
            todo.append((i, file, data, key))
    done = len(files) - len(todo)
    if progress:
        progress(done, len(files))
    workers = workers or os.cpu_count() or 1
    jobs = [(file, data) for _, file, data, _ in todo]
    parallel = workers > 1 and len(todo) >= MIN_PARALLEL
    with worker_pool(workers) if parallel else nullcontext() as pool:
        outputs = pool.map(_prepare_pickled, jobs, chunksize=CHUNK) if pool else map(_prepare_pickled, jobs)
        for (i, _, _, key), blob in zip(todo, outputs):
            results[i] = _store(folder, key, blob)
            results[i].key = key
            done += 1
            if progress:
                progress(done, len(files))
    return results  # type: ignore[return-value]


def prepare(file: LogFile, data: bytes) -> Prepared:
    """Parse and split one file (what a worker does)."""
    try:
        parsed = parse_bytes(data, source_of(file.path, file.root), shown_path=str(file.path))
    except ChatmineError as err:
        return Prepared(None, problems=[Problem.from_error(err)])
    return Prepared(parsed.log, split_log(parsed.log), list(parsed.problems))


def _prepare_pickled(job: tuple[LogFile, bytes]) -> tuple[bytes, bytes]:
    """The file done, pickled in the worker (the parent stores these bytes as they are, unpickling
    once), and apart from it its tokens: the cache keeps none. A file read from the cache is tagged
    by its kept tags (settled.py), and a fifth of a cache file's bytes and of the time to unpickle
    it were its tokens (all 728 files of the corpus: 0.46 -> 0.29 s); a refit makes them again."""
    done = prepare(*job)
    terms = done.part.terms if done.part is not None else None
    if done.part is not None:
        done.part.terms = None
    return (pickle.dumps(done, protocol=pickle.HIGHEST_PROTOCOL),
            pickle.dumps(terms, protocol=pickle.HIGHEST_PROTOCOL))


def _store(folder: Path, key: str, blobs: tuple[bytes, bytes]) -> Prepared:
    blob, terms = blobs
    try:
        write_atomic(folder / f"{key}.pickle", blob)
    except OSError:
        pass  # a read-only or full cache folder makes builds slower, never wrong
    done = pickle.loads(blob)
    if done.part is not None:
        done.part.terms = pickle.loads(terms)
    return done


def _load(path: Path) -> Prepared | None:
    try:
        blob = path.read_bytes()
    except OSError:
        return None
    try:
        value = pickle.loads(blob)
    except Exception:  # a damaged cache file is only a miss
        return None
    return value if isinstance(value, Prepared) else None


def _drop_other_versions(folder: Path) -> None:
    """Caches written by other versions of chatmine can never be read again (~30 MB each for
    the whole corpus): without this an upgrade or an edited checkout leaves them forever."""
    import shutil

    if folder.is_dir() or not folder.parent.is_dir():
        return
    for other in folder.parent.iterdir():
        if other.is_dir() and other.name != folder.name:
            shutil.rmtree(other, ignore_errors=True)


def _key(file: LogFile, data: bytes) -> str:
    digest = hashlib.sha1(data)
    digest.update(f"\0{file.root.absolute()}\0{file.path}".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()
