"""The browser search index: Pagefind over Chinese text encoded as character bigrams.

Input: SearchRecords (one per Q&A page, per day-log block, per article section).
Output: the pagefind/ bundle inside the site folder, queried by static/search.js.

Why bigrams, and why encoded: measured with pagefind 1.5.2, plain Pagefind is imprecise
for Chinese because pagefind.js splits a typed query into single characters (Intl.Segmenter,
and the wasm splits CJK terms again) and prefix-matches each: 网联 matched pages saying 联网,
and a quoted "对账" found nothing. So every run of Han characters is indexed as its
overlapping bigrams (渠道对账 -> 渠道 道对 对账), each written as 8 ASCII letters so that
neither the indexer's segmenter nor the browser's touches it. search.js encodes the query
the same way and Pagefind ANDs the terms: a page matches 渠道对账 only when it holds all three
bigrams, and 网联 never matches 联网. search.js decodes the excerpt back to Chinese.
The Python `encode_query` below is the reference the JS mirrors (tests compare them).
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path

from chatmine.errors import ChatmineError
from chatmine.text.tokens import HAN

# A word of the text that looks like an encoded token (see encode_text).
AMBIGUOUS = re.compile(r"^(?:[A-Z]{4}|[A-Z]{8})$")
# A Han character as 4 lowercase letters, base 26 (26**4 covers every code point above).
LETTERS = 4

# Pagefind's ready-made UIs and its worker: search.js drives pagefind.js itself (noWorker:
# the worker would be one more download on the first query). ~450 KB not to publish.
UNUSED = ("pagefind-ui.*", "pagefind-component-ui.*", "pagefind-modular-ui.*", "pagefind-highlight.js",
          "pagefind-worker.js")

# Q&A pages first (a page only a statement opened, a discussion, as one), then articles, then
# day logs: data-pagefind-weight on the content.
WEIGHTS = {"qa": 8.0, "talk": 8.0, "article": 3.0, "day": 1.0}


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
    date: str = ""
    """ISO date, shown in results."""
    group: str = ""
    """Group display name (a filter)."""
    topic: str = ""
    """Best topic's display name, shown in results."""
    filters: dict[str, list[str]] = field(default_factory=dict)
    """Filter name -> values: topic, group, year."""


def encode_char(char: str) -> str:
    """One Han character as LETTERS lowercase ASCII letters, base 26."""
    n = ord(char)
    out = []
    for _ in range(LETTERS):
        out.append(chr(97 + n % 26))
        n //= 26
    return "".join(reversed(out))


def encode_text(text: str) -> str:
    """Text for the index: Han runs as encoded overlapping bigrams, in CAPITALS.

    Pagefind lowercases what it indexes, so case is free to mark our tokens: search.js
    decodes an all-capital 4- or 8-letter token back to Chinese in the excerpt. Such a
    word in the text itself (CARD, HTTP) is lowercased here so it cannot be mistaken.
    A single Han character stays a 4-letter token, which Pagefind prefix-matches against
    the bigrams starting with it. Everything else is kept as written.
    """
    tokens: list[str] = []
    pos = 0
    codes = _CAPITALS
    for match in HAN.finditer(text):
        if match.start() > pos:
            tokens.extend(_plain_tokens(text[pos:match.start()]))
        run = [codes[c] for c in match.group()]
        if len(run) == 1:
            tokens.append(run[0])
        else:
            tokens.extend(map(str.__add__, run, run[1:]))
        pos = match.end()
    tokens.extend(_plain_tokens(text[pos:]))
    return " ".join(tokens)


class _Codes(dict):
    """Han character -> its code in capitals, computed once per character.

    Encoding the whole corpus's records char by char took 8.6 s; with this table, 0.6 s.
    """

    def __missing__(self, char: str) -> str:
        code = self[char] = encode_char(char).upper()
        return code


_CAPITALS = _Codes()


def _plain_tokens(text: str) -> list[str]:
    return [t.lower() if AMBIGUOUS.match(t) else t for t in text.split()]


def encode_query(query: str) -> str:
    """What search.js hands to Pagefind for a typed query (mirrors encodeQuery there).

    Runs of up to three characters keep every bigram (结售汇 -> 结售 售汇); longer runs
    are covered by adjacent bigrams plus a last overlapping one (渠道对账 -> 渠道 对账,
    代付通道 -> 代付 通道): each bigram of the query costs one index chunk (~33 KiB) on a
    first query, and a page holding 渠道 and 对账 but not 道对 is rare and still relevant.
    """
    tokens: list[str] = []
    pos = 0
    for match in HAN.finditer(query):
        tokens.extend(query[pos:match.start()].lower().split())
        run = [encode_char(c) for c in match.group()]
        if len(run) <= 3:
            tokens.extend(run if len(run) == 1 else [a + b for a, b in zip(run, run[1:])])
        else:
            starts = list(range(0, len(run) - 1, 2))
            if starts[-1] != len(run) - 2:
                starts.append(len(run) - 2)
            tokens.extend(run[i] + run[i + 1] for i in starts)
        pos = match.end()
    tokens.extend(query[pos:].lower().split())
    return " ".join(tokens)


