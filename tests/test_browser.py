"""The built site in a real browser (Debian's chromium driven by playwright): search, pages.

Skips with the reason when playwright or /usr/bin/chromium is missing (.ci/install-browser
installs them).
"""
from __future__ import annotations

import re
import threading
from pathlib import Path

import pytest

from chatmine.publish import pages
from chatmine.read.config import load_config
from chatmine.app.serve import make_server
from chatmine.search.terms import index_terms, record_terms
from chatmine.publish.site import render_site, search_records

SITE_FIXTURES = Path(__file__).parent / "fixtures" / "site"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def _playwright():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed (pip install playwright; .ci/install-browser)")
    if not Path(CHROMIUM).is_file():
        pytest.skip(f"no browser at {CHROMIUM} (apt-get install chromium; .ci/install-browser)")
    return sync_playwright


@pytest.fixture(scope="module")
def site_dir(tmp_path_factory):
    """The fixture archive built with its search index; its search records by URL."""
    from chatmine.analyse.archives import analyse_archives

    out = tmp_path_factory.mktemp("site")
    result = analyse_archives([SITE_FIXTURES])
    config = load_config([SITE_FIXTURES])
    render_site(result.threads, result.logs, config, out)
    model = pages.build_model(result.threads, result.logs, config)
    return out, {r.url: r for r in search_records(model)}


