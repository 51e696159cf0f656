"""Find the log files under the ARCHIVE arguments and parse each, collecting problems.

Input: paths as the user typed them. Output: ArchiveRead (logs in a stable order, problems).
A bad file never stops the others.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from chatmine.errors import ChatmineError, Problem
from chatmine.model import Log
from chatmine.parse import parse_file

LOG_SUFFIXES = (".markdown", ".md")
# Files that live in an archive but are not logs: the archive's own documentation.
NOT_LOGS = ("readme", "license", "changelog", "index")
SKIP_DIRS = ("_site", "node_modules", "__pycache__")


@dataclass(slots=True)
class LogFile:
    """A file to read and the archive root its `source` is relative to."""

    path: Path
    root: Path


@dataclass(slots=True)
class ArchiveRead:
    """What reading the archives gave: every log that could be read, and every problem."""

    logs: list[Log] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files: int = 0
    """How many files were looked at (read or not)."""

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]


def find_logs(paths: Iterable[Path], problems: list[Problem]) -> list[LogFile]:
    """Every log file under `paths`, sorted within each archive; missing paths are problems."""
    found: list[LogFile] = []
    for path in paths:
        if not path.exists():
            problems.append(Problem(str(path), None, "no such file or folder"))
        elif path.is_file():
            found.append(LogFile(path, path.parent))
        else:
            files = sorted(_walk(path))
            if not files:
                problems.append(Problem(str(path), None, "no log files (*.markdown, *.md) in this folder"))
            found.extend(LogFile(f, path) for f in files)
    return found


def _walk(folder: Path) -> Iterable[Path]:
    for path in folder.rglob("*"):
        rel = path.relative_to(folder).parts
        if any(part.startswith(".") or part in SKIP_DIRS for part in rel[:-1]):
            continue
        if path.suffix.lower() in LOG_SUFFIXES and path.is_file() and not _is_doc(path):
            yield path


def _is_doc(path: Path) -> bool:
    return path.stem.lower() in NOT_LOGS or path.name.startswith(".")


def read_archive(
    paths: Iterable[Path],
    progress: Callable[[int, int], None] | None = None,
    parse: Callable[[LogFile], object] | None = None,
) -> ArchiveRead:
    """Parse every log under `paths`. `parse` may replace the plain parser (a cache does)."""
    result = ArchiveRead()
    files = find_logs([Path(p) for p in paths], result.problems)
    result.files = len(files)
    for done, file in enumerate(files, 1):
        try:
            parsed = parse(file) if parse else parse_file(file.path, file.root)
        except ChatmineError as err:
            result.problems.append(Problem.from_error(err))
        else:
            result.logs.append(parsed.log)
            result.problems.extend(parsed.problems)
        if progress:
            progress(done, len(files))
    _check_same_day(result)
    return result


def _check_same_day(result: ArchiveRead) -> None:
    """The same group and day twice is kept (both files), but a maintainer wants to know."""
    seen: dict[tuple[str, object, str], str] = {}
    for log in result.logs:
        if log.layout == "post" or not log.messages:
            continue
        key = (log.group, log.date, log.title)
        if key in seen:
            result.problems.append(
                Problem(log.source, None, f"same group and day as {seen[key]} (both kept)", "warning")
            )
        else:
            seen[key] = log.source
