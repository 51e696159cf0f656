"""Read a search index folder: its meta, the postings of a term, a record's display data.

Input: a folder write.py made. Output: what rank.py needs, each shard read once (the terminal
reads from disk what the browser fetches; both read only the shards of the query's terms).
"""
from __future__ import annotations

import json
from pathlib import Path

from chatmine.search.layout import decode_postings, decode_shard, record_path, shard_of, shard_path


class IndexFolder:
    """One search index on disk."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.meta = json.loads((self.folder / "meta.json").read_text(encoding="utf-8"))
        self._shards: dict[int, dict] = {}
        self._words: set[str] | None = None

    def postings(self, term: str) -> list[tuple[int, int, int]]:
        """(id, tf, doc byte) of each record holding `term`, ids ascending."""
        shard = shard_of(term)
        if shard not in self._shards:
            path = self.folder / shard_path(shard)
            self._shards[shard] = decode_shard(path.read_bytes()) if path.is_file() else {}
        entry = self._shards[shard].get(term.encode("utf-8"))
        return decode_postings(entry[2]) if entry else []

    def record(self, record_id: int) -> dict:
        """The display data of a record (r/<n>/<id>.json)."""
        return json.loads((self.folder / record_path(record_id)).read_text(encoding="utf-8"))

    def words(self) -> set[str]:
        """words.json: the trade's words a sentence is cut by."""
        if self._words is None:
            path = self.folder / "words.json"
            self._words = set(json.loads(path.read_text(encoding="utf-8"))) if path.is_file() else set()
        return self._words
