"""Worker processes that never outlive the build that started them.

Input: how many workers. Output: a process pool whose workers die with their parent, even when
it is killed by kill -9 while they are blocked writing results into its pipe.
"""
from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor

PR_SET_PDEATHSIG = 1
"""prctl option (linux/prctl.h): the signal a process gets when the thread that forked it ends."""

POLL_SECONDS = 1.0
"""How often a worker without PR_SET_PDEATHSIG looks whether its parent is still there."""


def worker_pool(workers: int) -> ProcessPoolExecutor:
    """A pool of `workers` processes that die with this one; use it in a `with` block.

    Each worker holds the write end of the pool's queues, so an orphan never reads an end of file
    and would wait forever: it has to be killed. On Linux the workers are forked, so their parent
    is this process (a forkserver would be their parent instead); the death signal comes when the
    thread that started them ends, which a `with` block in one thread outlives.
    """
    context = multiprocessing.get_context("fork") if can_fork() else None
    return ProcessPoolExecutor(max_workers=workers, mp_context=context,
                               initializer=die_with_parent, initargs=(os.getpid(),))


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
