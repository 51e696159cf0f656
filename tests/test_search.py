"""`chatmine search`: the site's search records ranked, with date, group, asker, a marked snippet and file:line."""
from __future__ import annotations

import json
from types import SimpleNamespace
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from chatmine.search.terminal import _hit, best_snippet
from chatmine.search.query import parse
from chatmine.search.terms import index_terms


def run(*args, env=None):
    return subprocess.run([sys.executable, "-m", "chatmine", "search", *map(str, args)],
                          capture_output=True, text=True, env={**os.environ, **(env or {})})


@pytest.fixture
def archive(tmp_path, fixtures) -> Path:
    """The site fixtures (four real days and an article), copied so a test may add files."""
    shutil.copytree(fixtures / "site", tmp_path / "archive")
    return tmp_path / "archive"


def results(*args, **kw) -> list[dict]:
    done = run(*args, "--json", **kw)
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


def test_index_terms_are_bigrams_of_han_runs():
    assert index_terms("渠道对账T+1") == ["渠道", "道对", "对账", "t", "1"]
    assert index_terms("账") == ["账"]


def test_query_words_keep_quoted_text_whole():
    assert [w.text for w in parse('渠道对账 "T + 1"  网联')] == ["渠道对账", "T + 1", "网联"]


def test_search_finds_the_reconciliation_question_with_snippet_and_line(archive, tmp_path):
    hits = results("对账", archive, "--cache-dir", tmp_path / "c")
    assert hits and all("对账" in h["snippet"] for h in hits)
    first = hits[0]
    assert first["answers"] > 0 and first["date"] and first["group_name"] and first["speaker"]
    source = (archive / first["source"]).read_text(encoding="utf-8").splitlines()
    assert source[first["line"] - 1].startswith("> "), "line points at a message header"


def test_a_name_in_a_mention_is_not_what_was_said(archive, tmp_path):
    """人人车 is in the fixtures only in "@pnfee-人人车-支付财务开发?错帐处理分为，抹账，冲账…"
    (prodarch/2018-03-23:89): a search for it finds nothing; the reply's own words find it."""
    assert "人人车" in (archive / "prodarch" / "2018-03-23-chat.markdown").read_text(encoding="utf-8")
    assert results("人人车", archive, "--cache-dir", tmp_path / "c") == []
    hits = results("错帐处理", archive, "--cache-dir", tmp_path / "c")
    assert any(h["line"] == 89 and h["source"].endswith("2018-03-23-chat.markdown") for h in hits), hits
    assert all("人人车" not in h["snippet"] for h in hits)


def test_a_dump_recording_a_daily_log_again_is_found_there(fixtures, tmp_path):
    """tests/fixtures/copies: wechat/2017-05-10-wechat6 records without speakers what proddev/2017-05-10
    records with them. A question both hold is found once, from the daily log; what only the dump holds
    is found in the dump."""
    archive = fixtures / "copies"
    hits = results("唯品花的风控", archive, "--cache-dir", tmp_path / "c")
    assert hits and {h["source"] for h in hits} == {"proddev/2017-05-10-chat.markdown"}, hits
    hits = results("规则和评分表", archive, "--cache-dir", tmp_path / "c")
    assert [h["source"] for h in hits] == ["wechat/2017-05-10-wechat6.markdown"], hits


def test_text_output_marks_the_hit(archive, tmp_path):
    done = run("网联", archive, "--cache-dir", tmp_path / "c", "-n", "2")
    assert done.returncode == 0
    assert "【网联】" in done.stdout and ".markdown:" in done.stdout


def test_a_phrase_matches_exactly_not_its_characters_reversed(archive, tmp_path):
    for hit in results("网联", archive, "--cache-dir", tmp_path / "c", "-n", "50"):
        assert "网联" in hit["snippet"] or "网联" in hit["title"]
    assert not results('"联网支付通道对接"', archive, "--cache-dir", tmp_path / "c")


def test_answered_qa_ranks_above_chatter(archive, tmp_path):
    hits = results("对账", archive, "--cache-dir", tmp_path / "c", "-n", "20")
    answered = [h["kind"] in ("qa", "talk") for h in hits]
    assert answered[0] and answered.index(False) > answered.count(True) // 2 if False in answered else True


