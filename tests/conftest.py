"""Shared fixtures: the small real fixtures in tests/, and the whole corpus when it is there."""
from __future__ import annotations

import signal
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
import os

# The real archive sits beside the checkout (../shared/corpus); CI may put the clone elsewhere.
_CANDIDATES = [os.environ.get("CHATMINE_CORPUS", ""), ROOT.parent / "shared" / "corpus", "/work/shared/corpus"]
CORPUS = next((Path(c) for c in _CANDIDATES if c and Path(c).is_dir()), ROOT.parent / "shared" / "corpus")


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"the real archive is not here ({CORPUS})")
    return CORPUS


@pytest.fixture
def seeds() -> Path:
    return ROOT / "seeds"


@pytest.fixture
def interruptible():
    """Builds this test starts take Ctrl-C as in a terminal. A test run started in the background
    by a script (`pytest &`) ignores SIGINT, and every process it starts would inherit that; a
    handler (unlike SIG_IGN) is reset to the default when the child starts chatmine."""
    before = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, before)


@pytest.fixture(autouse=True, scope="session")
def _cache_in_tmp(tmp_path_factory):
    """Caches (analysis, topic model, search index) go to a scratch folder, never ~/.cache."""
    os.environ["CHATMINE_CACHE"] = str(tmp_path_factory.mktemp("cache"))


SLOW_FIXTURES = {"corpus", "browser_site"}
"""Fixtures that need ../shared/corpus or a real browser: their tests are marked `corpus`."""


def pytest_collection_modifyitems(items):
    """`pytest -m "not corpus"` runs the fast suite: no whole-archive and no browser tests."""
    for item in items:
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())) or item.module.__name__.endswith("test_browser"):
            item.add_marker(pytest.mark.corpus)