@pytest.fixture(scope="module")
def site(site_dir):
    """The built site served on 127.0.0.1, and a browser."""
    sync_playwright = _playwright()
    out, records = site_dir
    server = make_server(out, 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield f"http://127.0.0.1:{server.server_address[1]}/", browser, records
        browser.close()
    server.shutdown()


def search(browser, base: str, query: str) -> list[dict]:
    """Type `query` into the home page's box; the shown results as {kind, href, title, excerpt}."""
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(base + "index.html")
    page.fill("#search-input", query)
    page.wait_for_selector("#search-status:has-text('找到'), #search-status:has-text('没有')", timeout=20000)
    page.wait_for_load_state("networkidle")
    rows = page.eval_on_selector_all("#search-results li", """els => els.map(li => ({
        kind: li.querySelector('.kind').className.split(' ')[1],
        href: li.querySelector('a.r-title').getAttribute('href'),
        title: li.querySelector('a.r-title').textContent,
        excerpt: li.querySelector('.excerpt').textContent,
        marks: [...li.querySelectorAll('mark')].map(m => m.textContent)}))""")
    status = page.text_content("#search-status")
    page.close()
    assert not errors, errors
    return rows, status


def test_typing_a_query_finds_the_question_and_opens_it(site):
    base, browser, _ = site
    page = browser.new_page()
    page.goto(base + "index.html")
    page.fill("#search-input", "对账")
    first = page.wait_for_selector("#search-results li a.r-title", timeout=20000)
    title = first.text_content().rstrip("…")
    assert page.text_content("#search-results li .kind") == "问答"
    first.click()
    page.wait_for_load_state()
    assert "/q/" in page.url
    assert title[:12] in page.text_content("h1.q-title")
    assert "对账" in page.text_content(".question")
    page.close()


@pytest.mark.parametrize("query", ["对账", "网联", "备付金", "结售汇"])
def test_short_queries_match_exactly_the_records_holding_them(site, query):
    base, browser, records = site
    rows, status = search(browser, base, query)
    expected = {url for url, r in records.items() if query in r.text}
    assert expected, f"the fixtures should hold {query}"
    assert status == f"找到 {len(expected)} 条结果"
    for row in rows:
        assert row["href"] in expected, (query, row)
        assert query in row["excerpt"] and query in "".join(row["marks"]), row


def test_excerpts_keep_messages_apart(site):
    """An excerpt spanning two messages shows where one ends ("…就跨境了 ｜ 外卡收单…"): Chinese has
    no spaces, so without the break the two ran together as one sentence."""
    from chatmine.publish.site import MESSAGE_BREAK
    from chatmine.text.tokens import HAN

    base, browser, records = site
    rows, _ = search(browser, base, "对账")
    broken = [row for row in rows if MESSAGE_BREAK.strip() in row["excerpt"]]
    assert broken, rows
    assert all(row["excerpt"].count(MESSAGE_BREAK.strip()) == row["excerpt"].count(MESSAGE_BREAK) for row in broken), broken
    for row in rows:
        said = records[row["href"]].text.split(MESSAGE_BREAK)
        for piece in row["excerpt"].split(MESSAGE_BREAK.strip()):
            for run in HAN.findall(piece):
                assert any(run in message for message in said), (run, row)


def test_a_name_in_a_mention_is_not_searched(site):
    """人人车 is in the fixtures only in "@pnfee-人人车-支付财务开发?错帐处理分为…": the site finds
    nothing for it, and the reply by its own words, its excerpt free of the name."""
    base, browser, _ = site
    rows, status = search(browser, base, "人人车")
    assert rows == [] and "没有" in status, (rows, status)
    rows, _ = search(browser, base, "错帐处理")
    assert rows and all("错帐处理" in row["excerpt"] and "人人车" not in row["excerpt"] for row in rows), rows


def test_a_pair_no_record_holds_matches_nothing(site):
    """丁丁丁 is one pair no record holds (丁丁): nothing, though a record says "Mr丁：签到"
    (Pagefind, which prefix-matched a word it could not find, showed it)."""
    base, browser, records = site
    assert any("Mr丁" in r.text for r in records.values()) and not any("丁丁" in r.text for r in records.values())
    rows, status = search(browser, base, "丁丁丁")
    assert rows == [] and "没有" in status


def test_wanglian_never_matches_lianwang(site):
    base, browser, records = site
    rows, _ = search(browser, base, "网联")
    assert all("网联" in records[row["href"]].text for row in rows)


@pytest.mark.parametrize("query", ["渠道对账", "代付通道"])
def test_phrases_need_all_their_words(site, query):
    base, browser, records = site
    rows, _ = search(browser, base, query)
    assert rows, query
    exact = [row for row in rows if query in records[row["href"]].text]
    assert exact, f"a record holding {query} itself is among the first results"
    for row in rows:
        assert query[:2] in records[row["href"]].text and query[2:] in records[row["href"]].text


def sentence_words(browser, base: str, query: str) -> list[str]:
    """The words search.js cuts a typed sentence into (query.js cutSentence with the site's
    search/words.json)."""
    page = browser.new_page()
    page.goto(base + "index.html")
    words = page.evaluate("""async q => {
        const m = await import('./static/search/query.js');
        const dict = new Set(await (await fetch('./search/words.json')).json());
        return m.cutSentence(m.parse(q), dict).map(w => w.text); }""", query)
    page.close()
    return words


def test_a_question_typed_whole_finds_the_pages_holding_most_of_its_words(site):
    """The reader of issue 3 types a whole question; no page holds it. The records holding some
    of its pairs follow (rank.py rule 2), the one holding most of its words among the first;
    the sentence is cut into words (渠道 / 对账 / 平账 / 之后 / …, never 遍吗 across two of
    them) and each excerpt marks those its record holds."""
    base, browser, records = site
    query = "渠道对账平账之后还要再全部对一遍吗"
    words = sentence_words(browser, base, query)
    assert words[:3] == ["渠道", "对账", "平账"] and "遍吗" not in words, words
    assert not any(query in r.text for r in records.values())
    pairs = set(index_terms(query))
    rows, status = search(browser, base, query)
    assert rows and "大部分" in status, status
    assert all(pairs & set(record_terms(records[row["href"]].text)[0]) for row in rows)
    held = {url: sum(w in r.text for w in words) for url, r in records.items()}
    best = max(held, key=held.get)
    assert best in [row["href"] for row in rows]
    for row in rows:
        marked = {w for w in words if any(w in m for m in row["marks"])}
        assert all(w in row["excerpt"] for w in marked), row
    assert any(len({w for w in words if any(w in m for m in row["marks"])}) >= 2 for row in rows)


@pytest.mark.parametrize("query, word", [("国际收支的时候需要什么系统", "国际收支"), ("断直连现在需要什么系统", "断直连")])
def test_the_rare_word_a_sentence_is_about_comes_first(site, query, word):
    """A sentence no page holds whole is ranked by its pairs, the rarer weighing more (rank.py rule
    2): the page on 国际收支 comes before the day logs saying 时候, 需要, 什么 and 系统, and 断直连 is
    found though no page holds its pairs across words (连现, 在需). On this small site one Q&A holds
    需要, 什么 and 时候 in one message and comes before the 国际收支 page; over the whole archive,
    the editors' questions typed as sentences find their discussion first on 0.737 of the held-out
    days' questions and in the first five on 0.947 (bench/eval_search.py, docs/search.md)."""
    base, browser, records = site
    assert not any(all(w in r.text for w in ("需要", "什么", "系统", word)) for r in records.values())
    rows, status = search(browser, base, query)
    assert rows and "大部分" in status, status
    assert any(word in records[row["href"]].text for row in rows[:2]), rows[:2]
    assert all(records[row["href"]].kind != "day" for row in rows[:2]), rows[:2]


def test_few_pages_with_every_word_come_first_then_those_with_most(site):
    """Few pages hold 网联, 备付金 and 对账 together (two Q&A of one conversation); a reader wants
    the pages on some of them too, after them."""
    base, browser, records = site
    query = "网联 备付金 对账"
    words = query.split()
    exact = [url for url, r in records.items() if all(w in r.text for w in words)]
    assert 1 <= len(exact) < 5
    rows, status = search(browser, base, query)
    shown = re.fullmatch(rf"找到 {len(exact)} 条含有所有词语的结果，另有 (\d+) 条含有其中大部分", status)
    assert shown and int(shown.group(1)) >= 1, status
    assert len(rows) == min(len(exact) + int(shown.group(1)), 6)  # a first page of six
    assert sorted(row["href"] for row in rows[:len(exact)]) == sorted(exact)
    assert all(any(w in records[row["href"]].text for w in words) for row in rows[len(exact):])


def test_a_rare_word_outweighs_a_common_one_written_longer(site):
    """"支付机构 网关": no page holds both; the pages on 支付机构 alone are many, and the one
    on 网关 with 支付 or 机构 is what the reader typed the rarer word for: it comes first
    (rank.py rule 2 weighs a word it holds by the word's idf squared)."""
    base, browser, records = site
    rare, common = "网关", "支付机构"
    assert not any(rare in r.text and common in r.text for r in records.values())
    assert sum(common in r.text for r in records.values()) >= 5
    holding = {url for url, r in records.items() if rare in r.text and (common[:2] in r.text or common[2:] in r.text)}
    assert holding
    rows, status = search(browser, base, f"{common} {rare}")
    assert "大部分" in status, status
    assert rows[0]["href"] in holding, rows[0]


def test_qa_pages_rank_above_day_logs(site):
    base, browser, _ = site
    rows, _ = search(browser, base, "对账")
    kinds = [row["kind"] for row in rows]
    assert kinds[0] == "qa"
    assert kinds == sorted(kinds, key={"qa": 0, "talk": 0, "article": 1, "day": 2}.__getitem__)


def filters_open(browser, base: str, query: str):
    """A page of the site with `query` searched and its filters opened."""
    page = browser.new_page()
    page.goto(base + "index.html")
    page.fill("#search-input", query)
    page.wait_for_selector("#search-results li", timeout=20000)
    page.click("#search-filters button")
    return page


def test_group_filter_narrows_results(site):
    base, browser, records = site
    page = filters_open(browser, base, "对账")
    page.wait_for_selector("#search-filters select")
    page.select_option("select[aria-label='群']", "支付产品技术群")
    page.wait_for_function("document.querySelector('#search-status').textContent.startsWith('找到')")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)
    hrefs = page.eval_on_selector_all("#search-results li a.r-title", "els => els.map(a => a.getAttribute('href'))")
    page.close()
    assert hrefs and all(records[h].group == "支付产品技术群" for h in hrefs)


