"""Which files of an archive are logs, and a cheap fingerprint of them all.

Input: ARCHIVE paths as typed. Output: LogFiles in a stable order; a stat fingerprint
(names, sizes, mtimes) that tells the search index and caches when anything changed.
Imports nothing heavy: `chatmine search` walks the archive on every query.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from chatmine.errors import Problem

LOG_SUFFIXES = (".markdown", ".md")
# Files that live in an archive but are not logs: the archive's own documentation.
NOT_LOGS = ("readme", "license", "changelog", "index")
SKIP_DIRS = ("_site", "node_modules", "__pycache__")


@dataclass(slots=True)
class LogFile:
    """A file to read and the archive root its `source` is relative to."""

    path: Path
    root: Path


def find_logs(paths: Iterable[Path], problems: list[Problem]) -> list[LogFile]:
    """Every log file under `paths`, sorted within each archive; missing paths are problems."""
    found: list[LogFile] = []
    for path in paths:
        path = Path(path)
        if not path.exists():
            problems.append(Problem(str(path), None, "no such file or folder"))
        elif path.is_file():
            found.append(LogFile(path, path.parent))
        else:
            files = sorted(walk(path))
            if not files:
                problems.append(Problem(str(path), None, "no log files (*.markdown, *.md) in this folder"))
            found.extend(LogFile(f, path) for f in files)
    return found


def walk(folder: Path) -> Iterator[Path]:
    """Log files under `folder`: hidden folders, _site and tool folders skipped."""
    for top, dirs, names in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".") and d not in SKIP_DIRS]
        for name in names:
            stem, dot, suffix = name.rpartition(".")
            if (dot and f".{suffix.lower()}" in LOG_SUFFIXES and not name.startswith(".")
                    and stem.lower() not in NOT_LOGS):
                path = Path(top, name)
                if path.is_file():
                    yield path


def fingerprint(files: list[LogFile], *extra: str) -> str:
    """A hash of every file's place, size and modification time (plus `extra` strings)."""
    digest = hashlib.sha1()
    for part in extra:
        digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
    for file in files:
        try:
            st = file.path.stat()
        except OSError:
            continue
        digest.update(f"{file.root.absolute()}\0{file.path}\0{st.st_size}\0{st.st_mtime_ns}\n"
                      .encode("utf-8", "surrogatepass"))
    return digest.hexdigest()
