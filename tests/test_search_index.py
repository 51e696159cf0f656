"""The search index of chatmine/search: its tokenizer, its files, their bytes."""
from __future__ import annotations

from pathlib import Path


from chatmine.search.layout import decode_postings, decode_shard, shard_of, shard_path
from chatmine.search.records import SearchRecord
from chatmine.search.terms import HAN_CLASS, index_terms
from chatmine.search.write import write_index
from chatmine.text.tokens import HAN


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


def test_a_records_lead_counts_twice_in_its_terms_and_length(tmp_path):
    """BM25F with two fields: the terms of what a Q&A page shows (its lead) count LEAD_WEIGHT times,
    in their counts and in the record's length; what it folds, once."""
    from chatmine.search.layout import LENGTHS
    from chatmine.search.read import IndexFolder
    from chatmine.search.records import LEAD_WEIGHT

    text = "对账怎么做 ｜ 对账靠流水"
    write_index([record(text, "2018-01-01", "a", kind="qa", lead=5), record(text, "2018-01-02", "b", kind="qa")],
                tmp_path / "i")
    index = IndexFolder(tmp_path / "i")
    assert LEAD_WEIGHT == 2
    assert [tf for _, tf, _ in index.postings("对账")] == [LEAD_WEIGHT + 1, 2]
    assert [tf for _, tf, _ in index.postings("么做")] == [LEAD_WEIGHT, 1]
    assert [tf for _, tf, _ in index.postings("流水")] == [1, 1]
    lead, plain = (LENGTHS[doc >> 2] for _, _, doc in index.postings("对账"))
    assert lead > plain


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_cold_write_is_deterministic_and_ordered_by_date_and_source(tmp_path):
    write_index(RECORDS, tmp_path / "one", words=["对账"])
    write_index(list(reversed(RECORDS)), tmp_path / "two", words=["对账"])
    assert files(tmp_path / "one") == files(tmp_path / "two")
    table = decode_shard((tmp_path / "one" / shard_path(shard_of("对账"))).read_bytes())
    last, data = table["对账".encode()]
    # ids: 0 = 2018-01-01 a, 1 = 2018-01-02 a, 2 = 2018-01-02 b
    assert last == 2
    assert [(i, tf) for i, tf, _ in decode_postings(data)] == [(0, 1), (2, 1)]
    assert [p[2] & 3 for p in decode_postings(data)] == [3, 0]  # kind codes: day, qa
    answered = decode_shard((tmp_path / "one" / shard_path(shard_of("\u0001answered"))).read_bytes())
    assert [p[0] for p in decode_postings(answered["\u0001answered".encode()][1])] == [1, 2]


def test_an_update_in_place_gives_the_bytes_of_a_cold_write(tmp_path):
    """Records changed, added and removed: the updated folder equals a cold write of the new
    records, file for file, and only the files those records touch were written."""
    before = [record(f"第{n}天讨论渠道对账和网联，编号{n}", f"2018-01-{n:02d}", f"d{n}") for n in range(1, 9)]
    after = before[:3] + [record("第4天改了：备付金", "2018-01-04", "d4")] + before[4:7] + \
        [record("新的一天：断直连以后代扣怎么办", "2018-01-20", "d20")]
    write_index(before, tmp_path / "old", words=["对账"])
    done = write_index(after, tmp_path / "new", words=["对账"], previous=tmp_path / "old")
    write_index(after, tmp_path / "cold", words=["对账"])
    assert not done.cold and files(tmp_path / "new") == files(tmp_path / "cold")
    assert done.rewritten < done.files
    # The previous folder is left as it was (its files were linked, then replaced, never written through).
    assert (tmp_path / "old" / "r" / "0" / "3.json").read_text(encoding="utf-8").count("编号4") == 1


def test_appending_a_later_day_in_place_equals_a_cold_build(fixtures, tmp_path, monkeypatch):
    """The site fixtures with their last day held back, indexed; the day added and the index
    updated in place: every file under search/ is the cold build's, and few were rewritten.
    (A day is a third of the fixtures' records, where write_index would write cold: made to update.)"""
    from chatmine.search import write

    monkeypatch.setattr(write, "UPDATE_SHARE", 1.0)
    from chatmine.analyse.archives import analyse_archives
    from chatmine.read.config import load_config
    from chatmine.publish.pages import build_model
    from chatmine.publish.site import search_records
    import shutil

    archive = tmp_path / "archive"
    shutil.copytree(fixtures / "site", archive)
    days = sorted(archive.rglob("*-chat.markdown"), key=lambda p: p.name)
    last = days[-1]
    held = tmp_path / last.name
    shutil.move(last, held)

    def records():
        result = analyse_archives([archive], cache_dir=tmp_path / "cache")
        return search_records(build_model(result.threads, result.logs, load_config([archive])))

    first = records()
    write_index(first, tmp_path / "search", words=["对账"])
    inodes = {p: p.stat().st_ino for p in (tmp_path / "search" / "r").rglob("*.json")}
    ids_before = [r.url for r in sorted(first, key=lambda r: (r.date, r.source))]
    shutil.move(held, last)
    second = records()
    done = write_index(second, tmp_path / "search", words=["对账"], previous=tmp_path / "search")
    write_index(second, tmp_path / "cold", words=["对账"])
    assert not done.cold and files(tmp_path / "search") == files(tmp_path / "cold")
    ids_after = [r.url for r in sorted(second, key=lambda r: (r.date, r.source))]
    assert ids_after[: len(ids_before)] == ids_before, "appending a later day keeps every id"
    # Only the new day's record files are written; its terms touch most of the 1,024 shards of an
    # archive this small (the whole corpus: test_whole_corpus_new_day_updates_in_place).
    old = {r.url: r.display() for r in first}
    new_or_changed = [r for r in second if old.get(r.url) != r.display()]
    written = [p for p in (tmp_path / "search" / "r").rglob("*.json") if inodes.get(p) != p.stat().st_ino]
    assert 0 < len(written) == len(new_or_changed) < len(second) / 2, (len(written), len(new_or_changed))
    assert all(r.source == last.relative_to(archive).as_posix() for r in new_or_changed)
    assert done.rewritten < done.files
