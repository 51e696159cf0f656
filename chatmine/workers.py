"""Worker processes that never outlive the build that started them.

Input: how many workers. Output: a process pool whose workers die with their parent, even when
it is killed by kill -9 while they are blocked writing results into its pipe.
"""
from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager

PR_SET_PDEATHSIG = 1
"""prctl option (linux/prctl.h): the signal a process gets when the thread that forked it ends."""

POLL_SECONDS = 1.0
"""How often a worker without PR_SET_PDEATHSIG looks whether its parent is still there."""


@contextmanager
def worker_pool(workers: int) -> Iterator[ProcessPoolExecutor]:
    """A pool of `workers` processes that die with this one, for a `with` block.

    Each worker holds the write end of the pool's queues, so an orphan never reads an end of file
    and would wait forever: it has to be killed. On Linux the workers are forked, so their parent
    is this process (a forkserver would be their parent instead); the death signal comes when the
    thread that started them ends, which a `with` block in one thread outlives.

    Ctrl-C is this process's alone: the workers ignore SIGINT, and when the block ends by an
    exception the pool is told to stop without waiting for the work not started. With the workers
    taking SIGINT too, a build interrupted mid-analysis once never ended (test_workers, in a
    clean-clone CI run): a worker that dies while the pool writes it a task can leave the pool's
    shutdown waiting for it forever.
    """
    context = multiprocessing.get_context("fork") if can_fork() else None
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context,
                               initializer=_start_worker, initargs=(os.getpid(),))
    try:
        yield pool
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def _start_worker(parent: int) -> None:
    """In a new worker: die with `parent`, and leave Ctrl-C to it; collect cycles as usual (it
    may be forked while the build has its collector paused, heap.py: a worker's garbage is its own)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.enable()
    die_with_parent(parent)


def can_fork() -> bool:
    """Whether a worker can be forked (Linux): it then starts with its parent's objects, which
    other start methods would have to pickle."""
    return sys.platform == "linux"


def shared_counter():
    """An integer this process and the workers it forks next share (a `multiprocessing.Value`
    with its lock): forked, they inherit it, where other start methods would pickle a copy."""
    return multiprocessing.get_context("fork").Value("q", 0)


def die_with_parent(parent: int) -> None:
    """In a worker: be killed when `parent` dies (PR_SET_PDEATHSIG, else a thread that watches)."""
    if not _death_signal():
        threading.Thread(target=_watch, args=(parent,), name="watch-parent", daemon=True).start()
    if os.getppid() != parent:  # it died before the signal was asked for: none will come
        os._exit(1)


def _death_signal() -> bool:
    """Ask Linux for SIGKILL when the parent dies; False where that cannot be had."""
    if sys.platform != "linux":
        return False
    try:
        import ctypes

        return ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL) == 0
    except (OSError, AttributeError):
        return False


def _watch(parent: int) -> None:
    # An orphan is handed to another parent (init or a subreaper), so getppid() changes.
    while os.getppid() == parent:
        time.sleep(POLL_SECONDS)
    os._exit(1)
