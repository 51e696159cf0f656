"""Hostile content and paths (issue 6), end to end: files on disk -> `chatmine build` -> a real browser.

Every page of the built site, the search results and the feed are loaded in Debian's
chromium: no script may run (every payload calls alert(), and a dialog is a failure), no
link may point anywhere but http(s)/mailto, no event-handler attribute may exist.
Skips like tests/test_browser.py when playwright or /usr/bin/chromium is missing.
"""
from __future__ import annotations

import subprocess
import sys
import threading
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]

# Payloads numbered so a failure says which one ran.
EVIL = (
    "<script>alert(101)</script> <img src=x onerror=alert(102)> <svg onload=alert(103)> "
    "<iframe src=\"javascript:alert(104)\"></iframe> <details open ontoggle=alert(105)> "
    "[点我](javascript:alert(106)) [大写](JaVaScRiPt:alert(107)) [tab](java\tscript:alert(108)) "
    "[实体](&#106;avascript:alert(109)) ![图](javascript:alert(110)) [数据](data:text/html;base64,PHNjcmlwdD5hbGVydCgxMTEpPC9zY3JpcHQ+) "
    "![数据图](data:image/svg+xml,<svg onload=alert(112)>) [<img src=x onerror=alert(113)>](https://ok.example/) "
    "[引号](https://ok.example/\"onmouseover=\"alert(114)) https://ok.example/\"><script>alert(115)</script> "
    "mailto:x@ok.example?subject=<script>alert(116)</script> @<script>alert(117)</script> "
    "<a href=\"javascript:alert(118)\">a</a> <style>body{background:url(javascript:alert(119))}</style> "
    "`<script>alert(120)</script>` <!-- --><script>alert(121)</script> \x10\x12控制字符"
)
SNEAKY = "请问恶意脚本怎么防？\u202etxt.exe\u202c 和 \u200b零\u200d宽\u2066字符\u2069"
MEGABYTE = "恶意长行" + "<script>alert(130)</script>" * 40000  # ~1 MB on one line

DAY = f"""---
layout:     source
title:      "<script>alert(140)</script>"
date:       2018-03-01 12:00:00
author:     "<img src=x onerror=alert(141)>"
tag:		  [chat, "<b onmouseover=alert(142)>"]
header-img: "javascript:alert(143)"
---
> 09:00:00  <script>alert(144)</script>-银行-产品
   
{SNEAKY} {EVIL}
   
> 09:01:00  <img src=x onerror=alert(145)>
   
@<script>alert(144)</script>-银行-产品 恶意的回答：{EVIL}
   
> 09:02:00  \u202eevil\u202c-支付-技术
   
恶意还有这个问题吗？怎么处理 [x](javascript:alert(146))
   
> 09:03:00  甲-银行-产品
   
恶意的第二个回答 {MEGABYTE}
   
"""

ARTICLE = f"""---
layout: post
title: "<script>alert(150)</script>恶意文章"
date: 2018-03-02
author: "javascript:alert(151)"
tag: [publish]
---
# 标题 <img src=x onerror=alert(152)>

恶意段落 <script>alert(153)</script> <a href="javascript:alert(154)">链接</a>

- [列表](javascript:alert(155))
- <iframe srcdoc="<script>alert(156)</script>"></iframe>

{EVIL}
"""


