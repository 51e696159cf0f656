"""Tell which exporter wrote a file, from its first bytes, and find its reader.

Input: the file's decoded text (and --format, which overrides). Output: a format name and the
reader function (text, source, zone) -> list[Record].
"""
from __future__ import annotations

import json
import re
from typing import Callable

from chatmine.errors import ChatmineError
from chatmine.importing.chatlab import read_chatlab, read_chatlab_jsonl
from chatmine.importing.chatlog import TEXT_HEAD, read_chatlog_csv, read_chatlog_json, read_chatlog_text
from chatmine.importing.memotrace import HEAD as MEMOTRACE_HEAD, read_memotrace_csv, read_memotrace_txt
from chatmine.importing.pywxdump import read_pywxdump_csv

READERS: dict[str, Callable] = {
    "chatlab": read_chatlab,
    "chatlab-jsonl": read_chatlab_jsonl,
    "chatlog-json": read_chatlog_json,
    "chatlog-csv": read_chatlog_csv,
    "chatlog-text": read_chatlog_text,
    "memotrace-csv": read_memotrace_csv,
    "memotrace-txt": read_memotrace_txt,
    "pywxdump-csv": read_pywxdump_csv,
}
"""--format names -> readers, in the order docs/import.md lists them."""

CSV_HEADERS = {
    "Time,SenderName,Sender,TalkerName,Talker,Content": "chatlog-csv",
    "localId,TalkerId,Type,SubType,IsSender,CreateTime,Status,StrContent,StrTime,Remark,NickName,Sender": "memotrace-csv",
    "id,MsgSvrID,type_name,is_sender,talker,room_name,msg,src,CreateTime": "pywxdump-csv",
}


def detect_format(text: str, source: str) -> str:
    """The format name of an export, from its start; ChatmineError when no reader knows it."""
    head = text.lstrip("\ufeff \t\r\n")
    first = head.split("\n", 1)[0].strip()
    if first.startswith("#") and _jsonl_header(head):  # ChatLab JSONL allows comment lines
        return "chatlab-jsonl"
    if first in CSV_HEADERS:
        return CSV_HEADERS[first]
    if head.startswith("{") and _jsonl_header(head):
        return "chatlab-jsonl"
    if head.startswith("{") and re.search(r'"chatlab"\s*:\s*\{', head[:65536]):
        return "chatlab"
    if head.startswith("[") and re.search(r'"talker"\s*:', head[:4096]):
        return "chatlog-json"
    if TEXT_HEAD.match(first):
        return "chatlog-text"
    if MEMOTRACE_HEAD.match(first):
        return "memotrace-txt"
    raise ChatmineError(source, None, "cannot tell which exporter wrote this file; give --format "
                                      f"({', '.join(READERS)})")


def _jsonl_header(head: str) -> bool:
    lines = [line for line in head.split("\n", 20) if line.strip() and not line.lstrip().startswith("#")]
    try:
        row = json.loads(lines[0])
    except (ValueError, IndexError):
        return False
    return isinstance(row, dict) and row.get("_type") == "header"
