"""What every exporter's reader hands on: typed records, their text already written the archive's way.

Input: the pieces a reader found in one exported message. Output: a Record (its text may be
empty: the import counts those). The placeholders and the quote-reply shape live here, once.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime, timezone

from chatmine.errors import ChatmineError
from chatmine.read.parse import HEADER, INVISIBLE, decode_entities

# How the archive shows what is not text: its own dumps write [动画表情] and [图片]
# (wechat/2017-05-14-wechat10, 2017-06-05-wechat26), its day logs a file as `[name.pdf\n]()` and a link as
# `[title\n](url)` (seeds/proddev/2018-09-19-WeChat).
PLACEHOLDERS = {
    "image": "[图片]",
    "voice": "[语音]",
    "video": "[视频]",
    "file": "[文件]",
    "sticker": "[动画表情]",
    "link": "[链接]",
    "location": "[位置]",
    "card": "[名片]",
    "call": "[通话]",
    "money": "[转账]",
    "red-packet": "[红包]",
    "forward": "[聊天记录]",
    "share": "[分享]",
    "other": "[消息]",
    "system": "[系统消息]",
    "recall": "[撤回]",
}
"""Kind -> the placeholder the day log shows (with the file name or title after it where given)."""

SKIPPED_BY_DEFAULT = ("system", "recall")
"""Kinds left out unless --keep-system: notices (joined, renamed, patted) and recalled messages."""

# WeChat's own copy of a quote-reply, as the archive has it 271 times (questions.QUOTED reads it):
# 「name：the quoted message」 - - - - - - - - - - - - - - - the reply
QUOTE_RULE = " - - - - - - - - - - - - - - - "


@dataclass(frozen=True, slots=True)
class Record:
    """One exported message, ready to be a block of a day log."""

    when: datetime
    """When it was sent, time-zone aware (the archive's day and clock are taken from it)."""
    speaker: str
    """Group nickname where the export has one, else the account name; one line."""
    text: str
    """The body as the archive shows it (placeholders, links, quote-replies rendered), read
    back by chatmine.read.parse as exactly this text."""
    kind: str
    """text, image, voice, video, file, sticker, link, quote, location, ..., system, recall."""
    source: str
    """The export file, as given on the command line."""
    number: int
    """The record's number in its file (1-based), for messages about it."""


def placeholder(kind: str, detail: str = "") -> str:
    """`[图片]`, or `[位置] 上海中心` when the export names something."""
    detail = one_line(detail)
    return f"{PLACEHOLDERS[kind]} {detail}" if detail else PLACEHOLDERS[kind]


def file_text(name: str) -> str:
    """A file sent in the chat: `[name.pdf]()` as the archive writes it, else `[文件]`."""
    name = one_line(name).replace("[", "(").replace("]", ")")
    return f"[{name}]()" if name else PLACEHOLDERS["file"]


def link_text(title: str, url: str) -> str:
    """`[title](url)`; a link without a URL keeps its title after the placeholder."""
    title, url = one_line(title).replace("[", "(").replace("]", ")"), url.strip()
    if url.startswith(("http://", "https://")) and not re.search(r"[\s)]", url):
        return f"[{title or url}]({url})"
    return placeholder("link", title or url)


def quote_text(name: str, quoted: str, reply: str) -> str:
    """A quote-reply as WeChat copies it: 「name：quoted」 - - - … - the reply."""
    name = one_line(name).replace(":", " ").replace("：", " ").strip()
    quoted = one_line(quoted).replace("」", "”")
    if not quoted:
        return reply
    return f"「{name}：{quoted}」{QUOTE_RULE}{reply}"


def one_line(text: str | None) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def clean_text(text: str) -> str:
    """The body as chatmine.read.parse will read it back: character references read, line ends and
    trailing spaces gone, runs of blank lines one, and a line that would read as a message
    header (`> 09:00:00 …`) given a full-width ＞."""
    text = decode_entities(text.replace("\r\n", "\n").replace("\r", "\n"))
    lines: list[str] = []
    for line in text.split("\n"):
        line = line.rstrip()
        if HEADER.match(line):
            line = "＞" + line[1:]
        if line or (lines and lines[-1]):
            lines.append(line)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


def clean_speaker(name: str | None) -> str:
    """A speaker fit for a header line: one line, no invisible characters, the ends stripped
    as chatmine.read.parse strips them; spaces inside stay (`钟新兵  和包支付 pm 长沙`)."""
    name = re.sub(r"[\r\n\t\v\f]+", " ", INVISIBLE.sub("", decode_entities(name or "")))
    return name.strip(" \t\u3000\u00a0")


def render(kind: str, text: str = "", name: str = "", url: str = "", quoted_name: str = "", quoted: str = "") -> str:
    """The body for a message of `kind`: text as is, a file, a link, a quote-reply, else the
    placeholder with `name` (a title, a label) after it."""
    if kind == "text":
        return text
    if kind == "file":
        return file_text(name)
    if kind == "link":
        return link_text(name, url)
    if kind == "quote":
        return quote_text(quoted_name, quoted, text)
    if kind in ("system", "recall"):
        return placeholder(kind, text or name)
    if kind == "other" and text:
        return text
    return placeholder(kind, name)


def make_record(when: datetime, speaker: str | None, text: str, kind: str, source: str, number: int) -> Record:
    """A Record with its speaker and text cleaned; `when` must carry its time zone."""
    if when.tzinfo is None:
        raise ChatmineError(source, None, f"record {number}: time without a time zone (a reader's bug)")
    return Record(when, clean_speaker(speaker), clean_text(text), kind, source, number)


def parse_json(text: str, source: str, line: int | None = None):
    """`text` as JSON, else an error naming the file and the line (`line` for one line of JSONL)."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise ChatmineError(source, line or err.lineno, f"not valid JSON ({err.msg})") from None


def bad(source: str, number: int, reason: str, line: int | None = None) -> ChatmineError:
    """The error for one bad record: file, line where known, record number and why."""
    return ChatmineError(source, line, f"record {number}: {reason}")


def unix_time(value: object, source: str, number: int) -> datetime:
    """Unix seconds (an int, or digits in a string) as an aware time."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, (int, str)) or not str(value).strip().isdigit():
        raise bad(source, number, f"time {value!r} is not Unix seconds")
    seconds = int(str(value).strip())
    if len(str(seconds)) == 13:  # milliseconds, as some exporters write
        seconds //= 1000
    try:
        return datetime.fromtimestamp(seconds, timezone.utc)
    except (OverflowError, OSError, ValueError):
        raise bad(source, number, f"time {value!r} is out of range") from None


def local_time(value: object, zone, source: str, number: int, layout: str = "%Y-%m-%d %H:%M:%S") -> datetime:
    """A clock time the exporter wrote without a zone, read in `zone` (the archive's --tz)."""
    try:
        return datetime.strptime(str(value).strip(), layout).replace(tzinfo=zone)
    except ValueError:
        raise bad(source, number, f"time {value!r} is not {layout.replace('%', '')}") from None
