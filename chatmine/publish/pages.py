"""What the site shows, computed once: URLs, Q&A, topics, speakers, related Q&A, counts.

Input: threads, logs and the SiteConfig. Output: a SiteModel the templates only present.
Every output path comes from a sanitized slug (thread id, ASCII folder name, or a hash),
never from a title, speaker or other value written inside a file.
"""
from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from chatmine.analyse.copies import Copies, find_copies
from chatmine.analyse.predicates import is_chatter, is_echo
from chatmine.analyse.topics import FIT_THRESHOLD, OTHER
from chatmine.model import QA, Log, Message, Thread
from chatmine.read.config import SiteConfig

SLUG = re.compile(r"[^a-z0-9_-]+")
# Names Windows refuses as files, whatever the extension.
RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}


def slugify(value: str, fallback: str = "x") -> str:
    """A safe file name part: lowercase ASCII letters, digits, - and _; a hash where that is empty.

    A value that had to be changed gets a short hash of the original, so two inputs that
    map to the same slug (Ab / ab, or two Chinese names) stay distinct.
    """
    slug = SLUG.sub("-", value.lower()).strip("-_")[:60]
    if slug != value or not slug or slug in RESERVED:
        digest = hashlib.sha1(value.encode("utf-8", "surrogatepass")).hexdigest()[:8]
        slug = f"{slug}-{digest}" if slug and slug not in RESERVED else f"{fallback}-{digest}"
    return slug


@dataclass(slots=True)
class Topic:
    """A taxonomy tag or an emerging cluster, with the Q&A threads filed under it."""

    key: str
    """Tag id, or the cluster id for an emerging topic."""
    name: str
    url: str
    emerging: bool = False
    threads: list[Thread] = field(default_factory=list)
    """Q&A threads, newest first."""
    months: Counter = field(default_factory=Counter)
    """All threads of this topic per YYYY-MM (the trend)."""
    answerers: Counter = field(default_factory=Counter)
    """Speaker name -> answers given in this topic's Q&A."""


@dataclass(slots=True)
class Speaker:
    """A person by resolved name: what they asked, answered and who they said they were."""

    name: str
    url: str
    messages: int = 0
    profiles: Counter = field(default_factory=Counter)
    """(org, role) pairs seen in their headers."""
    asked: list[Thread] = field(default_factory=list)
    answered: list[Thread] = field(default_factory=list)
    groups: Counter = field(default_factory=Counter)
    first: str = ""
    last: str = ""


@dataclass(slots=True)
class SiteModel:
    """Everything the templates need, keyed for lookups."""

    config: SiteConfig
    logs: list[Log]
    """Day logs (with messages), by group then date."""
    articles: list[Log]
    qa_threads: list[Thread]
    """Threads holding at least one question, newest first."""
    threads_by_log: dict[str, list[Thread]]
    thread_url: dict[str, str]
    log_url: dict[str, str]
    article_url: dict[str, str]
    group_url: dict[str, str]
    topics: dict[str, Topic]
    speakers: dict[str, Speaker]
    related: dict[str, list[Thread]] = field(default_factory=dict)
    copies: Copies = field(default_factory=Copies)
    """The raw dumps' messages a daily log records again: in no search record (copies.py)."""
    months: list[str] = field(default_factory=list)
    conversation: dict[str, tuple[Thread | None, Thread | None]] = field(default_factory=dict)
    """Thread id -> the Q&A threads before and after it in its conversation (or None)."""
    lead_in: dict[str, list[Message]] = field(default_factory=dict)
    """Thread id -> what was said just before its question in its conversation, where no Q&A
    page shows it (lead_ins)."""

    def speaker_url(self, name: str) -> str | None:
        speaker = self.speakers.get(name)
        return speaker.url if speaker else None

    def message_url(self, log: Log, message: Message) -> str:
        return f"{self.log_url[log.source]}#L{message.line}"


def build_model(threads: list[Thread], logs: list[Log], config: SiteConfig) -> SiteModel:
    """Collect URLs, topics and speakers from the analysed archive. A raw dump's thread whose
    questions a daily log records again (copies.py) is shown as chat: the daily log's is its Q&A."""
    copies = find_copies(logs)
    threads = [copies.shown(t) for t in threads]
    day_logs = sorted((log for log in logs if log.messages), key=lambda l: (l.group, l.date, l.source))
    articles = sorted((log for log in logs if log.is_article), key=lambda l: (l.date, l.source), reverse=True)
    threads_by_log: dict[str, list[Thread]] = defaultdict(list)
    for thread in threads:
        threads_by_log[thread.log.source].append(thread)
    for group in threads_by_log.values():
        group.sort(key=lambda t: t.messages[0].line if t.messages else 0)
    qa_threads = sorted((t for t in threads if t.qa), key=newest_first)
    model = SiteModel(
        config=config, logs=day_logs, articles=articles, qa_threads=qa_threads,
        threads_by_log=dict(threads_by_log),
        thread_url={t.id: f"q/{slugify(t.id, 'q')}.html" for t in qa_threads},
        log_url=_unique_urls(day_logs, lambda log: f"day/{slugify(log.group, 'g')}/{slugify(_stem(log.source), 'day')}"),
        article_url=_unique_urls(articles, lambda log: f"article/{slugify(_stem(log.source), 'a')}"),
        group_url={g: f"group/{slugify(g, 'g')}.html" for g in sorted({log.group for log in day_logs})},
        topics={}, speakers={}, copies=copies,
    )
    model.topics = collect_topics(threads, qa_threads, config)
    model.speakers = collect_speakers(day_logs, qa_threads)
    model.conversation = conversation_neighbours(threads)
    model.lead_in = lead_ins(threads)
    model.months = sorted({f"{log.date:%Y-%m}" for log in day_logs})
    return model


