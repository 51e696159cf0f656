"""`chatmine import`: each exporter's file becomes day logs that chatmine reads back message for message."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from chatmine.cli import main
from chatmine.importing import read_export
from chatmine.importing.detect import detect_format
from chatmine.importing.records import SKIPPED_BY_DEFAULT

IMPORT = Path(__file__).resolve().parent / "fixtures" / "import"
SHANGHAI = ZoneInfo("Asia/Shanghai")

GROUPS = {
    "chatlab_group_every_kind.json": "chatlab",
    "chatlab_jsonl_group.jsonl": "chatlab-jsonl",
    "chatlog_group_every_kind.json": "chatlog-json",
    "chatlog_group_every_kind.csv": "chatlog-csv",
    "chatlog_one_day_2024-03-05.txt": "chatlog-text",
    "memotrace_group_every_kind.csv": "memotrace-csv",
    "memotrace_group_every_kind.txt": "memotrace-txt",
    "pywxdump_group/43210987@chatroom_0_5001.csv": "pywxdump-csv",
}
PRIVATE = ["chatlab_private_chat.json", "chatlog_private_chat.json", "chatlog_private_chat.csv",
           "chatlog_private_chat.txt", "memotrace_private_chat.csv", "memotrace_private_chat.txt",
           "pywxdump_private_chat.csv"]


@pytest.fixture
def archive(tmp_path) -> Path:
    folder = tmp_path / "archive"
    folder.mkdir()
    return folder


def run_import(capsys, archive: Path, *exports: str, group: str = "proddev", extra: tuple = ()) -> tuple[int, str, str]:
    status = main(["import", *(str(IMPORT / e) for e in exports), "--into", str(archive), "--group", group, *extra])
    out = capsys.readouterr()
    return status, out.out, out.err


def exported(capsys, archive: Path) -> list[tuple[str, str, str, str]]:
    """(date, time, speaker, text) of every message `chatmine export` gives, once each."""
    assert main(["export", str(archive)]) == 0
    seen = {}
    for line in capsys.readouterr().out.splitlines():
        record = json.loads(line)
        for m in record["messages"]:
            seen[(record["source"], m["line"])] = (record["date"], m["time"], m["speaker"], m["text"])
    return sorted(seen.values())


def expected(*exports: str, zone=SHANGHAI, keep_system: bool = False) -> list[tuple[str, str, str, str]]:
    kept = [r for e in exports for r in read_export(IMPORT / e, "auto", zone)
            if r.text and (keep_system or r.kind not in SKIPPED_BY_DEFAULT)]
    return sorted((r.when.astimezone(zone).date().isoformat(), r.when.astimezone(zone).strftime("%H:%M:%S"),
                   r.speaker, r.text) for r in kept)


def blocks(text: str) -> list[str]:
    """A day log's message blocks, each from its header line to the next one."""
    return re.split(r"(?m)^(?=> \d)", text)[1:]


