"""`chatmine search`: the archive's search records ranked for a query, from the terminal.

Input: a query and ARCHIVE paths. Output: results (title, date, group, who asked, snippet with
the hit marked, file:line) as text or JSON. The index is the site's (search/), kept in the
cache folder and updated in place when a file of the archive or chatmine changed; a query
imports the index reader and nothing heavy.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import NamedTuple

from chatmine.cache import archive_key, cache_root, code_stamp
from chatmine.errors import ChatmineError, Problem
from chatmine.search.query import compact, parse
from chatmine.read.sources import stamp as archive_stamp

SNIPPET_BEFORE = 24
SNIPPET_CHARS = 110
PART = " ｜ "
"""Between two messages of a record's text (site.MESSAGE_BREAK): a snippet is cut from one."""
INDEX_FORMAT = "search-2"
"""In the stamp: an index of another format (layout.FORMAT) is rebuilt, not misread."""


class Hit(NamedTuple):
    """One ranked result. (A NamedTuple: no dataclasses on the query path, query.Word.)"""

    rank: int
    score: float
    url: str
    """The record's page on the site (with its #anchor)."""
    kind: str
    """qa / talk / article / day."""
    title: str
    date: str
    group_name: str
    asker: str
    answers: int
    topics: list[str]
    source: str
    line: int
    """Line of the record's first message (a Q&A page: its question's header)."""
    speaker: str
    snippet: str
    """Plain text; the hits are at `marks` (start, end) offsets."""
    marks: list[tuple[int, int]]
    partial: bool = False
    """The record holds some of the query's words, not every one."""

    def as_json(self) -> dict:
        return {"rank": self.rank, "score": round(self.score, 4), "url": self.url, "kind": self.kind,
                "title": self.title, "date": self.date, "group": self.group_name, "group_name": self.group_name,
                "asker": self.asker, "questions": int(self.kind == "qa"), "answers": self.answers,
                "topics": self.topics, "source": self.source, "line": self.line, "speaker": self.speaker,
                "snippet": self.snippet, "partial": self.partial}


def run_search(query: str, archives: list[Path], limit: int = 10, group: str | None = None,
               as_json: bool = False, cache_dir: Path | None = None, out=None) -> int:
    """Print ranked results; 1 when some file of the archive could not be read."""
    from chatmine.search.rank import search, take

    out = out or sys.stdout
    if not parse(query):
        raise ChatmineError("QUERY", None, "the query has no words to search for")
    index, problems = open_index(archives, cache_dir)
    filters = {"group": [_group_name(archives, group)]} if group else None
    ranking = search(index, query, filters)
    hits = [_hit(rank, found, ranking) for rank, found in enumerate(take(index, ranking, limit), 1)]
    for problem in problems:
        print(problem, file=sys.stderr)
    if as_json:
        for hit in hits:
            out.write(json.dumps(hit.as_json(), ensure_ascii=False, sort_keys=True) + "\n")
    else:
        colour = out.isatty() and not os.environ.get("NO_COLOR")
        for hit in hits:
            if hit.partial and (hit.rank == 1 or not hits[hit.rank - 2].partial):
                out.write("（以下只含有其中部分词语）\n\n")
            out.write(format_hit(hit, colour))
        if not hits:
            print(f"nothing matches {query}", file=sys.stderr)
    return 1 if any(p.severity == "error" for p in problems) else 0


def _group_name(archives: list[Path], group: str) -> str:
    """--group as typed (a folder name, devarch) -> the display name the index filters by."""
    from chatmine.read.config import load_config

    return load_config(archives).group_name(group)


def open_index(archives: list[Path], cache_dir: Path | None):
    """The archive's index (an IndexFolder), updated first when any file (or chatmine) changed."""
    from chatmine.search.read import IndexFolder

    problems: list[Problem] = []
    stamp, count = archive_stamp(archives, problems, code_stamp(), INDEX_FORMAT)
    if not count:
        raise ChatmineError(str(archives[0]) if archives else "ARCHIVE", None, "no log files to search")
    folder = cache_root(cache_dir) / "search" / archive_key(archives)
    stamp_file = folder.with_name(folder.name + ".stamp")
    try:
        fresh = stamp_file.read_text(encoding="utf-8", errors="surrogateescape") == stamp
    except OSError:
        fresh = False
    if not fresh:
        stamp_file.unlink(missing_ok=True)
        problems = build_index(archives, folder, cache_dir)
        stamp_file.write_text(stamp, encoding="utf-8", errors="surrogateescape")
    return IndexFolder(folder), problems


