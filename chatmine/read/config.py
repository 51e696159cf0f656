"""The site owner's settings: an optional chatmine.toml at the archive root.

Input: archive folders (the first one holding chatmine.toml wins). Output: one SiteConfig.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path

from chatmine.errors import ChatmineError
from chatmine.text.taxonomy import load_taxonomy

CONFIG_NAME = "chatmine.toml"

DEFAULT_GROUPS = {
    "devarch": "支付产品开发群",
    "prodarch": "支付产品架构群",
    "proddev": "支付产品技术群",
    "wechat": "早期记录与文章",
}

@dataclass(slots=True)
class SiteConfig:
    """Everything a site owner may set; every field has a default that builds a good site."""

    title: str = "支付产品群问答"
    """Shown in the header, <title> and the feed."""
    description: str = "支付行业从业者微信群的问答、话题与聊天记录，可离线全文检索。"
    """Home page meta description and feed subtitle."""
    base_url: str = ""
    """Absolute URL the site is served from (canonical links, sitemap, feed); '' = relative only."""
    groups: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_GROUPS))
    """Group folder -> display name."""
    topics: dict[str, str] = field(default_factory=lambda: load_taxonomy().labels)
    """Topic tag id -> display name (default: the taxonomy's labels)."""
    latest: int = 12
    """How many Q&A the home page lists as latest and as most answered."""
    feed_entries: int = 50
    """How many new Q&A the Atom feed carries."""
    related: int = 5
    """Related Q&A shown under a thread."""

    def group_name(self, group: str) -> str:
        return self.groups.get(group, group)

    def topic_name(self, topic: str) -> str:
        return self.topics.get(topic, topic)


def load_config(archives: list[Path], base_url: str | None = None) -> SiteConfig:
    """Read chatmine.toml from the first archive folder that has one; --base-url wins over it."""
    config = SiteConfig()
    for archive in archives:
        path = Path(archive) / CONFIG_NAME
        if path.is_file():
            config = parse_config(path)
            break
    if base_url is not None:
        config.base_url = base_url
    config.base_url = config.base_url.rstrip("/") + "/" if config.base_url else ""
    return config


def parse_config(path: Path) -> SiteConfig:
    """One TOML file into a SiteConfig; unknown keys are an error so typos do not pass silently."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise ChatmineError(str(path), None, f"not valid TOML: {err}") from None
    config = SiteConfig()
    known = {f.name for f in fields(SiteConfig)}
    for key, value in data.items():
        if key not in known:
            raise ChatmineError(str(path), None, f"unknown setting {key!r} (known: {', '.join(sorted(known))})")
        default = getattr(config, key)
        if isinstance(default, dict):
            if not isinstance(value, dict):
                raise ChatmineError(str(path), None, f"{key} must be a table")
            default.update({str(k): str(v) for k, v in value.items()})
        elif not isinstance(value, type(default)):
            raise ChatmineError(str(path), None, f"{key} must be {type(default).__name__}")
        else:
            setattr(config, key, value)
    return config
