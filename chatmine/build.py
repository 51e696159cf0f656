"""The build pipeline, top to bottom: read -> analyse (threads, Q&A, topics) -> site.

Input: BuildOptions. Output: the site folder on disk and a BuildResult to report.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from chatmine.errors import Problem
from chatmine.model import Log, Thread
from chatmine.progress import Progress, note

NO_BASE_URL = ("no base_url: sitemap.xml and feed.xml left out, they need absolute URLs "
               "(set base_url in chatmine.toml or pass --base-url)")


@dataclass(slots=True)
class BuildOptions:
    """What `chatmine build` was asked to do."""

    archives: list[Path]
    """Archive folders or files, as given."""
    output: Path = Path("_site")
    rebuild: bool = False
    """Ignore caches, refit the topic model."""
    base_url: str | None = None
    """Absolute URL for canonical links; chatmine.toml's when None."""
    cache_dir: Path | None = None
    redact: bool = True
    """Mask phone, ID and card numbers and e-mails in everything published."""
    pseudonymize: bool = False
    opt_out: Path | None = None
    """A file of names (one a line) whose messages are left out of the site."""
    keep_org_role: bool = False
    """With pseudonymize: keep the org and role beside the alias."""


@dataclass(slots=True)
class Analysis:
    """The archive read and analysed: what export, build and search share."""

    logs: list[Log]
    threads: list[Thread]
    problems: list[Problem] = field(default_factory=list)
    reused: int = 0
    """Pages an incremental build linked from the previous site instead of rendering."""

    @property
    def messages(self) -> int:
        return sum(len(log.messages) for log in self.logs)

    @property
    def questions(self) -> int:
        return sum(qa.asks for thread in self.threads for qa in thread.qa)

    @property
    def discussions(self) -> int:
        """Statements that opened a discussion (QA.asks False)."""
        return sum(not qa.asks for thread in self.threads for qa in thread.qa)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def analyse_archives(archives: list[Path], cache_dir: Path | None = None, rebuild: bool = False) -> Analysis:
    """Read every log under `archives` and split it into tagged threads.

    Files are parsed and split once per content (prepare.py caches them); `rebuild` ignores
    that cache (and refreshes it).
    """
    from chatmine.analyse import analyse_logs
    from chatmine.archive import check_same_day
    from chatmine.prepare import prepare_files
    from chatmine.settled import load_model, save_model, settled_key
    from chatmine.sources import find_logs

    started = time.perf_counter()
    problems: list[Problem] = []
    files = find_logs([Path(p) for p in archives], problems)
    logs, parts, keys = [], [], []
    for done in prepare_files(files, cache_dir, use_cache=not rebuild, progress=Progress("read")):
        problems.extend(done.problems)
        if done.log is not None:
            logs.append(done.log)
            parts.append(done.part)
            keys.append(done.key)
    problems.extend(check_same_day(logs))
    note(f"read {len(logs)} logs in {time.perf_counter() - started:.1f} s")
    # The topic model is fitted on the settled part of the archive (settled.py), so it is
    # reused until that part changes; --rebuild fits it again (to the same model).
    key = settled_key(logs, keys)
    model = None if rebuild else load_model(key, cache_dir)
    started = time.perf_counter()
    analysed = analyse_logs(logs, model=model, parts=parts)
    note(f"analysed {len(analysed.threads)} threads in {time.perf_counter() - started:.1f} s"
         f" (topic model {'reused' if model is not None else 'fitted'})")
    if model is None and analysed.model is not None:
        save_model(analysed.model, key, cache_dir)
    return Analysis(logs, analysed.threads, problems)


def build(options: BuildOptions) -> Analysis:
    """Build the whole site into options.output; problems are reported, not raised."""
    from chatmine.site import render_site

    from chatmine.config import load_config

    from chatmine.publish import publishing
    from chatmine.redact import policy_for, redact_archive

    config = load_config(options.archives, base_url=options.base_url)
    policy = policy_for(options)
    # Rendered into a staging folder swapped in at the end: a failed or killed build
    # leaves the previous site as it was, and a second build into it stops (publish.py).
    with publishing(options.output) as staging:
        result = analyse_archives(options.archives, options.cache_dir, options.rebuild)
        logs, threads = redact_archive(result.logs, result.threads, policy)
        # The site being replaced is the previous build: unchanged pages are linked from it.
        previous = Path(options.output)
        use_previous = not options.rebuild and previous.is_dir()
        started = time.perf_counter()
        site = render_site(threads, logs, config, staging, previous=previous if use_previous else None)
        note(f"rendered {site.pages} pages ({site.reused} kept from the previous site), "
             f"{site.search_records} search records in {time.perf_counter() - started:.1f} s")
        result.reused = site.reused
    if not config.base_url:
        result.problems.append(Problem(str(options.output), None, NO_BASE_URL, "warning"))
    return result
