"""Screenshots of built pages at phone and desktop width, to look at before a release.

Usage: python bench/screenshots.py SITE_DIR OUT_DIR [PAGE ...]
PAGE defaults to the home page, the first Q&A page and the first day page; each is shot
at 390 and 1280 px wide (full page) with Debian's chromium, as tests/test_browser.py runs it.
"""
from __future__ import annotations

import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from chatmine.app.serve import make_server  # noqa: E402

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def default_pages(site: Path) -> list[str]:
    first = lambda pattern: next(iter(sorted(site.glob(pattern))), None)  # noqa: E731
    found = [first("q/*.html"), first("day/*/*.html")]
    return ["index.html"] + [str(p.relative_to(site)) for p in found if p]


def main() -> None:
    from playwright.sync_api import sync_playwright

    site, out = Path(sys.argv[1]), Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    pages = sys.argv[3:] or default_pages(site)
    server = make_server(site, 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            for width in (390, 1280):
                page = browser.new_page(viewport={"width": width, "height": 900})
                for number, path in enumerate(pages):
                    page.goto(f"http://127.0.0.1:{server.server_address[1]}/{path}")
                    page.wait_for_load_state("networkidle")
                    name = out / f"{number}-{width}.png"
                    page.screenshot(path=str(name), full_page=True)
                    print(name, path)
            browser.close()
    finally:
        server.shutdown()


if __name__ == "__main__":
    main()
