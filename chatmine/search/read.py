"""Read a search index folder: its meta, the postings of a term, a record's display data.

Input: a folder write.py made. Output: what rank.py needs, each shard read once (the terminal
reads from disk what the browser fetches; both read only the shards of the query's terms).
"""
from __future__ import annotations

import json
from pathlib import Path

from chatmine.search.layout import FORMAT, ShardTable, decode_postings, record_path, shard_of, shard_path


class IndexFolder:
    """One search index on disk."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.meta = json.loads((self.folder / "meta.json").read_text(encoding="utf-8"))
        if self.meta.get("format") != FORMAT:
            raise ValueError(f"{self.folder}: search index format {self.meta.get('format')}, this reads {FORMAT}")
        self._shards: dict[int, ShardTable] = {}
        self._words: set[str] | None = None

    def postings(self, term: str) -> list[tuple[int, int, int]]:
        """(id, tf, doc byte) of each record holding `term`, ids ascending."""
        shard = shard_of(term)
        if shard not in self._shards:
            path = self.folder / shard_path(shard)
            try:
                self._shards[shard] = ShardTable(path.read_bytes())
            except FileNotFoundError:  # no term of the index hashes to it
                self._shards[shard] = ShardTable(b"")
        table = self._shards[shard]
        i = table.find(term.encode("utf-8"))
        return decode_postings(table.postings(i)) if i >= 0 else []

    def record(self, record_id: int) -> dict:
        """The display data of a record (r/<n>/<id>.json)."""
        return json.loads((self.folder / record_path(record_id)).read_text(encoding="utf-8"))

    def words(self) -> set[str]:
        """words.json: the trade's words a sentence is cut by."""
        if self._words is None:
            path = self.folder / "words.json"
            self._words = set(json.loads(path.read_text(encoding="utf-8"))) if path.is_file() else set()
        return self._words
