"""Where chatmine keeps what it can reuse between runs, and the keys that say when it is stale.

Input: ARCHIVE paths and an optional --cache-dir. Output: folders and keys. Everything under
the cache folder can be deleted at any time; it is rebuilt on the next run.
"""
from __future__ import annotations

import hashlib
import os
import shutil
from functools import lru_cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def cache_root(cache_dir: Path | None = None) -> Path:
    """--cache-dir, else $CHATMINE_CACHE, else $XDG_CACHE_HOME/chatmine (~/.cache/chatmine)."""
    if cache_dir:
        return Path(cache_dir)
    if os.environ.get("CHATMINE_CACHE"):
        return Path(os.environ["CHATMINE_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "chatmine"


@lru_cache(maxsize=1)
def code_version() -> str:
    """A hash of chatmine's own code and data files: any change to them makes caches stale.

    Coarser than it could be (a template change also drops the analysis cache), but a
    stale cache can never outlive the code that wrote it.
    """
    digest = hashlib.sha1()
    for path in sorted([*PACKAGE.rglob("*.py"), *PACKAGE.glob("data/*")]):
        digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def archive_key(archives: list[Path]) -> str:
    """A name for the archive set (the absolute ARCHIVE paths, in order)."""
    joined = "\0".join(str(Path(p).absolute()) for p in archives)
    return hashlib.sha1(joined.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def write_atomic(path: Path, data: bytes) -> None:
    """Write a file whole or not at all (a killed run leaves no half file behind): caches, and
    the day logs `chatmine import` writes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def link_or_copy(source, target) -> None:
    """A hard link to `source` (an earlier build's file, no copy); a copy where links cannot be
    made. A missing source raises FileNotFoundError either way."""
    try:
        os.link(source, target)
    except FileNotFoundError:
        raise
    except OSError:
        shutil.copy2(source, target)