QUERY_WORDS = "static/words.json"
"""The trade's words for cutting a query typed as a sentence in the browser (search.js
mostWords): ICU's dictionary, behind Intl.Segmenter, knows 之后 and 一遍 but cuts 平账, 代扣 and
备付金 into characters."""


def query_words() -> list[str]:
    """The words search.js keeps whole in a typed sentence: the jieba user dictionary's and the
    taxonomy's terms of two to eight Han characters (those a maintainer adds included)."""
    from chatmine.text.tokens import read_userdict
    from chatmine.analyse.topics import load_taxonomy

    words = {w for w, _, _ in read_userdict()} | set(load_taxonomy().tags_of)
    return sorted(w for w in words if 2 <= len(w) <= 8 and HAN.fullmatch(w))


def record_html(record: SearchRecord) -> str:
    """A minimal page for the indexer: encoded text in the body, the rest as meta and filters.

    No sort attribute: the search never sorts, and Pagefind's page table, which a first query
    fetches whole, carried a date order of every record (19 of its 99 KiB on the whole corpus)."""
    esc = lambda s: html.escape(s, quote=True)  # noqa: E731
    metas = "".join(
        f'<span data-pagefind-meta="{key}:{esc(value)}"></span>'
        for key, value in (("title", record.title), ("href", record.url), ("date", record.date), ("group", record.group),
                           ("topic", record.topic), ("kind", record.kind))
        if value
    )
    filters = "".join(
        f'<span data-pagefind-filter="{esc(name)}:{esc(value)}"></span>'
        for name, values in sorted(record.filters.items()) for value in values if value
    )
    weight = WEIGHTS.get(record.kind, 1.0)
    body = esc(encode_text(record.text))
    return (
        f'<!doctype html><html lang="zh-CN"><head><title>{esc(record.title)}</title></head><body>'
        f"{metas}{filters}"
        f'<main data-pagefind-body data-pagefind-weight="{weight}">{body}</main></body></html>'
    )


class IndexJob:
    """A Pagefind run in the background: the site's pages render while it indexes.

    The records are written as small HTML files to a scratch folder and indexed by one run
    of the pagefind binary (pagefind_command): measured on 1,959 records,
    11 s, where add_html_file per record through the Python service took 208 s, and the
    service once left a 0-byte wasm file behind under load. The real URL (with its
    #anchor) travels as meta `href`, since a scratch file's own path means nothing.
    On the whole corpus Pagefind takes ~10 s of one and a half cores; rendering the pages
    beside it, rather than after it, takes that much off a cold build.
    """

    def __init__(self, pages: list[str], output: Path):
        import os
        import subprocess
        import tempfile

        self.count = len(pages)
        self.output = Path(output)
        # In memory where the system has it: thousands of small files, written once, read once.
        shm = Path("/dev/shm")
        scratch_root = str(shm) if shm.is_dir() and os.access(shm, os.W_OK) else None
        self._scratch = tempfile.TemporaryDirectory(prefix="chatmine-index-", dir=scratch_root)
        for number, page in enumerate(pages):
            Path(self._scratch.name, f"{number}.html").write_text(page, encoding="utf-8")
        self._run = subprocess.Popen(
            [*pagefind_command(), "--site", self._scratch.name,
             "--output-path", str(self.output.resolve()), "--silent"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, preexec_fn=_die_with_parent)

    def finish(self) -> int:
        """Wait for Pagefind, check its bundle, drop the files search.js does not use."""
        try:
            out, err = self._run.communicate()
        finally:
            self._scratch.cleanup()
        output = self.output
        bundle = [output / "pagefind.js", *output.glob("wasm.*.pagefind"), *output.glob("*.pf_meta")]
        if self._run.returncode != 0 or not all(f.is_file() and f.stat().st_size for f in bundle) or len(bundle) < 3:
            reason = (err or out).strip().splitlines()[-1:] or ["incomplete bundle"]
            raise ChatmineError(str(output), None, f"Pagefind failed to index the site: {reason[0]}")
        for unused in UNUSED:
            for path in output.glob(unused):
                path.unlink()
        return self.count

    def cancel(self) -> None:
        """Stop Pagefind (rendering failed): no orphan process, no scratch files left."""
        if self._run.poll() is None:
            self._run.kill()
            self._run.wait()
        self._scratch.cleanup()


def _die_with_parent() -> None:
    """In the Pagefind child: be killed with the build. A build killed by kill -9 otherwise
    left Pagefind writing into its staging folder while the next build cleaned it up."""
    try:
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass  # not Linux: the next build still removes the folder once Pagefind is done


def pagefind_command() -> list[str]:
    """The standard Pagefind binary (the `pagefind[bin]` package's).

    Not the extended one: it differs only by segmenting Chinese and Japanese text, and the
    text we index is ASCII by then (encode_text). Measured on the whole corpus's records:
    10.5 s and 1.04 GiB peak memory, where the extended binary took 12.6 s and 1.29 GiB.
    """
    try:
        from pagefind_bin import get_executable
    except ImportError:
        import sys

        return [sys.executable, "-m", "pagefind"]
    return [str(get_executable())]


def start_index(pages: list[str], output: Path) -> IndexJob:
    """Start indexing `pages` (record_html of each record) into the bundle folder `output`
    (site/pagefind/, say); then finish()."""
    return IndexJob(pages, output)
