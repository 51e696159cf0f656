"""Bytes a reader's browser fetches for a first search query on a built site, and how soon the
results are on screen.

Usage: python bench/search_payload.py SITE_DIR [QUERY ...]   (default queries: the issue's)
Each query runs in a fresh browser context (empty cache): the query is typed and Enter pressed;
everything fetched after the home page has loaded counts, plus static/search.js (loaded with
the page). Two byte figures: on the wire from `chatmine serve` (which gzips text files, as
GitHub Pages and most hosts do, and serves the index's .bin shards as they are) and the same
files as they are on disk. Time: from the Enter key to the first result (or the "nothing
found" status) in the page, measured by the page's own clock; the query's own time, a second
query of the same words in the same page, is shown beside it.
"""
from __future__ import annotations

import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from chatmine.app.serve import make_server  # noqa: E402

QUERIES = ["对账", "网联", "结售汇", "渠道对账", "代付通道", "备付金", "DCC",
           "断直连以后代扣怎么办", "渠道对账平账之后还要再全部对一遍吗"]
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
# The time from Enter to the first result or to "nothing found", by the page's clock.
WATCH = """() => new Promise((resolve) => {
  const input = document.getElementById('search-input');
  let start = 0;
  input.addEventListener('keydown', (e) => { if (e.key === 'Enter') start = performance.now(); }, { once: true });
  const done = () => document.querySelector('#search-results li') || /没有/.test(document.getElementById('search-status').textContent);
  const seen = new MutationObserver(() => { if (start && done()) { seen.disconnect(); resolve(performance.now() - start); } });
  seen.observe(document.getElementById('search-status').parentNode, { subtree: true, childList: true, characterData: true });
  window.__searchTime = null;
})"""


def timed_enter(page, query: str) -> float:
    """Type `query`, press Enter; milliseconds until results (or none) are on screen."""
    page.evaluate("q => { document.getElementById('search-input').value = q; }", query)
    page.evaluate(f"() => {{ window.__timing = ({WATCH})(); }}")
    page.press("#search-input", "Enter")
    return page.evaluate("() => window.__timing")


def measure(site: Path, queries: list[str]) -> list[dict]:
    from playwright.sync_api import sync_playwright

    server = make_server(site, 0)
    port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    rows = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            for query in queries:
                context = browser.new_context()
                page = context.new_page()
                fetched: dict[str, int] = {}
                page.goto(f"http://127.0.0.1:{port}/index.html")
                page.wait_for_load_state("networkidle")
                fetched["static/search.js"] = page.evaluate(
                    "() => performance.getEntriesByType('resource').filter(e => e.name.endsWith('static/search.js')).reduce((a, e) => a + e.encodedBodySize, 0)")
                page.on("requestfinished", lambda r: fetched.__setitem__(r.url.split(f":{port}/", 1)[1], r.sizes()["responseBodySize"]))
                first = timed_enter(page, query)
                page.wait_for_load_state("networkidle")
                page.wait_for_timeout(300)
                count = page.locator("#search-results li").count()
                again = timed_enter(page, query)
                rows.append({"query": query, "wire": sum(fetched.values()), "count": count, "fetched": fetched,
                             "first_ms": first, "again_ms": again})
                context.close()
            browser.close()
    finally:
        server.shutdown()
    return rows


def kind(url: str) -> str:
    """What a fetched file is: script, meta, shards, records, words."""
    if url.startswith("static/"):
        return "script"
    if url.startswith("search/t/"):
        return "shards"
    if url.startswith("search/r/"):
        return "records"
    return url.rsplit("/", 1)[-1].split(".")[0]


def main() -> None:
    site = Path(sys.argv[1])
    print("query\ton the wire (gzip host)\tas on disk\tresults shown\tEnter->results ms (first, again)\t(KiB by file kind, wire; shard files)")
    for row in measure(site, sys.argv[2:] or QUERIES):
        fetched = row["fetched"]
        raw = sum((site / url.split("?")[0]).stat().st_size for url in fetched)
        kinds: dict[str, int] = {}
        for url, size in fetched.items():
            kinds[kind(url)] = kinds.get(kind(url), 0) + size
        shards = sum(url.startswith("search/t/") for url in fetched)
        detail = ", ".join(f"{k} {v / 1024:.1f}" for k, v in sorted(kinds.items(), key=lambda kv: -kv[1]))
        print(f"{row['query']}\t{row['wire'] / 1024:.1f} KiB\t{raw / 1024:.1f} KiB\t{row['count']}\t"
              f"{row['first_ms']:.0f}, {row['again_ms']:.0f}\t({detail}; {shards} shards)")


if __name__ == "__main__":
    main()
