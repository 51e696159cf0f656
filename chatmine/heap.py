"""The cycle collector during a build: paused while the archive's objects are made, then told
to leave them alone. Input: a `with` block. Output: none (process-wide gc settings, restored).

A build makes a few million objects that live to its end (110k messages, their threads, Q&A
and caches' copies). With the collector on, each time the heap grows by a quarter it scans
every one of them again, and after they are made every full collection does. Measured on the
whole corpus, one new day (docs/performance.md): 10.0 -> 7.5 CPU-s.
"""
from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """No cycle collection inside the block (what it makes is kept: nothing to collect)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            # Not gc.freeze() here, though the first collection after the block scans all it made
            # (0.16 CPU-s of one new day's build): that collection frees the analysis's cycles, and
            # without it a cold build of the corpus peaked at 705 MiB instead of 628.
            gc.enable()


@contextmanager
def frozen() -> Iterator[None]:
    """Everything alive on entry is skipped by collections inside the block (gc.freeze), and
    collected as usual again after it."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
