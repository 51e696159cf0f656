"""The bytes of the index's files: the shard a term lives in, varints, a shard's term table.

Input: a term, or a shard file's bytes. Output: where it lives, its postings, as docs/search.md
fixes them (write.py encodes them; site_templates/static/search/index.js reads the same bytes).
Reading imports nothing but `bisect` and `math`: every query reads through this module.
"""
from __future__ import annotations

import math
from bisect import bisect_left
from itertools import accumulate

FORMAT = 2
"""meta.json's and state.json's "format" (2: shards with fixed-width columns, docs/search.md). An
index of another format is written cold; the readers refuse it rather than misread it."""
SHARDS = 4096
"""Shards t/000.bin .. t/fff.bin: a term lives in fnv1a32(utf8(term)) % SHARDS. A query fetches
the shards of its terms whole, most of whose bytes are other terms' postings: 4,096 shards of
~2.8 KiB keep a sentence's first query under 100 KiB (docs/performance.md)."""
LENGTHS = tuple(max(1, round(4 * 1.13 ** code)) for code in range(64))
"""The document length each of the 64 length codes stands for (4 .. ~8,900 tokens, 13% apart):
BM25 reads a record's length from its posting's doc byte (meta.json "lengths")."""
_LOG_STEP = math.log(1.13)


def fnv1a32(data: bytes) -> int:
    h = 0x811C9DC5
    for byte in data:
        h = ((h ^ byte) * 0x01000193) & 0xFFFFFFFF
    return h


def shard_of(term: str) -> int:
    return fnv1a32(term.encode("utf-8")) % SHARDS


def shard_path(shard: int) -> str:
    return f"t/{shard:03x}.bin"


def record_path(record_id: int) -> str:
    return f"r/{record_id // 1000}/{record_id}.json"


def length_code(length: int) -> int:
    """The code whose LENGTHS entry is nearest `length` on a log scale."""
    if length <= LENGTHS[0]:
        return 0
    code = round(math.log(length / 4) / _LOG_STEP)
    return min(63, max(0, code))


def read_varint(data: bytes, pos: int) -> tuple[int, int]:
    """(value, position after it) of the unsigned LEB128 number at `pos`."""
    value, shift = 0, 0
    while True:
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, pos
        shift += 7


def number_width(size: int) -> int:
    """The width of a shard's fixed numbers: the fewest bytes that count the shard's own
    `size` in bytes (so the file says it without a header byte)."""
    return max(1, (size.bit_length() + 7) // 8)


class ShardTable:
    """A shard's term table read without decoding an entry (format 2, docs/search.md): the
    terms, sorted by their bytes, found by bisect; the ends of their postings, numbers of one
    fixed width, read where they stand.

    What it buys: format 1's table of varints was parsed whole to find one term (a sentence's 16
    shards: 0.43 ms, now 0.04 ms; docs/performance.md)."""

    __slots__ = ("data", "terms", "width", "ends", "base")

    def __init__(self, data: bytes):
        self.data = data
        count, pos = read_varint(data, 0) if data else (0, 0)
        # Each term ends with a zero byte (no term holds one): one split finds them all.
        self.terms = data[pos:].split(b"\0", count)[:count]
        self.width = number_width(len(data))
        self.ends = pos + sum(map(len, self.terms)) + count
        self.base = self.ends + count * self.width  # the first posting

    def find(self, term: bytes) -> int:
        """The entry number of `term`, -1 when the shard does not hold it."""
        i = bisect_left(self.terms, term)
        return i if i < len(self.terms) and self.terms[i] == term else -1

    def end(self, i: int) -> int:
        """Where entry `i`'s postings end, counted from the first posting."""
        at = self.ends + i * self.width
        return int.from_bytes(self.data[at:at + self.width], "little")

    def postings(self, i: int) -> bytes:
        """Entry `i`'s postings bytes."""
        return self.data[self.base + (self.end(i - 1) if i else 0):self.base + self.end(i)]

    def lasts(self) -> list[int]:
        """Each entry's largest id (the writer's: varints after the postings, never fetched for)."""
        pos = self.base + (self.end(len(self.terms) - 1) if self.terms else 0)
        out = []
        for _ in self.terms:
            last, pos = read_varint(self.data, pos)
            out.append(last)
        return out


def decode_shard(data: bytes) -> dict[bytes, tuple[int, bytes]]:
    """utf8 term -> (last id, its postings bytes): the whole table, as the writer updates it."""
    table = ShardTable(data)
    return {term: (last, table.postings(i)) for i, (term, last) in enumerate(zip(table.terms, table.lasts()))}


def decode_postings(data: bytes) -> list[tuple[int, int, int]]:
    """(id, tf, doc byte) of each posting, ids ascending: every number read in one pass over the
    bytes (a quarter less time than a read_varint call for each), then taken three by three."""
    numbers: list[int] = []
    append = numbers.append
    value = shift = 0
    for byte in data:
        if byte < 0x80:
            append(value | byte << shift)
            value = shift = 0
        else:
            value |= (byte & 0x7F) << shift
            shift += 7
    return list(zip(accumulate(numbers[0::3]), numbers[1::3], numbers[2::3]))
