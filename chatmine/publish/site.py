"""The static site: every page, the feed, the sitemap and the search index, into one folder.

Input: threads, logs, SiteConfig. Output: HTML files under out_dir (render_site).
Templates (site_templates/) present; pages.py computes; search/ indexes.
"""
from __future__ import annotations

import json
import re
import shutil
from concurrent import futures
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from chatmine import workers
from chatmine.analyse.predicates import WORDLESS
from chatmine.analyse.titles import PLAIN_END, plainly_asks
from chatmine.cache import link_or_copy
from chatmine.model import Log, Message, Thread
from chatmine.publish import charts, pagekeys, pages, richtext
from chatmine.publish.pages import SiteModel
from chatmine.publish.related import related_threads
from chatmine.read.config import SiteConfig
from chatmine.resources import TEMPLATES
from chatmine.search.records import SearchRecord, query_words
from chatmine.search.write import write_index
from chatmine.text.speakers import split_profile

# What an output path may look like: slug folders and names, no "..", no absolute path.
SAFE_PATH = re.compile(r"(?:[a-z0-9_-]+/){0,3}[a-z0-9_-]+\.(?:html|xml)")
# An article is indexed in sections of about this many characters, each its own search result
# pointing at its heading (#s2): a result's display data (search/r/) is fetched when it is shown.
BLOCK_CHARS = 2000
# A day log's blocks hold at most about this many characters (and end at a thread: THREAD_BLOCK_CHARS).
DAY_BLOCK_CHARS = 4000
THREAD_BLOCK_CHARS = 300
"""A day block also ends where a new thread starts once it holds this many characters, so a
question's block is about it: on the editor's questions of the dev days (bench/eval_search.py,
an earlier ranking) the right record came first for 0.446 of them, 0.418 with blocks cut by
size alone, and the records went from 3,527 to 7,265."""
QA_CHARS = 2500
"""A Q&A page's record holds what the page shows, folded conversation included, up to this many
characters (the rest goes to the day's blocks): 3 of the corpus's 2,490 records reach it, and
1,000 to 4,000 found the same on the dev days (bench/eval_search.py, docs/search.md)."""
# Between two messages of a record: the search's excerpts show it ("…就跨境了 ｜ 外卡收单风险大…"),
# where a line break ran them together (the index is read as words, and Chinese has no spaces).
MESSAGE_BREAK = " ｜ "


@dataclass(slots=True)
class SiteResult:
    """What render_site wrote."""

    pages: int
    search_records: int
    reused: int = 0
    """Pages linked from the previous site (their inputs had not changed)."""


def render_site(threads: list[Thread], logs: list[Log], config: SiteConfig, out_dir: Path,
                *, search: bool = True, previous: Path | None = None) -> SiteResult:
    """Write the whole site into out_dir (created if needed; our own folders are replaced).

    `previous`: an earlier site built by chatmine (the one being replaced). Its pages whose
    inputs are unchanged (pagekeys.py) are linked rather than rendered, and its search
    index is updated in place (search/write.py).
    """
    out = Path(out_dir)
    model = pages.build_model(threads, logs, config)
    for folder in ("q", "day", "group", "topic", "speaker", "article", "search", "static"):
        shutil.rmtree(out / folder, ignore_errors=True)
    earlier = read_manifest(previous)
    model.related = related_threads(model.qa_threads, config.related)
    writer = Writer(out, model, previous=previous if earlier else None, earlier=earlier)
    shutil.copytree(TEMPLATES / "static", out / "static")
    records: list[SearchRecord] = []

    def index() -> None:  # the previous site's index is updated in place (unchanged files linked)
        records.extend(search_records(model) if search else [])
        if records:
            write_index(records, out / "search", words=query_words(),
                        previous=previous / "search" if previous and earlier else None)

    write_pages(writer, list(page_jobs(model)), beside=index)
    if config.base_url:  # both protocols require absolute URLs
        writer.write_xml("sitemap.xml", "sitemap.xml", urls=sorted(writer.written))
        writer.write_xml("feed.xml", "feed.xml", entries=model.qa_threads[: config.feed_entries])
    write_manifest(out, writer.manifest)
    return SiteResult(pages=len(writer.written), search_records=len(records), reused=writer.reused)


