"""`chatmine import`: turn the files today's WeChat exporters write into the archive's day logs.

Input: export files, the archive folder and group, a time zone. Output: day logs written or
extended under ARCHIVE/GROUP, and an ImportSummary. Every file is read and checked first;
nothing is written unless all of them are good.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date as Date
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from chatmine.cache import write_atomic
from chatmine.errors import ChatmineError
from chatmine.importing.daylog import Message, day_messages, merge_day, new_day, missing
from chatmine.importing.detect import READERS, detect_format
from chatmine.importing.records import SKIPPED_BY_DEFAULT, Record
from chatmine.read.parse import decode

DEFAULT_TZ = "Asia/Shanghai"
"""The archive's groups met in China: its clock times are Beijing time."""
FORMATS = ("auto", *READERS)


class ImportRefused(ChatmineError):
    """Some files could not be read: one error a file, and nothing was written."""

    def __init__(self, errors: list[ChatmineError]):
        super().__init__(errors[0].path, errors[0].line, errors[0].reason)
        self.errors = errors


@dataclass(slots=True)
class DayChange:
    """What the import does to one day log."""

    path: str
    """GROUP/YYYY-MM-DD-chat.markdown (the existing file's name when the day has one)."""
    status: str
    """written (a new file), extended (messages added) or unchanged."""
    added: int
    """Messages added to the day."""
    text: str = field(default="", repr=False)
    """The day log's new text (unused when unchanged)."""


@dataclass(slots=True)
class ImportSummary:
    """Days written or extended, messages added per day, messages skipped by kind."""

    days: list[DayChange] = field(default_factory=list)
    skipped: Counter = field(default_factory=Counter)
    """Kind -> messages left out (system, recall without --keep-system; empty)."""
    read: int = 0
    """Messages read from the exports."""
    dry_run: bool = False

    @property
    def added(self) -> int:
        return sum(day.added for day in self.days)

    def lines(self) -> list[str]:
        """The summary as the CLI prints it."""
        would = "would be " if self.dry_run else ""
        out = [f"{day.path}: {would}{day.status}" + (f", {_count(day.added, 'message')} added" if day.added else "")
               for day in self.days]
        changed = Counter(day.status for day in self.days)
        skipped = ", ".join(f"{n} {kind}" for kind, n in sorted(self.skipped.items())) or "none"
        out.append(f"{_count(self.read, 'message')} read, {self.added} added; days: {changed['written']} written, "
                   f"{changed['extended']} extended, {changed['unchanged']} unchanged; skipped: {skipped}"
                   + ("; dry run, nothing written" if self.dry_run else ""))
        return out


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def import_exports(paths: list[Path], into: Path, group: str, tz: str = DEFAULT_TZ, fmt: str = "auto",
                   keep_system: bool = False, dry_run: bool = False) -> ImportSummary:
    """Read every export, then write (unless dry_run) the day logs of GROUP under INTO."""
    zone = _zone(tz)
    folder = _group_folder(Path(into), group)
    records, errors = [], []
    for path in paths:
        try:
            records.append(read_export(Path(path), fmt, zone))
        except ChatmineError as err:
            errors.append(err)
    if errors:
        raise ImportRefused(errors)
    summary = ImportSummary(dry_run=dry_run)
    by_day = _by_day(records, zone, keep_system, summary)
    summary.days = _plan(folder, group, by_day, errors)
    if errors:
        raise ImportRefused(errors)
    if not dry_run:
        _write(folder.parent, summary.days)
    return summary


def _write(into: Path, days: list[DayChange]) -> None:
    """Each changed day whole (a temporary file renamed over it)."""
    for day in days:
        if day.status == "unchanged":
            continue
        try:
            write_atomic(into / day.path, day.text.encode("utf-8"))
        except OSError as err:  # a full disk or a read-only folder: what was written stays, whole
            raise ChatmineError(str(into / day.path), None, f"cannot write ({err.strerror or err})") from None


def read_export(path: Path, fmt: str, zone) -> list[Record]:
    """One export file's records; ChatmineError (file, line, record) when it cannot be read whole."""
    try:
        data = path.read_bytes()
    except OSError as err:
        raise ChatmineError(str(path), None, err.strerror or "cannot read") from None
    text = decode(data, str(path))
    if fmt not in FORMATS:
        raise ChatmineError(str(path), None, f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")
    name = detect_format(text, str(path)) if fmt == "auto" else fmt
    return READERS[name](text, str(path), zone)


def _zone(tz: str) -> ZoneInfo:
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise ChatmineError("--tz", None, f"unknown time zone {tz!r} (e.g. Asia/Shanghai)") from None


def _group_folder(into: Path, group: str) -> Path:
    if not into.is_dir():
        raise ChatmineError(str(into), None, "no such archive folder")
    if not re.fullmatch(r"[^/\\\s.][^/\\]*", group or ""):
        raise ChatmineError("--group", None, f"{group!r} is not a folder name (devarch, prodarch, proddev, ...)")
    return into / group


def _by_day(files: list[list[Record]], zone, keep_system: bool, summary: ImportSummary) -> dict[Date, list[list[Message]]]:
    """Each file's messages to keep, by the day they fall on in `zone`."""
    days: dict[Date, list[list[Message]]] = defaultdict(list)
    for records in files:
        summary.read += len(records)
        kept: dict[Date, list[Record]] = defaultdict(list)
        for record in records:
            if record.kind in SKIPPED_BY_DEFAULT and not keep_system or not record.text:
                summary.skipped[record.kind if record.text else "empty"] += 1
                continue
            kept[record.when.astimezone(zone).date()].append(record)
        for day, day_records in kept.items():
            days[day].append(day_messages(day_records, zone))
    return days


def _plan(folder: Path, group: str, by_day: dict[Date, list[list[Message]]], errors: list) -> list[DayChange]:
    """What each day's file becomes. Two exports that overlap add each message once: a message
    counts as many times as the export holding it most often has it."""
    changes = []
    for day in sorted(by_day):
        messages = _union(by_day[day])
        path = _day_file(folder, day)
        shown = f"{group}/{path.name}"
        if not path.exists():
            changes.append(DayChange(shown, "written", len(messages), new_day(day, messages)))
            continue
        try:
            text, added = merge_day(_read_day(path), messages, str(path))
        except ChatmineError as err:
            errors.append(err)
            continue
        changes.append(DayChange(shown, "extended" if added else "unchanged", added, text))
    return changes


def _union(files: list[list[Message]]) -> list[Message]:
    merged: list[Message] = []
    for messages in files:
        merged += missing(messages, Counter(m.key for m in merged))
    return sorted(merged, key=lambda m: m.time)


def _day_file(folder: Path, day: Date) -> Path:
    """The day's log: DATE-chat.markdown, or another DATE-*.markdown day log already there
    (proddev/2017-08-15-WeChat.markdown); never an article of the same date."""
    chat = folder / f"{day.isoformat()}-chat.markdown"
    if chat.exists() or not folder.is_dir():
        return chat
    for other in sorted(folder.glob(f"{day.isoformat()}-*.markdown")):
        head = other.read_bytes()[:400].decode("utf-8", "replace")
        if re.search(r"^layout:\s*source", head, re.M):
            return other
    return chat


def _read_day(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8")  # a BOM, if any, stays the first character and is written back
    except UnicodeDecodeError:
        raise ChatmineError(str(path), None, "is not UTF-8; not merged (convert it to UTF-8 first)") from None
