"""The browser's search (site_templates/static/search/*.js, run by node) is the terminal's:
the same terms for the same text, the same top ten for the same query over the same index.

Node runs tests/js/search.mjs over the built site's search/ folder; the tests skip when node
is missing.
"""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from chatmine.search.query import cut_sentence, parse
from chatmine.search.rank import search, take
from chatmine.search.read import IndexFolder
from chatmine.search.terms import index_terms

NODE = shutil.which("node")
HARNESS = Path(__file__).parent / "js" / "search.mjs"

TERM_CASES = [
    "渠道对账平账之后还要再全部对一遍吗", "网联", "丁", "DCC 外卡收单", "T+1 到账，D0 垫资",
    "ＡＰＩ网关 ＦＵＬＬ－ＷＩＤＴＨ １２３", "支付宝/微信 (H5) 2018年3月", "𠀀𠀁 ext-B", "兀 豈 compatibility",
    "カード 결제 кошелёк Straße İstanbul", "a1b2c3 ABC_def", "", "   ", "😀对账😀", "一\u3000二 三",
]


def node(requests: list[dict], folder: Path | None = None) -> list:
    """The harness's answers to `requests` (tests/js/search.mjs), over the index at `folder`."""
    if NODE is None:
        pytest.skip("node is not installed")
    args = [NODE, str(HARNESS)] + ([str(folder)] if folder else [])
    done = subprocess.run(args, input=json.dumps(requests), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.mark.parametrize("text", TERM_CASES)
def test_js_terms_are_the_python_terms(text):
    assert node([{"terms": text}]) == [index_terms(text)]


def test_an_excerpt_never_shows_half_the_break_between_two_messages():
    """excerpt.js cuts about LENGTH (90) characters around the hits: a cut landing inside " ｜ "
    (site.MESSAGE_BREAK) showed "…[得意] ｜…"; it ends, or starts, at a message instead."""
    from chatmine.publish.site import MESSAGE_BREAK

    first = "对账" + "甲" * 86  # the hit, then a cut two characters into the break
    text = first + MESSAGE_BREAK + "乙" * 100
    [shown] = node([{"excerpt": text, "needles": ["对账"]}])
    assert shown == "【对账】" + "甲" * 86 + "…", shown
    before = "丙" * 100 + MESSAGE_BREAK + "丁" * 10  # twelve characters before the hit: inside the break
    [shown] = node([{"excerpt": before + "对账" + "戊" * 100, "needles": ["对账"]}])
    assert shown.startswith("…" + "丁" * 10 + "【对账】"), shown


def test_js_terms_of_real_records(fixtures):
    """Every record text of the site fixtures (chat as written: mentions, URLs, emoji, numbers)."""
    from chatmine.publish import pages
    from chatmine.analyse.archives import analyse_archives
    from chatmine.read.config import load_config
    from chatmine.publish.site import search_records

    source = fixtures / "site"
    result = analyse_archives([source])
    model = pages.build_model(result.threads, result.logs, load_config([source]))
    texts = [r.text for r in search_records(model)] + [r.title for r in search_records(model)]
    assert len(texts) > 20
    assert node([{"terms": t} for t in texts]) == [index_terms(t) for t in texts]


QUERIES = [
    "对账", "网联", "渠道对账", "结售汇", "备付金", "代付通道", "断直连以后代扣怎么办",
    "渠道对账平账之后还要再全部对一遍吗", '"渠道对账"', '"对账 文件" 银行', "DCC", "外卡收单 DCC", "T+1",
    "网联 备付金 对账", "支付机构 网关", "付", "丁丁丁", "国际收支的时候需要什么系统",
    "分布式锁有什么好的实现方案/框架？",
]
"""Real queries: words, phrases (checked as written), sentences (cut into words, partial
results; one whose Q&A page holds its words apart), quoted phrases, Latin words, a lone
character, a word no record holds."""


SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def _build(archive: Path, out: Path) -> IndexFolder:
    from chatmine.app.build import BuildOptions, build

    build(BuildOptions(archives=[archive], output=out))
    return IndexFolder(out / "search")


@pytest.fixture(scope="module")
def seeds_index(tmp_path_factory) -> IndexFolder:
    """The embedded seeds archive built as a site: its search/ folder."""
    return _build(SEEDS, tmp_path_factory.mktemp("seeds-site"))


@pytest.fixture
def corpus_index(corpus, tmp_path_factory) -> IndexFolder:
    """The whole ../shared/corpus built as a site: its search/ folder."""
    return _build(corpus, tmp_path_factory.mktemp("corpus-site"))


def python_top(index: IndexFolder, query: str, filters: dict | None = None, top: int = 10) -> dict:
    """What the terminal ranks first: [id, score, partial] of the first `top` results, the cut words."""
    ranking = search(index, query, filters)
    return {"results": [[i, score, partial] for i, score, partial, _ in take(index, ranking, top)],
            "some": [w.text for w in ranking.some]}


def filter_cases(index: IndexFolder) -> list[tuple[str, dict]]:
    """对账 under the index's largest group, its second topic, and its years (two values: either)."""
    values = index.meta["filters"]
    return [("对账", {"group": [values["group"][0][0]]}), ("对账", {"topic": [values["topic"][1][0]]}),
            ("结算 银行", {"year": [y for y, _ in values["year"][:2]]}),
            ("对账", {"group": [values["group"][0][0]], "year": [values["year"][0][0]]})]


def same_top_ten(index: IndexFolder) -> None:
    cases = [(q, {}) for q in QUERIES] + filter_cases(index)
    expected = [python_top(index, q, f) for q, f in cases]
    got = node([{"query": q, "filters": f, "top": 10} for q, f in cases], index.folder)
    for (query, filters), want, have in zip(cases, expected, got):
        assert have == want, (query, filters)
    by_query = dict(zip(QUERIES, expected))
    assert by_query["丁丁丁"]["results"] == []
    assert all(by_query[q]["results"] for q in QUERIES if q != "丁丁丁"), by_query
    assert any(p for r in by_query["渠道对账平账之后还要再全部对一遍吗"]["results"] for p in r[2:]), "a sentence lists partial results"


def same_words(index: IndexFolder) -> None:
    expected = []
    for query in QUERIES:
        typed = parse(query)
        expected.append({"words": [[w.text, list(w.terms), w.checked, w.quoted] for w in typed],
                         "cut": [w.text for w in cut_sentence(typed, index.words())]})
    assert node([{"words": q} for q in QUERIES], index.folder) == expected


def test_a_sentence_one_record_holds_apart_finds_it_first_among_the_partial_ones(tmp_path):
    """rank.py rule 3 at once: one Q&A holds every pair of the sentence, not as written (框架 is
    said in another message); a candidate failing the check is not counted, so the records holding
    some of the words follow and it is their first. It used to leave no result, here and in the
    browser."""
    from chatmine.search.records import SearchRecord
    from chatmine.search.write import write_index

    records = [SearchRecord(url="q/a.html", kind="qa", title="锁", text="目前分布式锁有什么好的实现方案么？ ｜ 用框架", date="2017-11-13"),
               SearchRecord(url="q/b.html", kind="qa", title="事务", text="分布式事务有什么方案", date="2017-11-14"),
               SearchRecord(url="day/c.html", kind="day", title="d", text="今天天气好", date="2017-11-15")]
    write_index(records, tmp_path / "i", words=["分布式", "方案", "框架", "实现"])
    index = IndexFolder(tmp_path / "i")
    query = "分布式锁有什么好的实现方案/框架？"
    want = python_top(index, query)
    assert [(i, partial) for i, _, partial in want["results"]] == [(0, True), (1, True)]
    assert node([{"query": query, "filters": {}, "top": 10}], index.folder) == [want]


def test_js_query_words_are_the_python_ones(seeds_index):
    same_words(seeds_index)


def test_js_ranks_the_seeds_as_python_does(seeds_index):
    same_top_ten(seeds_index)


def test_js_ranks_the_whole_corpus_as_python_does(corpus_index):
    same_words(corpus_index)
    same_top_ten(corpus_index)
