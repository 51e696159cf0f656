"""Atomic builds (issue 6): a killed or failed build leaves the old site byte for byte; one build at a time.

Real `chatmine build` subprocesses are killed mid-render (SIGKILL, SIGINT): the staging
folder has pages in it when the signal lands, and the published folder must not move.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from chatmine.publish import staging as publish
from chatmine.app.build import BuildOptions, build
from chatmine.errors import ChatmineError
from chatmine.publish.staging import build_lock, publishing

ROOT = Path(__file__).resolve().parent.parent


def command(*args) -> list[str]:
    return [sys.executable, "-m", "chatmine", *map(str, args)]


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under folder (hidden ones too) -> sha256 of its bytes."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def archives(tmp_path_factory) -> tuple[Path, Path]:
    """(old archive: the seeds, new archive: the seeds less one day)."""
    base = tmp_path_factory.mktemp("archives")
    old, new = base / "old", base / "new"
    shutil.copytree(ROOT / "seeds", old)
    shutil.copytree(ROOT / "seeds", new)
    (new / "prodarch" / "2018-02-24-chat.markdown").unlink()
    return old, new


@pytest.fixture(scope="module")
def built(archives, tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """A site built from the old archive, and its snapshot."""
    out = tmp_path_factory.mktemp("pub") / "_site"
    result = subprocess.run(command("build", archives[0], "-o", out), capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return out, snapshot(out)


@pytest.fixture
def site(built, tmp_path) -> tuple[Path, dict[str, str]]:
    """A private copy of the built site, so each test may try to break it."""
    out = tmp_path / "_site"
    shutil.copytree(built[0], out)
    return out, built[1]


def staging_of(out: Path) -> list[Path]:
    return list(out.parent.glob(f".{out.name}.building-*"))


def start_and_wait_for_pages(archive: Path, out: Path) -> subprocess.Popen:
    """Start a build and return once it has written pages into its staging folder."""
    proc = subprocess.Popen(command("build", archive, "-o", out), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        folders = staging_of(out)
        if folders and (folders[0] / "q").is_dir():
            return proc
        if proc.poll() is not None:
            pytest.fail(f"build ended before it could be killed: {proc.stderr.read().decode()}")
        time.sleep(0.02)
    proc.kill()
    pytest.fail("the build never started rendering")


def test_sigkill_mid_render_leaves_the_old_site_byte_for_byte(site, archives):
    out, before = site
    proc = start_and_wait_for_pages(archives[1], out)
    proc.send_signal(signal.SIGKILL)
    proc.wait(30)
    assert proc.returncode == -signal.SIGKILL
    assert snapshot(out) == before
    assert staging_of(out), "the killed build's staging folder should still be there"
    # The next build cleans up after it and publishes the new archive.
    result = subprocess.run(command("build", archives[1], "-o", out), capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert not staging_of(out) and snapshot(out) != before
    assert not list((out / "day").rglob("2018-02-24-chat*.html"))


def test_ctrl_c_mid_render_leaves_the_old_site_and_no_staging(site, archives, interruptible):
    out, before = site
    proc = start_and_wait_for_pages(archives[1], out)
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130 and b"interrupted" in stderr
    assert snapshot(out) == before and not staging_of(out)


def test_failed_render_leaves_the_old_site(site, archives, monkeypatch):
    out, before = site

    def half_render(threads, logs, config, staging, **options):
        (staging / "index.html").write_text("half", encoding="utf-8")
        raise RuntimeError("disk full")

    monkeypatch.setattr("chatmine.app.build.render_site", half_render)
    with pytest.raises(RuntimeError):
        build(BuildOptions(archives=[archives[1]], output=out))
    assert snapshot(out) == before and not staging_of(out)


def test_a_second_build_stops_with_a_clear_message(site, archives):
    out, before = site
    with build_lock(out.absolute()):
        result = subprocess.run(command("build", archives[1], "-o", out), capture_output=True, text=True)
    assert result.returncode == 1
    assert f"another build (pid {os.getpid()}) is writing this site" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert snapshot(out) == before


def test_two_builds_at_once_never_mix(site, archives):
    out, before = site
    procs = [subprocess.Popen(command("build", a, "-o", out), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for a in archives]
    results = [(p.wait(120), p.stderr.read()) for p in procs]
    codes = sorted(code for code, _ in results)
    assert codes == [0, 1], results
    assert any("another build" in err for code, err in results if code == 1)
    winner = archives[[code for code, _ in results].index(0)]
    # The published site is wholly the winner's: the dropped day is there only for the old archive.
    dropped = list((out / "day").rglob("2018-02-24-chat*.html"))
    assert bool(dropped) == (winner == archives[0])
    assert not staging_of(out)


def test_fallback_swap_without_renameat2(site, archives, monkeypatch):
    out, before = site
    monkeypatch.setattr(publish, "_exchange", lambda a, b: False)
    build(BuildOptions(archives=[archives[1]], output=out))
    assert snapshot(out) != before and (out / "index.html").is_file()
    assert not list(out.parent.glob(f".{out.name}.*[!k]"))  # only the .lock file is left beside it


def test_maintainer_files_at_the_top_are_kept(site, archives):
    out, _ = site
    (out / "CNAME").write_text("pay.example.org\n", encoding="utf-8")
    build(BuildOptions(archives=[archives[1]], output=out))
    assert (out / "CNAME").read_text(encoding="utf-8") == "pay.example.org\n"


def test_a_folder_that_is_not_a_site_is_never_replaced(tmp_path, archives):
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "todo.txt").write_text("mine", encoding="utf-8")
    result = subprocess.run(command("build", archives[1], "-o", folder), capture_output=True, text=True)
    assert result.returncode == 1 and "is not a chatmine site" in result.stderr
    assert snapshot(folder) == {"todo.txt": hashlib.sha256(b"mine").hexdigest()}


def test_publishing_yields_an_empty_sibling_and_swaps_in_one_rename(tmp_path):
    out = tmp_path / "_site"
    with publishing(out) as staging:
        assert staging.parent == tmp_path and not any(staging.iterdir()) and not out.exists()
        (staging / "index.html").write_text("one", encoding="utf-8")
    with publishing(out) as staging:
        (staging / "index.html").write_text("two", encoding="utf-8")
        assert (out / "index.html").read_text(encoding="utf-8") == "one"
    assert (out / "index.html").read_text(encoding="utf-8") == "two"
    with pytest.raises(ChatmineError, match="another build"):
        with build_lock(out), publishing(out):
            pass


def test_a_symlinked_site_folder_is_replaced_through_the_link(tmp_path):
    real = tmp_path / "www" / "site"
    with publishing(real) as staging:
        (staging / "index.html").write_text("one", encoding="utf-8")
    link = tmp_path / "_site"
    link.symlink_to(real)
    with publishing(link) as staging:
        (staging / "index.html").write_text("two", encoding="utf-8")
    assert link.is_symlink() and (link / "index.html").read_text(encoding="utf-8") == "two"
