"""`chatmine search`: ranked threads for a query, from the terminal, in a few milliseconds.

Input: a query and ARCHIVE paths. Output: results (title, date, group, asker, snippet with
the hit marked, file:line) as text or JSON. The index (searchindex.py) is rebuilt only when
a file of the archive or chatmine itself changed; a query imports sqlite3 and nothing heavy.
"""
from __future__ import annotations

import json
import math
import os
import re
import sqlite3
import sys
from dataclasses import dataclass
from pathlib import Path

from chatmine.cache import archive_key, cache_root, code_version
from chatmine.errors import ChatmineError, Problem
from chatmine.search.terminalindex import INDEX_VERSION, index_terms, searchable
from chatmine.text.tokens import HAN
from chatmine.read.sources import stamp as archive_stamp

# Q&A first: a thread whose question was answered outranks a day's chatter with the same words.
RANK_SQL = """
SELECT d.id, d.thread, d.source, d.line, d.date, d.grp, d.group_name, d.title, d.asker,
       d.questions, d.answers, d.topics, d.messages,
       bm25(terms, 4.0, 1.0) * (CASE WHEN d.answers > 0 THEN 2.5 + 0.15 * min(d.answers, 10) WHEN d.questions > 0 THEN 1.3 ELSE 1.0 END) AS score
FROM terms JOIN docs d ON d.id = terms.rowid
WHERE terms MATCH ? {where}
ORDER BY score LIMIT ?
"""
SNIPPET_BEFORE = 24
SNIPPET_CHARS = 110
QUOTED = re.compile(r'"([^"]*)"|(\S+)')
FEW = 5
"""Fewer threads than this hold every term of a query of three words or more: the threads
holding some of its words follow them, as in the site's search ("网联 断直连 什么时候")."""
RARE = 0.002
"""A word in fewer than this share of the threads is rare: it says what the query is about
(平账: 0.13%), where 还要 (1.6%) and 对账 (3.7%) only rank (_some_words)."""
SOME_POOL = 2000
"""At most this many threads tied at the weight of the last one shown are ranked by score (_some_words)."""


@dataclass(slots=True)
class Hit:
    """One ranked result."""

    rank: int
    score: float
    thread: str
    title: str
    date: str
    group: str
    group_name: str
    asker: str
    questions: int
    answers: int
    topics: list[str]
    source: str
    line: int
    """Header line of the message the snippet is cut from (else of the question)."""
    speaker: str
    snippet: str
    """Plain text; the hits are at `marks` (start, end) offsets."""
    marks: list[tuple[int, int]]
    partial: bool = False
    """The thread holds some of the query's words, not every term."""

    def as_json(self) -> dict:
        return {"rank": self.rank, "score": round(self.score, 4), "id": self.thread, "title": self.title,
                "date": self.date, "group": self.group, "group_name": self.group_name, "asker": self.asker,
                "questions": self.questions, "answers": self.answers, "topics": self.topics,
                "source": self.source, "line": self.line, "speaker": self.speaker, "snippet": self.snippet,
                "partial": self.partial}


def run_search(query: str, archives: list[Path], limit: int = 10, group: str | None = None,
               as_json: bool = False, cache_dir: Path | None = None, out=None) -> int:
    """Print ranked results; 1 when some file of the archive could not be read."""
    out = out or sys.stdout
    terms = query_terms(query)
    if not terms:
        raise ChatmineError("QUERY", None, "the query has no words to search for")
    db, problems = open_index(archives, cache_dir)
    with db:
        hits = search(db, terms, limit=limit, group=group, relax='"' not in query)
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
            print(f"no thread matches {query}", file=sys.stderr)
    return 1 if any(p.severity == "error" for p in problems) else 0


def open_index(archives: list[Path], cache_dir: Path | None) -> tuple[sqlite3.Connection, list[Problem]]:
    """The archive's index, rebuilt first when any file (or chatmine) changed since it was made."""
    problems: list[Problem] = []
    stamp, count = archive_stamp(archives, problems, code_version(), INDEX_VERSION)
    if not count:
        raise ChatmineError(str(archives[0]) if archives else "ARCHIVE", None, "no log files to search")
    path = cache_root(cache_dir) / "search" / f"{archive_key(archives)}.sqlite"
    db = _open_fresh(path, stamp)
    if db is None:
        problems = build_index(archives, path, stamp, cache_dir)
        db = sqlite3.connect(path)
    return db, problems


def _open_fresh(path: Path, stamp: str) -> sqlite3.Connection | None:
    if not path.is_file():
        return None
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        row = db.execute("SELECT value FROM meta WHERE key='fingerprint'").fetchone()
    except sqlite3.Error:
        return None
    if row and row[0] == stamp:
        return db
    db.close()
    return None


