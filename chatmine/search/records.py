"""What the search index holds: SearchRecords, their order (ids) and their digests.

Input: records from the site model (site.search_records). Output: the records in id order,
each record's display data and the pseudo-terms its filters are searched by.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from chatmine.search.terms import FILTER

KINDS = ("qa", "talk", "article", "day")
"""Record kinds in the order of their code in a posting's doc byte (docs/search.md)."""
ANSWERED = FILTER + "answered"
LEAD_WEIGHT = 2
"""The terms of a record's lead count this many times, in its term counts and its length (BM25F
with two fields): a Q&A page's questions and answers weigh more than the conversation it shows
folded (bench/eval_search.py, docs/search.md)."""


@dataclass(slots=True)
class SearchRecord:
    """One searchable unit: a page, or a block of a long page with its own #anchor."""

    url: str
    """Relative to the site root, e.g. q/ab12cd.html or day/prodarch/2018-01-10-chat.html#L120."""
    kind: str
    """qa / talk (a Q&A page where only a statement opened a discussion) / article / day: sets
    the ranking weight and the result's badge."""
    title: str
    """What the result shows as its heading: the question, article title, or group + date."""
    text: str
    """Plain text to match and to cut the excerpt from."""
    lead: int = 0
    """How many characters at the start of `text` its page shows plainly (a Q&A page's questions and
    answers, before the conversation it shows folded): their terms count LEAD_WEIGHT times."""
    date: str = ""
    """ISO date: the first part of the record's id order."""
    group: str = ""
    """Group display name, shown in results."""
    topic: str = ""
    """Best topic's display name, shown in results."""
    filters: dict[str, list[str]] = field(default_factory=dict)
    """Filter name -> values: topic, group, year."""
    source: str = ""
    """The archive-relative file the record comes from: the second part of the id order."""
    line: int = 0
    """Line of the record's first message in `source` (its question for a Q&A page)."""
    lines: list[int] = field(default_factory=list)
    """Line of each message of `text` (its parts between site.MESSAGE_BREAK), when it has them:
    a result points at the message its excerpt is cut from."""
    asker: str = ""
    """Who asked (a Q&A page), shown by the terminal."""
    answers: int = 0
    """How many answers (a Q&A page) or replies (a discussion) its page lists."""

    def display(self) -> dict:
        """The record's r/<id>.json: what a result shows, and what a phrase is checked against."""
        return {"title": self.title, "url": self.url, "date": self.date, "group": self.group, "topic": self.topic,
                "kind": self.kind, "text": self.text, "lead": self.lead, "source": self.source, "line": self.line,
                "lines": self.lines, "asker": self.asker, "answers": self.answers,
                "filters": {k: list(v) for k, v in sorted(self.filters.items()) if v}}

    def pseudo_terms(self) -> list[str]:
        """The record's filter values as terms: \\u0001group:name, \\u0001topic:name, \\u0001year:yyyy,
        and \\u0001answered for a Q&A page (every qa/talk record is an answered thread's)."""
        out = [f"{FILTER}{name}:{value}" for name, values in sorted(self.filters.items()) for value in values if value]
        if self.kind in ("qa", "talk"):
            out.append(ANSWERED)
        return sorted(set(out))


def in_id_order(records: list[SearchRecord]) -> list[SearchRecord]:
    """Records sorted by (date, source, position among that source's records): a record's place
    is its id, so days appended after every existing day append ids and leave the others alone."""
    return sorted(records, key=lambda r: (r.date, r.source))


def dumps(data) -> bytes:
    """The one JSON encoding of the index's files: sorted keys, compact, UTF-8 (deterministic bytes)."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def digest(record: SearchRecord) -> str:
    """What changes when anything the index holds of the record changes (16 hex digits)."""
    return hashlib.sha1(dumps(record.display())).hexdigest()[:16]


COMMON = 1000
"""A word of jieba's own dictionary joins words.json when jieba counts it at least this often
(5,181 words of two to four characters, ~25 KiB gzip): with the trade's words alone a sentence
kept 之后还要再全部对一遍吗 uncut."""


def query_words() -> list[str]:
    """The words a typed sentence is cut by (words.json, query.cut_sentence): the jieba user
    dictionary's and the taxonomy's terms of two to eight Han characters (those a maintainer adds
    included), and jieba's common words (COMMON). Build side only: it reads the taxonomy."""
    from chatmine.search.terms import is_han
    from chatmine.text.tokens import read_userdict
    from chatmine.text.taxonomy import load_taxonomy

    words = {w for w, _, _ in read_userdict()} | set(load_taxonomy().tags_of) | set(_common_words())
    return sorted(w for w in words if 2 <= len(w) <= 8 and is_han(w))


COMMON_LINE = re.compile(rf"^(\S{{2,4}})[ \t]+0*[1-9]\d{{{len(str(COMMON)) - 1},}}\b", re.M)
"""A line of jieba's dict.txt (`word count tag`) naming a word of two to four characters counted at
least COMMON times (COMMON a power of ten): one search of the file's text found the same 5,181 words
as splitting its 349,046 lines, 0.12 -> 0.05 s."""


def _common_words() -> list[str]:
    from importlib.util import find_spec

    # Found, not imported: importing jieba (pkg_resources) cost a build ~0.07 s, for one file.
    dictionary = Path(find_spec("jieba").origin).parent / "dict.txt"
    return COMMON_LINE.findall(dictionary.read_text(encoding="utf-8"))
