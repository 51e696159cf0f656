"""Read what sjzar/chatlog's HTTP API gives for a chat (`/api/v1/chatlog?format=json|csv|text`) into Records.

Follows chatlog at commit a638aa9c (2025-08-30): internal/model/message.go (Message, PlainText,
PlainTextContent, CSV) and internal/chatlog/http/route.go. Input: the file's text.
"""
from __future__ import annotations

import csv
import io
import re
from datetime import datetime
from pathlib import PurePath

from chatmine.errors import ChatmineError
from chatmine.importing.records import Record, bad, local_time, make_record, parse_json, render

# WeChat's (type, subType) as chatlog names them (message.go's MessageType*, MessageSubType*).
TYPE_KINDS = {1: "text", 3: "image", 34: "voice", 42: "card", 43: "video", 47: "sticker", 48: "location", 50: "call"}
SHARE_KINDS = {1: "link", 4: "link", 5: "link", 6: "file", 8: "sticker", 19: "forward", 57: "quote", 62: "system",
               2000: "money", 2001: "red-packet", 2003: "red-packet"}
"""Type 49's subtypes; any other (mini program, channels, music, notes, notices) is a share."""
SYSTEM_SENDER = "系统消息"  # what ParseMediaInfo puts in Sender for type 10000
RECALLED = re.compile(r"撤回了一条消息|recalled a message")

# PlainTextContent's renderings, read back (CSV and text exports carry only these).
RENDERED = [
    (re.compile(r"^!\[图片\]\([^)]*\)$|^\[图片\]$"), "image"),
    (re.compile(r"^\[语音\](?:\([^)]*\))?$"), "voice"),
    (re.compile(r"^!\[视频\]\([^)]*\)$|^\[视频\]$"), "video"),
    (re.compile(r"^!\[动画表情\]\([^)]*\)$|^\[(?:动画表情|GIF表情)\]$"), "sticker"),
    (re.compile(r"^\[名片\]$"), "card"),
    (re.compile(r"^\[语音通话\]$"), "call"),
    (re.compile(r"^\[(?:红包|红包封面)\]$"), "red-packet"),
    (re.compile(r"^\[转账\|(?P<name>[^\]]*)\].*$", re.S), "money"),
    (re.compile(r"^\[位置\|(?P<name>[^\]]*)\]$"), "location"),
    (re.compile(r"^\[链接\|(?P<name>.*)\]\((?P<url>[^)]*)\)$", re.S), "link"),
    (re.compile(r"^\[文件\|(?P<name>.*)\]\([^)]*\)$", re.S), "file"),
    (re.compile(r"^\[合并转发(?:\|(?P<name>[^\]\n]*))?\]", re.S), "forward"),
    (re.compile(r"^\[(?:小程序|视频号|视频号直播|音乐|笔记|群公告|分享)(?:\|(?P<name>[^\]\n|]*)[^\]\n]*)?\](?:\([^)]*\))?", re.S), "share"),
    (re.compile(r"^Type: \d+ Content: (?P<name>.*)$", re.S), "other"),
]
# The quoted message's own header inside a quote-reply: `> 名字(wxid) 03-05 10:00:00`.
QUOTED_HEAD = re.compile(r"^(?P<name>.*?)(?:\([^()]*\))? (?:\d{4}-)?(?:\d{2}-\d{2} )?\d{2}:\d{2}:\d{2}$")
# A text record's header: `SenderName(sender) [TalkerName(talker)] time`; the chat part only
# when several chats were asked for; the time as PerfectTimeFormat chose it.
TEXT_HEAD = re.compile(r"^(?P<who>\S.*?) (?:\[(?P<chat>.+)\] )?(?P<time>(?:(?:\d{4}-)?\d{2}-\d{2} )?\d{2}:\d{2}:\d{2})$")
DATE_IN_NAME = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
NAMED = re.compile(r"^(?P<name>.*)\((?P<id>[^()]*)\)$")