def build_index(archives: list[Path], path: Path, stamp: str, cache_dir: Path | None) -> list[Problem]:
    """Analyse the archive (reusing the build's per-file cache) and write its search index."""
    from chatmine.analyse.archives import analyse_archives
    from chatmine.read.config import load_config
    from chatmine.search.terminalindex import write_search_index

    print("chatmine: indexing the archive for search (once; later searches reuse it)", file=sys.stderr)
    result = analyse_archives(archives, cache_dir=cache_dir)
    config = load_config(archives)
    write_search_index(result.threads, path, stamp, config.groups)
    return result.problems


def query_terms(query: str) -> list[str]:
    """Words of the query; "quoted text" stays one term."""
    return [(quoted or word).strip() for quoted, word in QUOTED.findall(query) if (quoted or word).strip()]


def _phrase(term: str) -> str:
    tokens = index_terms(term).split()
    if not tokens:
        return ""
    phrase = '"' + " ".join(tokens).replace('"', '""') + '"'
    # A lone Han character matches the bigrams it starts (账 -> 账户, 账单).
    return phrase + "*" if len(tokens) == 1 and HAN.fullmatch(tokens[0]) else phrase


def search(db: sqlite3.Connection, terms: list[str], limit: int = 10, group: str | None = None,
           relax: bool = True) -> list[Hit]:
    """Every term as an exact phrase, all required. When nothing has them all, or fewer than
    FEW threads and the query has three words or more (and `relax`: nothing was quoted), the
    threads holding any of its words follow, best covered first (`partial`)."""
    phrases = [p for p in map(_phrase, terms) if p]
    if not phrases:
        return []
    rows = _run(db, " AND ".join(phrases), limit, group)
    hits = [_hit(rank, row, terms) for rank, row in enumerate(rows, 1)]
    if len(rows) < FEW and relax:
        words = _words(terms)
        if len(words) > (2 if rows else 1):
            found = {row[1] for row in rows}
            more = [row for row in _some_words(db, words, limit, group) if row[1] not in found]
            more = list({row[1]: row for row in more}.values())[: limit - len(rows)]
            hits += [_hit(rank, row, words, partial=True) for rank, row in enumerate(more, len(rows) + 1)]
    return hits


def _some_words(db: sqlite3.Connection, words: list[str], limit: int, group: str | None) -> list[tuple]:
    """Threads holding some of `words`: those holding a rare word first (in under RARE of the
    threads: a "common terms" query), then by what they hold, each word weighing its idf squared
    (ln(1 + threads / threads holding it), Lucene's classic TF-IDF, as the site's search weighs
    the words typed), a very long thread's weight damped; ties by score.
    "渠道对账平账之后还要再全部对一遍吗": 平账 is in 27 of 21,023 threads, 还要 in 331, and the
    discussion of 平账 comes before a title with 还要 in it. "外卡 DCC 汇率 手续费 谁承担": the
    thread holding DCC, 外卡 and 手续费 comes before those holding DCC or 外卡 alone, where their
    scores (short, answered) put it fifth."""
    phrases = [p for p in map(_phrase, words) if p]
    total = db.execute("SELECT count(*) FROM docs").fetchone()[0]
    weight: dict[int, float] = {}
    rare: set[int] = set()
    for phrase in phrases:
        ids = _holding(db, phrase, group)
        idf = math.log(1 + total / len(ids)) ** 2 if ids else 0.0
        for rowid in ids:
            weight[rowid] = weight.get(rowid, 0.0) + idf
        if len(ids) < RARE * total:
            rare.update(ids)
    # A long digest or a day-long discussion holds a little of every subject: beyond e times
    # the mean length, its weight is divided by ln(length / mean) (2.3 at ten times, 3.9 at fifty).
    mean = db.execute("SELECT avg(length(messages)) FROM docs").fetchone()[0] or 1.0
    for part in _chunks(list(weight)):
        for rowid, size in db.execute(f"SELECT id, length(messages) FROM docs WHERE id IN ({_marks(part)})", part):
            weight[rowid] /= max(1.0, math.log(size / mean))
    key = {rowid: (rowid not in rare, -w) for rowid, w in weight.items()}
    if not key:
        return []
    floor = sorted(key.values())[min(limit, len(key)) - 1]
    chosen = [rowid for rowid, k in key.items() if k <= floor][:SOME_POOL]
    any_word = " OR ".join(phrases)
    rows = [row for part in _chunks(chosen) for row in _run(db, any_word, len(part), None, among=part)]
    return sorted(rows, key=lambda row: (*key[row[0]], row[-1]))[:limit]