def newest_first(thread: Thread) -> tuple:
    first = thread.messages[0] if thread.messages else None
    return (-thread.log.date.toordinal(), thread.log.source, -(first.line if first else 0))


def _stem(source: str) -> str:
    name = source.rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[0] if "." in name else name


def _unique_urls(logs: list[Log], make) -> dict[str, str]:
    """source -> URL; a second log mapping to the same slug gets -2, -3 (both survive)."""
    urls: dict[str, str] = {}
    taken: set[str] = set()
    for log in sorted(logs, key=lambda l: l.source):
        base = make(log)
        url, n = f"{base}.html", 1
        while url in taken:
            n += 1
            url = f"{base}-{n}.html"
        taken.add(url)
        urls[log.source] = url
    return urls


SECOND_TAG_SHARE = 0.15
"""A second tag scoring under this share of the first's is a guess, not shown: of 12 read below
0.15 on the corpus's Q&A threads (2,104 of 7,939 second tags), most were wrong ("如果生产端发送数据到mq
出现网络抖动…" second under cards, "客户的资金账户在会计系统里头有体现么" under architecture); of 12 read
between 0.15 and 0.3, most were right ("直连网联，通道费有所减少吗？" under routing)."""


def thread_topics(thread: Thread) -> list[str]:
    """The tags a thread is filed under: its best two (a long ranked list would flood pages),
    the second only where it scores SECOND_TAG_SHARE of the first, and `other` only in first
    place: second to a payment subject it says that some of the thread is banter, which puts
    "二类账户做p2p存管不合规？" on no page a reader of banter wants (the export keeps the whole
    ranked list, scores in topic_scores)."""
    shown = [t for i, t in enumerate(thread.topics[:2]) if t and (i == 0 or t != OTHER)]
    if len(shown) == 2 and thread.topic_scores:
        first, second = (thread.topic_scores.get(t, 0.0) for t in shown)
        if second < SECOND_TAG_SHARE * first or shown[0] == OTHER and second < FIT_THRESHOLD:
            shown = shown[:1]
    return shown


MIN_EMERGING_QA = 5


def collect_topics(threads: list[Thread], qa_threads: list[Thread], config: SiteConfig) -> dict[str, Topic]:
    topics: dict[str, Topic] = {}

    def topic(key: str, emerging: bool) -> Topic:
        full = ("cluster:" if emerging else "") + key
        if full not in topics:
            name = key if emerging else config.topic_name(key)
            topics[full] = Topic(key=full, name=name, url=f"topic/{slugify(('c-' if emerging else '') + key, 't')}.html", emerging=emerging)
        return topics[full]

    for thread in threads:
        keys = [(k, False) for k in thread_topics(thread)] + ([(thread.cluster, True)] if thread.cluster else [])
        for key, emerging in keys:
            topic(key, emerging).months[f"{thread.log.date:%Y-%m}"] += 1
    for thread in qa_threads:
        keys = [(k, False) for k in thread_topics(thread)] + ([(thread.cluster, True)] if thread.cluster else [])
        for key, emerging in keys:
            entry = topic(key, emerging)
            entry.threads.append(thread)
            for qa in thread.qa:
                # In answer order, not set order: ties in the ranking must not depend on the hash seed.
                entry.answerers.update(dict.fromkeys(a.profile.name for a in qa.answers if a.profile.name).keys())
    # An emerging topic is a page of Q&A: one whose threads hold few questions (a cluster of
    # event announcements had 59 threads and 1 Q&A) is not shown, nor linked.
    shown = {key: t for key, t in topics.items() if not t.emerging or len(t.threads) >= MIN_EMERGING_QA}
    return dict(sorted(shown.items(), key=lambda kv: (kv[1].emerging, -len(kv[1].threads), kv[0])))