def path_day(title: str, speaker: str, text: str, date: str = "2018-03-03") -> str:
    return (f"---\nlayout: source\ntitle: \"{title}\"\ndate: {date}\nauthor: \"/etc/passwd\"\n"
            f"category: \"../../../escape\"\n---\n> 09:00:00  {speaker}\n   \n{text}\n   \n")


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("hostile") / "archive"
    for folder in ("prodarch", "wechat", "CON", "con"):
        (root / folder).mkdir(parents=True)
    (root / "prodarch" / "2018-03-01-chat.markdown").write_text(DAY, encoding="utf-8")
    (root / "wechat" / "2018-03-02-article.markdown").write_text(ARTICLE, encoding="utf-8")
    # Hostile paths: titles, authors, categories and speakers that look like paths; two
    # files and two folders whose names map to the same slug.
    (root / "prodarch" / "2018-03-03-chat.markdown").write_text(
        path_day("../../../../tmp/evil", "../../../speaker", "第一份同名日志"), encoding="utf-8")
    (root / "prodarch" / "2018-03-03-Chat.markdown").write_text(
        path_day("/etc/passwd", "CON", "第二份同名日志"), encoding="utf-8")
    (root / "prodarch" / "2018-03-03-chat!.markdown").write_text(
        path_day("aux.html", "aux", "第三份同名日志"), encoding="utf-8")
    (root / "CON" / "2018-03-04-chat.markdown").write_text(path_day("nul", "张三", "大写文件夹"), encoding="utf-8")
    (root / "con" / "2018-03-04-chat.markdown").write_text(path_day("nul", "李四", "小写文件夹"), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def site(archive) -> Path:
    out = archive.parent / "_site"
    # Default options: what is really published (masking on) goes through the same renderer.
    result = subprocess.run([sys.executable, "-m", "chatmine", "build", archive, "-o", out,
                             "--base-url", "https://pay.example.org/"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return out


# --- paths -----------------------------------------------------------------------------

def test_nothing_is_written_outside_the_site(site, archive):
    beside = sorted(p.name for p in site.parent.iterdir())
    assert beside == ["._site.lock", "_site", "archive"], beside
    for path in site.rglob("*"):
        assert not path.is_symlink() and site.resolve() in path.resolve().parents


def test_output_names_are_slugs_never_file_values(site):
    for path in site.rglob("*"):
        rel = path.relative_to(site).as_posix()
        if rel.startswith(("search/", "static/")):
            continue
        assert all(part.split(".")[0].lower() not in {"con", "nul", "aux", "prn"} for part in rel.split("/")), rel
        assert "passwd" not in rel and "tmp" not in rel and "escape" not in rel and ".." not in rel, rel


def test_inputs_with_the_same_slug_all_survive_with_distinct_urls(site):
    pages = {p: p.read_text("utf-8") for p in (site / "day").rglob("*.html")}
    for text in ("第一份同名日志", "第二份同名日志", "第三份同名日志", "大写文件夹", "小写文件夹"):
        holding = [p for p, html in pages.items() if text in html]
        assert len(holding) == 1, (text, holding)
    assert len(pages) == 6
    sitemap = (site / "sitemap.xml").read_text("utf-8")
    assert all(p.relative_to(site).as_posix() in sitemap for p in pages)


# --- the feed ----------------------------------------------------------------------------

def test_feed_is_wellformed_and_carries_only_text(site):
    tree = ET.parse(site / "feed.xml")  # control characters in the chat must not break the XML
    atom = "{http://www.w3.org/2005/Atom}"
    entries = tree.getroot().findall(f"{atom}entry")
    assert entries, "the hostile questions are Q&A and belong in the feed"
    for element in tree.iter():
        assert element.tag.startswith(atom), element.tag  # no smuggled XHTML or other namespace
        assert element.get("type") in (None, "text"), element.attrib
        for name, value in element.attrib.items():
            assert not value.strip().lower().startswith(("javascript:", "data:")), (name, value)
    assert any("alert(101)" in (e.findtext(f"{atom}summary") or "") for e in entries)  # kept, as text


# --- the browser ---------------------------------------------------------------------------

CHECK_DOM = """root => {
  const bad = [];
  const scope = root ? document.querySelector(root) : document;
  const urlAttrs = ['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'poster', 'background', 'srcset'];
  for (const el of scope.querySelectorAll('*')) {
    for (const a of el.attributes) {
      const name = a.name.toLowerCase();
      const value = a.value.replace(/[\\s\\x00-\\x1f]/g, '').toLowerCase();
      if (name.startsWith('on')) bad.push(el.tagName + ' ' + name);
      if (name === 'srcdoc') bad.push(el.tagName + ' srcdoc');
      const blankIcon = el.tagName === 'LINK' && el.rel === 'icon' && value === 'data:,';  // the site's own "no favicon"
      if (urlAttrs.includes(name) && /^(javascript|data|vbscript):/.test(value) && !blankIcon) bad.push(el.tagName + ' ' + name + '=' + value.slice(0, 40));
    }
    if (['IFRAME', 'FRAME', 'OBJECT', 'EMBED', 'BASE', 'META'].includes(el.tagName) && el.closest('body')) bad.push(el.tagName);
    if (el.tagName === 'STYLE' && el.closest('body')) bad.push('STYLE in body');
  }
  for (const a of scope.querySelectorAll('a[href], area[href]')) {
    if (!['http:', 'https:', 'mailto:'].includes(a.protocol)) bad.push('live link ' + a.protocol + ' ' + a.getAttribute('href').slice(0, 40));
  }
  for (const img of scope.querySelectorAll('img')) {
    let protocol = '';
    try { protocol = new URL(img.src).protocol; } catch (e) { /* not a URL at all: reported */ }
    if (!/^https?:$/.test(protocol)) bad.push('img ' + img.src.slice(0, 40));
  }
  for (const s of document.scripts) {
    if (!s.src || !/\\/(static|search)\\//.test(new URL(s.src).pathname)) bad.push('script ' + (s.src || s.textContent.slice(0, 40)));
  }
  const html = root ? scope.outerHTML : document.documentElement.outerHTML + document.title;
  const hidden = html.match(/[\\u202a-\\u202e\\u2066-\\u2069\\u200b-\\u200f]/);
  if (hidden) bad.push('bidi or zero-width U+' + hidden[0].charCodeAt(0).toString(16) + ' near ' + html.slice(Math.max(0, hidden.index - 40), hidden.index + 10));
  return bad;
}"""


@pytest.fixture(scope="module")
def browser_site(site):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed (pip install playwright; .ci/install-browser)")
    if not Path(CHROMIUM).is_file():
        pytest.skip(f"no browser at {CHROMIUM} (apt-get install chromium; .ci/install-browser)")
    from chatmine.app.serve import make_server

    server = make_server(site, 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield f"http://127.0.0.1:{server.server_address[1]}/", browser
        browser.close()
    server.shutdown()


def open_page(browser):
    """A page that records every dialog (alert, confirm, prompt) and page error it meets."""
    page = browser.new_page()
    ran: list[str] = []
    page.on("dialog", lambda d: (ran.append(d.message), d.dismiss()))
    page.on("pageerror", lambda e: ran.append(f"error: {e}"))
    return page, ran


def every_page(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html") if not p.is_relative_to(site / "search"))


def test_every_page_kind_is_there(site):
    pages = every_page(site)
    for prefix in ("index.html", "q/", "day/", "group/", "topic/", "speaker/", "speakers.html", "article/", "articles.html"):
        assert any(p.startswith(prefix) for p in pages), prefix


def test_no_script_runs_and_no_dangerous_link_is_live_on_any_page(browser_site, site):
    base, browser = browser_site
    page, ran = open_page(browser)
    problems = {}
    for path in every_page(site):
        page.goto(base + path)
        page.wait_for_load_state("load")
        bad = page.evaluate(CHECK_DOM, None)
        if bad or ran:
            problems[path] = bad + ran[:]
            ran.clear()
    page.close()
    assert problems == {}


def test_hostile_text_is_shown_as_text(browser_site, site):
    base, browser = browser_site
    page, ran = open_page(browser)
    day = next(p for p in every_page(site) if p.startswith("day/prodarch/2018-03-01"))
    page.goto(base + day)
    text = page.inner_text("main")
    assert "<script>alert(101)</script>" in text and "onerror=alert(102)" in text
    assert "恶意的第二个回答" in text and text.count("alert(130)") == 40000  # the megabyte line, whole
    page.close()
    assert not ran


@pytest.mark.parametrize("query", ["恶意", "alert", "script", "onerror", "javascript"])
def test_search_excerpts_are_inert(browser_site, query):
    base, browser = browser_site
    page, ran = open_page(browser)
    page.goto(base + "index.html")
    page.fill("#search-input", query)
    page.wait_for_selector("#search-status:has-text('找到'), #search-status:has-text('没有')", timeout=30000)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)
    results = page.eval_on_selector_all("#search-results li", "els => els.length")
    bad = page.evaluate(CHECK_DOM, "#search-results")
    page.close()
    assert bad == [] and ran == []
    if query == "恶意":
        assert results >= 2


def test_feed_opened_in_the_browser_runs_nothing(browser_site):
    base, browser = browser_site
    page, ran = open_page(browser)
    page.goto(base + "feed.xml")
    page.wait_for_load_state("load")
    scripts = page.evaluate("document.getElementsByTagNameNS('http://www.w3.org/1999/xhtml', 'script').length")
    page.close()
    assert ran == [] and scripts == 0