def _holding(db: sqlite3.Connection, phrase: str, group: str | None) -> list[int]:
    """Ids of the threads (of `group`, when given) holding `phrase`."""
    sql = "SELECT t.rowid FROM terms t JOIN docs d ON d.id = t.rowid WHERE terms MATCH ?"
    try:
        return [row[0] for row in db.execute(sql + " AND d.grp = ?", (phrase, group))] if group else \
            [row[0] for row in db.execute(sql, (phrase,))]
    except sqlite3.OperationalError as err:
        raise ChatmineError("QUERY", None, f"cannot search for {phrase}: {err}") from err


def _chunks(ids: list[int], size: int = 500) -> list[list[int]]:
    """`ids` in parts small enough for one statement's parameters (SQLite allows 999 in old builds)."""
    return [ids[i:i + size] for i in range(0, len(ids), size)]


def _marks(part: list[int]) -> str:
    return ",".join("?" * len(part))


def _words(terms: list[str]) -> list[str]:
    """The words of a query typed as a sentence, each once, single characters aside: cut by the
    tokenizer, not into every character pair ("渠道对账平账之后…" holds 道对 and 部对, which match
    内部对账 and bury the one discussion of 平账)."""
    from chatmine.text.tokens import get_tokenizer

    tokenizer = get_tokenizer()
    words = [w for term in terms for w in tokenizer.terms(term) if len(w) > 1]
    return list(dict.fromkeys(words))


def _run(db: sqlite3.Connection, match: str, limit: int, group: str | None, among: list[int] | None = None) -> list[tuple]:
    """The best `limit` threads for `match`; `among`: only these thread ids (a _chunks part)."""
    where, args = "", [match]
    if among is not None:
        where, args = f" AND d.id IN ({_marks(among)})", args + among
    if group:
        where, args = where + " AND d.grp = ?", args + [group]
    try:
        return db.execute(RANK_SQL.format(where=where), [*args, limit]).fetchall()
    except sqlite3.OperationalError as err:
        raise ChatmineError("QUERY", None, f"cannot search for {match}: {err}") from err


def _hit(rank: int, row: tuple, marks: list[str], partial: bool = False) -> Hit:
    (_, thread, source, line, date, grp, group_name, title, asker, questions, answers, topics,
     messages, score) = row
    speaker, where, snippet, spans = best_snippet(json.loads(messages), marks)
    return Hit(rank=rank, score=-score, thread=thread, title=title, date=date, group=grp, group_name=group_name,
               asker=asker, questions=questions, answers=answers, topics=[t for t in topics.split(",") if t],
               source=source, line=where or line, speaker=speaker, snippet=snippet, marks=spans, partial=partial)


def best_snippet(messages: list[list], marks: list[str]) -> tuple[str, int, str, list[tuple[int, int]]]:
    """(speaker, line, snippet, hit spans) from the message holding the most query terms."""
    needles = [m.lower() for m in marks if m]
    best, best_count = None, 0
    for line, _time, speaker, text in messages:
        flat = _flat(text)
        count = sum(1 for n in needles if n in flat.lower())
        if count > best_count:
            best, best_count = (speaker, line, flat), count
            if count == len(needles):
                break
    if best is None:
        line, _time, speaker, text = messages[0]
        best = (speaker, line, _flat(text))
    speaker, line, flat = best
    lower = flat.lower()
    first = min((i for i in (lower.find(n) for n in needles) if i >= 0), default=0)
    start = max(0, first - SNIPPET_BEFORE)
    window = flat[start:start + SNIPPET_CHARS]
    snippet = ("…" if start else "") + window + ("…" if start + SNIPPET_CHARS < len(flat) else "")
    return speaker, line, snippet, _spans(snippet, needles)


def _flat(text: str) -> str:
    return " ".join(searchable(text).split())


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


def format_hit(hit: Hit, colour: bool = False) -> str:
    bold, plain = ("\x1b[1m", "\x1b[0m") if colour else ("", "")
    if hit.questions:
        answers = f"{hit.answers} 条回答" if hit.answers else "未回答"
    else:  # a discussion (its replies, when a statement opened it) or chat that asked nothing
        answers = f"讨论 · {hit.answers} 条回应" if hit.answers else "讨论"
    facts = " · ".join(x for x in (hit.date, hit.group_name, hit.asker, answers, ",".join(hit.topics[:2])) if x)
    who = f"{hit.speaker}：" if hit.speaker else ""
    return (f"{hit.rank:>2}. {bold}{hit.title}{plain}\n"
            f"    {facts}\n"
            f"    {who}{mark(hit.snippet, hit.marks, colour)}\n"
            f"    {hit.source}:{hit.line}\n\n")
