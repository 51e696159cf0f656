"""Atomic site builds: render into a hidden sibling folder, then swap it in with one rename.

Input: the output folder. Output: a staging folder to render into (`publishing`), swapped
for the old site when rendering succeeds. A build that fails or is killed (Ctrl-C,
kill -9) leaves the previous site exactly as it was; a lock keeps two builds apart.
"""
from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from chatmine.errors import ChatmineError

MARKER = ".chatmine-site"
"""Written into every site: only a folder holding it (or an older site's index.html and
sitemap.xml) is ever replaced, so `-o ~` cannot swap a home folder away."""
RENAME_EXCHANGE = 2
AT_FDCWD = -100


@contextmanager
def publishing(output: Path) -> Iterator[Path]:
    """Yield an empty staging folder; on success it becomes `output` in one rename.

    Files a maintainer put at the top of the old site (CNAME, robots.txt ...) that the
    build did not write are copied into the new one.
    """
    output = Path(output).absolute()
    if output.is_symlink():  # `_site -> /var/www/site`: replace the real folder, keep the link
        output = output.resolve()
    _check_replaceable(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    with build_lock(output):
        _clean_leftovers(output)
        staging = output.parent / f".{output.name}.building-{os.getpid()}"
        staging.mkdir()
        try:
            yield staging
            (staging / MARKER).write_text("built by chatmine; this folder is replaced whole by the next build\n")
            _carry_over(output, staging)
            swap_in(staging, output)
        finally:
            shutil.rmtree(staging, ignore_errors=True)


@contextmanager
def build_lock(output: Path) -> Iterator[None]:
    """An flock on a file beside the site: the kernel drops it when the build dies, even by kill -9."""
    path = output.parent / f".{output.name}.lock"
    handle = open(path, "a+", encoding="utf-8")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "?"
            raise ChatmineError(str(output), None,
                                f"another build (pid {holder}) is writing this site; try again when it has finished") from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        yield
    finally:
        handle.close()


def _check_replaceable(output: Path) -> None:
    if output.exists() and not output.is_dir():
        raise ChatmineError(str(output), None, "exists and is not a folder")
    if output.is_dir() and any(output.iterdir()) and not is_site(output):
        raise ChatmineError(str(output), None,
                            "exists and is not a chatmine site; build into a new or empty folder")
    if output.parent == output or Path.cwd().resolve().is_relative_to(output.resolve()):
        raise ChatmineError(str(output), None, "is the current folder or one above it; build into a sub-folder")


def is_site(folder: Path) -> bool:
    return (folder / MARKER).is_file() or ((folder / "index.html").is_file() and (folder / "sitemap.xml").is_file())


def _clean_leftovers(output: Path) -> None:
    """Staging folders of builds that were killed; we hold the lock, so none is alive."""
    for stale in output.parent.glob(f".{output.name}.building-*"):
        shutil.rmtree(stale, ignore_errors=True)
    old = output.parent / f".{output.name}.old"
    if old.is_dir():
        if not output.exists():  # killed between the two renames of the fallback swap
            os.rename(old, output)
        else:
            shutil.rmtree(old, ignore_errors=True)


def _carry_over(output: Path, staging: Path) -> None:
    if not output.is_dir():
        return
    for entry in output.iterdir():
        target = staging / entry.name
        if target.exists() or entry.name == MARKER:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.copytree(entry, target, symlinks=True)
        else:
            shutil.copy2(entry, target, follow_symlinks=False)


def swap_in(staging: Path, output: Path) -> None:
    """Make `staging` the site. Afterwards `staging` holds the old site (or nothing)."""
    if not output.exists():
        os.rename(staging, output)
        return
    if _exchange(staging, output):
        return
    # No renameat2 (not Linux): two renames; a build killed between them is repaired by
    # the next one (_clean_leftovers puts .old back).
    old = output.parent / f".{output.name}.old"
    os.rename(output, old)
    os.rename(staging, output)
    os.rename(old, staging)


def _exchange(a: Path, b: Path) -> bool:
    """Linux renameat2(RENAME_EXCHANGE): both names swap in one atomic step."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    result = renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE)
    if result == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(b))