def read_chatlog_json(text: str, source: str, zone=None) -> list[Record]:
    """`format=json`: a list of Message objects (time in RFC 3339 with its offset)."""
    rows = parse_json(text, source)
    if isinstance(rows, dict) and isinstance(rows.get("items"), list):
        rows = rows["items"]
    if not isinstance(rows, list):
        raise ChatmineError(source, None, "not a chatlog message list")
    records = []
    for number, row in enumerate(rows, 1):
        if not isinstance(row, dict):
            raise bad(source, number, "a message is not an object")
        _check_chat(row.get("talker"), row.get("talkerName"), row.get("isChatRoom"), source, number)
        kind, body = _json_body(row)
        speaker = "" if kind == "system" or row.get("sender") == SYSTEM_SENDER else row.get("senderName") or row.get("sender")
        records.append(make_record(_rfc3339(row.get("time"), source, number), speaker, body, kind, source, number))
    _one_chat([r.get("talker") for r in rows], source)
    return records


def read_chatlog_csv(text: str, source: str, zone) -> list[Record]:
    """`format=csv`: Time,SenderName,Sender,TalkerName,Talker,Content; Time in local time."""
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header != ["Time", "SenderName", "Sender", "TalkerName", "Talker", "Content"]:
        raise ChatmineError(source, 1, "not chatlog's CSV header (Time,SenderName,Sender,TalkerName,Talker,Content)")
    records, talkers, line = [], [], reader.line_num + 1
    for number, row in enumerate(reader, 1):
        if len(row) != 6:
            raise bad(source, number, f"{len(row)} fields, not 6", line)
        when, sender_name, sender, talker_name, talker, content = row
        _check_chat(talker, talker_name, None, source, number)
        talkers.append(talker)
        try:
            stamp = local_time(when, zone, source, number)
        except ChatmineError as err:
            raise ChatmineError(source, line, err.reason) from None
        records.append(_rendered_record(stamp, sender_name, sender, content, source, number))
        line = reader.line_num + 1
    _one_chat(talkers, source)
    return records


def read_chatlog_text(text: str, source: str, zone) -> list[Record]:
    """The plain text: a header line, the content, a blank line, for each message."""
    lines = text.replace("\r\n", "\n").split("\n")
    starts = [i for i, line in enumerate(lines) if TEXT_HEAD.match(line) and (i == 0 or not lines[i - 1].strip())]
    if not starts or any(line.strip() for line in lines[: starts[0]]):
        raise ChatmineError(source, 1, "not chatlog's text (a `name(id) time` line first)")
    records, talkers = [], []
    for number, (start, stop) in enumerate(zip(starts, starts[1:] + [len(lines)]), 1):
        head = TEXT_HEAD.match(lines[start])
        chat = NAMED.match(head["chat"] or "")
        if head["chat"]:
            talker = chat["id"] if chat else head["chat"]
            _check_chat(talker, chat["name"] if chat else "", None, source, number)
            talkers.append(talker)
        who = NAMED.match(head["who"])
        name, sender = (who["name"], who["id"]) if who else ("", head["who"])
        stamp = _text_time(head["time"], source, number, start + 1, zone)
        content = "\n".join(lines[start + 1 : stop]).strip("\n")
        records.append(_rendered_record(stamp, name, sender, content, source, number))
    _one_chat(talkers, source)
    return records


def _check_chat(talker: object, name: object, is_room: object, source: str, number: int) -> None:
    if is_room is True or str(talker or "").endswith("@chatroom"):
        return
    who = name or talker or "this chat"
    raise bad(source, number, f"{who} is a private chat, not a group (its talker does not end in @chatroom): "
                              "chatmine imports group chats only")


def _one_chat(talkers: list, source: str) -> None:
    chats = sorted({str(t) for t in talkers if t})
    if len(chats) > 1:
        raise ChatmineError(source, None, f"holds {len(chats)} chats ({', '.join(chats[:3])}): export one group a file")