def snapshot(archive: Path) -> dict[str, bytes]:
    return {p.relative_to(archive).as_posix(): p.read_bytes() for p in sorted(archive.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("export", GROUPS)
def test_each_format_is_told_from_the_file(export):
    path = IMPORT / export
    assert detect_format(path.read_bytes().decode("utf-8-sig"), str(path)) == GROUPS[export]


@pytest.mark.parametrize("export", GROUPS)
def test_each_format_round_trips_through_check_and_export(export, archive, capsys):
    status, out, err = run_import(capsys, archive, export)
    assert status == 0, err
    records = read_export(IMPORT / export, "auto", SHANGHAI)
    added = sum(int(line.split(", ")[1].split()[0]) for line in out.splitlines()[:-1])
    skipped = sum(r.kind in SKIPPED_BY_DEFAULT or not r.text for r in records)
    assert added + skipped == len(records), out  # every message accounted for
    assert main(["check", str(archive)]) == 0
    assert "0 warnings, 0 errors" in capsys.readouterr().out
    assert exported(capsys, archive) == expected(export)


def test_every_chatlab_kind_is_shown_the_archive_way(archive, capsys):
    assert run_import(capsys, archive, "chatlab_group_every_kind.json")[0] == 0
    texts = [text for _, _, _, text in exported(capsys, archive)]
    assert texts == [
        "各位早，请教一下：渠道对账文件T+1到了之后，长款一般怎么挂账？",
        "我们是先挂待核实，T+3还对不平就走差错流程。\n差错单要风控复核。",
        "[图片]", "[语音]", "[视频]",
        "[差错处理规程-v2.pdf]()",
        "[动画表情]",
        "[备付金集中存管之后的对账变化](https://pay.example.org/articles/42)",
        "[位置] 上海市浦东新区世纪大道100号",
        "[红包]", "[转账] ￥8.88", "[通话]", "[分享] 清算日历",
        "「林结算-海川银行-架构-深圳：我们是先挂待核实，T+3还对不平就走差错流程。 差错单要风控复核。」"
        " - - - - - - - - - - - - - - - 挂待核实的话，会计科目用哪个？",
        "[聊天记录] 差错处理讨论", "[名片]", "[投票] 长款挂账方式",
    ]


def test_the_speaker_is_the_group_nickname_else_the_account_name(archive, capsys):
    run_import(capsys, archive, "chatlab_group_every_kind.json")
    speakers = {speaker for _, _, speaker, _ in exported(capsys, archive)}
    assert speakers == {"陈对账-星河支付-产品-上海", "林结算-海川银行-架构-深圳", "吴风控"}


def test_the_written_day_log_has_the_archive_layout(archive, capsys):
    run_import(capsys, archive, "chatlab_jsonl_group.jsonl")
    text = (archive / "proddev" / "2024-03-05-chat.markdown").read_text(encoding="utf-8")
    assert text.startswith('---\nlayout:     source \ntitle:      "2024-03-05-WeChat"\ndate:       2024-03-05 12:00:00\n'
                           "author:     PaymentGroup\nlines:      4 \ntag:\t\t  [chat]\n---\n"
                           "> 09:00:01  陈对账-星河支付-产品-上海  \n   \n"
                           "各位早，请教一下：渠道对账文件T+1到了之后，长款一般怎么挂账？  \n   \n"
                           "> 09:02:15  林结算-海川银行-架构-深圳  \n   \n"
                           "我们是先挂待核实，T+3还对不平就走差错流程。  \n差错单要风控复核。  \n   \n")


@pytest.mark.parametrize("export", PRIVATE)
def test_a_private_chat_is_refused_with_one_line(export, archive, capsys):
    status, out, err = run_import(capsys, archive, export)
    assert status == 1 and out == ""
    lines = err.splitlines()
    assert len(lines) == 2 and export in lines[0] and "private chat" in lines[0] and "group chats only" in lines[0]
    assert lines[1] == "chatmine: nothing imported" and "Traceback" not in err
    assert snapshot(archive) == {}


@pytest.mark.parametrize("export, where", [
    ("chatlab_malformed_record.json", "chatlab_malformed_record.json: record 2: time '昨天上午' is not Unix seconds"),
    ("chatlog_malformed_record.csv", "chatlog_malformed_record.csv:3: record 2: time '2024-03-05 25:61:00'"),
    ("chatlog_time_without_date.txt", "chatlog_time_without_date.txt:1: record 1: time '09:00:01' has no year"),
    ("chatlab_jsonl_malformed_record.jsonl", "chatlab_jsonl_malformed_record.jsonl:6: not valid JSON"),
    ("memotrace_malformed_record.csv", "memotrace_malformed_record.csv:3: record 2: 9 fields, not 12"),
    ("pywxdump_malformed_record.csv", "pywxdump_malformed_record.csv:3: record 2: time '2024/03/05 11:01'"),
])
def test_a_bad_record_is_one_line_and_nothing_is_written(export, where, archive, capsys):
    status, out, err = run_import(capsys, archive, "chatlab_group_every_kind.json", export)
    assert status == 1 and out == ""
    assert err.splitlines()[0].startswith("chatmine: ") and where in err.splitlines()[0]
    assert snapshot(archive) == {}, "the good file beside it is not written either"


def test_a_day_crossing_midnight_falls_on_the_days_of_the_archive_zone(archive, tmp_path, capsys):
    assert run_import(capsys, archive, "chatlab_day_crossing_midnight.json")[0] == 0
    days = Counter(day for day, _, _, _ in exported(capsys, archive))
    assert days == {"2024-03-05": 2, "2024-03-06": 2}
    london = tmp_path / "london"
    london.mkdir()
    assert run_import(capsys, london, "chatlab_day_crossing_midnight.json", extra=("--tz", "Europe/London"))[0] == 0
    assert [(d, t) for d, t, _, _ in exported(capsys, london)] == [
        ("2024-03-05", "15:58:00"), ("2024-03-05", "15:59:59"), ("2024-03-05", "16:00:00"), ("2024-03-05", "16:03:00")]


def test_an_exporter_in_another_zone_lands_on_the_archive_day(archive, capsys):
    """chatlog ran in Berlin: 23:50 and 00:10 there are two days there, one morning in Shanghai."""
    assert run_import(capsys, archive, "chatlog_day_crossing_midnight_in_berlin.json")[0] == 0
    assert [(d, t) for d, t, _, _ in exported(capsys, archive)] == [("2024-03-06", "06:50:00"), ("2024-03-06", "07:10:00")]


def test_the_same_chat_from_chatlog_json_and_csv_is_the_same_day(archive, capsys):
    run_import(capsys, archive, "chatlog_group_every_kind.json")
    before = snapshot(archive)
    status, out, _ = run_import(capsys, archive, "chatlog_group_every_kind.csv")
    assert status == 0 and out.startswith("proddev/2024-03-05-chat.markdown: unchanged")
    assert snapshot(archive) == before


def test_importing_the_same_export_twice_changes_no_byte(archive, capsys):
    run_import(capsys, archive, "chatlab_group_every_kind.json")
    before = snapshot(archive)
    status, out, _ = run_import(capsys, archive, "chatlab_group_every_kind.json")
    assert status == 0 and snapshot(archive) == before
    assert out.splitlines()[0] == "proddev/2024-03-05-chat.markdown: unchanged"


def test_an_overlapping_export_adds_only_the_missing_messages_in_time_order(archive, capsys):
    run_import(capsys, archive, "chatlab_group_every_kind.json")
    day = archive / "proddev" / "2024-03-05-chat.markdown"
    before = day.read_text(encoding="utf-8")
    status, out, _ = run_import(capsys, archive, "chatlab_overlapping_second_export.json")
    assert status == 0
    assert out.splitlines()[:2] == ["proddev/2024-03-05-chat.markdown: extended, 2 messages added",
                                    "proddev/2024-03-06-chat.markdown: written, 1 message added"]
    after = day.read_text(encoding="utf-8")
    new_one = "> 09:02:40  吴风控  \n   \n同问，长款超过多少需要上报？  \n   \n"
    last = "> 09:20:00  林结算-海川银行-架构-深圳  \n   \n一般用其他应付款-待清算，月底要清零。  \n   \n"
    assert after == before.replace("> 09:03:00", new_one + "> 09:03:00", 1) + last
    assert exported(capsys, archive) == sorted(set(expected("chatlab_group_every_kind.json",
                                                            "chatlab_overlapping_second_export.json")))


def test_two_overlapping_exports_in_one_run_add_each_message_once(archive, capsys):
    run_import(capsys, archive, "chatlab_group_every_kind.json", "chatlab_overlapping_second_export.json")
    messages = exported(capsys, archive)
    assert len(messages) == len(set(messages)) == 17 + 3


def test_a_maintainers_edits_stay_as_they_are(archive, capsys):
    run_import(capsys, archive, "chatlab_jsonl_group.jsonl")
    day = archive / "proddev" / "2024-03-05-chat.markdown"
    edited = day.read_text(encoding="utf-8").replace("author:     PaymentGroup", "author:     韩财光")
    edited = edited.replace("> 09:03:00  吴风控  \n   \n[图片]  \n",
                            "> 09:03:00  吴风控  \n   \n![2024-03-05 09:03:00](http://static.example.org/a.png) \n")
    edited += "> 08:00:00  我  \n   \n（整理者补记：当天早上的讨论见上一日）  \n   \n"  # out of order, by hand
    day.write_text(edited, encoding="utf-8")
    run_import(capsys, archive, "chatlab_group_every_kind.json")
    after = day.read_text(encoding="utf-8")
    assert after.startswith(edited[: edited.index("> 09:11:00")])
    assert "> 09:03:00  吴风控  \n   \n[图片]  \n" in after, "the image edited by hand is imported again, once"
    kept = iter(blocks(after))
    assert all(block in kept for block in blocks(edited)), "every block there before, in its order, byte for byte"
    run_import(capsys, archive, "chatlab_group_every_kind.json")
    assert day.read_text(encoding="utf-8") == after


def test_a_day_the_archive_has_under_another_name_is_extended(archive, capsys):
    folder = archive / "proddev"
    folder.mkdir()
    day = folder / "2024-03-05-WeChat.markdown"
    day.write_text('---\nlayout:     source \ntitle:      "2024-03-05-WeChat"\ndate:       2024-03-05 12:00:00\n'
                   "author:     PaymentGroup\ntag:\t\t  [chat]\n---\n> 09:00:30  我  \n   \n早  \n   \n", encoding="utf-8")
    status, out, _ = run_import(capsys, archive, "chatlab_jsonl_group.jsonl")
    assert status == 0 and out.startswith("proddev/2024-03-05-WeChat.markdown: extended, 4 messages added")
    assert sorted(p.name for p in folder.iterdir()) == ["2024-03-05-WeChat.markdown"]
    assert day.read_text(encoding="utf-8").index("> 09:00:30") > day.read_text(encoding="utf-8").index("> 09:00:01")


def test_dry_run_says_what_would_change_and_writes_nothing(archive, capsys):
    status, out, _ = run_import(capsys, archive, "chatlab_group_every_kind.json", extra=("--dry-run",))
    assert status == 0 and snapshot(archive) == {}
    assert out.splitlines() == [
        "proddev/2024-03-05-chat.markdown: would be written, 17 messages added",
        "20 messages read, 17 added; days: 1 written, 0 extended, 0 unchanged; skipped: 1 recall, 2 system; "
        "dry run, nothing written",
    ]


def test_keep_system_keeps_notices_and_recalls_marked(archive, capsys):
    status, out, _ = run_import(capsys, archive, "chatlab_group_every_kind.json", extra=("--keep-system",))
    assert status == 0 and "skipped: none" in out
    kept = {(speaker, text) for _, _, speaker, text in exported(capsys, archive)}
    assert ("", '[系统消息] "陈小对" 拍了拍 "林结算"') in kept
    assert ("", '[系统消息] "赵清分"加入了群聊') in kept
    assert ("吴风控", "[撤回] 吴风控撤回了一条消息") in kept
    assert main(["check", str(archive)]) == 0


def test_text_that_looks_like_markup_reads_back_as_written(archive, capsys):
    assert run_import(capsys, archive, "chatlab_text_that_looks_like_markup.json")[0] == 0
    assert exported(capsys, archive) == expected("chatlab_text_that_looks_like_markup.json")
    texts = [text for _, _, _, text in exported(capsys, archive)]
    assert "＞ 09:30:00 这一行像一个消息头\n下一行" in texts
    assert "A&B 通道 <费率>\n\n隔了两个空行" in texts


@pytest.mark.parametrize("args, says", [
    (["--tz", "Mars/Olympus"], "--tz: unknown time zone 'Mars/Olympus'"),
    (["--group", "../elsewhere"], "--group: '../elsewhere' is not a folder name"),
])
def test_bad_options_are_one_line(args, says, archive, capsys):
    argv = ["import", str(IMPORT / "chatlab_jsonl_group.jsonl"), "--into", str(archive), "--group", "proddev", *args]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert says in err and "Traceback" not in err and snapshot(archive) == {}


def test_format_overrides_detection(archive, capsys):
    status, _, err = run_import(capsys, archive, "chatlab_jsonl_group.jsonl", extra=("--format", "chatlog-csv"))
    assert status == 1 and "not chatlog's CSV header" in err


def test_a_build_after_an_import_analyses_only_the_new_day(tmp_path, fixtures, capsys):
    archive = tmp_path / "archive"
    shutil.copytree(fixtures / "site", archive)
    cache = tmp_path / "cache"
    env = {**os.environ, "CHATMINE_CACHE": str(cache), "PYTHONHASHSEED": "0",
           "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}

    def build() -> subprocess.CompletedProcess:
        done = subprocess.run([sys.executable, "-m", "chatmine", "build", str(archive), "-o", str(tmp_path / "site"),
                               "--cache-dir", str(cache)], capture_output=True, text=True, env=env)
        assert done.returncode == 0, done.stderr
        return done

    build()
    analysed = set(cache.rglob("*.pickle"))
    assert run_import(capsys, archive, "chatlab_jsonl_group.jsonl", group="prodarch")[0] == 0
    again = build()
    new = set(cache.rglob("*.pickle")) - analysed
    assert len([p for p in new if p.parent.parent.name == "files"]) == 1, sorted(p.name for p in new)
    assert "unchanged pages kept" in again.stderr


@pytest.mark.parametrize("kind, args, shown", [
    ("file", {"name": "费率表 [终版].xlsx"}, "[费率表 (终版).xlsx]()"),
    ("file", {}, "[文件]"),
    ("link", {"name": "清算规则", "url": "https://pay.example.org/a"}, "[清算规则](https://pay.example.org/a)"),
    ("link", {"name": "清算规则"}, "[链接] 清算规则"),
    ("quote", {"text": "收到", "quoted_name": "林结算", "quoted": "今晚\n日切"}, "「林结算：今晚 日切」 - - - - - - - - - - - - - - - 收到"),
    ("quote", {"text": "收到"}, "收到"),
    ("location", {"name": "  上海\n陆家嘴 "}, "[位置] 上海 陆家嘴"),
    ("system", {"text": "\"赵清分\"加入了群聊"}, "[系统消息] \"赵清分\"加入了群聊"),
])
def test_render_shows_each_kind_the_archive_way(kind, args, shown):
    from chatmine.importing.records import render

    assert render(kind, **args) == shown


def test_weflow_links_and_media_paths_are_shown_the_archive_way(archive, capsys):
    """WeFlow writes a link card as markdown and a sent file or picture as the path it copied it to."""
    assert run_import(capsys, archive, "chatlab_weflow_links_and_media_paths.json")[0] == 0
    assert [text for _, _, _, text in exported(capsys, archive)] == [
        "[网联清算规则（2024）](https://pay.example.org/nucc-rules)",
        "[对账差异明细.xlsx]()",
        "[图片]",
        "「林结算：[网联清算规则（2024）](https://pay.example.org/nucc-rules)」 - - - - - - - - - - - - - - - 这个规则里差错时限是几天？",
    ]


def test_every_seed_message_written_as_a_day_log_reads_back_as_itself(seeds):
    """The writer and chatmine's parser agree on real text: mentions, emoji codes, images, files
    and links, entities, odd spaces (the whole corpus too: 105,952 messages, measured 2026-12-07)."""
    from chatmine.importing.daylog import day_messages, new_day
    from chatmine.importing.records import make_record
    from chatmine.read.parse import parse_file, parse_text

    for path in sorted(seeds.rglob("*-chat.markdown")):
        log = parse_file(path).log
        records = [make_record(m.datetime.replace(tzinfo=SHANGHAI), m.speaker, m.text, "text", str(path), i)
                   for i, m in enumerate(log.messages, 1) if m.datetime]
        messages = day_messages([r for r in records if r.text], SHANGHAI)
        back = parse_text(new_day(log.date, messages), "proddev/day.markdown")
        assert [(m.time, m.speaker, m.text) for m in back.log.messages] == [m.key for m in messages], path
        assert back.problems == [], path


def test_the_cli_offers_every_reader():
    """cli.py spells the --format names out so `chatmine --help` need not import the readers."""
    from chatmine.cli import IMPORT_FORMATS
    from chatmine.importing import FORMATS

    assert IMPORT_FORMATS == FORMATS
