"""The one tokenizer of the search index: text -> the terms it is indexed and searched by.

Input: any text. Output: terms (Han character bigrams, a lone Han character, ASCII words and
numbers). site_templates/static/search/terms.js is its exact copy (tests compare them in node).
"""
from __future__ import annotations

import re
import unicodedata

# The Han character class of chatmine.text.tokens.HAN, as a run, or an ASCII word/number run.
# Written out here (not imported) so that a query imports nothing but this module's two stdlib
# modules; tests/test_search_index.py checks it is the same class as tokens.HAN.
HAN_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
TOKEN = re.compile(f"([{HAN_CLASS}]+)|[a-z0-9]+")
FILTER = "\u0001"
"""Starts a pseudo-term: a filter value indexed as a term (\\u0001group:支付圈, \\u0001answered)."""


def normal(text: str) -> str:
    """NFKC, then lower case: what both sides search in (JS: normalize("NFKC").toLowerCase())."""
    return unicodedata.normalize("NFKC", text).lower()


def index_terms(text: str) -> list[str]:
    """The terms of `text` in order: a Han run of one character as itself, of n >= 2 as its
    n-1 overlapping bigrams (渠道对账 -> 渠道 道对 对账); a maximal run of [a-z0-9] after
    lowering (T+1 -> t 1); everything else only separates."""
    out: list[str] = []
    for match in TOKEN.finditer(normal(text)):
        run = match.group()
        if match.group(1) and len(run) > 1:
            out.extend(map(str.__add__, run[:-1], run[1:]))
        else:
            out.append(run)
    return out


def record_terms(text: str) -> tuple[dict[str, int], int]:
    """What the writer indexes of a record's text: term -> count, and the record's length (how
    many index_terms it has). Besides index_terms, every Han character of the text is a term
    (from a run of one it is a token already), so a query of one character finds every record
    holding it, wherever it stands."""
    from collections import Counter

    terms: list[str] = []
    chars: list[str] = []
    for match in TOKEN.finditer(normal(text)):
        run = match.group()
        if match.group(1) and len(run) > 1:
            terms.extend(map(str.__add__, run[:-1], run[1:]))
            chars.append(run)
        else:
            terms.append(run)
    counts = Counter(terms)
    # One count over every character of the long runs: a Counter.update per run cost 20% of a write.
    counts.update("".join(chars))
    return counts, len(terms)


def is_han(text: str) -> bool:
    """Every character of `text` is Han (and there is one). Through TOKEN's Han group: a second
    pattern of the class cost every query 0.8 ms of compiling."""
    match = TOKEN.fullmatch(text)
    return match is not None and match.group(1) is not None