def test_index_is_reused_then_rebuilt_when_a_day_is_added(archive, tmp_path):
    cache = tmp_path / "c"
    first = run("对账", archive, "--cache-dir", cache)
    assert "indexing" in first.stderr
    again = run("对账", archive, "--cache-dir", cache)
    assert "indexing" not in again.stderr and again.stdout == first.stdout
    day = archive / "prodarch" / "2018-03-30-chat.markdown"
    day.write_text("---\nlayout: source\ndate: 2018-03-30\n---\n\n> 10:00:00  张三-某支付-产品-北京\n"
                   "   \n请问银企直连的回单怎么对？\n   \n", encoding="utf-8")
    added = run("银企直连", archive, "--cache-dir", cache, "--json")
    assert "indexing" in added.stderr
    assert json.loads(added.stdout.splitlines()[0])["source"] == "prodarch/2018-03-30-chat.markdown"


def test_group_filter(archive, tmp_path):
    every = results("对账", archive, "--cache-dir", tmp_path / "c", "-n", "50")
    hits = results("对账", archive, "--cache-dir", tmp_path / "c", "-n", "50", "--group", "wechat")
    wechat = {h["group"] for h in hits}
    assert hits and len(wechat) == 1 and len({h["group"] for h in every}) > 1
    # The same ranking, restricted: scores do not depend on the filter.
    assert len(every) < 50 and [(h["url"], h["score"]) for h in every if h["group"] in wechat] == \
        [(h["url"], h["score"]) for h in hits]
    assert {h["source"].split("/")[0] for h in hits} == {"wechat"}


def test_a_sentence_with_no_exact_match_still_finds_related_threads(archive, tmp_path):
    hits = results("对账平账之后还要再对一遍吗", archive, "--cache-dir", tmp_path / "c")
    assert hits and any("对账" in h["snippet"] for h in hits)


def test_few_threads_with_every_term_come_first_then_those_with_some(archive, tmp_path):
    """Few threads of the fixtures hold 网联, 备付金 and 对账 (two Q&A of one conversation); the
    threads holding some of them follow, marked partial (the site's search does the same)."""
    hits = results("网联 备付金 对账", archive, "--cache-dir", tmp_path / "c", "-n", "6")
    every = sum(not h["partial"] for h in hits)
    assert 1 <= every < 5 and [h["partial"] for h in hits] == [False] * every + [True] * (6 - every), hits
    assert "网联" in hits[0]["title"] and "对账" in hits[0]["title"]
    text = run("网联 备付金 对账", archive, "--cache-dir", tmp_path / "c", "-n", str(every + 1)).stdout
    assert text.index(" 1. ") <= text.index(f" {every}. ") < text.index("（以下只含有其中部分词语）") < text.index(f" {every + 1}. ")
    assert not any(h["partial"] for h in results("对账", archive, "--cache-dir", tmp_path / "c", "-n", "20"))


def test_user_errors_are_one_line(tmp_path):
    missing = run("对账", tmp_path / "nowhere", "--cache-dir", tmp_path / "c")
    assert missing.returncode == 1 and missing.stderr.count("\n") == 1 and "Traceback" not in missing.stderr
    empty = run("？！", tmp_path, "--cache-dir", tmp_path / "c")
    assert empty.returncode == 1 and "Traceback" not in empty.stderr


def test_snippet_prefers_the_message_with_every_term():
    part, speaker, snippet, spans = best_snippet("a：只说对账 ｜ b：渠道对账要对明细", ["渠道", "对账"])
    assert (part, speaker) == (1, "b") and [snippet[s:e] for s, e in spans] == ["渠道对账"]


def test_a_page_snippet_names_only_the_speaker_it_knows():
    """A Q&A record's messages are their text alone: a colon in it names no one, and the asker is
    named only for the question (the record's first message), not for a reply that holds the hit."""
    record = {"text": "问题：渠道对账怎么做 ｜ 注意：渠道对账要对明细", "kind": "qa", "asker": "张三", "lines": [9, 13],
              "url": "/q/1/", "title": "渠道对账", "date": "2018-01-01", "group": "g", "answers": 1,
              "filters": {}, "source": "g/2018-01-01-chat.markdown", "line": 9}
    ranking = SimpleNamespace(words=[SimpleNamespace(text="对明细")], some=[])
    hit = _hit(1, (0, 1.0, False, record), ranking)
    assert (hit.line, hit.speaker, hit.snippet) == (13, "", "注意：渠道对账要对明细")
    ranking = SimpleNamespace(words=[SimpleNamespace(text="怎么做")], some=[])
    hit = _hit(1, (0, 1.0, False, record), ranking)
    assert (hit.line, hit.speaker, hit.snippet) == (9, "张三", "问题：渠道对账怎么做")


def test_whole_corpus_queries_a_practitioner_types(corpus, tmp_path):
    cache = tmp_path / "c"
    for query in ("渠道对账", "网联", "结售汇", "代付通道", "备付金"):
        hits = results(query, corpus, "--cache-dir", cache, "-n", "5")
        assert len(hits) == 5, query
        assert all(query in h["snippet"] for h in hits), query
        assert hits[0]["kind"] == "qa" and hits[0]["answers"] > 0, query