def build_index(archives: list[Path], folder: Path, cache_dir: Path | None) -> list[Problem]:
    """Analyse the archive (reusing the build's per-file cache) and write or update its index:
    the site's search records, built from the site model without rendering a page."""
    from chatmine.analyse.archives import analyse_archives
    from chatmine.read.config import load_config
    from chatmine.publish.pages import build_model
    from chatmine.search.records import query_words
    from chatmine.search.write import write_index
    from chatmine.publish.site import search_records

    print("chatmine: indexing the archive for search (once; later searches reuse it)", file=sys.stderr)
    result = analyse_archives(archives, cache_dir=cache_dir)
    model = build_model(result.threads, result.logs, load_config(archives))
    write_index(search_records(model), folder, words=query_words(), previous=folder)
    return result.problems


def _hit(rank: int, found: tuple, ranking) -> Hit:
    _, score, partial, record = found
    words = ranking.some if partial else ranking.words
    named = record["kind"] == "day"  # a day block's messages are "name：text"; a page's are its text
    part, speaker, snippet, spans = best_snippet(record["text"], [w.text for w in words], named)
    lines = record["lines"]
    if not named and part == 0:
        speaker = record["asker"]  # a Q&A page's first message is its question
    return Hit(rank=rank, score=score, url=record["url"], kind=record["kind"], title=record["title"],
               date=record["date"], group_name=record["group"], asker=record["asker"], answers=record["answers"],
               topics=record["filters"].get("topic", []), source=record["source"],
               line=lines[part] if part < len(lines) else record["line"],
               speaker=speaker, snippet=snippet, marks=spans, partial=partial)


def best_snippet(text: str, words: list[str], named: bool = True) -> tuple[int, str, str, list[tuple[int, int]]]:
    """(which message, speaker, snippet, hit spans) from the message of `text` holding the most
    query words; the speaker when the messages are `named` "name：text" (a day block's), else ""."""
    needles = [w for w in (compact(w) for w in words) if w]
    parts = text.split(PART)
    chosen, best_count = 0, 0
    for number, part in enumerate(parts):
        lower = compact(part)
        count = sum(1 for n in needles if n in lower)
        if count > best_count:
            chosen, best_count = number, count
            if count == len(needles):
                break
    best = parts[chosen]
    speaker, sep, said = best.partition("：") if named else ("", "", best)
    if not sep or len(speaker) > 40:
        speaker, said = "", best
    flat = " ".join(said.split())
    lower = flat.lower()
    first = min((i for i in (lower.find(n) for n in needles) if i >= 0), default=0)
    start = max(0, first - SNIPPET_BEFORE)
    window = flat[start:start + SNIPPET_CHARS]
    snippet = ("…" if start else "") + window + ("…" if start + SNIPPET_CHARS < len(flat) else "")
    return chosen, speaker, snippet, _spans(snippet, needles)


def _spans(text: str, needles: list[str]) -> list[tuple[int, int]]:
    lower = text.lower()
    spans = []
    for needle in needles:
        start = lower.find(needle)
        while start >= 0:
            spans.append((start, start + len(needle)))
            start = lower.find(needle, start + len(needle))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def mark(text: str, spans: list[tuple[int, int]], colour: bool) -> str:
    """The snippet with hits bracketed 【like this】, or in bold red on a colour terminal."""
    left, right = ("\x1b[1;31m", "\x1b[0m") if colour else ("【", "】")
    out, pos = [], 0
    for start, end in spans:
        out += [text[pos:start], left, text[start:end], right]
        pos = end
    out.append(text[pos:])
    return "".join(out)


KIND_LABELS = {"article": "文章", "day": "聊天记录"}


def format_hit(hit: Hit, colour: bool = False) -> str:
    bold, plain = ("\x1b[1m", "\x1b[0m") if colour else ("", "")
    if hit.kind == "qa":
        answers = f"{hit.answers} 条回答"
    elif hit.kind == "talk":  # a discussion a statement opened, and its replies
        answers = f"讨论 · {hit.answers} 条回应"
    else:
        answers = KIND_LABELS.get(hit.kind, hit.kind)
    facts = " · ".join(x for x in (hit.date, hit.group_name, hit.asker, answers, ",".join(hit.topics[:2])) if x)
    who = f"{hit.speaker}：" if hit.speaker else ""
    return (f"{hit.rank:>2}. {bold}{hit.title}{plain}\n"
            f"    {facts}\n"
            f"    {who}{mark(hit.snippet, hit.marks, colour)}\n"
            f"    {hit.source}:{hit.line}\n\n")
