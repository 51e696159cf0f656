"""Bytes a reader's browser fetches for a first search query on a built site.

Usage: python bench/search_payload.py SITE_DIR [QUERY ...]   (default queries: the issue's)
Each query runs in a fresh browser page (empty cache): everything fetched after the home
page has loaded, plus static/search.js and encode.js, counts. Two figures: bytes on the
wire from `chatmine serve` (which gzips text files, as GitHub Pages and most hosts do) and
the same files served as they are on disk (a host that compresses nothing; Pagefind's
index, fragment and wasm files are gzip on disk either way).
"""
from __future__ import annotations

import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from chatmine.app.serve import make_server  # noqa: E402

QUERIES = ["对账", "网联", "结售汇", "渠道对账", "代付通道", "备付金"]
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def measure(site: Path, queries: list[str]) -> list[tuple[str, int, int, dict[str, int]]]:
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
                for name in ("static/search.js", "static/encode.js"):
                    fetched[name] = page.evaluate(
                        "n => performance.getEntriesByType('resource').filter(e => e.name.endsWith(n)).reduce((a, e) => a + e.encodedBodySize, 0)", name)
                page.on("requestfinished", lambda r: fetched.__setitem__(r.url.split(f":{port}/", 1)[1], r.sizes()["responseBodySize"]))
                page.fill("#search-input", query)
                page.wait_for_selector("#search-results li, #search-status:has-text('没有')", timeout=30000)
                page.wait_for_load_state("networkidle")
                page.wait_for_timeout(500)
                count = page.locator("#search-results li").count()
                rows.append((query, sum(fetched.values()), count, fetched))
                context.close()
            browser.close()
    finally:
        server.shutdown()
    return rows


def main() -> None:
    site = Path(sys.argv[1])
    print("query\ton the wire (gzip host)\tas on disk (no compression)\tresults shown\t(KiB by file kind, wire)")
    for query, total, count, fetched in measure(site, sys.argv[2:] or QUERIES):
        raw = sum((site / url.split("?")[0]).stat().st_size for url in fetched)
        kinds: dict[str, int] = {}
        for url, size in fetched.items():
            kind = url.split("/")[1] if url.startswith("pagefind/") and "/" in url[9:] else url.rsplit("/", 1)[-1].split("_")[0].split(".")[0]
            kinds[kind] = kinds.get(kind, 0) + size
        detail = ", ".join(f"{k} {v / 1024:.0f}" for k, v in sorted(kinds.items(), key=lambda kv: -kv[1]))
        print(f"{query}\t{total / 1024:.1f} KiB\t{raw / 1024:.1f} KiB\t{count}\t({detail})")


if __name__ == "__main__":
    main()
