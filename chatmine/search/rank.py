"""The one ranking of the search index, for the terminal and the site alike.

Input: an IndexFolder (read.py) and a typed query (query.py), optional filters. Output: record ids
in order, each with its score and whether it holds only some of the words (partial).
site_templates/static/search/rank.js is its exact copy: same steps, same sums in the same order.

Rules (N records, avgdl = meta.tokens / N, dl = meta.lengths[doc byte >> 2]):
1. Every record holding every term of every word of the query (query.parse), and every filter
   (for each filter name, one of its values' pseudo-terms), is a candidate. Its score is
   kind weight (meta.kinds) x sum over the query's distinct terms, in order of first appearance,
   of idf(t) * tf * (K1 + 1) / (tf + K1 * (1 - B + B * dl / avgdl)),
   idf(t) = ln(1 + (N - df + 0.5) / (df + 0.5)); scores are rounded to 1e-6 and sorted high to
   low, ties by id, larger (newer) first.
2. When fewer than FEW records are candidates and nothing is quoted, and either none was found
   and the query has two terms or more, or the query was typed as three words or more, the
   records holding SOME of the query's terms follow, marked partial (fewer than FEW candidates
   are checked by rule 3 at once; those failing it are not counted and come back here): scored
   by the sum of rule 1 over the terms they hold, with SOME_B for B and no kind weight. Measured on the editor's
   questions of the dev days (bench/eval_search.py, docs/search.md): every term of the sentence,
   pairs across words included, found the question's record first more often than words cut
   with words.json (0.71 vs 0.66), and kind weights there put a Q&A page of a neighbouring
   subject before the day block holding the question (0.66 with equal weights, 0.45 at 3:1).
   `some`, the words of the sentence cut with words.json (query.cut_sentence), only mark the
   excerpt.
3. A checked word (query.Word.checked) of the query as typed is verified on the record's text
   when its display data is fetched (take): a record of rule 1 failing it is skipped and the next
   one taken. Partial records (rule 2) are not checked. Fewer than FEW candidates are checked when
   they are found: a sentence typed whole that one record holds every pair of, but not as written,
   found nothing at all ("分布式锁有什么好的实现方案/框架？", whose Q&A page says 框架 in another
   message; bench/eval_search.py, docs/search.md).
"""
from __future__ import annotations

import math
from operator import itemgetter

from chatmine.search.query import Word, cut_sentence, holds, parse
from chatmine.search.terms import FILTER

KIND_WEIGHTS = {"qa": 3.0, "talk": 3.0, "article": 1.5, "day": 1.0}
"""Ranking weight of each record kind in rule 1: a Q&A page (a question's, or a discussion's a
statement opened) outranks an article section and a day's chatter with the same words."""
K1 = 1.2
B = 0.75
SOME_B = 0.9
"""B of rule 2 (partial records): 0.728 first on the dev days, 0.712 at 0.75 (docs/search.md)."""
FEW = 5
"""Fewer candidates than this holding every word: records holding some of them follow."""
KINDS = ("qa", "talk", "article", "day")
_BEST = itemgetter(1, 0)
"""Sort key of (id, score, partial), reversed: high scores first, ties larger (newer) id first
(ids are unique, so no tie is left to the sort; 0.1 ms less than a lambda for a sentence)."""


class Ranking:
    """The ordered results of a query, checked lazily. (A plain class: no dataclasses on the
    query path, query.Word.)"""

    __slots__ = ("words", "some", "order", "cursor")

    def __init__(self, words: list[Word]):
        self.words = words
        """The query's words as typed."""
        self.some: list[Word] = []
        """The words of the sentence cut (rule 2), when partial results were looked for."""
        self.order: list[tuple[int, float, bool]] = []
        """(id, score, partial), best first, before the phrase check."""
        self.cursor = 0
        """How far `order` has been taken."""


class Postings:
    """The postings of the terms a query needs, read once each: term -> {id: (tf, doc byte)}."""

    def __init__(self, index):
        self.index = index
        self.cache: dict[str, dict[int, tuple[int, int]]] = {}

    def __call__(self, term: str) -> dict[int, tuple[int, int]]:
        if term not in self.cache:
            self.cache[term] = {i: (tf, doc) for i, tf, doc in self.index.postings(term)}
        return self.cache[term]


