"""A progress bar for long work on a terminal; silent when output is not a terminal."""
from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    """`Progress("parse")(done, total)` redraws one line on stderr at most ten times a second."""

    def __init__(self, label: str, stream: TextIO | None = None, enabled: bool | None = None):
        self.label = label
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
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
