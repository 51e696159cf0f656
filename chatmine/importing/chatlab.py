"""Read a ChatLab export (JSON, or its JSONL variant) into Records.

Follows the ChatLab Standard Format v0.0.2 (hellodigua/ChatLab docs/cn/chatlab-format.md,
commit 1ad16e98), which WeFlow and other WeChat 4 exporters write. Input: the file's text.
"""
from __future__ import annotations

import re
from pathlib import PureWindowsPath

from chatmine.errors import ChatmineError
from chatmine.importing.records import Record, bad, make_record, one_line, parse_json, render, unix_time

# ChatLab message types -> the archive's kinds (spec: 消息类型对照表).
KINDS = {
    0: "text", 1: "image", 2: "voice", 3: "video", 4: "file", 5: "sticker", 7: "link", 8: "location",
    20: "red-packet", 21: "money", 22: "system", 23: "call", 24: "share", 25: "quote", 26: "forward",
    27: "card", 80: "system", 81: "recall", 99: "other",
}
"""22 (拍一拍, a poke) is a notice, not something said: it goes with the system messages."""
URL = re.compile(r"https?://[^\s<>\"'）)]+")
# WeFlow writes a link card as markdown (formatLinkCardExportText(..., 'markdown')).
MARKDOWN_LINK = re.compile(r"^\[(?P<title>[^\]]*)\]\((?P<url>https?://[^)\s]+)\)$")
# Exporters put their own placeholder before a name: "[文件] 对账单.xlsx", "[链接] 标题".
LEADING_TAG = re.compile(r"^\[[^\[\]\n]{1,6}\]\s*")


def read_chatlab(text: str, source: str, zone=None) -> list[Record]:
    """A ChatLab JSON file: {chatlab, meta, members, messages}."""
    data = parse_json(text, source)
    if not isinstance(data, dict) or not isinstance(data.get("chatlab"), dict):
        raise ChatmineError(source, None, "not a ChatLab file (no \"chatlab\" header object)")
    _check_group(data.get("meta"), source, None)
    messages = data.get("messages")
    if not isinstance(messages, list):
        raise ChatmineError(source, None, "no \"messages\" list")
    members = _members(data.get("members") or [])
    numbered = [(number, None, message) for number, message in enumerate(messages, 1)]
    return _records(numbered, members, source)


def read_chatlab_jsonl(text: str, source: str, zone=None) -> list[Record]:
    """A ChatLab JSONL file: a header line, then member and message lines (`_type`)."""
    header_seen, members, numbered = False, [], []
    for line_number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue  # the spec allows comment lines
        row = parse_json(line, source, line_number)
        kind = row.get("_type") if isinstance(row, dict) else None
        if not header_seen:
            if kind != "header":
                raise ChatmineError(source, line_number, "the first line is not the ChatLab header")
            _check_group(row.get("meta"), source, line_number)
            header_seen = True
        elif kind == "member":
            members.append(row)
        elif kind == "message":
            numbered.append((len(numbered) + 1, line_number, row))
    if not header_seen:
        raise ChatmineError(source, None, "no ChatLab header line")
    return _records(numbered, _members(members), source)


def _check_group(meta: object, source: str, line: int | None) -> None:
    if not isinstance(meta, dict):
        raise ChatmineError(source, line, "no \"meta\" object")
    if meta.get("type", "group") != "group":
        name = meta.get("name") or "this chat"
        raise ChatmineError(source, line, f"{name!s} is a {meta.get('type')} chat, not a group: chatmine imports group chats only")


def _members(rows: list) -> dict[str, dict]:
    return {str(row.get("platformId")): row for row in rows if isinstance(row, dict) and row.get("platformId") is not None}


def _records(numbered: list[tuple[int, int | None, object]], members: dict[str, dict], source: str) -> list[Record]:
    by_id = {str(m["platformMessageId"]): m for _, _, m in numbered
             if isinstance(m, dict) and m.get("platformMessageId") is not None}
    records = []
    for number, line, message in numbered:
        if not isinstance(message, dict):
            raise bad(source, number, "a message is not an object", line)
        if not isinstance(message.get("type"), int) or isinstance(message.get("type"), bool):
            raise bad(source, number, f"message type {message.get('type')!r} is not a number", line)
        try:
            when = unix_time(message.get("timestamp"), source, number)
        except ChatmineError as err:
            raise ChatmineError(source, line, err.reason) from None
        kind = KINDS.get(message["type"], "other")
        text = _body(kind, message, by_id, members)
        speaker = "" if kind == "system" else _speaker(message, members)
        records.append(make_record(when, speaker, text, kind, source, number))
    return records


def _speaker(message: dict, members: dict[str, dict]) -> str:
    """The group nickname where there is one (the message's, then the member's), else the account name."""
    member = members.get(str(message.get("sender")), {})
    for name in (message.get("groupNickname"), member.get("groupNickname"),
                 message.get("accountName"), member.get("accountName"), message.get("sender")):
        if isinstance(name, str) and name.strip():
            return name
    return ""


def _body(kind: str, message: dict, by_id: dict[str, dict], members: dict[str, dict]) -> str:
    content = message.get("content")
    content = content if isinstance(content, str) else ""
    detail = LEADING_TAG.sub("", content).strip()
    if kind == "text":
        return content
    if kind == "link":
        markdown, url = MARKDOWN_LINK.match(detail), URL.search(detail)
        if markdown:
            return render("link", name=markdown["title"], url=markdown["url"])
        title = detail.replace(url.group(), "").strip() if url else detail
        return render("link", name=title, url=url.group() if url else "")
    if kind == "file":  # a name, or the path WeFlow copied the file to
        return render("file", name=PureWindowsPath(detail).name if detail else "")
    if kind == "quote":
        quoted = by_id.get(str(message.get("replyToMessageId")))
        if not isinstance(quoted, dict):
            return content
        quoted_kind = KINDS.get(quoted.get("type"), "other")
        said = _body(quoted_kind if quoted_kind != "quote" else "text", quoted, {}, members)
        return render("quote", content, quoted_name=_speaker(quoted, members), quoted=one_line(said))
    if kind in ("system", "recall", "other"):
        return render(kind, content)
    if kind in ("image", "voice", "video", "sticker", "card", "call", "red-packet"):
        return render(kind)
    return render(kind, name=detail)
