"""The command line: help everywhere, one line per broken file, exit 1, good logs whole."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from chatmine.cli import COMMANDS, main


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "chatmine", *map(str, args)], capture_output=True, text=True, cwd=cwd)


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_every_command_has_help(command):
    result = run(*([command] if command else []), "--help")
    assert result.returncode == 0 and "usage: chatmine" in result.stdout and "Example" in result.stdout


@pytest.fixture
def mixed(tmp_path, fixtures):
    """One good log and a handful of broken ones, the way a maintainer's folder goes wrong."""
    folder = tmp_path / "archive" / "prodarch"
    folder.mkdir(parents=True)
    shutil.copy(fixtures / "log_tab_in_front_matter.markdown", folder / "2018-02-01-chat.markdown")
    (folder / "2018-02-02-chat.markdown").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00binary")
    (folder / "2018-02-03-chat.markdown").write_bytes(b"")
    (folder / "2018-02-04-chat.markdown").write_text("---\nlayout: source\ntitle: x\n> 09:00:00  a\n   \nhi\n   \n")
    (folder / "2018-02-05-chat.markdown").write_text("---\ndate: 2018-02-05\n---\n> 09:00:00  a\n   \n说到一半")
    (folder / "2018-02-06-chat.markdown").write_bytes(b"\xff\xfe\xff\xff\x00\xd8")
    return tmp_path / "archive"


def test_check_prints_one_line_per_broken_file_and_exits_1(mixed):
    result = run("check", mixed)
    assert result.returncode == 1
    errors = [line for line in result.stdout.splitlines() if ": error: " in line]
    assert len(errors) == 5, result.stdout
    for day in ("02", "03", "04", "05", "06"):
        assert sum(f"2018-02-{day}-chat.markdown" in line for line in errors) == 1
    assert any("2018-02-04-chat.markdown:1: error: front matter is not closed" in e for e in errors)
    assert "Traceback" not in result.stdout + result.stderr


def test_export_still_carries_the_good_log_whole(mixed, fixtures):
    result = run("export", mixed)
    assert result.returncode == 1
    records = [json.loads(line) for line in result.stdout.splitlines()]
    good = [r for r in records if r["source"] == "prodarch/2018-02-01-chat.markdown"]
    assert good and good[0]["group"] == "prodarch" and good[0]["date"] == "2018-02-01"
    messages = [m for r in good for m in r["messages"]]
    expected = (fixtures / "log_tab_in_front_matter.markdown").read_text().count("\n> ")
    assert len(messages) == expected and len({m["line"] for m in messages}) == expected
    assert set(messages[0]) >= {"line", "time", "speaker", "text"}


def test_missing_path_is_one_line_and_status_1(tmp_path):
    result = run("check", tmp_path / "nope")
    assert result.returncode == 1 and "nope: error: no such file or folder" in result.stdout


def test_export_default_archive_keeps_every_seed_message(seeds, capsys):
    assert main(["export"]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    expected = sum(p.read_text().count("\n> ") for p in seeds.rglob("*.markdown") if "wechat" not in p.parts)
    assert sum(len(r["messages"]) for r in records if r["group"] != "wechat") == expected


def test_export_tells_questions_from_discussions(seeds, capsys):
    """Each Q&A says whether its first message asks or is a statement that opened a discussion."""
    assert main(["export"]) == 0
    qa = [q for line in capsys.readouterr().out.splitlines() for q in json.loads(line)["qa"]]
    assert {type(q["asks"]) for q in qa} == {bool}
    assert sum(q["asks"] for q in qa) > sum(not q["asks"] for q in qa) > 0
    assert all(q["answers"] for q in qa if not q["asks"] and q["page"]), "a discussion page lists its replies"


def test_export_says_which_thread_each_follows_in_its_conversation(seeds, capsys):
    """A conversation is a thread per question: each names the one before it ('' for the first)."""
    assert main(["export"]) == 0
    records = {r["id"]: r for r in map(json.loads, capsys.readouterr().out.splitlines())}
    following = [r for r in records.values() if r["follows"]]
    assert len(following) > 50 and all(r["follows"] == "" for r in records.values() if r not in following)
    for r in following:
        before = records[r["follows"]]
        assert before["source"] == r["source"] and before["messages"][0]["line"] < r["messages"][0]["line"]


def test_export_whole_corpus_keeps_every_header(corpus, tmp_path):
    out = tmp_path / "all.jsonl"
    result = run("export", corpus, "-o", out)
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert sum(len(r["messages"]) for r in records if r["group"] != "wechat") == 106180
    ids = [r["id"] for r in records]
    assert len(ids) == len(set(ids))


def test_version_and_python_m():
    from chatmine import __version__

    result = run("--version")
    assert result.returncode == 0 and result.stdout.strip() == f"chatmine {__version__}"


def test_an_unexpected_failure_is_one_line_unless_debug(monkeypatch, capsys):
    def broken(args):
        raise RuntimeError("template exploded")

    monkeypatch.setitem(COMMANDS, "check", broken)
    assert main(["check"]) == 1
    err = capsys.readouterr().err
    assert err == "chatmine: check failed: RuntimeError: template exploded (chatmine --debug shows where)\n"
    with pytest.raises(RuntimeError):
        main(["check", "--debug"])


def test_without_base_url_no_sitemap_or_feed_and_one_warning(tmp_path, fixtures):
    out = tmp_path / "_site"
    result = run("build", fixtures / "site", "-o", out, "--cache-dir", tmp_path / "cache")
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if "warning" in line]
    assert warnings == [f"{out}: warning: no base_url: sitemap.xml and feed.xml left out, they need "
                        "absolute URLs (set base_url in chatmine.toml or pass --base-url)"]
    assert (out / "index.html").is_file()
    assert not (out / "sitemap.xml").exists() and not (out / "feed.xml").exists()
    assert "feed.xml" not in (out / "index.html").read_text("utf-8")


def test_quiet_prints_only_problems_verbose_says_each_stage(tmp_path, fixtures):
    args = ("build", fixtures / "site", "-o", tmp_path / "_site", "--cache-dir", tmp_path / "cache",
            "--base-url", "https://pay.example.org/")
    quiet = run(*args, "-q")
    assert quiet.returncode == 0 and quiet.stderr == "" and quiet.stdout == ""
    verbose = run(*args, "-v")
    stages = [line.split()[0] for line in verbose.stderr.splitlines()]
    assert stages[:3] == ["read", "analysed", "rendered"] and stages[-1] == "built"
