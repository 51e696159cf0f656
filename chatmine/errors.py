"""The one error type chatmine raises for bad input.

The CLI turns it into a one-line message and an exit status; anything else is a bug.
"""
from __future__ import annotations


class ChatmineError(Exception):
    """A problem with the user's input, located in a file (and line, where it applies)."""

    def __init__(self, path: str, line: int | None, reason: str):
        super().__init__(reason)
        self.path = str(path)
        self.line = line
        self.reason = reason

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.reason}"


class Problem:
    """A warning or error collected while reading an archive (reading goes on)."""

    __slots__ = ("path", "line", "reason", "severity")

    def __init__(self, path: str, line: int | None, reason: str, severity: str = "error"):
        self.path = str(path)
        self.line = line
        self.reason = reason
        self.severity = severity  # "error" or "warning"

    @classmethod
    def from_error(cls, err: ChatmineError) -> "Problem":
        return cls(err.path, err.line, err.reason, "error")

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.severity}: {self.reason}"

    def __repr__(self) -> str:
        return f"Problem({str(self)!r})"
