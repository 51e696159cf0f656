"""The static site: every page, the feed, the sitemap and the search index, into one folder.

Input: threads, logs, SiteConfig. Output: HTML files under out_dir (render_site).
Templates (site_templates/) present; pages.py computes; webindex.py indexes.
"""
from __future__ import annotations

import shutil
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from chatmine import charts, pages, richtext
from chatmine.config import SiteConfig
from chatmine.model import Log, Thread
from chatmine.pages import SiteModel
from chatmine.webindex import SearchRecord, write_index

TEMPLATES = Path(__file__).resolve().parent.parent / "site_templates"
# A day log is indexed in blocks of about this many characters, each its own search
# result pointing at its first message (#L123): a whole busy day is 60 KB of text, and
# a first query must not download such fragments (budget: 250 KiB in all).
BLOCK_CHARS = 2000
# A Q&A is indexed by its questions and answers (the folded rest is in the day log's block).
QA_CHARS = 2500


@dataclass(slots=True)
class SiteResult:
    """What render_site wrote."""

    pages: int
    search_records: int


def render_site(threads: list[Thread], logs: list[Log], config: SiteConfig, out_dir: Path,
                *, search: bool = True) -> SiteResult:
    """Write the whole site into out_dir (created if needed; our own folders are replaced)."""
    out = Path(out_dir)
    model = pages.build_model(threads, logs, config)
    model.related = pages.related_threads(model.qa_threads, config.related)
    writer = Writer(out, model)
    for folder in ("q", "day", "group", "topic", "speaker", "article", "pagefind", "static"):
        shutil.rmtree(out / folder, ignore_errors=True)
    shutil.copytree(TEMPLATES / "static", out / "static")
    write_pages(writer, model)
    writer.write_xml("sitemap.xml", "sitemap.xml", urls=sorted(writer.written))
    writer.write_xml("feed.xml", "feed.xml", entries=model.qa_threads[: config.feed_entries])
    records = search_records(model) if search else []
    if records:
        write_index(records, out)
    return SiteResult(pages=len(writer.written), search_records=len(records))


def write_pages(writer: "Writer", model: SiteModel) -> None:
    """One call per page kind, top to bottom."""
    config = model.config
    writer.page("index.html", "home.html", title=config.title, description=config.description,
                **home_context(model))
    for thread in model.qa_threads:
        first = thread.qa[0].question
        writer.page(model.thread_url[thread.id], "thread.html", title=thread.title or richtext.shorten(first.text, 40),
                    description=richtext.shorten(first.text, 110) + f"（{pages.answer_count(thread)} 条回答）",
                    thread=thread, related=model.related.get(thread.id, []), shown=pages.qa_lines(thread))
    for log in model.logs:
        threads = model.threads_by_log.get(log.source, [])
        writer.page(model.log_url[log.source], "day.html", title=f"{config.group_name(log.group)} {log.date}",
                    description=f"{config.group_name(log.group)} {log.date} 的聊天记录，共 {len(log.messages)} 条消息。",
                    log=log, thread_of=thread_colours(threads), neighbours=neighbours(model, log))
    for group, url in model.group_url.items():
        logs = [log for log in model.logs if log.group == group]
        writer.page(url, "group.html", title=config.group_name(group),
                    description=f"{config.group_name(group)}：{len(logs)} 天的聊天记录。", group=group, by_month=by_month(logs))
    for topic in model.topics.values():
        writer.page(topic.url, "topic.html", title=f"话题：{topic.name}",
                    description=f"{topic.name}：{len(topic.threads)} 个问答，按时间从新到旧。", topic=topic,
                    trend=charts.stacked_bars(model.months, {topic.name: [topic.months[m] for m in model.months]},
                                              {topic.name: charts.PALETTE[0]}, f"{topic.name} 每月讨论数"))
    for speaker in model.speakers.values():
        writer.page(speaker.url, "speaker.html", title=speaker.name,
                    description=f"{speaker.name}：{speaker.messages} 条消息，提问 {len(speaker.asked)}，回答 {len(speaker.answered)}。",
                    speaker=speaker)
    writer.page("speakers.html", "speakers.html", title="群成员", description="按发言数排列的群成员。",
                speakers=sorted(model.speakers.values(), key=lambda s: (-s.messages, s.name)))
    for log in model.articles:
        writer.page(model.article_url[log.source], "article.html", title=log.title or log.source,
                    description=richtext.shorten(log.preamble, 110), log=log)
    writer.page("articles.html", "articles.html", title="文章", description="群里讨论整理成的文章。", articles=model.articles)


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
    most = sorted(model.qa_threads, key=lambda t: (-pages.answer_count(t), pages.newest_first(t)))
    return dict(latest=model.qa_threads[: config.latest], most_answered=most[: config.latest],
                activity=activity, colours=colours, trend=trend, months=months,
                sparks={t.key: charts.sparkline([t.months[m] for m in months], f"{t.name} 每月讨论数") for t in model.topics.values()},
                topics=[t for t in model.topics.values() if t.threads],
                groups=[(g, url, sum(1 for log in model.logs if log.group == g)) for g, url in model.group_url.items()],
                counts=dict(messages=sum(len(log.messages) for log in model.logs), qa=len(model.qa_threads),
                            days=len(model.logs), speakers=len(model.speakers)))