@dataclass(slots=True)
class PageJob:
    """A page to write: its URL, its template and what the template reads; `key` (a function
    giving the hash of its inputs, pagekeys.py) lets an unchanged page be linked from the
    previous site instead."""

    url: str
    template: str
    key: Callable[[], str] | None
    context: dict


def _page(url: str, template: str, key: Callable[[], str] | None = None, **context) -> PageJob:
    return PageJob(url, template, key, context)


CHUNK = 16
"""Pages a process takes at a time from the shared counter (write_pages)."""
MIN_PARALLEL = 200
"""Below this many pages, forking a second process costs more than it saves."""
_shared: tuple[Writer, list[PageJob], object] | None = None
"""The writer, the jobs and their counter, for the forked process (write_pages)."""


def write_pages(writer: "Writer", jobs: list[PageJob], beside: Callable[[], None]) -> None:
    """Write every page of `jobs`, and run `beside` (the search index) meanwhile.

    On Linux a forked process renders pages from the start while this one runs `beside`, then
    both take the next CHUNK pages from a shared counter until none are left: rendering is
    most of a build's own time and each page depends on the model alone (2 cores: a cold
    build of the whole corpus renders in about half the time). What the other process wrote
    (`manifest`, `written`, `reused`) comes back to `writer`."""
    global _shared
    if len(jobs) < MIN_PARALLEL or not workers.can_fork():
        beside()
        for job in jobs:
            writer.write(job)
        return
    counter = workers.shared_counter()
    _shared = (writer, jobs, counter)
    try:
        with workers.worker_pool(1) as pool:
            other = pool.submit(_render_shared)
            try:
                beside()
                _take(writer, jobs, counter)
            except BaseException:  # Ctrl-C or an error: the other process takes no more pages,
                with counter.get_lock():
                    counter.value = len(jobs)
                # and ends the chunk it took before the staging folder it writes into is deleted
                # (it had left the folder behind: test_publish's Ctrl-C, once a new day built faster).
                futures.wait([other])
                raise
            manifest, written, reused = other.result()
    finally:
        _shared = None
    writer.manifest.update(manifest)
    writer.written.extend(written)
    writer.reused += reused


def _render_shared() -> tuple[dict[str, str], list[str], int]:
    """In the forked process: take pages until none are left; what it wrote."""
    writer, jobs, counter = _shared
    _take(writer, jobs, counter)
    return writer.manifest, writer.written, writer.reused


def _take(writer: "Writer", jobs: list[PageJob], counter) -> None:
    """Write the jobs `counter` hands out CHUNK at a time, until none are left."""
    while True:
        with counter.get_lock():
            start = counter.value
            counter.value = start + CHUNK
        if start >= len(jobs):
            return
        for job in jobs[start:start + CHUNK]:
            writer.write(job)


