"""Write the search index: a cold build of every file, or an update in place of the files whose
records changed.

Input: SearchRecords and a folder (with, for an update, the previous index's folder). Output:
meta.json, t/XYZ.bin, r/<n>/<id>.json, words.json, state.json (docs/search.md), byte for byte
the same whichever way they were written. The shards' bytes are encoded here, read by layout.py.
"""
from __future__ import annotations

import json
import os
import shutil
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from chatmine.cache import code_version, link_or_copy
from chatmine.search.layout import (FORMAT, LENGTHS, SHARDS, decode_postings, decode_shard, length_code, number_width,
                                       record_path, shard_of, shard_path)
from chatmine.search.rank import KIND_WEIGHTS
from chatmine.search.records import KINDS, LEAD_WEIGHT, SearchRecord, digest, dumps, in_id_order
from chatmine.search.terms import record_terms

STATE = "state.json"
UPDATE_SHARE = 0.3
"""An update that changes more than this share of the records is written cold (as fast, simpler)."""


@dataclass(slots=True)
class Written:
    """What write_index did."""

    records: int
    files: int
    """Files the index holds."""
    rewritten: int
    """Files written or deleted by this call (all of them for a cold build)."""
    cold: bool


def write_index(records: list[SearchRecord], folder: Path, *, words: list[str] | None = None,
                previous: Path | None = None) -> Written:
    """The index of `records` in `folder`. With `previous` (a folder an earlier write_index made,
    possibly `folder` itself), only the files its changed records touch are rewritten; the rest
    is linked (or kept)."""
    folder = Path(folder)
    ordered = in_id_order(records)
    state = _read_state(previous) if previous is not None else None
    digests = [digest(r) for r in ordered]
    if state is not None:
        changed = _changed(state["digests"], digests)
        if len(changed) <= UPDATE_SHARE * max(len(digests), 1):
            if Path(previous).resolve() != folder.resolve():
                _link_tree(Path(previous), folder)
            return _update(ordered, digests, changed, folder, state, words)
    return _cold(ordered, digests, folder, words)


def _cold(records: list[SearchRecord], digests: list[str], folder: Path, words: list[str] | None) -> Written:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    # Postings in one bytearray per term, appended in id order: no Python object per posting.
    postings: dict[str, list] = {}
    lengths, filters = [], Counter()
    small = _SMALL  # the varint of every number below 16,384: ids apart by more are rare
    made: set[Path] = set()
    for record_id, record in enumerate(records):
        counts, length = _terms_of(record)
        lengths.append(length)
        filters.update(t for t in record.pseudo_terms() if ":" in t)
        doc = small[_doc_byte(record, length)]
        for term, tf in counts.items():
            entry = postings.get(term)
            if entry is None:
                postings[term] = [bytearray(varint(record_id) + small[tf] + doc), record_id]
            else:
                delta = record_id - entry[1]
                entry[0] += (small[delta] if delta < 16384 else varint(delta)) + small[tf] + doc
                entry[1] = record_id
        _write_new(folder, record_path(record_id), dumps(record.display()), made)
    by_shard: dict[int, list] = {}
    for term, (data, last) in postings.items():
        by_shard.setdefault(shard_of(term), []).append((term.encode("utf-8"), last, bytes(data)))
    postings.clear()
    for shard, entries in by_shard.items():
        _write_new(folder, shard_path(shard), encode_shard(entries), made)
    _finish(folder, records, digests, lengths, filters, words)
    files = len(records) + len(by_shard) + 3 + (words is not None)
    return Written(records=len(records), files=files, rewritten=files, cold=True)


def _terms_of(record: SearchRecord) -> tuple[Counter, int]:
    """(term -> tf, capped at 255 (terms.record_terms); the record's pseudo-terms with tf 1), and
    its length in tokens; the terms of its lead count LEAD_WEIGHT times in both."""
    counts, length = record_terms(record.text[record.lead:])
    if record.lead:
        lead, lead_length = record_terms(record.text[:record.lead])
        for term, tf in lead.items():
            counts[term] += LEAD_WEIGHT * tf
        length += LEAD_WEIGHT * lead_length
    for term, tf in counts.items():
        if tf > 255:
            counts[term] = 255
    for term in record.pseudo_terms():
        counts[term] = 1
    return counts, length


