"""Where chatmine finds the files it ships: the site's templates, the embedded archive, its data.

One place, through importlib.resources, so a wheel, an editable install and a source checkout
agree. site_templates/ and seeds/ sit at the top of the repository; pyproject.toml maps them
into the package as chatmine.site_templates and chatmine.seeds.
"""
from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def _folder(package: str) -> Path:
    # chatmine is installed as files on disk (a wheel or a checkout), never run from a zip.
    return Path(str(files(package)))


TEMPLATES = _folder("chatmine.site_templates")
"""The Jinja templates and static/ of the site."""

SEEDS = _folder("chatmine.seeds")
"""The embedded default archive: real days of the groups and its chatmine.toml."""

DATA = _folder("chatmine") / "data"
"""Taxonomy, jieba user dictionary and the models' weights."""


def template_files() -> list[Path]:
    """Every template and static file, in a stable order (the package's own __init__ aside)."""
    return sorted(p for p in TEMPLATES.rglob("*")
                  if p.is_file() and p.name != "__init__.py" and "__pycache__" not in p.parts)
