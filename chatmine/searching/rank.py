"""The one ranking of the search index (placeholder constants; the ranking itself follows)."""
from __future__ import annotations

KIND_WEIGHTS = {"qa": 3.0, "talk": 2.0, "article": 1.5, "day": 1.0}