def _doc_byte(record: SearchRecord, length: int) -> int:
    return length_code(length) << 2 | KINDS.index(record.kind)


def _finish(folder: Path, records: list, digests: list[str], lengths: list[int], filters: Counter,
            words: list[str] | None) -> None:
    """meta.json, words.json and, last, state.json (an update first deletes it: an update killed
    half way leaves no state, and the next write is cold)."""
    names: dict[str, list] = {}
    for term, count in filters.items():
        if count > 0:
            name, value = term[1:].split(":", 1)
            names.setdefault(name, []).append([value, count])
    meta = {"format": FORMAT, "records": len(records), "tokens": sum(lengths), "shards": SHARDS,
            "lengths": list(LENGTHS), "kinds": KIND_WEIGHTS,
            "filters": {name: sorted(values, key=lambda v: (-v[1], v[0])) for name, values in sorted(names.items())}}
    _write(folder, "meta.json", dumps(meta))
    if words is not None:
        _write(folder, "words.json", dumps(words))
    _write(folder, STATE, dumps({"format": FORMAT, "code": code_version(), "digests": digests, "lengths": lengths}))


def _write_new(folder: Path, name: str, data: bytes, made: set[Path]) -> None:
    """Write a file of a cold write (its folder is new: nothing to replace)."""
    path = folder / name
    if path.parent not in made:
        path.parent.mkdir(parents=True, exist_ok=True)
        made.add(path.parent)
    path.write_bytes(data)


