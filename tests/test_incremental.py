"""Incremental builds: a new day costs little, and the site is the one a cold build makes."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

def build(archive: Path, site: Path, cache: Path, *extra: str, seed: str = "0") -> subprocess.CompletedProcess:
    env = {**os.environ, "CHATMINE_CACHE": str(cache), "PYTHONHASHSEED": seed}
    done = subprocess.run([sys.executable, "-m", "chatmine", "build", str(archive), "-o", str(site), *extra],
                          capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    return done


def files(site: Path) -> dict[str, bytes]:
    out = {}
    for path in sorted(site.rglob("*")):
        rel = path.relative_to(site).as_posix()
        if path.is_file():
            out[rel] = path.read_bytes()
    return out


def assert_same_site(a: Path, b: Path) -> None:
    left, right = files(a), files(b)
    assert sorted(left) == sorted(right)
    differ = [name for name in left if left[name] != right[name]]
    assert not differ, differ[:10]


@pytest.fixture
def archive(tmp_path, fixtures) -> Path:
    shutil.copytree(fixtures / "site", tmp_path / "archive")
    return tmp_path / "archive"


def test_adding_a_day_gives_the_site_a_cold_build_gives(archive, tmp_path):
    day = archive / "prodarch" / "2018-03-29-chat.markdown"
    held = tmp_path / day.name
    shutil.move(day, held)
    build(archive, tmp_path / "site", tmp_path / "cache", seed="1")
    shutil.move(held, day)
    incremental = build(archive, tmp_path / "site", tmp_path / "cache", seed="2")
    assert "unchanged pages kept" in incremental.stderr, incremental.stderr
    build(archive, tmp_path / "cold", tmp_path / "fresh-cache", "--rebuild", seed="3")
    assert_same_site(tmp_path / "site", tmp_path / "cold")


def test_editing_a_message_rerenders_its_pages(archive, tmp_path):
    build(archive, tmp_path / "site", tmp_path / "cache")
    day = archive / "proddev" / "2017-08-15-chat.markdown"
    text = day.read_text(encoding="utf-8")
    edited = text.replace("对账", "对帐", 1)
    assert edited != text
    day.write_text(edited, encoding="utf-8")
    build(archive, tmp_path / "site", tmp_path / "cache")
    build(archive, tmp_path / "cold", tmp_path / "fresh-cache", "--rebuild")
    assert_same_site(tmp_path / "site", tmp_path / "cold")
    assert any("对帐" in p.read_text(encoding="utf-8") for p in (tmp_path / "site" / "day").rglob("*.html"))


def test_nothing_changed_keeps_every_page_and_the_search_index(archive, tmp_path):
    build(archive, tmp_path / "site", tmp_path / "cache")
    index = tmp_path / "site" / "search"
    before = {p.relative_to(index): (p.read_bytes(), p.stat().st_ino) for p in index.rglob("*") if p.is_file()}
    again = build(archive, tmp_path / "site", tmp_path / "cache")
    after = {p.relative_to(index): (p.read_bytes(), p.stat().st_ino) for p in index.rglob("*") if p.is_file()}
    assert {k: v[0] for k, v in before.items()} == {k: v[0] for k, v in after.items()}
    # Linked from the previous site, not written again: only meta, words and state are.
    rewritten = [str(k) for k in before if before[k][1] != after[k][1]]
    assert sorted(rewritten) == ["meta.json", "state.json", "words.json"], rewritten
    assert "unchanged pages kept" in again.stderr


def test_whole_corpus_new_day_equals_cold_build(corpus, tmp_path):
    archive = tmp_path / "archive"
    shutil.copytree(corpus, archive)
    day = max(archive.rglob("*-chat.markdown"), key=lambda p: p.name)
    held = tmp_path / day.name
    shutil.move(day, held)
    build(archive, tmp_path / "site", tmp_path / "cache")
    shutil.move(held, day)
    build(archive, tmp_path / "site", tmp_path / "cache")
    build(archive, tmp_path / "cold", tmp_path / "fresh-cache", "--rebuild")
    assert_same_site(tmp_path / "site", tmp_path / "cold")


def test_pages_rendered_by_two_processes_are_those_one_writes(archive, tmp_path, monkeypatch):
    """site.write_pages forks a second renderer on Linux (from MIN_PARALLEL pages): the same
    files, manifest included, as one process writes them all."""
    from chatmine.analyse.archives import analyse_archives
    from chatmine.publish import site
    from chatmine.read.config import load_config

    analysis = analyse_archives([archive], tmp_path / "cache")
    config = load_config([archive])
    monkeypatch.setattr(site, "MIN_PARALLEL", 10**9)
    one = site.render_site(analysis.threads, analysis.logs, config, tmp_path / "one")
    monkeypatch.setattr(site, "MIN_PARALLEL", 1)
    two = site.render_site(analysis.threads, analysis.logs, config, tmp_path / "two")
    assert site.workers.can_fork() and one.pages == two.pages > 100
    assert_same_site(tmp_path / "one", tmp_path / "two")


def test_a_file_whose_kept_tags_no_longer_fit_is_tagged_and_kept_again(archive, tmp_path):
    """Kept topic tags are checked against the file's threads; a file whose tags do not fit them
    is tagged again, and its tags are kept for the next run (not tagged again every run)."""
    import pickle

    from chatmine.analyse.archives import analyse_archives

    cache = tmp_path / "cache"
    first = analyse_archives([archive], cache_dir=cache)
    (kept,) = (cache / "tags").glob("*.pickle")
    tags = pickle.loads(kept.read_bytes())
    name = sorted(tags)[0]
    tags[name] = [("not-a-thread", *tag[1:]) for tag in tags[name]]
    kept.write_bytes(pickle.dumps(tags))
    again = analyse_archives([archive], cache_dir=cache)
    assert [(t.id, t.topics, t.cluster) for t in again.threads] == [(t.id, t.topics, t.cluster) for t in first.threads]
    mended = pickle.loads(kept.read_bytes())
    assert all(tag[0] != "not-a-thread" for tag in mended[name])