def test_the_browser_ranks_as_the_terminal_does(site, site_dir):
    """rank.js in Chromium over the served index gives rank.py's top ten ([id, score, partial])
    over the same folder (tests/test_search_parity.py does the same in node, on more queries)."""
    from chatmine.search.rank import search as rank_search, take
    from chatmine.search.read import IndexFolder

    base, browser, _ = site
    out, _ = site_dir
    queries = ["对账", "网联", "渠道对账", "代付通道", "渠道对账平账之后还要再全部对一遍吗", '"对账"', "DCC", "网联 备付金 对账"]
    index = IndexFolder(out / "search")
    expected = [[[i, score, partial] for i, score, partial, _ in take(index, rank_search(index, q), 10)] for q in queries]
    page = browser.new_page()
    page.goto(base + "index.html")
    got = page.evaluate("""async qs => {
        const idx = await import('./static/search/index.js');
        const rank = await import('./static/search/rank.js');
        const index = await idx.openIndex(idx.fetchLoader(new URL('./search/', location.href)));
        const out = [];
        for (const q of qs) out.push((await rank.take(index, await rank.search(index, q), 10)).map(h => [h.id, h.score, h.partial]));
        return out; }""", queries)
    page.close()
    assert all(expected[:4]) and got == expected


def test_answered_filter_keeps_qa_pages(site):
    """"只看有回答的问答" keeps the Q&A pages (the \u0001answered pseudo-term): no day log or article."""
    base, browser, records = site
    page = filters_open(browser, base, "对账")
    page.check("#search-filters input[type=checkbox]")
    page.wait_for_function("document.querySelector('#search-status').textContent.startsWith('找到')")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)
    kinds = page.eval_on_selector_all("#search-results li .kind", "els => els.map(e => e.className.split(' ')[1])")
    status = page.text_content("#search-status")
    page.close()
    answered = [url for url, r in records.items() if "对账" in r.text and r.kind in ("qa", "talk")]
    assert answered and kinds and set(kinds) <= {"qa", "talk"}
    assert status == f"找到 {len(answered)} 条结果"