def _write(folder: Path, name: str, data: bytes) -> None:
    """Write through a new file: the path may be a hard link into the previous site, which must
    stay as it was."""
    path = folder / name
    try:
        os.unlink(path)
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _read_state(folder: Path) -> dict | None:
    try:
        state = json.loads((Path(folder) / STATE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    # Written by other code (another tokenizer, say): its unchanged records' postings may differ.
    if not isinstance(state, dict) or state.get("format") != FORMAT or state.get("code") != code_version() \
            or not (Path(folder) / "meta.json").is_file():
        return None
    return state


def _changed(old: list[str], new: list[str]) -> list[int]:
    return [i for i in range(max(len(old), len(new)))
            if i >= len(old) or i >= len(new) or old[i] != new[i]]


def _link_tree(source: Path, target: Path) -> None:
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(source, target, copy_function=link_or_copy)


def _update(records: list[SearchRecord], digests: list[str], changed: list[int], folder: Path,
            state: dict, words: list[str] | None) -> Written:
    """Rewrite the shards holding a term of a changed record (before or after the change), the
    changed records' files and meta.json; delete the files of records that are gone."""
    (folder / STATE).unlink(missing_ok=True)
    old_count, lengths = len(state["digests"]), list(state["lengths"])
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    filters = Counter({f"\u0001{name}:{value}": count for name, values in meta["filters"].items() for value, count in values})
    gone: dict[str, set[int]] = {}  # term -> changed ids whose old version held it
    added: dict[str, list[tuple[int, int, int]]] = {}  # term -> new postings of changed ids
    rewritten = 0
    for record_id in changed:
        if record_id < old_count:
            old = _old_record(folder, record_id)
            counts, _ = _terms_of(old)
            for term in counts:
                gone.setdefault(term, set()).add(record_id)
            filters.subtract(t for t in counts if ":" in t and t.startswith("\u0001"))
        if record_id < len(records):
            record = records[record_id]
            counts, length = _terms_of(record)
            doc = _doc_byte(record, length)
            for term, tf in counts.items():
                added.setdefault(term, []).append((record_id, tf, doc))
            filters.update(t for t in counts if ":" in t and t.startswith("\u0001"))
            if record_id < len(lengths):
                lengths[record_id] = length
            else:
                lengths.append(length)
            _write(folder, record_path(record_id), dumps(record.display()))
        else:
            (folder / record_path(record_id)).unlink()
        rewritten += 1
    del lengths[len(records):]
    by_shard: dict[int, list[str]] = {}
    for term in {*gone, *added}:
        by_shard.setdefault(shard_of(term), []).append(term)
    for shard, terms in by_shard.items():
        rewritten += _update_shard(folder, shard, terms, gone, added)
    _finish(folder, records, digests, lengths, filters, words)
    files = sum(len(names) for _, _, names in os.walk(folder))  # rglob and a stat each: 0.1 s
    return Written(records=len(records), files=files, rewritten=rewritten + 2 + (words is not None), cold=False)


def _old_record(folder: Path, record_id: int) -> SearchRecord:
    data = json.loads((folder / record_path(record_id)).read_text(encoding="utf-8"))
    return SearchRecord(url=data["url"], kind=data["kind"], title=data["title"], text=data["text"],
                        filters=data["filters"])


def _update_shard(folder: Path, shard: int, terms: list[str], gone: dict, added: dict) -> int:
    """Rewrite one shard: a term only gaining postings after its last id gets them appended; a
    term losing some is decoded, filtered and encoded again. 1 (the file written or deleted)."""
    path = folder / shard_path(shard)
    table = decode_shard(path.read_bytes()) if path.is_file() else {}
    for term in terms:
        key = term.encode("utf-8")
        last, data = table.get(key, (0, b""))
        new = sorted(added.get(term, []))
        if term not in gone and (not data or new[0][0] > last):
            if new:
                table[key] = (new[-1][0], data + encode_postings(new, after=last if data else 0))
            continue
        kept = [p for p in decode_postings(data) if p[0] not in gone.get(term, ())]
        merged = sorted(kept + new)
        if merged:
            table[key] = (merged[-1][0], encode_postings(merged))
        else:
            table.pop(key, None)
    if table:
        _write(folder, shard_path(shard), encode_shard([(k, *v) for k, v in table.items()]))
    else:
        path.unlink(missing_ok=True)
    return 1


def _varint_bytes(n: int) -> bytes:
    out = bytearray()
    while n >= 0x80:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


# Postings are encoded by the million: a table of the small numbers' bytes (most deltas, every
# tf and doc byte) saves the loop for each. Here, not in layout.py: building it cost a query 2 ms.
_SMALL = [bytes((n,)) for n in range(128)] + [bytes(((n & 0x7F) | 0x80, n >> 7)) for n in range(128, 1 << 14)]


def varint(n: int) -> bytes:
    """`n` as unsigned LEB128."""
    return _SMALL[n] if n < 16384 else _varint_bytes(n)


def encode_shard(entries: list[tuple[bytes, int, bytes]]) -> bytes:
    """A shard file from (utf8 term, last id, postings bytes) (format 2, docs/search.md): the count;
    the terms sorted by their bytes, each ended by a zero byte; the end of each term's postings
    (from the first posting) in layout.number_width bytes; the postings; the last ids."""
    entries = sorted(entries)
    head = bytearray(varint(len(entries)))
    ends, end = [], 0
    for term, _, postings in entries:
        if b"\0" in term:
            raise ValueError(f"search index: a term holds a zero byte: {term!r}")
        head += term + b"\0"
        end += len(postings)
        ends.append(end)
    lasts = b"".join(varint(e[1]) for e in entries)
    width = 1
    while number_width(len(head) + len(entries) * width + end + len(lasts)) > width:
        width += 1
    return b"".join([head, *(e.to_bytes(width, "little") for e in ends), *(e[2] for e in entries), lasts])


def encode_postings(postings: list[tuple[int, int, int]], after: int = 0) -> bytes:
    """Postings (ids ascending, all > `after` unless it is 0 and the first id is 0) as bytes;
    the first delta is taken from `after` (the last id of postings they are appended to)."""
    out = bytearray()
    last = after
    for record_id, tf, doc in postings:
        out += varint(record_id - last) + varint(tf) + varint(doc)
        last = record_id
    return bytes(out)