def page_jobs(model: SiteModel) -> Iterator[PageJob]:
    """Every page of the site to write, one kind after another, top to bottom."""
    config = model.config
    yield _page("index.html", "home.html", title=config.title, description=config.description,
                **home_context(model))
    shared = pagekeys.site_key(model)
    for thread in model.qa_threads:
        first = thread.qa[0].question
        yield _page(model.thread_url[thread.id], "thread.html", key=partial(pagekeys.thread_page, model, shared, thread), title=thread.title or richtext.shorten(first.text, 40),
                    description=richtext.shorten(first.text, 110) + f"（{pages.answer_count(thread)} 条回答）",
                    thread=thread, related=model.related.get(thread.id, []), rest=pages.folded(thread))
    by_source = {log.source: log for log in model.logs}
    for log in model.logs:
        threads = model.threads_by_log.get(log.source, [])
        recorded_in = [by_source[source] for source in model.copies.originals.get(log.source, [])]
        colours, around = thread_colours(threads), neighbours(model, log)
        yield _page(model.log_url[log.source], "day.html", key=partial(pagekeys.day_page, model, shared, log, colours, around), title=f"{config.group_name(log.group)} {log.date}",
                    description=f"{config.group_name(log.group)} {log.date} 的聊天记录，共 {len(log.messages)} 条消息。",
                    log=log, thread_of=colours, neighbours=around, recorded_in=recorded_in)
    for group, url in model.group_url.items():
        logs = [log for log in model.logs if log.group == group]
        yield _page(url, "group.html", title=config.group_name(group),
                    description=f"{config.group_name(group)}：{len(logs)} 天的聊天记录。", group=group, by_month=by_month(logs))
    months = charts.month_range(model.months)
    for topic in model.topics.values():
        yield _page(topic.url, "topic.html", title=f"话题：{topic.name}",
                    description=f"{topic.name}：{len(topic.threads)} 个问答，按时间从新到旧。", topic=topic,
                    trend=charts.stacked_bars(months, {topic.name: [topic.months[m] for m in months]},
                                              {topic.name: charts.PALETTE[0]}, f"{topic.name} 每月讨论数"))
    for speaker in model.speakers.values():
        yield _page(speaker.url, "speaker.html", key=partial(pagekeys.speaker_page, model, shared, speaker), title=speaker.name,
                    description=f"{speaker.name}：{speaker.messages} 条消息，提问 {len(speaker.asked)}，回答 {len(speaker.answered)}。",
                    speaker=speaker)
    yield _page("speakers.html", "speakers.html", title="群成员", description="按发言数排列的群成员。",
                speakers=sorted(model.speakers.values(), key=lambda s: (-s.messages, s.name)))
    for log in model.articles:
        yield _page(model.article_url[log.source], "article.html", title=log.title or log.source,
                    description=richtext.shorten(log.preamble, 110), log=log)
    yield _page("articles.html", "articles.html", title="文章", description="群里讨论整理成的文章。", articles=model.articles)


SHOWCASE_ASK = re.compile(r"[?？]|^(?:请教|请问|想问|求助|求教|咨询)")


def _showcased(title: str) -> bool:
    """A title the front page shows: it plainly asks, and reads as a question out of its
    conversation too, with a question mark, a question's ending or a request to open it. A
    question word alone let in statements that drew a long discussion and topped "most
    answered" on the whole corpus ("怎么划分更合理，更适合自己的业务，是命题", "是否再发放优惠券，
    属于营销的业务逻辑范畴")."""
    return plainly_asks(title) and bool(SHOWCASE_ASK.search(title) or PLAIN_END.search(title))


