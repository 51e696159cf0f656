"""The topic taxonomy: chatmine/data/taxonomy.toml, read in one place.

Input: the maintainer-editable TOML file (a table per tag: label, terms, weak terms).
Output: a Taxonomy, with one regex finding every term, each term's tags and weight, and
each tag's label; the topic tagger, the question detector, the site's topic names and the
search's words all read it from here.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from chatmine.errors import ChatmineError
from chatmine.resources import DATA

TAXONOMY = DATA / "taxonomy.toml"
WEAK = 0.5
"""What a hit of a tag's `weak` term counts (a two-character term counts 1)."""


@dataclass(frozen=True, slots=True)
class Tag:
    """One taxonomy entry."""

    id: str
    label: str
    terms: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Taxonomy:
    """Every tag, in file order (the order breaks ties), and one regex finding all terms."""

    tags: tuple[Tag, ...]
    pattern: re.Pattern
    tags_of: dict
    weight_of: dict = field(default_factory=dict)
    """Term -> how much one hit counts (WEAK for a tag's `weak` terms, else by length)."""

    @property
    def ids(self) -> list[str]:
        return [t.id for t in self.tags]

    @property
    def labels(self) -> dict[str, str]:
        """Tag id -> the label shown on the site (the id where the file gives none)."""
        return {t.id: t.label for t in self.tags}


@lru_cache(maxsize=4)
def load_taxonomy(path: Path = TAXONOMY) -> Taxonomy:
    """Read the maintainer-editable taxonomy file."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as err:
        raise ChatmineError(str(path), None, f"cannot read the taxonomy: {err}") from err
    tags = []
    weight_of: dict[str, float] = {}
    for tag_id, entry in data.items():
        if not isinstance(entry, dict) or not all(isinstance(entry.get(k, []), list) for k in ("terms", "weak")):
            raise ChatmineError(str(path), None, f"tag {tag_id!r} needs a table with a `terms` list")
        weak = tuple(str(t).lower() for t in entry.get("weak", []))
        tags.append(Tag(tag_id, str(entry.get("label", tag_id)), tuple(str(t).lower() for t in entry.get("terms", [])) + weak))
        weight_of.update((term, WEAK) for term in weak)
    tags_of: dict[str, list[str]] = {}
    for tag in tags:
        for term in tag.terms:
            tags_of.setdefault(term, []).append(tag.id)
            weight_of.setdefault(term, 1.0 + 0.25 * (len(term) - 2) if len(term) > 1 else 0.5)
    terms = sorted(tags_of, key=len, reverse=True)  # longest first: 对账文件 before 对账
    pattern = re.compile("|".join(map(re.escape, terms))) if terms else re.compile(r"(?!x)x")
    return Taxonomy(tuple(tags), pattern, tags_of, weight_of)


def lexicon_scores(text: str, taxonomy: Taxonomy | None = None) -> dict[str, float]:
    """Term hits per tag in `text`; a longer term counts more (it is more specific), a weak
    one less."""
    taxonomy = taxonomy or load_taxonomy()
    scores: dict[str, float] = {}
    for term in taxonomy.pattern.findall(text.lower()):
        weight = taxonomy.weight_of[term]
        for tag in taxonomy.tags_of[term]:
            scores[tag] = scores.get(tag, 0.0) + weight
    return scores
