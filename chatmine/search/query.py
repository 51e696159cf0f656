"""A typed query as words: what each must match, which are checked as written, and a sentence
cut into the trade's words.

Input: the query as typed (and, to cut a sentence, words.json). Output: Words.
site_templates/static/search/query.js is its exact copy.

Rules:
- The query is split on whitespace; "quoted text" is one word. A word is its index terms
  (terms.index_terms); a word without any (punctuation) is dropped.
- A word of one Han character is that character (the writer indexes every character, so it
  matches wherever it stands).
- A word of two terms or more (渠道对账: 渠道 道对 对账; "T + 1": t 1) is CHECKED: a record holding
  its terms is kept only when its text holds the word as written, both compared in normal form
  (NFKC, lower case) with all whitespace removed. 网联 (one term) never matches 联网 anyway;
  渠道对账 no longer matches a record saying 渠道对 and 对账 apart.
- cut_sentence: each unquoted word's Han runs are cut by longest match against words.json
  (at each character, the longest word of two to eight characters starting there, else the
  character stays uncut); UNCUT or more characters left uncut next to each other form one word
  (唯品花的: a name the dictionary lacks), fewer are dropped (吗, 再, 和评 of 规则和评分表).
  Non-Han parts (DCC) stay words. Each word once, in order.
"""
from __future__ import annotations

import re
from typing import NamedTuple

from chatmine.search.terms import TOKEN, index_terms, is_han, normal

QUOTED = re.compile(r'"([^"]*)"|(\S+)')
SPACE = re.compile(r"\s+")
LONGEST = 8
"""The longest word of words.json that cutting looks for."""
UNCUT = 3
"""Fewer characters left uncut in a row are dropped from a cut sentence (module docstring)."""


class Word(NamedTuple):
    """One word of a query. (A NamedTuple, as the query path's other records: importing dataclasses
    cost every `chatmine search` 4-8 ms, docs/performance.md.)"""

    text: str
    """As typed (quotes removed)."""
    terms: tuple[str, ...]
    """The index terms a record must hold, each once, in order."""
    checked: bool
    """The record's text must hold `text` as written (compact form), not merely its terms."""
    quoted: bool = False


def word(text: str, quoted: bool = False) -> Word | None:
    """`text` as a Word, None when it has no terms."""
    compact = SPACE.sub("", normal(text))
    terms = (compact,) if len(compact) == 1 and is_han(compact) else tuple(dict.fromkeys(index_terms(text)))
    if not terms:
        return None
    return Word(text=text, terms=terms, checked=len(index_terms(text)) > 1, quoted=quoted)


def parse(query: str) -> list[Word]:
    """The words of a query as typed, each once."""
    out: dict[str, Word] = {}
    for quoted, plain in QUOTED.findall(query):
        found = word(quoted if quoted else plain, quoted=bool(quoted))
        if found is not None:
            out.setdefault(compact(found.text), found)
    return list(out.values())


def compact(text: str) -> str:
    """Normal form with all whitespace removed: what a checked word is looked for in."""
    return SPACE.sub("", normal(text))


def holds(record_text: str, words: list[Word]) -> bool:
    """The record's text holds every checked word as written."""
    text = compact(record_text)
    return all(compact(w.text) in text for w in words if w.checked)


def cut_sentence(words: list[Word], dictionary: set[str]) -> list[Word]:
    """The words of a query typed as a sentence (module docstring); quoted words stay whole."""
    out: dict[str, Word] = {}
    for typed in words:
        parts = [typed.text] if typed.quoted else cut_text(typed.text, dictionary)
        for part in parts:
            found = word(part, quoted=typed.quoted)
            if found is not None:
                out.setdefault(compact(found.text), found)
    return list(out.values())


def cut_text(text: str, dictionary: set[str]) -> list[str]:
    """`text` cut into words: Han runs by longest match, other runs of [a-z0-9] as they are."""
    out: list[str] = []
    for match in TOKEN.finditer(normal(text)):
        if match.group(1):
            out.extend(cut_run(match.group(), dictionary))
        else:
            out.append(match.group())
    return out


def cut_run(run: str, dictionary: set[str]) -> list[str]:
    """A Han run by longest match: dictionary words, uncut stretches of UNCUT characters or more
    as one word, shorter ones dropped."""
    out: list[str] = []
    uncut = ""
    chars = list(run)
    i = 0
    while i < len(chars):
        for size in range(min(LONGEST, len(chars) - i), 1, -1):
            piece = "".join(chars[i:i + size])
            if piece in dictionary:
                break
        else:
            uncut += chars[i]
            i += 1
            continue
        if len(uncut) >= UNCUT:
            out.append(uncut)
        uncut = ""
        out.append(piece)
        i += size
    if len(uncut) >= UNCUT:
        out.append(uncut)
    return out