def test_more_results_and_the_query_in_the_address(site):
    """A query typed and sent is in the address (?q=), and opening that address searches it
    again; "更多结果" appends the next results."""
    base, browser, records = site
    expected = [url for url, r in records.items() if "对账" in r.text]
    assert len(expected) > 6
    page = browser.new_page()
    page.goto(base + "index.html")
    page.fill("#search-input", "对账")
    page.press("#search-input", "Enter")
    page.wait_for_selector("#search-results li", timeout=20000)
    assert "?q=%E5%AF%B9%E8%B4%A6" in page.url
    page.goto(page.url)
    page.wait_for_function("document.querySelectorAll('#search-results li').length === 6", timeout=20000)
    page.click("#search-more")
    page.wait_for_function(f"document.querySelectorAll('#search-results li').length === {min(12, len(expected))}")
    hrefs = page.eval_on_selector_all("#search-results li a.r-title", "els => els.map(a => a.getAttribute('href'))")
    page.close()
    assert set(hrefs) <= set(expected) and len(set(hrefs)) == len(hrefs) == min(12, len(expected))


def test_pages_fit_a_phone(site):
    base, browser, _ = site
    page = browser.new_page(viewport={"width": 390, "height": 800})
    for path in ["index.html", "speakers.html"]:
        page.goto(base + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
    page.close()


def test_opened_from_disk_the_box_says_why_it_cannot_search(site, site_dir):
    _, browser, _ = site
    out, _ = site_dir
    page = browser.new_page()
    page.goto((out / "index.html").as_uri())
    page.fill("#search-input", "对账")
    page.wait_for_selector("#search-status:has-text('chatmine serve')", timeout=10000)
    page.close()
