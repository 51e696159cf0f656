"""Write one day's imported messages as an archive day log, or merge them into the one there is.

Input: the day, its Records (already in the archive's time zone) and the existing file's text.
Output: the new text and how many messages it adds. Existing blocks are kept byte for byte.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date as Date

from chatmine.errors import ChatmineError
from chatmine.importing.records import Record
from chatmine.read.parse import HEADER, parse_text

# The front matter of the archive's newer day logs (2018 on: seeds/devarch/2018-04-26-chat),
# trailing spaces and the tab included. `lines` is the number of messages written.
FRONT_MATTER = (
    "---\n"
    "layout:     source \n"
    'title:      "{day}-WeChat"\n'
    "date:       {day} 12:00:00\n"
    "author:     PaymentGroup\n"
    "lines:      {lines} \n"
    "tag:\t\t  [chat]\n"
    "---\n"
)

Key = tuple[str, str, str]
"""What makes two messages the same: the clock second, the speaker and the text."""


@dataclass(frozen=True, slots=True)
class Message:
    """A message as a day log holds it."""

    time: str
    """HH:MM:SS in the archive's time zone."""
    speaker: str
    text: str

    @property
    def key(self) -> Key:
        return (self.time, self.speaker, self.text)


def day_messages(records: list[Record], zone) -> list[Message]:
    """Records as day-log messages, in time order (export order within a second)."""
    ordered = sorted(records, key=lambda r: r.when.timestamp())
    return [Message(r.when.astimezone(zone).strftime("%H:%M:%S"), r.speaker, r.text) for r in ordered]


def render_block(message: Message, newline: str = "\n") -> str:
    """`> HH:MM:SS  speaker  `, a separator, the body lines (two trailing spaces each), a separator."""
    lines = [f"> {message.time}  {message.speaker}  ", "   "]
    lines += [f"{line}  " if line else "   " for line in message.text.split("\n")]
    lines.append("   ")
    return newline.join(lines) + newline


def new_day(day: Date, messages: list[Message]) -> str:
    """A whole day log: the archive's front matter and one block a message."""
    return FRONT_MATTER.format(day=day.isoformat(), lines=len(messages)) + "".join(map(render_block, messages))


def missing(messages: list[Message], have: Counter) -> list[Message]:
    """The messages not already there: a key the day holds n times takes n of them."""
    left, out = Counter(have), []
    for message in messages:
        if left[message.key] > 0:
            left[message.key] -= 1
        else:
            out.append(message)
    return out


def merge_day(text: str, messages: list[Message], shown: str) -> tuple[str, int]:
    """`text` (an existing day log) with the messages it lacks inserted in time order: each just
    before the first message later than its second (else at the end), so nothing there moves,
    even where a maintainer put blocks out of order. Returns (text, added)."""
    if "\r" in text.replace("\r\n", ""):
        raise ChatmineError(shown, None, "has bare carriage returns; not merged (save it with \\n line ends)")
    existing = parse_text(text, shown).log
    if existing.layout == "post":
        raise ChatmineError(shown, None, "is an article (layout: post), not a day log; not merged")
    lines = text.split("\n")
    starts = [m.line - 1 for m in existing.messages]
    if any(not HEADER.match(lines[i].rstrip()) for i in starts):
        raise ChatmineError(shown, None, "is an early dump without `> HH:MM:SS  name` headers; not merged")
    have = Counter((m.time, m.speaker, m.text) for m in existing.messages)
    new = missing(messages, have)
    if not new:
        return text, 0
    newline = "\r\n" if "\r\n" in text else "\n"
    offsets = _line_offsets(lines)
    inserts: dict[int, list[str]] = {}
    for message in new:
        later = next((i for i, m in enumerate(existing.messages) if m.time > message.time), None)
        at = len(text) if later is None else offsets[starts[later]]
        inserts.setdefault(at, []).append(render_block(message, newline))
    return _splice(text, inserts, newline), len(new)


def _line_offsets(lines: list[str]) -> list[int]:
    offsets, at = [], 0
    for line in lines:
        offsets.append(at)
        at += len(line) + 1
    return offsets


def _splice(text: str, inserts: dict[int, list[str]], newline: str) -> str:
    out, last = [], 0
    for at in sorted(inserts):
        out.append(text[last:at])
        if at == len(text) and text and not text.endswith("\n"):
            out.append(newline)  # a file cut without its last line end: the new header needs its own line
        out.extend(inserts[at])
        last = at
    out.append(text[last:])
    return "".join(out)
