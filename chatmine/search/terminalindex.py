"""The terminal search index: every thread in SQLite FTS5, Chinese as character bigrams.

Input: analysed threads (and the site config for group names). Output: one SQLite file
per archive set, which `chatmine search` (search.py) queries without importing jieba or
scikit-learn. Why bigrams: a phrase of adjacent bigrams matches exactly the threads holding
that text (渠道对账 -> "渠道 道对 对账"), whatever a segmenter would have made of it, and
the query side needs no dictionary at all (jieba's takes ~1 s to load).
"""
from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

from chatmine.analyse.copies import find_copies
from chatmine.model import Message, Thread
from chatmine.text.tokens import HAN, IMAGE, MENTION

INDEX_VERSION = "5"
# Link targets are no content (the link text is kept).
LINK_TARGET = re.compile(r"\]\([^)]*\)")

SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE docs(
    id INTEGER PRIMARY KEY, thread TEXT, source TEXT, line INTEGER, date TEXT, grp TEXT,
    group_name TEXT, title TEXT, asker TEXT, questions INTEGER, answers INTEGER,
    topics TEXT, messages TEXT);
CREATE VIRTUAL TABLE terms USING fts5(title, body, content='', tokenize='unicode61');
"""


def index_terms(text: str) -> str:
    """Text as FTS tokens: each Han run as its overlapping bigrams, the rest as written.

    A lone Han character stays a one-character token. unicode61 lowercases and splits
    the rest on punctuation.
    """
    out: list[str] = []
    pos = 0
    for match in HAN.finditer(text):
        out.append(text[pos:match.start()])
        run = match.group()
        out.append(run if len(run) == 1 else " ".join(run[i:i + 2] for i in range(len(run) - 1)))
        pos = match.end()
    out.append(text[pos:])
    return " ".join(out)


def searchable(text: str) -> str:
    """A message body without image markup, link targets and @mentions (richtext.search_text:
    a name's org or city is not what was said)."""
    return MENTION.sub(" ", LINK_TARGET.sub("]", IMAGE.sub(" ", text)))


def write_search_index(threads: list[Thread], path: Path, fingerprint: str, group_names: dict[str, str]) -> int:
    """(Re)write the index at `path` atomically; returns how many threads it holds."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.building")
    tmp.unlink(missing_ok=True)
    db = sqlite3.connect(tmp)
    try:
        db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + SCHEMA)
        docs, terms = [], []
        for number, (thread, messages) in enumerate(_published(threads), 1):
            docs.append(_doc_row(number, thread, messages, group_names))
            body = [thread.log.preamble if thread.opens_log else "",
                    *(f"{m.profile.name or m.speaker} {searchable(m.text)}" for m in messages)]
            terms.append((number, index_terms(thread.title), index_terms("\n".join(body))))
        db.executemany("INSERT INTO docs VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", docs)
        db.executemany("INSERT INTO terms(rowid, title, body) VALUES (?,?,?)", terms)
        db.executemany("INSERT INTO meta VALUES (?,?)", [("fingerprint", fingerprint), ("version", INDEX_VERSION)])
        db.execute("INSERT INTO terms(terms) VALUES ('optimize')")
        db.commit()
    finally:
        db.close()
    tmp.replace(path)
    return len(docs)


def _published(threads: list[Thread]):
    """(thread, its messages as shown) for each thread with something of its own to find: a raw
    dump's copies of a daily log's messages are found there (copies.py), and a dump's thread
    whose questions are all copies is listed as chat, as on the site."""
    copies = find_copies(list({t.log.source: t.log for t in threads}.values()))
    for thread in map(copies.shown, threads):
        messages = [m for m in with_answers(thread) if m not in copies]
        if messages or not thread.messages:
            yield thread, messages


def with_answers(thread: Thread) -> list[Message]:
    """The thread's messages and its Q&A's answers, in file order: an answer may sit in a later
    thread of the conversation (threads.cut_threads), and the Q&A is where a reader wants it found."""
    own = {id(m) for m in thread.messages}
    elsewhere = {id(a): a for qa in thread.qa for a in qa.answers if id(a) not in own}
    return sorted([*thread.messages, *elsewhere.values()], key=lambda m: m.line)


def _doc_row(number: int, thread: Thread, shown: list[Message], group_names: dict[str, str]) -> tuple:
    """The thread's row of `docs`; `shown`: its messages as the terminal lists them (with_answers)."""
    log = thread.log
    first = thread.qa[0].question if thread.qa else (thread.messages[0] if thread.messages else None)
    messages = [[m.line, m.time, m.profile.name or m.speaker, m.text] for m in shown]
    if thread.opens_log and log.preamble.strip():
        messages.insert(0, [log.body_start, "", log.author, log.preamble])
    return (number, thread.id, log.source, first.line if first else log.body_start, log.date.isoformat(),
            log.group, group_names.get(log.group, log.group), thread.title or log.title,
            (first.profile.name or first.speaker) if first else log.author,
            sum(qa.asks for qa in thread.qa), sum(len(qa.answers) for qa in thread.qa),
            ",".join(thread.topics), json.dumps(messages, ensure_ascii=False))
