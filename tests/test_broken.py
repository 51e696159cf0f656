"""Broken input (issue 6): one clear line per broken file, nothing lost, the rest still builds.

Fixtures: tests/fixtures/broken/ (see its README); the 10 MB single line is made here.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from chatmine.read.parse import parse_file

BROKEN = Path(__file__).resolve().parent / "fixtures" / "broken"
REFERENCE = "2018-03-11-same-day.markdown"
READABLE = ["2018-03-04-gb18030", "2018-03-05-utf16-bom", "2018-03-06-utf8-bom", "2018-03-07-crlf"]
HUGE = "2018-03-13-ten-megabyte-line"
HUGE_TEXT = "对账" * (5 * 1024 * 1024)  # 10,485,760 characters on one line

# file stem -> (severity, line or None, words the one line must say)
EXPECTED = {
    "2018-03-01-truncated-mid-message": ("error", 39, "mid-message"),
    "2018-03-02-truncated-mid-front-matter": ("error", 1, "front matter is not closed"),
    "2018-03-03-binary": ("error", None, "binary"),
    "2018-03-08-empty": ("error", None, "empty"),
    "2018-03-10-impossible-time": ("warning", 17, "impossible time 25:61:00"),
    "2018-03-11-same-day": ("warning", None, "same group and day"),
    "2018-03-12-bad-front-matter": ("warning", 5, "invalid YAML"),
    HUGE: ("warning", 6, "10,485,760 characters"),
}
PROBLEM = re.compile(r"^(?P<path>.+?\.markdown)(?::(?P<line>\d+))?: (?P<severity>error|warning): (?P<reason>.+)$")


def run(*args):
    return subprocess.run([sys.executable, "-m", "chatmine", *map(str, args)], capture_output=True, text=True)


def messages(log) -> list[tuple]:
    return [(m.line, m.time, m.speaker, m.text) for m in log.messages]


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    """Every broken fixture, the generated 10 MB line and one good real log, in one group."""
    root = tmp_path_factory.mktemp("broken") / "archive"
    folder = root / "prodarch"
    folder.mkdir(parents=True)
    for path in BROKEN.glob("*.markdown"):
        shutil.copy(path, folder / path.name)
    shutil.copy(Path(__file__).resolve().parent.parent / "seeds" / "prodarch" / "2018-02-24-chat.markdown",
                folder / "2018-02-24-chat.markdown")
    (folder / f"{HUGE}.markdown").write_text(
        f"---\ndate: 2018-03-13\n---\n> 09:00:00  甲\n   \n{HUGE_TEXT}\n   \n", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def checked(archive):
    return run("check", archive)


def problems_of(stdout: str) -> list[re.Match]:
    return [m for m in map(PROBLEM.match, stdout.splitlines()) if m]


def test_check_exits_1_without_a_traceback(checked):
    assert checked.returncode == 1
    assert "Traceback" not in checked.stdout + checked.stderr


@pytest.mark.parametrize("stem", EXPECTED)
def test_each_broken_file_gets_one_clear_line_naming_file_and_line(checked, stem):
    severity, line, words = EXPECTED[stem]
    mine = [p for p in problems_of(checked.stdout) if Path(p["path"]).stem == stem]
    clear = [p for p in mine if words in p["reason"]]
    assert len(clear) == 1, checked.stdout
    assert clear[0]["severity"] == severity
    assert clear[0]["line"] == (str(line) if line else None)
    assert len(mine) == 1 or stem == "2018-03-12-bad-front-matter", mine  # its date is bad too


def test_good_and_readable_files_have_no_problem_line(checked):
    quiet = READABLE + ["2018-03-09-front-matter-only", "2018-02-24-chat"]
    named = {Path(p["path"]).stem for p in problems_of(checked.stdout)}
    assert not named & set(quiet), checked.stdout
    for stem in quiet:
        assert re.search(rf"^prodarch/{stem}\.markdown: prodarch \d{{4}}-\d\d-\d\d ", checked.stdout, re.M)


@pytest.mark.parametrize("stem", READABLE)
def test_readable_encodings_lose_nothing(stem):
    reference = parse_file(BROKEN / REFERENCE, BROKEN)
    parsed = parse_file(BROKEN / f"{stem}.markdown", BROKEN)
    assert messages(parsed.log) == messages(reference.log) and len(parsed.log.messages) == 7
    assert (parsed.log.author, parsed.log.tags, parsed.log.layout) == ("PaymentGroup", ["chat"], "source")
    assert parsed.log.title == f"{stem[:10]}-WeChat" and str(parsed.log.date) == stem[:10]
    assert not parsed.problems


def test_truncated_message_keeps_every_message_and_the_partial_text():
    parsed = parse_file(BROKEN / "2018-03-01-truncated-mid-message.markdown", BROKEN)
    raw = (BROKEN / "2018-03-01-truncated-mid-message.markdown").read_text("utf-8")
    assert len(parsed.log.messages) == raw.count("\n> ") == 8
    assert raw.endswith(parsed.log.messages[-1].text) and parsed.log.messages[-1].text.startswith("@")


def test_impossible_time_is_kept_without_a_timestamp():
    log = parse_file(BROKEN / "2018-03-10-impossible-time.markdown", BROKEN).log
    odd = [m for m in log.messages if m.time == "25:61:00"]
    assert len(log.messages) == 7 and len(odd) == 1 and odd[0].datetime is None and odd[0].line == 17


def test_bad_front_matter_falls_back_to_the_file_name_date():
    parsed = parse_file(BROKEN / "2018-03-12-bad-front-matter.markdown", BROKEN)
    assert str(parsed.log.date) == "2018-03-12" and len(parsed.log.messages) == 7
    assert parsed.log.title == "2018-03-12-WeChat"


@pytest.fixture(scope="module")
def exported(archive, tmp_path_factory):
    out = tmp_path_factory.mktemp("export") / "threads.jsonl"
    result = run("export", archive, "-o", out)
    return result, [json.loads(line) for line in out.read_text("utf-8").splitlines()]


def test_export_carries_every_readable_message_and_exits_1(exported, archive):
    result, records = exported
    assert result.returncode == 1
    per_source: dict[str, int] = {}
    for record in records:
        per_source[record["source"]] = per_source.get(record["source"], 0) + len(record["messages"])
    expected = {
        "prodarch/2018-03-01-truncated-mid-message.markdown": 8,
        "prodarch/2018-03-11-same-day.markdown": 7,
        "prodarch/2018-03-11-same-day-again.markdown": 7,
        "prodarch/2018-03-10-impossible-time.markdown": 7,
        f"prodarch/{HUGE}.markdown": 1,
        **{f"prodarch/{stem}.markdown": 7 for stem in READABLE},
    }
    for source, count in expected.items():
        assert per_source.get(source) == count, source
    good = (archive / "prodarch" / "2018-02-24-chat.markdown").read_text("utf-8").count("\n> ")
    assert per_source["prodarch/2018-02-24-chat.markdown"] == good
    huge = [m for r in records if r["source"].endswith(f"{HUGE}.markdown") for m in r["messages"]]
    assert huge[0]["text"] == HUGE_TEXT


def test_the_rest_of_the_archive_still_builds(archive, tmp_path_factory):
    out = tmp_path_factory.mktemp("site") / "_site"
    result = run("build", archive, "-o", out, "--base-url", "https://pay.example.org/")
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert (out / "index.html").is_file() and (out / "feed.xml").is_file()
    sitemap = (out / "sitemap.xml").read_text("utf-8")
    assert "https://pay.example.org/day/" in sitemap
    days = sorted(p.name for p in (out / "day").rglob("*.html"))
    # Day pages: every file that was read and has messages (11 of them), the same day twice included.
    assert len(days) == 11, days
    assert sum("same-day" in name for name in days) == 2
    assert all(name in sitemap for name in days)
    assert any(HUGE_TEXT[:1000] in p.read_text("utf-8") for p in (out / "day").rglob("*ten-megabyte*"))