def _rfc3339(value: object, source: str, number: int) -> datetime:
    text = re.sub(r"(\d{2}:\d{2}:\d{2})\.\d+", r"\1", str(value or ""))  # Go writes nanoseconds
    try:
        stamp = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise bad(source, number, f"time {value!r} is not RFC 3339") from None
    if stamp.tzinfo is None:
        raise bad(source, number, f"time {value!r} has no offset")
    return stamp


def _text_time(value: str, source: str, number: int, line: int, zone) -> datetime:
    """chatlog leaves out the year, or the whole date, when the range asked for allows: the
    file's name must then give them (its first YYYY-MM-DD, e.g. group_2024-03-05.txt)."""
    if len(value) < len("2006-01-02 15:04:05"):
        day = DATE_IN_NAME.search(PurePath(source).name)
        if not day:
            raise ChatmineError(source, line, f"record {number}: time {value!r} has no year; name the file "
                                              "after its first day (…_2024-03-05.txt) or export a range across years")
        value = (f"{day[1]}-{value}" if len(value) > 8 else f"{day[0]} {value}")
    try:
        return local_time(value, zone, source, number)
    except ChatmineError as err:
        raise ChatmineError(source, line, err.reason) from None


def _json_body(row: dict) -> tuple[str, str]:
    kind_type, sub = row.get("type"), row.get("subType")
    content = row.get("content") if isinstance(row.get("content"), str) else ""
    contents = row.get("contents") if isinstance(row.get("contents"), dict) else {}
    title, url = str(contents.get("title") or ""), str(contents.get("url") or "")
    if kind_type == 10000:
        kind = "recall" if RECALLED.search(content) else "system"
        return kind, render(kind, content)
    kind = TYPE_KINDS.get(kind_type) or (SHARE_KINDS.get(sub, "share") if kind_type == 49 else "other")
    if kind == "quote":
        refer = contents.get("refer") if isinstance(contents.get("refer"), dict) else None
        if not refer:
            return kind, content
        _, said = _json_body(refer)
        return kind, render("quote", content, quoted_name=str(refer.get("senderName") or refer.get("sender") or ""), quoted=said)
    if kind == "location":
        title = " ".join(str(contents.get(k) or "") for k in ("label", "cityname")).strip()
    if kind == "money":
        return _read_rendered(content)
    if kind == "other":
        return kind, content or render("other")
    return kind, render(kind, content, name=title, url=url)


def _rendered_record(when: datetime, name: str, sender: str, content: str, source: str, number: int) -> Record:
    if sender == SYSTEM_SENDER and not name:
        kind = "recall" if RECALLED.search(content) else "system"
        return make_record(when, "", render(kind, content), kind, source, number)
    kind, body = _read_rendered(content)
    return make_record(when, name or sender, body, kind, source, number)


def _read_rendered(content: str) -> tuple[str, str]:
    """PlainTextContent's text back to a kind and the archive's body."""
    if content.startswith("> "):
        return _read_quote(content)
    for pattern, kind in RENDERED:
        found = pattern.match(content.strip())
        if found:
            name, url = found.groupdict().get("name") or "", found.groupdict().get("url") or ""
            return kind, render(kind, name=name.replace("|", " ") if kind == "location" else name, url=url)
    return "text", content


def _read_quote(content: str) -> tuple[str, str]:
    """`> name(id) 01-02 15:04:05` and `> ` lines of the quoted message, then the reply; a text
    that merely starts with `> ` stays text."""
    lines = content.split("\n")
    count = next((i for i, line in enumerate(lines) if not line.startswith("> ")), len(lines))
    quoted, reply = [line[2:] for line in lines[:count]], "\n".join(lines[count:])
    head = QUOTED_HEAD.match(quoted[0])
    if quoted[0].strip() == "[引用]" or head and count == 1:
        return "quote", reply or render("other")
    if not head:
        return "text", content
    said = _read_rendered("\n".join(quoted[1:]))[1]
    return "quote", render("quote", reply, quoted_name=head["name"], quoted=said)
