"""Read one archive file into a Log of Messages, losing nothing.

Input: a file's bytes (or text). Output: a Log; problems that did not stop the
read (front matter quirks) are returned beside it, problems that did raise ChatmineError.
"""
from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass, field
from datetime import date as Date, datetime
from pathlib import Path, PurePosixPath

from chatmine.errors import ChatmineError, Problem
from chatmine.model import Log, Message
from chatmine.text.invisible import INVISIBLE
from chatmine.text.mentions import MENTION
from chatmine.text.speakers import split_profile

# `> 09:34:04  name-org-role-city`; the speaker may be empty (`> 09:41:31    `).
HEADER = re.compile(r"^> (\d{1,2}):(\d{2}):(\d{2})(?:[ \t\u3000\u00a0]+(.*))?$")
# Early raw dumps: `   14:39:14  text` and `1:24:07<TAB>text`, no speaker.
RAW_LINE = re.compile(r"^[ \t]*(\d{1,2}):(\d{2}):(\d{2})(?:\t|  +)(.*)$")
# Two dumps (wechat/2017-05-18-wechat14, -19-wechat15) name the speaker: `10:39:31<TAB>dio: <TAB>text`,
# `ZZX：<TAB>text`, `alan<TAB>text`, and a few `QiaoY： text`. A dump is read so when most of its lines
# have a name and a tab (all but 5 of 380 there; no line of the other dumps), lest a dump's
# "四要素：名字 身份证号…" take 四要素 for a speaker.
RAW_NAME_TAB = re.compile(r"^([^\s:：\t][^\t:：]{0,24}?)[ \u3000]*[:：]?[ \u3000]*\t(.*)$", re.S)
RAW_NAME_COLON = re.compile(r"^([^\s:：\t][^\s:：\t]{0,15})[ \u3000]*[:：][ \u3000]*(.*)$", re.S)
NAMED_DUMP = 0.6
FENCE = re.compile(r"^-{3,}[ \t]*$")
DATE_IN_NAME = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
# Control characters the real files carry (U+0010, U+0012, U+0014) that YAML rejects.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Bidi overrides and zero-width characters: in a name or title they only disguise it
# (issue 6); message bodies keep them (the site drops them when it renders).

IMAGE = re.compile(r"!\[[^\]\n]*\]\(\s*([^)\s]+)\s*\)")
URL = re.compile(r"https?://[^\s)\]<>\"'，。）]+")
EMOJI_ONLY = re.compile(r"^(?:\[[^\[\]\n]{1,6}\]\s*)+$")
# A file sent in the chat: `[name.pdf` then `]()` on the next line.
FILE_LINK = re.compile(r"^\[[^\]]+\.[A-Za-z0-9]{1,5}\s*\]\(\s*\)$", re.S)
LINK_ONLY = re.compile(r"^\[[^\]]*\]\(\s*https?://[^)]*\)$", re.S)

# HTML character references in message bodies and preambles (1,269 on 425 lines of the corpus,
# none in a header): the archive's exporter escaped some messages, many twice
# ("@刘渊-深结算-产品&amp;amp;市场", "(￣▽￣&amp;amp;quot;)", "&amp;#183;"), which its own site
# then showed as written. Markdown reads a reference as the character it stands for; a
# twice-escaped one is read to the end.
ENTITY = re.compile(r"&(?:amp|quot|lt|gt|apos|nbsp|#\d{1,7}|#[xX][0-9a-fA-F]{1,6});")

LONG_LINE = 100_000
KNOWN_KEYS = ("layout", "title", "date", "author", "tag", "tags", "category", "categories")


@dataclass(slots=True)
class Parsed:
    """A parsed file and the warnings met on the way."""

    log: Log
    problems: list[Problem] = field(default_factory=list)