def collect_speakers(logs: list[Log], qa_threads: list[Thread]) -> dict[str, Speaker]:
    speakers: dict[str, Speaker] = {}
    for log in logs:
        day = log.date.isoformat()
        for message in log.messages:
            profile = message.profile
            name = profile.name
            if not name:
                continue
            speaker = speakers.get(name)
            if speaker is None:
                speaker = speakers[name] = Speaker(name=name, url=f"speaker/{slugify(name, 's')}.html")
            speaker.messages += 1
            speaker.groups[log.group] += 1
            if profile.org or profile.role:
                speaker.profiles[(profile.org, profile.role)] += 1
            speaker.first = min(speaker.first or day, day)
            speaker.last = max(speaker.last, day)
    for thread in qa_threads:
        askers = {qa.question.profile.name for qa in thread.qa if qa.asks}
        for name in askers:
            if name in speakers:
                speakers[name].asked.append(thread)
        for name in answerers(thread):
            if name in speakers:
                speakers[name].answered.append(thread)
    return speakers


def answered(thread: Thread) -> bool:
    return any(qa.answers for qa in thread.qa)


def answer_count(thread: Thread) -> int:
    return sum(len(qa.answers) for qa in thread.qa)


def answerers(thread: Thread) -> set[str]:
    """Who answered in the thread, without those who asked or opened a discussion in it."""
    openers = {qa.question.profile.name for qa in thread.qa}
    return {a.profile.name for qa in thread.qa for a in qa.answers} - openers


def answerer_count(thread: Thread) -> int:
    return len(answerers(thread))


def participants(thread: Thread) -> list[Message]:
    """One message of each person in the thread or answering its questions, in the order they
    first spoke: an answer may come from another conversation of the day (qa.link_across)."""
    people: dict[str, Message] = {}
    for m in sorted([*thread.messages, *(a for qa in thread.qa for a in qa.answers)], key=lambda m: m.line):
        if m.profile.name:
            people.setdefault(m.profile.name, m)
    return list(people.values())


def conversation_neighbours(threads: list[Thread]) -> dict[str, tuple[Thread | None, Thread | None]]:
    """For each Q&A thread, the Q&A threads before and after it in its conversation.

    A conversation is cut into a thread per asker's question (threads.cut_threads): a question
    may rest on the talk before it, and an answer to the one before may be said under it.
    Threads without Q&A have no page, so the links skip them."""
    by_id = {t.id: t for t in threads}
    before = {t.id: _before(t, by_id)[1] for t in threads if t.qa}
    after = {earlier.id: by_id[later] for later, earlier in before.items() if earlier is not None}
    return {tid: (earlier, after.get(tid)) for tid, earlier in before.items()}


LEAD_IN = 5
"""At most this many messages said before a question are shown above it (lead_ins)."""


def lead_ins(threads: list[Thread]) -> dict[str, list[Message]]:
    """For each Q&A thread that follows threads without Q&A in its conversation, the last
    LEAD_IN messages of theirs that are not chatter: what the question answers to ("最近不是又罚了
    一批 / 感觉大部分支付公司都中招了" before "小支付公司不走偏门怎么生存呢？"), which has no page."""
    by_id = {t.id: t for t in threads}
    out: dict[str, list[Message]] = {}
    for thread in filter(lambda t: t.qa, threads):
        said = [m for earlier in _before(thread, by_id)[0]
                for m, previous in zip(earlier.messages, [None, *earlier.messages])
                if not is_chatter(m) and not is_echo(m, previous)]
        if said:
            out[thread.id] = said[-LEAD_IN:]
    return out


def _before(thread: Thread, by_id: dict[str, Thread]) -> tuple[list[Thread], Thread | None]:
    """What comes before a thread in its conversation: the threads without Q&A just before it
    (in file order), and the Q&A thread before those (None at the conversation's start)."""
    pageless: list[Thread] = []
    earlier = by_id.get(thread.follows)
    while earlier is not None and not earlier.qa:
        pageless.insert(0, earlier)
        earlier = by_id.get(earlier.follows)
    return pageless, earlier


def qa_sections(thread: Thread) -> list[tuple[QA, list[Message], int]]:
    """Each question with the answers not already shown under an earlier one, and how many were.

    One reply often answers two questions asked back to back; the page shows it once. A
    discussion opened by a message already shown as an answer, all of whose replies are shown
    too, is no section: the page said it all above (932 sections of 621 pages of the corpus
    showed the answer again with "回答见上文"). A question is always one.
    """
    shown: set[int] = set()
    sections = []
    for qa in thread.qa:
        fresh = [a for a in qa.answers if a.line not in shown]
        if not qa.asks and not fresh and qa.question.line in shown:
            continue
        shown.update(a.line for a in fresh)
        shown.add(qa.question.line)
        sections.append((qa, fresh, len(qa.answers) - len(fresh)))
    return sections


def qa_lines(thread: Thread) -> set[int]:
    """Header lines of the messages shown as question or answer (the rest is folded)."""
    return {m.line for qa in thread.qa for m in [qa.question, *qa.answers]}


def folded(thread: Thread) -> list[Message]:
    """The thread's messages its page shows folded under the Q&A (本讨论的其余消息): those not shown
    as a question or an answer. (Its lead-in, folded above the question, is SiteModel.lead_in.)"""
    shown = qa_lines(thread)
    return [m for m in thread.messages if m.line not in shown]
