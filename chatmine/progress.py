"""What long work tells the user on stderr: a progress bar on a terminal, notes with -v, nothing with -q."""
from __future__ import annotations

import sys
import time
from typing import TextIO

QUIET, NORMAL, VERBOSE = 0, 1, 2
_verbosity = NORMAL


def set_verbosity(level: int) -> None:
    """QUIET (-q: errors and warnings only), NORMAL, or VERBOSE (-v: what each stage did)."""
    global _verbosity
    _verbosity = level


def note(message: str) -> None:
    """One line on stderr with -v: what a stage did and how long it took."""
    if _verbosity >= VERBOSE:
        print(message, file=sys.stderr, flush=True)


class Progress:
    """`Progress("parse")(done, total)` redraws one line on stderr at most ten times a second."""

    def __init__(self, label: str, stream: TextIO | None = None, enabled: bool | None = None):
        self.label = label
        self.stream = stream or sys.stderr
        self.enabled = (_verbosity >= NORMAL and self.stream.isatty()) if enabled is None else enabled
        self._last = 0.0
        self._drawn = False

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if done < total and now - self._last < 0.1:
            return
        self._last = now
        width = 30
        filled = width * done // total if total else width
        self.stream.write(f"\r{self.label:<10} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        self._drawn = True
        if done >= total:
            self.done()
        self.stream.flush()

    def done(self) -> None:
        if self.enabled and self._drawn:
            self.stream.write("\n")
            self.stream.flush()
            self._drawn = False
