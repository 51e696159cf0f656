"""A build's worker processes never outlive it: not when it is killed by kill -9, not on Ctrl-C."""
from __future__ import annotations

import datetime
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").is_file(), reason="finds processes through /proc")

DAYS = 360
"""Days in the generated archive: ~2 s of work for two workers, so the build is caught mid-analysis."""


@pytest.fixture
def archive(tmp_path, seeds) -> Path:
    """The seed days written again under new dates, the way a group's folder grows."""
    days = sorted(seeds.glob("*/*.markdown"))
    start = datetime.date(2019, 1, 1)
    for number in range(DAYS):
        source = days[number % len(days)]
        old = source.name[:10]
        new = (start + datetime.timedelta(days=number)).isoformat()
        folder = tmp_path / "archive" / source.parent.name
        folder.mkdir(parents=True, exist_ok=True)
        (folder / source.name.replace(old, new)).write_text(
            source.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    return tmp_path / "archive"


def start_build(archive: Path, tmp_path: Path) -> subprocess.Popen:
    """`chatmine build` in its own process group (a terminal's foreground job), nothing cached.

    Its output goes to files: a pipe would stay open as long as any worker lives."""
    with open(tmp_path / "out", "wb") as out, open(tmp_path / "err", "wb") as err:
        return subprocess.Popen(
            [sys.executable, "-m", "chatmine", "build", str(archive), "-o", str(tmp_path / "site"),
             "--cache-dir", str(tmp_path / "cache")],
            stdout=out, stderr=err, start_new_session=True)


def started(pid: int) -> str | None:
    """A process's start time (with its pid, who it is), None once it is gone or a zombie."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2:].split()
    return None if fields[0] in "ZX" else fields[19]


def children(pid: int) -> dict[int, str]:
    """Living processes whose parent is `pid`, with their start times."""
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat[stat.rindex(")") + 2:].split()
            if int(fields[1]) == pid and fields[0] not in "ZX":
                found[int(entry.name)] = fields[19]
    return found


def wait_for_workers(build: subprocess.Popen) -> dict[int, str]:
    """The build's two worker processes, as soon as both exist."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and build.poll() is None:
        workers = children(build.pid)
        if len(workers) >= 2:
            return workers
        time.sleep(0.01)
    pytest.fail(f"no worker processes appeared (build ended with {build.returncode})")


def alive(workers: dict[int, str]) -> list[int]:
    return [pid for pid, start in workers.items() if started(pid) == start]


def left_after(workers: dict[int, str], seconds: float) -> list[int]:
    """The workers still running `seconds` from now (fewer as soon as they are gone)."""
    deadline = time.monotonic() + seconds
    while alive(workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    return alive(workers)


@pytest.fixture
def reap():
    """Kills what a failing test left running, by pid and only if it is still the same process."""
    spawned: dict[int, str] = {}
    yield spawned
    for pid in alive(spawned):
        os.kill(pid, signal.SIGKILL)


def test_a_build_killed_by_kill_9_leaves_no_worker_behind(archive, tmp_path, reap):
    build = start_build(archive, tmp_path)
    workers = wait_for_workers(build)
    reap.update(workers)
    os.kill(build.pid, signal.SIGKILL)
    build.wait()
    assert build.returncode == -signal.SIGKILL
    assert left_after(workers, 5) == [], "workers outlived their killed build"


def test_ctrl_c_ends_a_build_with_one_line_and_no_process_left(archive, tmp_path, reap, interruptible):
    build = start_build(archive, tmp_path)
    workers = wait_for_workers(build)
    reap.update(workers)
    time.sleep(0.3)  # mid-analysis, with both workers at work
    os.killpg(build.pid, signal.SIGINT)  # what Ctrl-C in a terminal does: the whole foreground group
    build.wait(timeout=60)
    assert (build.returncode, (tmp_path / "err").read_text()) == (130, "chatmine: interrupted\n")
    assert left_after(workers, 5) == []


def test_a_worker_whose_build_died_before_it_asked_for_the_signal_exits_at_once():
    # The build was killed between fork and prctl: the worker already has another parent.
    code = "import os; from chatmine.workers import die_with_parent; die_with_parent(os.getppid() + 1); print('ran on')"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30)
    assert (result.returncode, result.stdout) == (1, "")
    code = "import os; from chatmine.workers import die_with_parent; die_with_parent(os.getppid()); print('ran on')"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30).stdout == "ran on\n"