def search(index, query: str, filters: dict[str, list[str]] | None = None) -> Ranking:
    """Rank the records of `index` for `query` (rules 1 and 2 of the module docstring)."""
    words = parse(query)
    ranking = Ranking(words=words)
    if not words:
        return ranking
    meta = index.meta
    stats = Stats(meta)
    postings = Postings(index)
    allowed = _allowed(postings, filters or {})
    terms = list(dict.fromkeys(t for w in words for t in w.terms))
    found = _holding(postings, terms, allowed)
    if len(found) < FEW and any(w.checked for w in words):  # rule 3 at once: few records to read
        found = [i for i in found if holds(index.record(i)["text"], words)]
    weights = meta["kinds"]
    scored = []
    for record_id in found:
        total = 0.0
        doc = postings(terms[0])[record_id][1]
        for term in terms:
            table = postings(term)
            total += stats.idf(len(table)) * stats.part(table[record_id][0], doc)
        scored.append((record_id, round(weights[KINDS[doc & 3]] * total, 6), False))
    ranking.order = sorted(scored, key=_BEST, reverse=True)
    quoted = any(w.quoted for w in words)
    if len(found) < FEW and not quoted and (len(words) >= 3 or (not found and len(terms) >= 2)):
        ranking.some = cut_sentence(words, index.words())
        ranking.order += _some_terms(postings, Stats(meta, SOME_B), terms, allowed, set(found))
    return ranking


class Stats:
    """What BM25 needs of meta.json."""

    def __init__(self, meta: dict, b: float = B):
        self.b = b
        self.n = meta["records"]
        self.avgdl = meta["tokens"] / max(self.n, 1)
        self.lengths = meta["lengths"]
        # K1 * (1 - b + b * dl / avgdl) of each length code, the same sums rank.js does per posting:
        # a sentence scores ~2,500 postings.
        self.norms = [K1 * (1 - b + b * dl / self.avgdl) for dl in self.lengths]

    def idf(self, df: int) -> float:
        return math.log(1 + (self.n - df + 0.5) / (df + 0.5))

    def part(self, tf: int, doc: int) -> float:
        return tf * (K1 + 1) / (tf + self.norms[doc >> 2])


def _allowed(postings: Postings, filters: dict[str, list[str]]) -> set[int] | None:
    """Ids passing every filter (one of its values), None when there is no filter."""
    allowed = None
    for name, values in sorted(filters.items()):
        ids: set[int] = set()
        for value in values:
            ids.update(postings(f"{FILTER}{name}:{value}"))
        allowed = ids if allowed is None else allowed & ids
    return allowed


def _holding(postings: Postings, terms: list[str], allowed: set[int] | None) -> list[int]:
    """Ids holding every term (and allowed), ascending."""
    tables = sorted((postings(t) for t in terms), key=len)
    ids = set(tables[0])
    for table in tables[1:]:
        ids.intersection_update(table)
    if allowed is not None:
        ids &= allowed
    return sorted(ids)


def _some_terms(postings: Postings, stats: Stats, terms: list[str], allowed: set[int] | None,
                exclude: set[int]) -> list[tuple[int, float, bool]]:
    """Rule 2: records holding some of `terms`, not in `exclude`, best first."""
    totals: dict[int, float] = {}
    for term in terms:
        table = postings(term)
        if not table:
            continue
        idf = stats.idf(len(table))
        for record_id, (tf, doc) in table.items():
            if record_id not in exclude and (allowed is None or record_id in allowed):
                totals[record_id] = totals.get(record_id, 0.0) + idf * stats.part(tf, doc)
    scored = [(i, round(total, 6), True) for i, total in totals.items()]
    return sorted(scored, key=_BEST, reverse=True)


def take(index, ranking: Ranking, count: int) -> list[tuple[int, float, bool, dict]]:
    """The next `count` results (id, score, partial, display data) that pass the phrase check
    (rule 3); call again for more results."""
    out = []
    while len(out) < count and ranking.cursor < len(ranking.order):
        record_id, score, partial = ranking.order[ranking.cursor]
        ranking.cursor += 1
        record = index.record(record_id)
        if partial or holds(record["text"], ranking.words):
            out.append((record_id, score, partial, record))
    return out
