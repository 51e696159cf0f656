"""The early raw dumps' messages that a daily log records again.

Input: the archive's logs. Output: Copies: the dump messages that a daily log of the same or
a neighbouring day holds at the same second in close to the same words, and for each dump the
daily logs that hold them.

Nine of the corpus's wechat/ dumps (2017-05-05 .. 2017-05-19) are a first record of days that
proddev/ logs record again, with every speaker: 3,932 of their 4,009 messages are in a daily
log, at the same second. Both records stay whole in their day pages and in the
export (nothing is lost), but the site shows each of those questions once, from the daily log
where the reader sees who asked and who answered: a dump's thread whose questions are all
copies is no Q&A page (pages.build_model), and its copies are in no search record.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import timedelta
from difflib import SequenceMatcher

from chatmine.model import Log, Message, Thread
from chatmine.text.tokens import clean
from chatmine.analyse.worth import published

SPACE = re.compile(r"\s+")
REDACTED = re.compile(r"@X{3,}(?:[-_][^\s?@，,]*)?\??")
"""A mention the dumps' editors hid: "@XXX-北京", "@XXX?北京 是吗", "@XXX凤凰牌老熊" (the
name runs on)."""
SAME_WORDS = 0.6
"""How alike two records' words are (difflib ratio) to be one message edited."""


@dataclass(slots=True)
class Copies:
    messages: set[int] = field(default_factory=set)
    """id() of each dump message a daily log holds too."""
    originals: dict[str, list[str]] = field(default_factory=dict)
    """Dump source -> the sources of the daily logs holding its copies, in date order."""

    def __contains__(self, message: Message) -> bool:
        return id(message) in self.messages

    def copied(self, thread: Thread) -> bool:
        """A thread whose questions are all copies: the daily log's thread is its page."""
        return bool(thread.qa) and all(qa.question in self for qa in thread.qa)

    def shown(self, thread: Thread) -> Thread:
        """The thread as the site and the search show it: a copied one as chat, without Q&A; the
        others with the QAs that deserve a page, each with the answers it lists (worth.published)."""
        return replace(thread, qa=[]) if self.copied(thread) else published(thread)


def find_copies(logs: list[Log]) -> Copies:
    """The copies in `logs`: a dump is a log with messages that is not a daily log (layout
    `source`); its message is a copy when a daily log dated a day either side of it or on it
    has a message at the same second in close to the same words (same_message)."""
    daily: dict = defaultdict(list)
    for log in logs:
        if log.layout == "source" and log.messages:
            daily[log.date].append(log)
    copies = Copies()
    for dump in logs:
        if dump.layout == "source" or not dump.messages:
            continue
        near = sorted((log for d in (-1, 0, 1) for log in daily.get(dump.date + timedelta(days=d), [])),
                      key=lambda log: (log.date, log.source))
        said = defaultdict(list)
        for log in near:
            for m in log.messages:
                said[m.time].append((_words(m.text), log.source))
        holders = set()
        for m in dump.messages:
            words = _words(m.text)
            source = next((source for other, source in said.get(m.time, ()) if same_message(words, other)), None)
            if source is not None:
                copies.messages.add(id(m))
                holders.add(source)
        if holders:
            copies.originals[dump.source] = [log.source for log in near if log.source in holders]
    return copies


def one_message(a: Message, b: Message) -> bool:
    """`a` and `b` are two records of one message (what find_copies looks for, one pair)."""
    return a.time == b.time and same_message(_words(a.text), _words(b.text))


def same_message(words: str, other: str) -> bool:
    """Two records of one message, said at the same second: both without words ([强], an
    image), or the same words as an editor left them. The daily logs were tidied: "借鉴老熊" is
    "节俭老熊", a "？" dropped, "@XXX?北京 是吗" is "@易宝支付-李桂明-北京  是吗", a long
    message cut short ("友宝支持壹钱包" is "友宝"). Two people's messages in one second are
    different words (2017-05-14 21:18:04: "账务一般按业务…" and "是和你本人有关")."""
    if not words or not other:
        return words == other
    short, long = sorted((words, other), key=len)
    return short in long or SequenceMatcher(None, words, other, autojunk=False).ratio() >= SAME_WORDS


def _words(text: str) -> str:
    """The words a copy keeps: a dump wrote "支付风控…唯品花…怎么好奇" where the daily log has
    "支付风控…唯品花…怎么好奇@alan?" (mentions, hidden ones too, emoji codes, links and spaces
    aside)."""
    return SPACE.sub("", clean(REDACTED.sub(" ", text)))