def home_context(model: SiteModel) -> dict:
    config = model.config
    months = charts.month_range(model.months)
    per_group: dict[str, Counter] = {}
    for log in model.logs:
        per_group.setdefault(config.group_name(log.group), Counter())[f"{log.date:%Y-%m}"] += len(log.messages)
    colours = {name: charts.PALETTE[i % len(charts.PALETTE)] for i, name in enumerate(per_group)}
    activity = charts.stacked_bars(months, {g: [c[m] for m in months] for g, c in per_group.items()}, colours, "每月消息数（按群）")
    tags = [t for t in model.topics.values() if not t.emerging]
    trend = charts.heatmap(months, [(t.name, [t.months[m] for m in months]) for t in tags], "每月讨论数（按话题）")
    # The front page shows answered questions on a payment subject: banter that reads as a
    # question ("饿了么呢…", "你认识你们数据分析的，陈龙吗？") filled half of "latest" and topped
    # "most answered" on the whole corpus; so did statements that drew a long discussion ("可以分库
    # 分表。…都加的累死"): the title must plainly ask. Every Q&A is still on its topic, group and day pages.
    showcase = [t for t in model.qa_threads
                if pages.answered(t) and pages.thread_topics(t)[:1] != ["other"] and _showcased(t.title)]
    # By distinct people answering: a count of answer messages favours two people chatting.
    most = sorted(showcase or model.qa_threads,
                  key=lambda t: (-pages.answerer_count(t), -pages.answer_count(t), pages.newest_first(t)))
    return dict(latest=(showcase or model.qa_threads)[: config.latest], most_answered=most[: config.latest],
                activity=activity, colours=colours, trend=trend, months=months,
                sparks={t.key: charts.sparkline([t.months[m] for m in months], f"{t.name} 每月讨论数") for t in model.topics.values()},
                topics=[t for t in model.topics.values() if t.threads],
                groups=[(g, url, sum(1 for log in model.logs if log.group == g)) for g, url in model.group_url.items()],
                counts=dict(messages=sum(len(log.messages) for log in model.logs), qa=len(model.qa_threads),
                            days=len(model.logs), speakers=len(model.speakers)))


def thread_colours(threads: list[Thread]) -> dict[int, tuple[int, Thread | None, bool, bool]]:
    """Message line -> (colour number, thread if the line is its question or a discussion's
    opening, thread starts here, the line asks).

    A day page tints each thread its own colour and marks questions and openings with a link
    to their page.
    """
    out = {}
    for number, thread in enumerate(threads):
        asks = {qa.question.line: qa.asks for qa in thread.qa}
        for i, message in enumerate(thread.messages):
            line = message.line
            out[line] = (number % 8, thread if line in asks else None, i == 0, asks.get(line, False))
    return out


def neighbours(model: SiteModel, log: Log) -> tuple[Log | None, Log | None]:
    same = [l for l in model.logs if l.group == log.group]
    i = same.index(log)
    return (same[i - 1] if i > 0 else None, same[i + 1] if i + 1 < len(same) else None)


def by_month(logs: list[Log]) -> list[tuple[str, list[Log]]]:
    months: dict[str, list[Log]] = {}
    for log in sorted(logs, key=lambda l: l.date, reverse=True):
        months.setdefault(f"{log.date:%Y-%m}", []).append(log)
    return list(months.items())


def search_records(model: SiteModel) -> list[SearchRecord]:
    """Answered Q&A pages by what they show, articles and day logs in blocks.

    Every message with text is in exactly one record: a Q&A page's record holds its questions and
    answers, then the conversation it shows folded (page_messages); what goes past QA_CHARS (long
    discussions) is indexed in its day's blocks instead of being left out, and so is a question
    nobody answered (its day block holds it; THREAD_BLOCK_CHARS makes that block about it).
    """
    config = model.config
    records = []
    on_qa_pages: dict[str, set[int]] = {}
    answered = list(filter(pages.answered, model.qa_threads))
    held = page_messages(model, answered)
    for thread in answered:
        topic_names = [config.topic_name(t) for t in pages.thread_topics(thread)]
        text, lead, lines, part_lines = _qa_text(*held[thread.id])
        on_qa_pages.setdefault(thread.log.source, set()).update(lines)
        records.append(SearchRecord(
            url=model.thread_url[thread.id], kind="qa" if any(qa.asks for qa in thread.qa) else "talk", title=thread.title, date=thread.log.date.isoformat(),
            group=config.group_name(thread.log.group), topic=topic_names[0] if topic_names else "",
            text=text, lead=lead, filters=_filters(config, thread.log, topic_names),
            source=thread.log.source, line=thread.qa[0].question.line, lines=part_lines,
            asker=thread.qa[0].question.profile.name or thread.qa[0].question.speaker, answers=pages.answer_count(thread)))
    for log in model.articles:
        records.extend(_article_sections(model, log))
    for log in model.logs:
        records.extend(_day_blocks(model, log, on_qa_pages.get(log.source, set())))
    return records


