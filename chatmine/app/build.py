"""The build pipeline, top to bottom: read -> analyse (threads, Q&A, topics) -> site.

Input: BuildOptions. Output: the site folder on disk and a BuildResult to report.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from chatmine import heap
from chatmine.analyse.archives import Analysis, analyse_archives
from chatmine.errors import Problem
from chatmine.progress import note
from chatmine.publish.redact import policy_for, redact_archive
from chatmine.publish.site import render_site
from chatmine.publish.staging import publishing
from chatmine.read.config import load_config

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


def build(options: BuildOptions) -> Analysis:
    """Build the whole site into options.output; problems are reported, not raised."""
    config = load_config(options.archives, base_url=options.base_url)
    policy = policy_for(options)
    # Rendered into a staging folder swapped in at the end: a failed or killed build
    # leaves the previous site as it was, and a second build into it stops (publish.py).
    with publishing(options.output) as staging:
        result = analyse_archives(options.archives, options.cache_dir, options.rebuild)
        with heap.frozen():  # the archive's objects are not scanned again by each collection
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
