"""The per-file stage: cached by content, the same in worker processes as in one."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from chatmine.analyse import prepare
from chatmine.store.export import thread_record
from chatmine.read.sources import find_logs


@pytest.fixture
def archive(tmp_path, fixtures) -> Path:
    shutil.copytree(fixtures / "site", tmp_path / "archive")
    return tmp_path / "archive"


def records(prepared) -> list[str]:
    return [json.dumps(thread_record(t), ensure_ascii=False, sort_keys=True)
            for p in prepared if p.log for t in p.part.threads]


def test_second_run_reads_every_file_from_the_cache(archive, tmp_path, monkeypatch):
    files = find_logs([archive], [])
    first = prepare.prepare_files(files, tmp_path / "cache")
    monkeypatch.setattr(prepare, "prepare", lambda *a: pytest.fail("parsed again"))
    again = prepare.prepare_files(files, tmp_path / "cache")
    assert records(again) == records(first) and len(again) == len(files)


def test_a_changed_file_is_parsed_again_and_a_damaged_cache_file_is_a_miss(archive, tmp_path):
    files = find_logs([archive], [])
    prepare.prepare_files(files, tmp_path / "cache")
    for cached in (tmp_path / "cache").rglob("*.pickle"):
        cached.write_bytes(b"not a pickle")
    day = archive / "prodarch" / "2018-03-29-chat.markdown"
    day.write_text(day.read_text(encoding="utf-8") + "\n> 23:59:00  新来的-某行-产品-上海\n   \n请问日切怎么处理？\n   \n",
                   encoding="utf-8")
    done = prepare.prepare_files(find_logs([archive], []), tmp_path / "cache")
    texts = [m.text for p in done if p.log for m in p.log.messages]
    assert "请问日切怎么处理？" in texts


def test_workers_give_what_one_process_gives(archive, tmp_path, monkeypatch):
    files = find_logs([archive], [])
    serial = prepare.prepare_files(files, tmp_path / "one", workers=1)
    monkeypatch.setattr(prepare, "MIN_PARALLEL", 1)
    parallel = prepare.prepare_files(files, tmp_path / "two", workers=2)
    assert records(parallel) == records(serial)
    assert [[str(x) for x in p.problems] for p in parallel] == [[str(x) for x in p.problems] for p in serial]


def test_an_unreadable_file_is_a_problem_not_a_crash(tmp_path):
    folder = tmp_path / "a" / "prodarch"
    folder.mkdir(parents=True)
    (folder / "2018-01-01-chat.markdown").write_bytes(b"\x00\x01binary\x00")
    done = prepare.prepare_files(find_logs([tmp_path / "a"], []), tmp_path / "cache")
    assert done[0].log is None and "2018-01-01-chat.markdown" in str(done[0].problems[0])


def test_caches_of_other_chatmine_versions_are_removed(archive, tmp_path, monkeypatch):
    files = find_logs([archive], [])
    monkeypatch.setattr(prepare, "code_version", lambda: "old")
    prepare.prepare_files(files, tmp_path / "cache")
    monkeypatch.setattr(prepare, "code_version", lambda: "new")
    prepare.prepare_files(files, tmp_path / "cache")
    assert [p.name for p in (tmp_path / "cache" / "files").iterdir()] == ["new"]
