"""Threads to JSON Lines: one thread a line, the schema other tools and our evaluation read.

Input: Threads. Output: lines of JSON (sorted keys, so exports diff cleanly).
"""
from __future__ import annotations

import json
from typing import IO, Iterable

from chatmine.model import Message, Thread
from chatmine.analyse.worth import listed


def thread_record(thread: Thread) -> dict:
    """A thread as JSON: every message, and the Q&A as the site shows them (`page` says whether it
    has a page; a QA's `answers` are those its page lists, `answer_probabilities` beside them)."""
    log = thread.log
    record = {
        "id": thread.id,
        "source": log.source,
        "group": log.group,
        "date": log.date.isoformat(),
        "title": thread.title,
        "topics": list(thread.topics),
        "qa": [
            {
                "question": _msg(qa.question),
                "answers": [_msg(a) for a in qa.answers],
                "answer_probabilities": qa.scores,
                "resolved": qa.resolved,
                "asks": qa.asks,
                "worth": qa.worth,
                "page": qa.page,
            }
            for qa in map(listed, thread.qa)
        ],
        "messages": [_msg(m) for m in thread.messages],
        "layout": log.layout,
        "follows": thread.follows,
        "page": thread.page,
    }
    if thread.cluster:
        record["cluster"] = thread.cluster
    if log.preamble and thread.messages is not None and thread.opens_log:
        # Article prose and notices before the first message: knowledge too, never dropped.
        record["preamble"] = log.preamble
    return record



def _msg(message: Message) -> dict:
    return message.as_json()


def write_jsonl(threads: Iterable[Thread], out: IO[str]) -> int:
    """Write one JSON object a line; returns how many threads were written."""
    count = 0
    for thread in threads:
        out.write(json.dumps(thread_record(thread), ensure_ascii=False, sort_keys=True))
        out.write("\n")
        count += 1
    return count
