"""The reference a chatmine build is measured against: segment the archive's text with jieba.

Usage: python bench/jieba_reference.py ARCHIVE
Reads every *.markdown / *.md file under ARCHIVE and cuts its text with jieba (the payment
user dictionary loaded, HMM on), in one process: the least a jieba-based pipeline does.
"""
from __future__ import annotations

import logging
import sys
from pathlib import Path

import jieba

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from chatmine.text.tokens import read_userdict  # noqa: E402  (the dictionary file, read as chatmine reads it)


def main(archive: Path) -> None:
    jieba.setLogLevel(logging.WARNING)
    for word, freq, tag in read_userdict():
        jieba.add_word(word, freq, tag)
    tokens = 0
    for path in sorted(archive.rglob("*")):
        if path.suffix in (".markdown", ".md") and path.is_file():
            tokens += len(jieba.lcut(path.read_text(encoding="utf-8", errors="replace")))
    print(f"{tokens} tokens", file=sys.stderr)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