def decode(data: bytes, path: str) -> str:
    """Bytes to text: UTF-8 (BOM or not), UTF-16 with BOM, else GB18030; binary is refused."""
    if not data.strip():
        raise ChatmineError(path, None, "empty file")
    if data.startswith(b"\xef\xbb\xbf"):
        return _decode(data[3:], "utf-8", path)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _decode(data, "utf-16", path)
    if b"\x00" in data[:8192]:
        raise ChatmineError(path, None, "binary file, not a text log")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        utf8_error = err
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        line = data[: utf8_error.start].count(b"\n") + 1
        raise ChatmineError(path, line, "not UTF-8 or GB18030 text") from None
    if _looks_binary(text):
        raise ChatmineError(path, None, "binary file, not a text log")
    return text


def _decode(data: bytes, encoding: str, path: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise ChatmineError(path, line, f"invalid {encoding} byte") from None


def _looks_binary(text: str) -> bool:
    sample = text[:4096]
    odd = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r")
    return odd > len(sample) / 20


def parse_file(path: Path, root: Path | None = None) -> Parsed:
    """Parse a file; `source` is its path relative to `root` (the archive argument)."""
    source = source_of(path, root if root is not None else path.parent)
    shown = str(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise ChatmineError(shown, None, err.strerror or "cannot read") from None
    return parse_bytes(data, source, shown_path=shown)


def source_of(path: Path, root: Path) -> str:
    """A log's `source`: its path relative to the archive root it was found under."""
    return path.relative_to(root).as_posix() if path != root else path.name


def parse_bytes(data: bytes, source: str, shown_path: str | None = None) -> Parsed:
    shown = shown_path or source
    text = decode(data, shown)
    parsed = parse_text(text, source, shown_path=shown)
    parsed.log.sha1 = hashlib.sha1(data).hexdigest()
    return parsed


def parse_text(text: str, source: str, shown_path: str | None = None) -> Parsed:
    """Parse a whole file's text. `source` names it in records, `shown_path` in messages."""
    shown = shown_path or source
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines and lines[0].startswith("\ufeff"):
        lines[0] = lines[0][1:]
    problems: list[Problem] = []
    _check_long_lines(lines, shown, problems)
    meta, body_start = split_front_matter(lines, shown, problems)
    log = _new_log(meta, source, shown, problems)
    log.body_start = body_start + 1
    _read_body(log, lines, body_start, shown, problems)
    return Parsed(log, problems)


def _check_long_lines(lines: list[str], path: str, problems: list[Problem]) -> None:
    """A line far longer than any real one (max 1,687 chars) is kept whole, but a maintainer
    wants to know: it is usually a paste gone wrong (issue 6: the 10 MB line)."""
    for number, line in enumerate(lines, 1):
        if len(line) > LONG_LINE:
            problems.append(Problem(path, number, f"line of {len(line):,} characters (kept whole)", "warning"))
            return


def split_front_matter(lines: list[str], path: str, problems: list[Problem]) -> tuple[dict, int]:
    """Return (front matter, index of the first body line); warn and recover on bad YAML."""
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None or not FENCE.match(lines[first].strip()):
        problems.append(Problem(path, 1, "no front matter; date taken from the file name", "warning"))
        return {}, 0
    end = next((i for i in range(first + 1, len(lines)) if FENCE.match(lines[i].strip())), None)
    # A message header before the closing fence means the fence is missing and the `---`
    # found is a rule in the body: reading up to it would swallow those messages.
    if end is not None and any(HEADER.match(lines[i].rstrip()) for i in range(first + 1, end)):
        end = None
    if end is None:
        # Cut off mid-front-matter: keep whatever messages follow, read the rest as front matter.
        problems.append(Problem(path, first + 1, "front matter is not closed (no second '---' line)"))
        end = next((i for i in range(first + 1, len(lines)) if HEADER.match(lines[i].rstrip())), len(lines))
        block = lines[first + 1 : end]
        if end == len(lines) and block and block[-1]:
            block = block[:-1]  # the file stops inside this line: its value is cut (date: 2018-03-0)
        return _load_lines(block), end
    block = lines[first + 1 : end]
    return _load_yaml(block, path, first + 2, problems), end + 1


def _load_yaml(block: list[str], path: str, first_line: int, problems: list[Problem]) -> dict:
    from frontmatter.default_handlers import YAMLHandler  # libyaml loader: accepts `tag:\t\t  [chat]`
    import yaml

    text = "\n".join(block)
    try:
        data = YAMLHandler().load(text)
        if isinstance(data, dict):
            return data
        if data is None:
            return {}
        reason = "front matter is not a mapping"
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        if "end of stream" in str(getattr(err, "problem", "")) and getattr(err, "context_mark", None):
            mark = err.context_mark  # an unclosed quote or [: where it opened, not the fence
        line = first_line + mark.line if mark is not None else first_line
        reason = f"invalid YAML ({getattr(err, 'problem', None) or 'unreadable'})"
        problems.append(Problem(path, line, f"{reason}; read line by line", "warning"))
        return _load_lines(block)
    problems.append(Problem(path, first_line, f"{reason}; read line by line", "warning"))
    return _load_lines(block)


def _load_lines(block: list[str]) -> dict:
    """Fallback for front matter YAML rejects: `key: value` a line, first colon splits."""
    meta: dict = {}
    for line in block:
        key, sep, value = CONTROL.sub("", line).partition(":")
        if sep and key.strip() and not key.startswith((" ", "\t")):
            value = value.strip().strip("\"'")
            meta[key.strip()] = value
    return meta


def _new_log(meta: dict, source: str, path: str, problems: list[Problem]) -> Log:
    parts = PurePosixPath(source).parts
    category = meta.get("category") or meta.get("categories") or ""
    if isinstance(category, list):
        category = category[0] if category else ""
    group = parts[0] if len(parts) > 1 else str(category)
    tags = meta.get("tag", meta.get("tags", [])) or []
    if isinstance(tags, str):
        tags = [t.strip() for t in tags.strip("[]").split(",") if t.strip()]
    return Log(
        source=source,
        group=group,
        date=_log_date(meta.get("date"), source, path, problems),
        title=_clean(meta.get("title", "")),
        author=_clean(meta.get("author", "")),
        layout=_clean(meta.get("layout", "")),
        tags=[_clean(t) for t in tags],
        meta={k: v for k, v in meta.items() if k not in KNOWN_KEYS},
    )


def _clean(value: object) -> str:
    return "" if value is None else INVISIBLE.sub("", CONTROL.sub("", str(value))).strip()


def _log_date(value: object, source: str, path: str, problems: list[Problem]) -> Date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, Date):
        return value
    found = DATE_IN_NAME.search(str(value or ""))
    if found and (day := _make_date(found)):
        return day
    found = DATE_IN_NAME.search(PurePosixPath(source).name)
    if found and (day := _make_date(found)):
        if value:
            problems.append(Problem(path, None, f"unreadable date {value!r}; using the file name's", "warning"))
        return day
    raise ChatmineError(path, None, "no date: neither the front matter nor the file name has one")


def _make_date(match: re.Match) -> Date | None:
    try:
        return Date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def _read_body(log: Log, lines: list[str], start: int, path: str, problems: list[Problem]) -> None:
    body = lines[start:]
    headers = [i for i, line in enumerate(body) if HEADER.match(line.rstrip())]
    pattern = HEADER
    if not headers:
        headers = [i for i, line in enumerate(body) if RAW_LINE.match(line)]
        pattern = RAW_LINE
    if not headers:
        log.preamble = decode_entities(_join(body))
        return
    log.preamble = decode_entities(_join(body[: headers[0]]))
    bounds = headers[1:] + [len(body)]
    matches = [pattern.match(body[first].rstrip() if pattern is HEADER else body[first]) for first in headers]
    named = pattern is RAW_LINE and sum(bool(RAW_NAME_TAB.match(m[4])) for m in matches) >= NAMED_DUMP * len(matches)
    raw = pattern is RAW_LINE
    for match, first, stop in zip(matches, headers, bounds):
        block = _Block(match, body[first + 1 : stop], start + first + 1, raw, named)
        log.messages.append(_message(log, block, path, problems))
    if pattern is HEADER:
        _check_truncated(log.messages[-1], body, start, path, problems)


def _check_truncated(last: Message, body: list[str], start: int, path: str, problems: list[Problem]) -> None:
    """Every real log ends with a separator line after its last message; a cut file does not."""
    if last.raw_lines == 0:
        problems.append(Problem(path, last.line, "file ends right after a message header (truncated?)"))
    elif body and body[-1].strip() and last.text:
        problems.append(Problem(path, start + len(body), "file ends mid-message (truncated?)"))


@dataclass(frozen=True, slots=True)
class _Block:
    """One message as written in the file."""

    header: re.Match
    """Its header line matched by HEADER, or by RAW_LINE in a raw dump."""
    lines: list[str]
    """The body lines under the header."""
    line: int
    """The header's line number."""
    raw: bool
    """A raw dump's `HH:MM:SS  text` line: the text starts on the header line."""
    named: bool
    """A raw dump whose lines carry `name<TAB>text` (or `name: text`)."""


def _message(log: Log, block: _Block, path: str, problems: list[Problem]) -> Message:
    match, body_lines, line, named = block.header, block.lines, block.line, block.named
    hh, mm, ss = (int(match[i]) for i in (1, 2, 3))
    time = f"{hh:02d}:{mm:02d}:{ss:02d}"
    stamp = None
    try:
        stamp = datetime(log.date.year, log.date.month, log.date.day, hh, mm, ss)
    except ValueError:
        problems.append(Problem(path, line, f"impossible time {time}", "warning"))
    if not block.raw:
        speaker = _clean_speaker(match[4] or "")
        text = _join(body_lines)
    else:
        speaker, first = "", match[4]
        said = named and (RAW_NAME_TAB.match(first) or RAW_NAME_COLON.match(first))
        if said:
            speaker, first = _clean_speaker(said[1]), said[2]
        text = _join([first] + body_lines)
    text = decode_entities(text)
    return Message(
        line=line,
        time=time,
        datetime=stamp,
        speaker=speaker,
        profile=split_profile(speaker),
        text=text,
        kind=message_kind(text),
        mentions=[m["name"] for m in MENTION.finditer(text)],
        urls=URL.findall(text),
        images=IMAGE.findall(text),
        raw_lines=len(body_lines),
    )


def _clean_speaker(raw: str) -> str:
    return INVISIBLE.sub("", raw).strip(" \t\u3000\u00a0")


def decode_entities(text: str) -> str:
    """`text` with its character references read (ENTITY), to the end when escaped more than
    once; one standing for a control character (a line break) stays as written."""
    for _ in range(4):
        if "&" not in text:
            break
        decoded = ENTITY.sub(_character, text)
        if decoded == text:
            break
        text = decoded
    return text


def _character(reference: re.Match) -> str:
    character = html.unescape(reference.group())
    return character if character.isprintable() or character == "\xa0" else reference.group()


def _join(lines: list[str]) -> str:
    """Body lines to text: trailing spaces off, separator (blank) lines at the ends dropped."""
    stripped = [line.rstrip() for line in lines]
    while stripped and not stripped[0]:
        stripped.pop(0)
    while stripped and not stripped[-1]:
        stripped.pop()
    # Separator lines of spaces between body lines of one message become one blank line.
    out: list[str] = []
    for line in stripped:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out)


def message_kind(text: str) -> str:
    """text / image / file / link / emoji / empty, from the body alone."""
    body = text.strip()
    if not body:
        return "empty"
    if IMAGE.sub("", body).strip() == "":
        return "image"
    if FILE_LINK.match(body):
        return "file"
    if LINK_ONLY.match(body):
        return "link"
    if EMOJI_ONLY.match(body):
        return "emoji"
    return "text"