def page_messages(model: SiteModel, threads: list[Thread]) -> dict[str, tuple[list[Message], list[Message]]]:
    """Thread id -> what its Q&A page's search record holds: the messages the page shows (its
    questions and answers) and those it shows folded (the lead-in above the question, the rest
    of its thread below), each in order. A message on two pages is one page's: the page asking
    it, else the page listing it (a reply may be listed on one page and folded in another's
    thread: qa.link_across), else the first folding it. Not a raw dump's copies of a daily log's
    messages (the daily log's records hold them), nor a folded message without words."""
    def shown(thread: Thread) -> list[Message]:
        return [m for qa in thread.qa for m in [qa.question, *qa.answers]]

    def folded(thread: Thread) -> list[Message]:
        return [m for m in [*model.lead_in.get(thread.id, []), *pages.folded(thread)] if m.kind not in WORDLESS]

    on_page = {t.id: (shown(t), folded(t)) for t in threads}
    claims = ([(t, [qa.question for qa in t.qa]) for t in threads] + [(t, on_page[t.id][0]) for t in threads]
              + [(t, on_page[t.id][1]) for t in threads])
    owner: dict[tuple[str, int], str] = {}
    for thread, messages in claims:
        for m in messages:
            owner.setdefault((thread.log.source, m.line), thread.id)

    def own(thread: Thread, messages: list[Message], taken: set[int]) -> list[Message]:
        kept = {m.line: m for m in messages if owner[thread.log.source, m.line] == thread.id
                and m.line not in taken and m not in model.copies}
        return [kept[line] for line in sorted(kept)]

    held = {}
    for thread in threads:
        page_shows, page_folds = on_page[thread.id]
        on_show = own(thread, page_shows, set())
        held[thread.id] = on_show, own(thread, page_folds, {m.line for m in on_show})
    return held


def _qa_text(shown: list[Message], folded: list[Message]) -> tuple[str, int, set[int], list[int]]:
    """A Q&A page's messages (page_messages) up to QA_CHARS: the text, how many of its characters
    are the `shown` messages' (SearchRecord.lead), the messages' lines, and the line of each
    message the text holds."""
    parts, lines, size, part_lines, lead = [], set(), 0, [], 0
    for n, message in enumerate([*shown, *folded]):
        text = richtext.search_text(message.text)
        if size and size + len(text) > QA_CHARS:
            break
        lines.add(message.line)
        if not text:
            continue  # only a mention: nothing said to find
        parts.append(text)
        part_lines.append(message.line)
        size += len(text) + len(MESSAGE_BREAK)
        if n < len(shown):
            lead = size - len(MESSAGE_BREAK)
    text = MESSAGE_BREAK.join(parts)[:QA_CHARS]
    return text, min(lead, len(text)), lines, part_lines


def _article_sections(model: SiteModel, log: Log) -> list[SearchRecord]:
    """An article in sections (its headings carry the anchors #s1, #s2 ... render_article writes)."""
    sections: list[tuple[str, list[str]]] = [("", [log.title])]
    for line in log.preamble.splitlines():
        if richtext.HEADING.match(line.strip()):
            sections.append((f"#s{len(sections)}", []))
        sections[-1][1].append(richtext.plain(line))
    records = []
    anchor, text = "", ""
    # Sections are merged up to BLOCK_CHARS: one record per heading made 941 records of the
    # archive's articles, most a heading and a line.
    for section_anchor, lines in sections:
        section = "\n".join(lines).strip()
        if text and len(text) + len(section) > BLOCK_CHARS:
            records.extend(_article_records(model, log, anchor, text))
            anchor, text = section_anchor, ""
        text = (text + "\n" + section).strip()
    if text:
        records.extend(_article_records(model, log, anchor, text))
    return records


