"""Shared fixtures: the small fictional graph in tests/data, and the source documents."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from wbgraph.store import load_graph

DATA = Path(__file__).resolve().parent / "data"
MINI = DATA / "mini.ttl"
INVALID = DATA / "invalid"
REPO = Path(__file__).resolve().parent.parent
UNDER_CI = bool(os.environ.get("CI"))
# Each test run starts with an empty validation cache of its own (wbgraph.validation_cache).
os.environ["WBGRAPH_CACHE"] = tempfile.mkdtemp(prefix="wbgraph-test-cache-")


def seeds_dir() -> Path | None:
    """The folder of source documents: $WBGRAPH_SOURCES, or ../shared/seeds beside the checkout."""
    for candidate in (os.environ.get("WBGRAPH_SOURCES"), REPO.parent / "shared" / "seeds"):
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    return None


@pytest.fixture(scope="session")
def seeds() -> Path:
    found = seeds_dir()
    if found is None:
        if UNDER_CI:
            pytest.fail("source documents not found: set WBGRAPH_SOURCES or put shared/seeds beside the checkout")
        pytest.skip("source documents not found (set WBGRAPH_SOURCES); under CI this fails instead")
    return found


@pytest.fixture(scope="session", params=["oxigraph", "memory"])
def mini_store(request):
    """The fictional graph loaded without the curated graph, on each backend."""
    return load_graph([MINI], curated=False, backend=request.param)


@pytest.fixture(scope="session")
def curated_store():
    return load_graph()


@pytest.fixture(scope="session")
def memory_store():
    return load_graph(backend="memory")
