"""Where chatmine keeps what it can reuse between runs, and the keys that say when it is stale.

Input: ARCHIVE paths and an optional --cache-dir. Output: folders and keys. Everything under
the cache folder can be deleted at any time; it is rebuilt on the next run.
"""
from __future__ import annotations

import os
import shutil
import zlib
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
    import hashlib  # not at the top: its OpenSSL costs `chatmine search` 2 ms, and a query needs no hash

    digest = hashlib.sha1()
    for path in _code_files():
        digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def code_stamp() -> str:
    """The name, size and modification time of each file code_version hashes: what `chatmine
    search` checks on every query instead (reading and hashing them took 2 ms); when it differs,
    the index's writer compares code_version itself."""
    lines = []
    for path in _code_files():
        st = path.stat()
        lines.append(f"{path}\0{st.st_size}\0{st.st_mtime_ns}\n")
    return "".join(lines)


def _code_files() -> list[Path]:
    """chatmine's .py files and data files, sorted (what code_version covers)."""
    found = []
    stack = [str(PACKAGE)]
    while stack:
        folder = stack.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir():
                    if entry.name != "__pycache__":
                        stack.append(entry.path)
                elif entry.name.endswith(".py") or folder == _DATA:
                    found.append(Path(entry.path))
    return sorted(found)


_DATA = str(PACKAGE / "data")


def archive_key(archives: list[Path]) -> str:
    """A name for the archive set (the absolute ARCHIVE paths, in order): two 32-bit checksums,
    no hashlib (its OpenSSL costs every query 2 ms). Two sets of one name would only share a
    folder: the index's stamp holds the paths themselves."""
    joined = "\0".join(str(Path(p).absolute()) for p in archives).encode("utf-8", "surrogatepass")
    return f"{zlib.crc32(joined):08x}{zlib.adler32(joined):08x}"


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
