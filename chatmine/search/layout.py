"""The bytes of the index's files: varints, the shard a term lives in, a shard's encoding.

Input: terms and their postings (bytes). Output: t/XYZ.bin contents and their decoding, as
SEARCH_SPEC.md fixes them (site_templates/static/search/index.js reads the same bytes).
"""
from __future__ import annotations

import math

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


def _varint_bytes(n: int) -> bytes:
    out = bytearray()
    while n >= 0x80:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


# Postings are encoded by the million: a table of the small numbers' bytes (most deltas, every
# tf and doc byte) saves the loop for each.
# Built without the loop: a table made by _varint_bytes cost every query 13 ms of import.
_SMALL = [bytes((n,)) for n in range(128)] + [bytes(((n & 0x7F) | 0x80, n >> 7)) for n in range(128, 1 << 14)]


def varint(n: int) -> bytes:
    return _SMALL[n] if n < 16384 else _varint_bytes(n)


def read_varint(data: bytes, pos: int) -> tuple[int, int]:
    """(value, position after it)."""
    value, shift = 0, 0
    while True:
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, pos
        shift += 7


def encode_shard(entries: list[tuple[bytes, int, int, bytes]]) -> bytes:
    """A shard file from (utf8 term, df, last id, postings bytes), sorted by the term's bytes."""
    entries = sorted(entries)
    head = bytearray(varint(len(entries)))
    for term, df, last, postings in entries:
        head += varint(len(term)) + term + varint(df) + varint(last) + varint(len(postings))
    return bytes(head) + b"".join(e[3] for e in entries)


def decode_shard(data: bytes) -> dict[bytes, tuple[int, int, bytes]]:
    """utf8 term -> (df, last id, its postings bytes)."""
    count, pos = read_varint(data, 0)
    table = []
    for _ in range(count):
        size, pos = read_varint(data, pos)
        term = data[pos:pos + size]
        pos += size
        df, pos = read_varint(data, pos)
        last, pos = read_varint(data, pos)
        length, pos = read_varint(data, pos)
        table.append((term, df, last, length))
    out = {}
    for term, df, last, length in table:
        out[term] = (df, last, data[pos:pos + length])
        pos += length
    return out


def decode_postings(data: bytes) -> list[tuple[int, int, int]]:
    """(id, tf, doc byte) of each posting, ids ascending."""
    out, pos, last, end = [], 0, 0, len(data)
    while pos < end:
        delta, pos = read_varint(data, pos)
        tf, pos = read_varint(data, pos)
        doc, pos = read_varint(data, pos)
        last += delta
        out.append((last, tf, doc))
    return out


def encode_postings(postings: list[tuple[int, int, int]], after: int = 0) -> bytes:
    """Postings (ids ascending, all > `after` unless it is 0 and the first id is 0) as bytes;
    the first delta is taken from `after` (the last id of postings they are appended to)."""
    out = bytearray()
    last = after
    for record_id, tf, doc in postings:
        out += varint(record_id - last) + varint(tf) + varint(doc)
        last = record_id
    return bytes(out)
