"""Chat text and article markdown into safe HTML for the site's templates.

Input: a message body or an article's prose, as written. Output: Markup where every
character of the input is escaped and only http(s)/mailto targets become links or images.
Nothing from the input is ever passed through as HTML: the archive is public chat, and a
message may hold `<script>` or a `javascript:` link (issue 6 tests this in a browser).
"""
from __future__ import annotations

import re
from typing import Callable
from urllib.parse import urlsplit

from markupsafe import Markup, escape

from chatmine.analyse.questions import QUOTED
from chatmine.text.invisible import INVISIBLE_CHARS
from chatmine.text.mentions import MENTION

# One pass over a body: the constructs the corpus really has, most specific first.
# `![2018-09-19 09:36:58](http://...png)` images, `[name.pdf\n]()` files and
# `[title\n](https://...)` links (titles may span a line), bare URLs, `@name-org-role`
# mentions ended by ?, U+2005 or a space, and emoji codes such as [呲牙].
INLINE = re.compile(
    r"(?P<image>!\[(?P<alt>[^\]\n]{0,200})\]\((?P<src>[^)\s]{0,2000})\))"
    r"|(?P<link>\[(?P<label>[^\[\]]{1,300})\]\((?P<href>[^)\s]{0,2000})\))"
    r"|(?P<url>(?:https?://|mailto:)[^\s<>\"'()（）\[\]，。！？、]{1,2000})"
    rf"|(?P<mention>{MENTION.pattern})"
    r"|(?P<emoji>\[(?P<code>[^\[\]\n\d]{1,6})\])"
)
# Bidi overrides and zero-width characters would let text disguise itself (issue 6).
# Private-use characters are old phone emoji in the corpus: no font shows them, so they go too.
INVISIBLE = re.compile(f"[{INVISIBLE_CHARS}\ue000-\uf8ff]")
ALLOWED_SCHEMES = ("http", "https", "mailto")


def safe_url(url: str) -> str | None:
    """The URL if it may become a live link (http, https, mailto), else None."""
    cleaned = "".join(ch for ch in url.strip() if ch.isprintable() and not ch.isspace())
    try:
        scheme = urlsplit(cleaned).scheme.lower()
    except ValueError:
        return None
    return cleaned if scheme in ALLOWED_SCHEMES else None


def _text(text: str) -> str:
    """Escaped plain text, line breaks kept."""
    return str(escape(INVISIBLE.sub("", text))).replace("\n", "<br>\n")


def render_message(text: str, mention_url: Callable[[str], str | None] | None = None) -> Markup:
    """One chat message body as HTML: images, files, links, mentions and emoji rendered; a
    quote-reply's quote (「name：message」 - - - - reply) set apart above the reply."""
    quote = QUOTED.match(text)
    if quote:
        who, said = quote["who"], quote["said"]
        return Markup(f'<blockquote class="quoted"><span class="who">{_text(who)}</span>：'
                      f"{_inline_all(said, mention_url)}</blockquote>{_inline_all(text[quote.end():], mention_url)}")
    return Markup(_inline_all(text, mention_url))


def _inline_all(text: str, mention_url) -> str:
    out: list[str] = []
    pos = 0
    for match in INLINE.finditer(text):
        out.append(_text(text[pos:match.start()]))
        out.append(_inline(match, mention_url))
        pos = match.end()
    out.append(_text(text[pos:]))
    return "".join(out)


def _inline(match: re.Match, mention_url) -> str:
    kind = next(k for k in ("image", "link", "url", "mention", "emoji") if match.group(k) is not None)
    if kind == "image":
        src = safe_url(match.group("src"))
        if not src:
            return _text(match.group(0))
        alt = escape(match.group("alt") or "图片")
        return (f'<a class="img" href="{escape(src)}" rel="nofollow noopener" target="_blank">'
                f'<img src="{escape(src)}" alt="{alt}" loading="lazy" referrerpolicy="no-referrer"></a>')
    if kind == "link":
        label = match.group("label").strip() or match.group("href")
        href = safe_url(match.group("href"))
        if not match.group("href"):
            return f'<span class="file" title="文件">{_text(label)}</span>'
        if not href:
            return _text(match.group(0))
        return f'<a href="{escape(href)}" rel="nofollow noopener" target="_blank">{_text(label)}</a>'
    if kind == "url":
        href = safe_url(match.group("url"))
        return f'<a href="{escape(href)}" rel="nofollow noopener" target="_blank">{_text(match.group("url"))}</a>' if href else _text(match.group(0))
    if kind == "mention":
        # The separator after the name is text, outside the mention's link.
        mention, after = match.group(0)[:match.end("name") - match.start()], match.group(0)[match.end("name") - match.start():]
        url = mention_url(match.group("name")) if mention_url else None
        if url:
            return f'<a class="mention" href="{escape(url)}">{_text(mention)}</a>{_text(after)}'
        return f'<span class="mention">{_text(mention)}</span>{_text(after)}'
    return f'<span class="emoji" title="表情">{_text(match.group(0))}</span>'


HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
QUOTE = re.compile(r"^>\s?(.*)$")
# **bold** in articles, matched on already-escaped text (so it can hold no markup).
BOLD = re.compile(r"\*\*([^*<>\n]{1,200}?)\*\*")


def _prose(text: str) -> str:
    return BOLD.sub(r"<strong>\1</strong>", str(render_message(text)))
LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.、)])\s+(.*)$")


def render_article(text: str) -> Markup:
    """An article's markdown prose as HTML: headings, lists and paragraphs, inline as chat.

    A small renderer of our own rather than a markdown library: markdown passes raw HTML
    through by design, and the articles need only these few constructs.
    """
    out: list[str] = []
    para: list[str] = []
    items: list[str] = []
    section = 0

    def flush() -> None:
        if para:
            out.append(f"<p>{_prose(chr(10).join(para))}</p>")
            para.clear()
        if items:
            out.append("<ul>" + "".join(f"<li>{_prose(i)}</li>" for i in items) + "</ul>")
            items.clear()

    for raw in text.splitlines():
        line = raw.rstrip()
        heading = HEADING.match(line.strip())
        item = LIST_ITEM.match(line)
        if not line.strip() or heading or (item and para):
            flush()
        if heading:
            section += 1
            level = min(len(heading.group(1)) + 1, 4)
            out.append(f'<h{level} id="s{section}">{_prose(heading.group(2))}</h{level}>')
        elif QUOTE.match(line.strip()):
            flush()
            out.append(f"<blockquote>{_prose(QUOTE.match(line.strip()).group(1))}</blockquote>")
        elif item:
            items.append(item.group(1))
        elif line.strip():
            if items:
                flush()
            para.append(line.strip())
    flush()
    return Markup("\n".join(out))


def plain(text: str) -> str:
    """Text for excerpts, titles and the search index: markup reduced to its words."""
    def repl(match: re.Match) -> str:
        if match.group("image") is not None:
            return "[图片]"
        if match.group("link") is not None:
            return match.group("label").strip()
        return match.group(0)

    return INVISIBLE.sub("", INLINE.sub(repl, text))


def search_text(text: str) -> str:
    """What search matches in a message: its plain text without @mentions. A mention's org,
    role and city are no part of what was said: 17% of the corpus's messages holding 银联 and
    11% of those holding 风控 hold it only in a name (@张三-银联-风控-上海)."""
    return plain(MENTION.sub(" ", text)).strip()


def shorten(text: str, limit: int) -> str:
    """One line of at most `limit` characters, with an ellipsis when cut."""
    line = " ".join(plain(text).split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"
