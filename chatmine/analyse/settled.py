"""The settled part of an archive: every log dated before the month of its newest log.

Input: Logs. Output: the cut-off date, and which logs (threads) fall before it.

The topic model (classifier and emerging clusters) is fitted on the settled part alone. A
maintainer adds days to the newest month, so the settled part, and the model, stay the same
until a month begins: an incremental build reuses the model and a cold build of the same
archive fits exactly the same one. Once a month it is fitted afresh, on one more month.
An archive within one month has no settled part: then the model is fitted on all of it.
"""
from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

from chatmine.analyse.topics import TopicModel
from chatmine.cache import cache_root, code_version, write_atomic
from chatmine.errors import ChatmineError
from chatmine.model import Log

KEEP = 4
"""Fitted models (and their threads' tags) kept in the cache, the newest: the settled part
changes once a month."""


def cutoff(logs: list[Log]) -> date | None:
    """The first day of the newest log's month; None when no log is older than that."""
    dates = [log.date for log in logs if log.date]
    if not dates:
        return None
    newest = max(dates)
    cut = newest.replace(day=1)
    return cut if min(dates) < cut else None


def is_settled(log: Log, cut: date | None) -> bool:
    """Is `log` in the settled part (everything is, when there is no cut-off)?"""
    return cut is None or log.date < cut


def settled_key(logs: list[Log], file_keys: list[str]) -> str:
    """A name for the settled part: chatmine's code and the content keys of its files."""
    cut = cutoff(logs)
    keys = sorted(key for log, key in zip(logs, file_keys) if is_settled(log, cut))
    return hashlib.sha1("\0".join([code_version(), *keys]).encode()).hexdigest()[:20]


def load_model(key: str, cache_dir: Path | None = None):
    """The topic model fitted on this settled part by an earlier run, or None."""
    path = _models(cache_dir) / f"{key}.pickle"
    if not path.is_file():
        return None
    try:
        return TopicModel.load(path)
    except ChatmineError:
        return None  # unreadable: fitted again


def save_model(model, key: str, cache_dir: Path | None = None) -> None:
    """Keep the model for the next build; only the newest few are kept."""
    _keep(cache_root(cache_dir) / "models", key, model.dumps())


def load_tags(key: str, cache_dir: Path | None = None) -> dict[str, list]:
    """What the model of this settled part gave each file's threads in earlier runs: file key ->
    pipeline.Tags ({} when none). A new day then costs the tagging of its own threads alone
    (tagging every thread again: ~1.5 s of an incremental build of the whole corpus)."""
    import pickle

    try:
        tags = pickle.loads((cache_root(cache_dir) / "tags" / f"{key}.pickle").read_bytes())
    except Exception:  # missing or damaged: every thread is tagged again
        return {}
    return tags if isinstance(tags, dict) else {}


def save_tags(tags: dict[str, list], key: str, cache_dir: Path | None = None) -> None:
    import pickle

    _keep(cache_root(cache_dir) / "tags", key, pickle.dumps(tags, protocol=pickle.HIGHEST_PROTOCOL))


def _keep(folder: Path, key: str, data: bytes) -> None:
    """Write `data` as folder/key.pickle, keeping the newest KEEP there."""
    try:
        write_atomic(folder / f"{key}.pickle", data)
        for old in sorted(folder.glob("*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)[KEEP:]:
            old.unlink(missing_ok=True)
    except OSError:
        pass  # a read-only or full cache folder makes builds slower, never wrong


def _models(cache_dir: Path | None) -> Path:
    return cache_root(cache_dir) / "models"
