"""Read a WeChatMsg / MemoTrace (留痕) export, CSV or TXT, into Records.

Follows LC044/WeChatMsg at commit 43d6792 (2024-02-27): app/util/exporter/exporter_csv.py,
exporter_txt.py and app/DataBase/msg.py (the MSG columns). Input: the file's text.
"""
from __future__ import annotations

import csv
import html
import io
import re
import xml.etree.ElementTree as ET

from chatmine.errors import ChatmineError
from chatmine.importing.records import Record, bad, local_time, make_record, render, unix_time

COLUMNS = ["localId", "TalkerId", "Type", "SubType", "IsSender", "CreateTime", "Status", "StrContent",
           "StrTime", "Remark", "NickName", "Sender"]
TYPE_KINDS = {1: "text", 3: "image", 34: "voice", 42: "card", 43: "video", 47: "sticker", 48: "location",
              50: "call", 10000: "system", 10002: "recall"}
SHARE_KINDS = {3: "share", 4: "link", 5: "link", 6: "file", 8: "sticker", 19: "forward", 57: "quote",
               2000: "money", 2001: "red-packet"}
RECALLED = re.compile(r"撤回了一条消息")
TAG = re.compile(r"</?(?:img|revo|_wc_cus|a)\b[^>]*>")  # what the HTML exporter strips from system text
# TXT: `2024-03-05 09:00:01 name`, then the content, then a blank line.
HEAD = re.compile(r"^(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}) (.*)$")
TXT_PLACEHOLDERS = {"[图片]": "image", "[语音]": "voice", "[表情包]": "sticker", "[文件]": "file",
                    "[视频]": "video", "[音乐分享]": "share"}
TXT_QUOTE = re.compile(r"^(?P<reply>.*)\n引用:(?:未知|(?P<name>[^:\n]*):(?P<said>.*))$", re.S)
TXT_LINK = re.compile(r"^\s*\[链接\]:title:(?P<name>.*?)\n.*?^\s*url:(?P<url>\S*)", re.S | re.M)


def read_memotrace_csv(text: str, source: str, zone) -> list[Record]:
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    if next(reader, None) != COLUMNS:
        raise ChatmineError(source, 1, "not MemoTrace's CSV header (localId,TalkerId,Type,…,Sender)")
    records, others, line = [], set(), reader.line_num + 1
    for number, row in enumerate(reader, 1):
        if len(row) != len(COLUMNS):
            raise bad(source, number, f"{len(row)} fields, not {len(COLUMNS)}", line)
        field = dict(zip(COLUMNS, row))
        try:
            records.append(_csv_record(field, source, number, zone))
        except ChatmineError as err:
            raise ChatmineError(source, line, err.reason) from None
        if field["IsSender"] != "1" and records[-1].kind not in ("system", "recall"):
            others.add(field["Sender"] or field["NickName"])
        line = reader.line_num + 1
    _check_group(len(others) + 1, source)
    return records


def _csv_record(field: dict, source: str, number: int, zone) -> Record:
    if not field["Type"].strip().lstrip("-").isdigit() or not field["SubType"].strip().lstrip("-").isdigit():
        raise bad(source, number, f"type {field['Type']!r}/{field['SubType']!r} is not a number")
    kind_type, sub = int(field["Type"]), int(field["SubType"])
    if field["CreateTime"].strip():
        when = unix_time(field["CreateTime"], source, number)
    else:
        when = local_time(field["StrTime"], zone, source, number)
    kind = TYPE_KINDS.get(kind_type) or (SHARE_KINDS.get(sub, "share") if kind_type == 49 else "other")
    content = field["StrContent"]
    if kind == "system" and RECALLED.search(content):
        kind = "recall"
    speaker = "" if kind == "system" else field["NickName"] or field["Remark"] or field["Sender"]
    return make_record(when, speaker, _csv_body(kind, content), kind, source, number)


def _csv_body(kind: str, content: str) -> str:
    if kind == "text":
        return content
    if kind in ("system", "recall"):
        return render(kind, TAG.sub("", content.replace("<![CDATA[", "").replace("]]>", "")))
    app = _appmsg(content)
    if kind == "quote":
        refer = app.find("refermsg") if app is not None else None
        reply = _child(app, "title")
        if refer is None:
            return reply or render("other")
        return render("quote", reply, quoted_name=_child(refer, "displayname"), quoted=_quoted(_child(refer, "content")))
    if kind == "other":
        return content or render("other")
    return render(kind, name=_child(app, "title"), url=_child(app, "url"))


def _appmsg(content: str):
    """The <appmsg> of an XML message body (links, files, quotes), or None."""
    start = content.find("<msg")
    if start < 0:
        return None
    try:
        root = ET.fromstring(content[start:])
    except ET.ParseError:
        return None
    return root.find("appmsg")


def _child(element, name: str) -> str:
    found = element.find(name) if element is not None else None
    return (found.text or "").strip() if found is not None else ""


def _quoted(content: str) -> str:
    """The quoted message's text; an XML one (a quoted picture or link) by its title."""
    if "<msg" not in content:
        return content
    if "<img" in content:
        return render("image")
    return _child(_appmsg(content), "title")


def read_memotrace_txt(text: str, source: str, zone) -> list[Record]:
    lines = text.lstrip("\ufeff").replace("\r\n", "\n").split("\n")
    starts = [i for i, line in enumerate(lines) if HEAD.match(line) and (i == 0 or not lines[i - 1].strip())]
    if not starts or any(line.strip() for line in lines[: starts[0]]):
        raise ChatmineError(source, 1, "not MemoTrace's TXT (a `YYYY-MM-DD HH:MM:SS name` line first)")
    records, speakers = [], set()
    for number, (start, stop) in enumerate(zip(starts, starts[1:] + [len(lines)]), 1):
        stamp, rest = HEAD.match(lines[start]).groups()
        try:
            when = local_time(stamp, zone, source, number)
        except ChatmineError as err:
            raise ChatmineError(source, start + 1, err.reason) from None
        body = "\n".join(lines[start + 1 : stop]).strip("\n")
        if not body.strip():  # system messages are one line: the time, then the notice
            kind = "recall" if RECALLED.search(rest) else "system"
            records.append(make_record(when, "", render(kind, rest), kind, source, number))
            continue
        kind, text_ = _txt_body(body)
        speaker = _unescape_name(rest)
        speakers.add(speaker)
        records.append(make_record(when, speaker, text_, kind, source, number))
    _check_group(len(speakers), source)
    return records


def _txt_body(body: str) -> tuple[str, str]:
    if body.strip() in TXT_PLACEHOLDERS:
        kind = TXT_PLACEHOLDERS[body.strip()]
        return kind, render(kind)
    link = TXT_LINK.match(body)
    if link:
        return "link", render("link", name=link["name"], url=link["url"])
    quote = TXT_QUOTE.match(body)
    if quote:
        return "quote", render("quote", quote["reply"], quoted_name=quote["name"] or "", quoted=quote["said"] or "")
    return "text", body


def _unescape_name(name: str) -> str:
    """Names in the TXT went through escape_js_and_html (HTML, then backslash escapes)."""
    return html.unescape(re.sub(r"\\(.)", r"\1", name))


def _check_group(people: int, source: str) -> None:
    """MemoTrace does not say whether a chat is a group: one that only you and one other person
    speak in is taken for a private chat and refused (docs/import.md)."""
    if people <= 2:
        raise ChatmineError(source, None, "looks like a private chat (no more than two people speak in it): "
                                          "chatmine imports group chats only")
