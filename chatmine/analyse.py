"""Logs into threads: the analysis stage (threads, Q&A, topics) behind export, site and search.

Input: parsed Logs. Output: Threads, every message of a log in exactly one of them.
"""
from __future__ import annotations

from chatmine.model import Log, Thread


def analyse(logs: list[Log]) -> list[Thread]:
    """One thread per log holding all its messages (until thread splitting lands)."""
    return [Thread(id=thread_id(log.source, 0), log=log, messages=list(log.messages), title=log.title) for log in logs]


def thread_id(source: str, first_line: int) -> str:
    """Stable id from where the thread starts, never from its position among threads."""
    import hashlib

    return hashlib.sha1(f"{source}#{first_line}".encode()).hexdigest()[:12]
