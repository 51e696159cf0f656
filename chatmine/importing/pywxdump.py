"""Read a PyWxDump CSV export (and the users.json it writes beside it) into Records.

Follows xaoyaoo/PyWxDump at commit c870b04 (2024-10-07): pywxdump/api/export/exportCSV.py,
pywxdump/db/dbMSG.py (get_msg_detail) and db/utils/common_utils.py (type_converter).
Input: the file's text; its folder for users.json.
"""
from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path, PureWindowsPath

from chatmine.errors import ChatmineError
from chatmine.importing.records import Record, bad, local_time, make_record, render, unix_time

COLUMNS = ["id", "MsgSvrID", "type_name", "is_sender", "talker", "room_name", "msg", "src", "CreateTime"]
# type_converter's Chinese names -> kinds; "(分享)…" and the rest of type 49 are shares.
KINDS = {
    "文本": "text", "粘贴的文本": "text", "图片": "image", "语音": "voice", "视频": "video",
    "动画表情": "sticker", "用户上传的GIF表情": "sticker", "位置": "location", "文件": "file",
    "文件(猜)": "file", "(分享)卡片式链接": "link", "引用回复": "quote", "合并转发的聊天记录": "forward",
    "转账": "money", "赠送红包封面": "red-packet", "语音通话": "call", "推荐公众号": "card",
    "添加好友": "card", "群公告": "share", "系统通知": "system", "邀请加群": "system", "拍一拍": "system",
}
# get_msg_detail's quote: "{title}\n\n[引用]({createtime}){displayname}:{content}"
QUOTE = re.compile(r"^(?P<reply>.*)\n\n\[引用\]\([^)]*\)(?P<name>[^:\n]*):(?P<said>.*)$", re.S)
LINK_HREF = re.compile(r'<a href="(?P<url>[^"]*)"[^>]*>点击查看详情</a>')
LOCATION = re.compile(r"位置：(?P<name>[^\n]*)")


def read_pywxdump_csv(text: str, source: str, zone) -> list[Record]:
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    if next(reader, None) != COLUMNS:
        raise ChatmineError(source, 1, "not PyWxDump's CSV header (id,MsgSvrID,type_name,…,CreateTime)")
    users = _users(Path(source).with_name("users.json"))
    records, rooms, line = [], set(), reader.line_num + 1
    for number, row in enumerate(reader, 1):
        if len(row) != len(COLUMNS):
            raise bad(source, number, f"{len(row)} fields, not {len(COLUMNS)}", line)
        field = dict(zip(COLUMNS, row))
        if not field["room_name"].endswith("@chatroom"):
            raise bad(source, number, f"{field['room_name'] or 'this chat'} is a private chat, not a group "
                                      "(room_name does not end in @chatroom): chatmine imports group chats only", line)
        rooms.add(field["room_name"])
        try:
            records.append(_record(field, users, source, number, zone))
        except ChatmineError as err:
            raise ChatmineError(source, line, err.reason) from None
        line = reader.line_num + 1
    if len(rooms) > 1:
        raise ChatmineError(source, None, f"holds {len(rooms)} chats: export one group a file")
    return records


def _users(path: Path) -> dict:
    """users.json, which export_csv writes beside the CSVs: wxid -> {nickname, remark, extra…}."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _record(field: dict, users: dict, source: str, number: int, zone) -> Record:
    stamp = field["CreateTime"].strip()
    # timestamp2str leaves a time it cannot read as it was: Unix seconds then stay digits.
    when = unix_time(stamp, source, number) if stamp.isdigit() else local_time(stamp, zone, source, number)
    name = field["type_name"]
    kind = KINDS.get(name) or ("recall" if name.startswith("消息撤回") else
                               "share" if name.startswith("(分享)") else "other")
    speaker = "" if kind == "system" else _speaker(field["talker"], field["room_name"], users)
    return make_record(when, speaker, _body(kind, field), kind, source, number)


def _speaker(wxid: str, room: str, users: dict) -> str:
    """The group nickname (users.json's room entry), else the account's nickname, else the wxid."""
    room_info = (users.get(room) or {}).get("extra") or {}
    member = (room_info.get("wxid2userinfo") or {}).get(wxid) or {}
    user = users.get(wxid) or {}
    for name in (member.get("roomNickname"), member.get("nickname"), user.get("nickname")):
        if isinstance(name, str) and name.strip():
            return name
    return wxid


def _body(kind: str, field: dict) -> str:
    msg, src = field["msg"], field["src"]
    if kind in ("text", "system", "recall"):
        return render(kind, msg)
    if kind == "file":
        # (49, 0) writes the file name in msg; (49, 6) writes only 文件 and the path in src.
        return render("file", name=msg if msg not in ("文件", "") else PureWindowsPath(src).name)
    if kind == "link":
        href = LINK_HREF.search(msg)
        return render("link", name=msg.split("\n", 1)[0], url=href["url"] if href else src)
    if kind == "quote":
        quote = QUOTE.match(msg)
        if not quote:
            return msg
        return render("quote", quote["reply"], quoted_name=quote["name"], quoted=quote["said"])
    if kind in ("forward", "money"):
        return render(kind, name=re.sub(r"^(?:转账|已收款)：", "", msg.split("\n", 1)[0]))
    if kind == "location":
        found = LOCATION.search(msg)
        return render(kind, name=found["name"] if found else "")
    if kind == "other":
        return msg or render("other")
    return render(kind)