def test_a_broken_file_is_named_and_the_rest_is_still_searched(archive, tmp_path):
    (archive / "prodarch" / "2018-03-31-chat.markdown").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00binary")
    done = run("对账", archive, "--cache-dir", tmp_path / "c")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    problems = [line for line in done.stderr.splitlines() if "2018-03-31-chat.markdown" in line]
    assert len(problems) == 1 and "【对账】" in done.stdout


def test_the_readers_question_as_typed_finds_its_discussion(seeds, tmp_path):
    """The question issue 3 opens with, typed whole, finds the thread where it was asked."""
    hits = results("渠道对账平账之后还要再全部对一遍吗", seeds, "--cache-dir", tmp_path / "c", "-n", "3")
    assert (hits[0]["source"], hits[0]["line"]) == ("proddev/2018-09-19-WeChat.markdown", 91)


def test_the_readers_question_as_typed_finds_its_discussion_in_the_whole_corpus(corpus, tmp_path):
    """On the whole corpus the question's discussion is 2017-05-09's (查复是只查复异常的交易，平账的
    还查复吗？ ... 平账的也查). Cut into every character pair the query matched 内部对账 by 部对 and
    listed talk of 对账 at large first; cut into words, 平账 (rare) leads: the threads holding it
    come before those holding only common words (全部…一遍 in "全要素支付…全部输入一遍"), first
    the 2018-01-01 guide to channel reconciliation, whose step four is 平账, and the discussion.
    A Q&A is found by its answers too (site._qa_text): since a conversation is a thread per
    asker's question, the discussion's answers (平账的也查) may sit in a later thread."""
    hits = results("渠道对账平账之后还要再全部对一遍吗", corpus, "--cache-dir", tmp_path / "c", "-n", "3")
    # The day's discussion, or the write-up of that day's chat an editor made (wechat/2017-05-09-merged1,
    # "2017-05-09聊天记录整理版": 异常交易和平账都要查复), which the ranking of rank.py rule 2 puts first.
    assert {"proddev/2017-05-09-chat.markdown", "wechat/2017-05-09-merged1.markdown"} & \
        {h["source"] for h in hits[:2]}, hits
    # Each holds the query's subject as written (a pair across two of its words, 部对 of 全部对, never
    # brings in a record of its own), and the 全要素支付 record holding only 全部…一遍 does not come.
    assert all("对账" in h["snippet"] for h in hits) and not any("全要素支付" in h["title"] for h in hits), hits


@pytest.mark.xfail(strict=True, reason="rank.py rule 2 scores the terms a record holds by BM25 alone: weighing "
                   "the share of the query's terms it holds finds this one first, but the editor's questions of the "
                   "dev days less often (0.690 first, 0.728 without; bench/eval_search.py, docs/search.md)")
def test_a_thread_holding_more_of_the_words_comes_before_those_holding_one(corpus, tmp_path):
    """No thread holds all of "外卡 DCC 汇率 手续费 谁承担". The one where DCC is asked about with
    外卡 and 手续费 (proddev/2017-07-24: "如果引入外卡交易…因为外卡收手续费，如何进行dcc和edc") is
    what the reader wants; ranked by score alone, short answered threads holding 外卡 or DCC
    alone came first and it was fifth."""
    hits = results("外卡 DCC 汇率 手续费 谁承担", corpus, "--cache-dir", tmp_path / "c", "-n", "5")
    assert all(h["partial"] for h in hits)
    assert "proddev/2017-07-24-chat.markdown" in [h["source"] for h in hits[:2]], hits


def test_a_discussion_is_listed_as_one(seeds, tmp_path):
    """A thread a statement opened (proddev/2017-07-24: "听说是这样： 商户只要在网商银行开户，无论线上、
    线下啥支付产品（微信除外）…", which drew replies) asks nothing: the terminal lists it as a discussion
    with its replies, not as an answered question."""
    done = run("网商银行开户 支付产品", seeds, "--cache-dir", tmp_path / "c", "-n", "3")
    first = done.stdout.split("\n\n")[0]
    assert first.startswith(" 1. 听说是这样： 商户只要在网商银行开户"), first
    assert "proddev/2017-07-24-chat.markdown" in first and "讨论 · " in first and "条回应" in first, first
    first = results("网商银行开户 支付产品", seeds, "--cache-dir", tmp_path / "c", "-n", "1")[0]
    assert first["questions"] == 0 and first["kind"] == "talk"
