"""Chinese word segmentation shared by threads, topics, search and the site.

Input: message text. Output: tokens, or (word, start, end) spans for highlighting.
One lazily built tokenizer per process, with the payment-term user dictionary
(chatmine/data/userdict.txt) loaded so 网联, 断直连, 备付金 ... stay whole.

Backend: rjieba (the jieba-rs binding) when it is installed, else jieba. Measured on
the whole corpus (106k messages): rjieba segments it in ~0.5 s, jieba in ~11 s; topic
accuracy on tests/data is the same with either (see README). Set CHATMINE_TOKENIZER=jieba
to force the pure-Python one. Nothing heavy is imported until the first call.
"""
from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path

from chatmine.resources import DATA
from chatmine.text.mentions import MENTION

USERDICT = DATA / "userdict.txt"

# Noise that must not reach a topic model or glue threads: emoji codes ([呲牙]),
# markdown images and links, bare URLs, @mentions (mentions.MENTION: the name parts are not content).
EMOJI_CODE = re.compile(r"\[[^\[\]\n]{1,6}\]")
IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
URL = re.compile(r"https?://\S+")
# Han ideographs (CJK unified, extension A, compatibility, extensions B..G).
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+")
# Tokens kept as terms: at least one CJK character, or a Latin/number word of 2+ chars.
TERM = re.compile(r"[\u4e00-\u9fff]|[A-Za-z][A-Za-z0-9+#._-]+|\d+[A-Za-z+]+")


class Tokenizer:
    """A segmenter with the user dictionary applied; build once, use everywhere."""

    def __init__(self, backend: str | None = None, userdict: Path = USERDICT):
        self.backend = backend or os.environ.get("CHATMINE_TOKENIZER") or _default_backend()
        words = read_userdict(userdict)
        self._terms: dict[str, str] = {}  # token -> term ('' = not a term): tokens repeat a lot
        if self.backend == "rjieba":
            import rjieba

            self._seg = rjieba.Jieba()
            for word, freq, tag in words:
                self._seg.add_word(word, freq, tag)
            self._cut = self._seg.cut
            self._tokenize = self._seg.tokenize
        else:
            import logging

            import jieba

            jieba.setLogLevel(logging.WARNING)
            self._seg = jieba.Tokenizer()
            for word, freq, tag in words:
                self._seg.add_word(word, freq, tag)
            self._cut = lambda text: self._seg.lcut(text, HMM=True)
            self._tokenize = lambda text: list(self._seg.tokenize(text))

    def cut(self, text: str) -> list[str]:
        """Every token, whitespace and punctuation included (joins back to `text`)."""
        return self._cut(text) if text else []

    def tokenize(self, text: str) -> list[tuple[str, int, int]]:
        """(word, start, end) for every token: offsets into `text` for highlighting."""
        return [tuple(t) for t in self._tokenize(text)] if text else []

    def terms(self, text: str) -> list[str]:
        """Content words for matching and models: noise removed, lowercased, no punctuation."""
        keep = self._terms
        out = []
        for w in self.cut(clean(text)):
            term = keep.get(w)
            if term is None:
                term = keep[w] = w.lower() if TERM.match(w) else ""
            if term:
                out.append(term)
        return out


def _default_backend() -> str:
    try:
        import rjieba  # noqa: F401
    except ImportError:
        return "jieba"
    return "rjieba"


def read_userdict(path: Path = USERDICT) -> list[tuple[str, int | None, str | None]]:
    """The `word [freq] [tag]` lines of a jieba user dictionary; `#` lines are comments."""
    words = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split()
        freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
        tag = parts[2] if len(parts) > 2 else None
        words.append((parts[0], freq, tag))
    return words


@lru_cache(maxsize=1 << 17)
def clean(text: str) -> str:
    """Text without emoji codes, images, link targets, URLs and @mentions.

    Cached: threads, Q&A and tokens each ask for the same message's clean text.
    """
    text = IMAGE.sub(" ", text)
    text = LINK.sub(r"\1", text)
    text = URL.sub(" ", text)
    text = MENTION.sub(" ", text)
    return EMOJI_CODE.sub(" ", text)


@lru_cache(maxsize=None)
def get_tokenizer(backend: str | None = None) -> Tokenizer:
    """The process-wide tokenizer (built on first use: loading a dictionary costs time)."""
    return Tokenizer(backend)


def cut(text: str) -> list[str]:
    """Tokens of `text` with the default tokenizer."""
    return get_tokenizer().cut(text)


def tokenize(text: str) -> list[tuple[str, int, int]]:
    """(word, start, end) spans of `text` with the default tokenizer."""
    return get_tokenizer().tokenize(text)


def terms(text: str) -> list[str]:
    """Content words of `text` (see Tokenizer.terms)."""
    return get_tokenizer().terms(text)