def _article_records(model: SiteModel, log: Log, anchor: str, text: str) -> list[SearchRecord]:
    config = model.config
    return [SearchRecord(url=model.article_url[log.source] + anchor, kind="article", title=log.title or log.source,
                         date=log.date.isoformat(), group=config.group_name(log.group),
                         text=text[start:start + BLOCK_CHARS], filters=_filters(config, log, []),
                         source=log.source, line=log.body_start)
            for start in range(0, len(text), BLOCK_CHARS)]


def _filters(config: SiteConfig, log: Log, topics: list[str]) -> dict[str, list[str]]:
    filters = {"group": [config.group_name(log.group)], "year": [str(log.date.year)]}
    if topics:
        filters["topic"] = topics
    return filters


def _day_blocks(model: SiteModel, log: Log, on_qa_pages: set[int]) -> list[SearchRecord]:
    """A day's messages in blocks, leaving out those its Q&A pages already index, and a raw
    dump's copies of a daily log's messages (copies.py: the daily log's records hold them).

    Without that, a question and its answers came up twice in results (its Q&A page and
    its day), and the index carried them twice (measured: ~40% of indexing time).
    """
    blocks: list[list[Message]] = [[]]
    size = 0
    thread_of = {m.line: t.id for t in model.threads_by_log.get(log.source, []) for m in t.messages}
    for message in log.messages:
        if message.kind in WORDLESS or message.line in on_qa_pages or message in model.copies:
            continue
        if size >= DAY_BLOCK_CHARS or (size >= THREAD_BLOCK_CHARS
                                       and thread_of.get(message.line) != thread_of.get(blocks[-1][-1].line)):
            blocks.append([])
            size = 0
        blocks[-1].append(message)
        size += len(message.text)
    group = model.config.group_name(log.group)
    return [SearchRecord(url=model.message_url(log, block[0]), kind="day", title=f"{group} {log.date} {block[0].time[:5]}",
                         date=log.date.isoformat(), group=group,
                         text=MESSAGE_BREAK.join(f"{m.profile.name}：{richtext.search_text(m.text)}" for m in block),
                         filters=_filters(model.config, log, []), source=log.source, line=block[0].line,
                         lines=[m.line for m in block])
            for block in blocks if block]


