"""What each big page is made from, as a hash: an unchanged hash means an unchanged page.

Input: the SiteModel and one Q&A thread, day log or speaker. Output: a hex digest. An
incremental build links a page from the previous site instead of rendering it when its
digest is the same (site.py). Each key lists everything its template reads; the test that
an incremental build equals a cold one (tests/test_incremental.py) guards the lists.
Measured on the whole corpus: these pages (Q&A, days, speakers) are 8.7 s of 9.3 s rendering.
"""
from __future__ import annotations

import hashlib

from chatmine.publish import pages
from chatmine.cache import code_version
from chatmine.model import Log, Message, Thread
from chatmine.publish.pages import SiteModel, Speaker
from chatmine.resources import template_files
from chatmine.publish.richtext import INLINE
from chatmine.text.speakers import split_profile


def site_key(model: SiteModel) -> str:
    """What every page shares: code, templates, settings, groups.

    Topics are not here: their order and the emerging ones change with every refit, and a
    page depends only on the few it links (see _topics).
    """
    digest = hashlib.sha1(code_version().encode())
    for path in template_files():
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    digest.update(repr((model.config, sorted(model.group_url.items()))).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def _digest(shared: str, value: object) -> str:
    return hashlib.sha1(shared.encode() + repr(value).encode("utf-8", "surrogatepass")).hexdigest()


def thread_page(model: SiteModel, shared: str, thread: Thread) -> str:
    log = thread.log
    related = model.related.get(thread.id, [])
    around = [(model.thread_url[t.id], t.title) if t else None for t in model.conversation.get(thread.id, (None, None))]
    lead_in = [_message(m) for m in model.lead_in.get(thread.id, [])]
    return _digest(shared, ("q", _thread(thread), _topics(model, thread), model.log_url[log.source], around, lead_in,
                            [_summary(model, t) for t in related],
                            _names(model, thread.messages)))


def day_page(model: SiteModel, shared: str, log: Log, colours: dict, neighbours: tuple) -> str:
    colour_ids = sorted((line, c, t.id if t else None, s, asks) for line, (c, t, s, asks) in colours.items())
    return _digest(shared, ("day", _log(log), model.log_url[log.source], colour_ids,
                            [(n.source, n.date, model.log_url[n.source]) if n else None for n in neighbours],
                            [model.thread_url[t.id] for t in model.threads_by_log.get(log.source, []) if t.qa],
                            [(s, model.log_url[s]) for s in model.copies.originals.get(log.source, [])],
                            _names(model, log.messages)))


def speaker_page(model: SiteModel, shared: str, speaker: Speaker) -> str:
    return _digest(shared, ("speaker", speaker.name, speaker.url, speaker.messages, speaker.first, speaker.last,
                            speaker.groups.most_common(), speaker.profiles.most_common(8),
                            len(speaker.asked), [_summary(model, t) for t in speaker.asked[:100]],
                            len(speaker.answered), [_summary(model, t) for t in speaker.answered[:100]]))


def _log(log: Log) -> tuple:
    return (log.source, log.date, log.group, log.title, log.preamble, [_message(m) for m in log.messages])


def _message(m: Message) -> tuple:
    # The profile's parts, not the Profile: a dataclass's repr (with its guard against cycles)
    # was 0.2 of the ~0.45 CPU-s the corpus's day and Q&A keys took.
    p = m.profile
    return (m.line, m.time, m.speaker, (p.name, p.org, p.role, p.city), m.text, m.kind)


def _thread(t: Thread) -> tuple:
    return (t.id, t.title, tuple(t.topics), t.cluster, t.log.source, t.log.date, t.log.group,
            [_message(m) for m in t.messages],
            [(qa.question.line, [a.line for a in qa.answers], qa.resolved, qa.asks) for qa in t.qa])


def _summary(model: SiteModel, t: Thread) -> tuple:
    """What a Q&A list item shows of a thread."""
    return (t.id, t.title, t.qa[0].question.text if t.qa else "", t.log.date, t.log.group, _topics(model, t),
            pages.answered(t), pages.answer_count(t))


def _topics(model: SiteModel, t: Thread) -> list:
    """The topic links a thread shows: its best two tags and its emerging cluster."""
    keys = [*pages.thread_topics(t), *(["cluster:" + t.cluster] if t.cluster else [])]
    found = [(k, model.topics.get(k)) for k in keys]
    return [(k, (topic.url, topic.name) if topic else None) for k, topic in found]


def _names(model: SiteModel, messages: list[Message]) -> list:
    """Speakers and @mentions a page links, with the page each resolves to (or None)."""
    names = {m.profile.name for m in messages}
    # Only a text holding @ holds a mention (INLINE's mention opens on it): scanning every text
    # for links and emoji as well cost the corpus's day pages 0.32 CPU-s, these 0.03.
    for m in filter(lambda m: "@" in m.text, messages):
        for match in INLINE.finditer(m.text):
            if match.group("name"):
                names.add(split_profile(match.group("name")).name)
    return sorted((n, model.speaker_url(n)) for n in names if n)
