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
from chatmine.read.parse import parse_file
from chatmine.read.sources import LogFile, find_logs  # noqa: F401  (LogFile: public here too)

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
    result.problems.extend(check_same_day(result.logs))
    return result


def check_same_day(logs: list[Log]) -> list[Problem]:
    """The same group and day twice is kept (both files), but a maintainer wants to know."""
    problems = []
    seen: dict[tuple[str, object, str], str] = {}
    for log in logs:
        if log.layout == "post" or not log.messages:
            continue
        key = (log.group, log.date, log.title)
        if key in seen:
            problems.append(Problem(log.source, None, f"same group and day as {seen[key]} (both kept)", "warning"))
        else:
            seen[key] = log.source
    return problems
