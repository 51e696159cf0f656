"""The search index of chatmine/searching: its tokenizer, its files, their bytes."""
from __future__ import annotations

from pathlib import Path

import pytest

from chatmine.searching.layout import decode_postings, decode_shard, shard_of, shard_path
from chatmine.searching.records import SearchRecord
from chatmine.searching.terms import HAN_CLASS, index_terms
from chatmine.searching.write import write_index
from chatmine.tokens import HAN


def test_terms_are_han_bigrams_and_ascii_runs():
    assert index_terms("渠道对账T+1") == ["渠道", "道对", "对账", "t", "1"]
    assert index_terms("账") == ["账"]
    assert index_terms("ＤＣＣ手续费, iPhone12") == ["dcc", "手续", "续费", "iphone12"]
    assert index_terms("—— ！") == []


def test_the_han_class_is_the_one_of_tokens():
    assert HAN.pattern.encode().decode("unicode_escape") == f"[{HAN_CLASS}]+"


def record(text: str, date: str, source: str, kind: str = "day", **kw) -> SearchRecord:
    return SearchRecord(url=f"day/{source}.html", kind=kind, title=text[:5], text=text, date=date, group="支付圈",
                        filters={"group": ["支付圈"], "year": [date[:4]]}, source=source, line=1, **kw)


RECORDS = [record("渠道对账怎么做", "2018-01-02", "b", kind="qa"), record("网联的对账文件", "2018-01-01", "a"),
           record("联网 DCC", "2018-01-02", "a", kind="talk")]


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_cold_write_is_deterministic_and_ordered_by_date_and_source(tmp_path):
    write_index(RECORDS, tmp_path / "one", words=["对账"])
    write_index(list(reversed(RECORDS)), tmp_path / "two", words=["对账"])
    assert files(tmp_path / "one") == files(tmp_path / "two")
    table = decode_shard((tmp_path / "one" / shard_path(shard_of("对账"))).read_bytes())
    df, last, data = table["对账".encode()]
    # ids: 0 = 2018-01-01 a, 1 = 2018-01-02 a, 2 = 2018-01-02 b
    assert (df, last) == (2, 2)
    assert [(i, tf) for i, tf, _ in decode_postings(data)] == [(0, 1), (2, 1)]
    assert [p[2] & 3 for p in decode_postings(data)] == [3, 0]  # kind codes: day, qa
    answered = decode_shard((tmp_path / "one" / shard_path(shard_of("\u0001answered"))).read_bytes())
    assert [p[0] for p in decode_postings(answered["\u0001answered".encode()][2])] == [1, 2]