def thread_colours(threads: list[Thread]) -> dict[int, tuple[int, Thread]]:
    """Message line -> (colour number, thread): a day page tints each thread its own colour."""
    out = {}
    for number, thread in enumerate(threads):
        for message in thread.messages:
            out[message.line] = (number % 8, thread)
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
    """Q&A pages whole, articles whole, day logs in blocks (see BLOCK_CHARS)."""
    config = model.config
    records = []
    for thread in model.qa_threads:
        topic_names = [config.topic_name(t) for t in pages.thread_topics(thread)]
        records.append(SearchRecord(
            url=model.thread_url[thread.id], kind="qa", title=thread.title, date=thread.log.date.isoformat(),
            group=config.group_name(thread.log.group), topic=topic_names[0] if topic_names else "",
            text=richtext.plain(pages.thread_text(thread))[:QA_CHARS],
            filters=_filters(config, thread.log, topic_names)))
    for log in model.articles:
        records.extend(_article_sections(model, log))
    for log in model.logs:
        records.extend(_day_blocks(model, log))
    return records


def _article_sections(model: SiteModel, log: Log) -> list[SearchRecord]:
    """An article in sections (its headings carry the anchors #s1, #s2 ... render_article writes)."""
    config = model.config
    sections: list[tuple[str, list[str]]] = [("", [log.title])]
    for line in log.preamble.splitlines():
        if richtext.HEADING.match(line.strip()):
            sections.append((f"#s{len(sections)}", []))
        sections[-1][1].append(richtext.plain(line))
    records = []
    for anchor, lines in sections:
        text = "\n".join(lines).strip()
        for start in range(0, len(text), BLOCK_CHARS):
            records.append(SearchRecord(
                url=model.article_url[log.source] + anchor, kind="article", title=log.title or log.source,
                date=log.date.isoformat(), group=config.group_name(log.group), text=text[start:start + BLOCK_CHARS],
                filters=_filters(config, log, [])))
    return records


def _filters(config: SiteConfig, log: Log, topics: list[str]) -> dict[str, list[str]]:
    filters = {"group": [config.group_name(log.group)], "year": [str(log.date.year)]}
    if topics:
        filters["topic"] = topics
    return filters


def _day_blocks(model: SiteModel, log: Log) -> list[SearchRecord]:
    config = model.config
    records: list[SearchRecord] = []
    block: list[str] = []
    first = None
    for i, message in enumerate(log.messages):
        if message.kind in ("image", "empty", "emoji"):
            continue
        first = first or message
        block.append(f"{message.profile.name}：{richtext.plain(message.text)}")
        if sum(map(len, block)) >= BLOCK_CHARS or i == len(log.messages) - 1:
            records.append(SearchRecord(
                url=model.message_url(log, first), kind="day", title=f"{config.group_name(log.group)} {log.date} {first.time[:5]}",
                date=log.date.isoformat(), group=config.group_name(log.group), text="\n".join(block),
                filters=_filters(config, log, [])))
            block, first = [], None
    if block and first:
        records.append(SearchRecord(
            url=model.message_url(log, first), kind="day", title=f"{config.group_name(log.group)} {log.date} {first.time[:5]}",
            date=log.date.isoformat(), group=config.group_name(log.group), text="\n".join(block), filters=_filters(config, log, [])))
    return records


class Writer:
    """Renders templates to files under the site root; remembers what it wrote (sitemap)."""

    def __init__(self, out: Path, model: SiteModel):
        self.out = out
        self.model = model
        self.written: list[str] = []
        self.env = make_env()
        self.env.globals.update(site=model, config=model.config, pages=pages, charts=charts)
        self.env.filters["message"] = self.render_message

    def render_message(self, text: str, root: str):
        """A message body with @mentions linked to the speaker's page when the name resolves."""
        from chatmine.speakers import split_profile

        def mention_url(who: str) -> str | None:
            url = self.model.speaker_url(split_profile(who).name)
            return root + url if url else None

        return richtext.render_message(text, mention_url)

    def page(self, url: str, template: str, **context) -> None:
        root = "../" * url.count("/")
        base = self.model.config.base_url
        html = self.env.get_template(template).render(
            root=root, url=url, canonical=(base + url) if base else "", **context)
        self._write(url, html)
        self.written.append(url)

    def write_xml(self, name: str, template: str, **context) -> None:
        self._write(name, self.env.get_template(template).render(root="", **context))

    def _write(self, url: str, text: str) -> None:
        path = (self.out / url).resolve()
        if self.out.resolve() not in path.parents:  # slugs make this impossible; keep it so
            raise ValueError(f"refusing to write outside the site: {url}")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def make_env() -> Environment:
    """The one Jinja environment: autoescape on for HTML and XML, filters registered here."""
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(["html", "xml"]),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(message=richtext.render_message, article=richtext.render_article,
                       shorten=richtext.shorten, plain=richtext.plain)
    return env