class Writer:
    """Renders templates to files under the site root; remembers what it wrote (sitemap)."""

    def __init__(self, out: Path, model: SiteModel, previous: Path | None = None, earlier: dict | None = None):
        self.out = out
        self.model = model
        self.previous = previous
        self.earlier = earlier or {}
        self.manifest: dict[str, str] = {}
        """URL -> key of the inputs of each page that has one (written beside the site)."""
        self.reused = 0
        self.written: list[str] = []
        self._rendered: dict[tuple[str, str], object] = {}
        self._folders: set[Path] = set()
        self.env = make_env()
        self.env.globals.update(site=model, config=model.config, pages=pages, charts=charts)
        self.env.filters["message"] = self.render_message
        self.env.globals.update(who=self.who, message=self.message_block)
        self._items: dict[tuple[str, str], Markup] = {}
        self._item_macro = self.env.get_template("_macros.html").module.qa_item
        self.env.globals.update(qa_item=self.qa_item)

    def who(self, message: Message, root: str, show_profile: bool = True) -> Markup:
        """Speaker name (linked to their page) with org and role: on every message, so in Python.

        As a Jinja macro this and message_block cost 60% of rendering the whole archive.
        """
        url = self.model.speaker_url(message.profile.name)
        name = (f'<a href="{escape(root + url)}">{escape(message.profile.name)}</a>' if url
                else str(escape(message.speaker)))
        label = " · ".join(p for p in (message.profile.org, message.profile.role) if p)
        extra = f' <span class="org">{escape(label)}</span>' if show_profile and label else ""
        return Markup(f'<span class="who">{name}{extra}</span>')

    def qa_item(self, thread: Thread, root: str) -> Markup:
        """A Q&A as a list item (_macros.html), rendered once per thread and depth: a thread is
        listed as related on about ten pages, on its topics' and its people's (6 s of a whole
        archive's 34 s render before)."""
        key = (thread.id, root)
        if key not in self._items:
            self._items[key] = Markup(self._item_macro(thread, root))
        return self._items[key]

    def message_block(self, message: Message, root: str, log: Log, cls: str = "") -> Markup:
        """One message as an <article> with its #L anchor, speaker, time link and body."""
        href = escape(root + self.model.message_url(log, message))
        return Markup(
            f'<article class="msg {escape(cls)}" id="L{message.line}"><header>{self.who(message, root)} '
            f'<a class="time" href="{href}" title="在当天记录中查看">{escape(message.time)}</a></header>'
            f'<div class="body">{self.render_message(message.text, root)}</div></article>'
        )

    def render_message(self, text: str, root: str):
        """A message body with @mentions linked to the speaker's page when the name resolves.

        Cached: a Q&A's messages are rendered on its page, in its day and as related Q&A.
        """
        key = (text, root)
        if key not in self._rendered:
            self._rendered[key] = self._render_message(text, root)
        return self._rendered[key]

    def _render_message(self, text: str, root: str):
        def mention_url(who: str) -> str | None:
            url = self.model.speaker_url(split_profile(who).name)
            return root + url if url else None

        return richtext.render_message(text, mention_url)

    def write(self, job: PageJob) -> None:
        """Render a page; with a `key`, link the previous site's copy instead when the hash of
        its inputs has not changed."""
        url, key, context = job.url, job.key, job.context
        if key is not None:
            digest = self.manifest[url] = key()
            if self.previous and self.earlier.get(url) == digest and self._link(url):
                self.written.append(url)
                self.reused += 1
                return
        root = "../" * url.count("/")
        base = self.model.config.base_url
        html = self.env.get_template(job.template).render(
            root=root, url=url, canonical=(base + url) if base else "", **context)
        self._write(url, html)
        self.written.append(url)

    def _link(self, url: str) -> bool:
        """The previous site's file, hard-linked (copied where links cannot be made)."""
        if not SAFE_PATH.fullmatch(url):
            raise ValueError(f"refusing to write outside the site: {url!r}")
        source, target = self.previous / url, self.out / url
        if target.parent not in self._folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._folders.add(target.parent)
        try:
            link_or_copy(source, target)
        except FileNotFoundError:
            return False
        return True

    def write_xml(self, name: str, template: str, **context) -> None:
        # XML 1.0 forbids C0 controls, and real messages carry U+0010..U+0014: one would
        # make the whole feed unreadable (issue 6).
        text = self.env.get_template(template).render(root="", **context)
        self._write(name, re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", "", text))

    def _write(self, url: str, text: str) -> None:
        if not SAFE_PATH.fullmatch(url):  # slugs make this impossible; keep it so
            raise ValueError(f"refusing to write outside the site: {url!r}")
        path = self.out / url
        if path.parent not in self._folders:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._folders.add(path.parent)
        path.write_text(text, encoding="utf-8")


MANIFEST = ".chatmine-pages.json"


def read_manifest(site: Path | None) -> dict[str, str]:
    """The page keys an earlier build wrote beside its pages ({} when there is none)."""
    if site is None:
        return {}
    try:
        data = json.loads((Path(site) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def write_manifest(site: Path, manifest: dict[str, str]) -> None:
    (site / MANIFEST).write_text(json.dumps(manifest, sort_keys=True, indent=0), encoding="utf-8")


def make_env() -> Environment:
    """The one Jinja environment: autoescape on for HTML and XML, filters registered here."""
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(["html", "xml"]),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(message=richtext.render_message, article=richtext.render_article,
                       shorten=richtext.shorten, plain=richtext.plain)
    return env
