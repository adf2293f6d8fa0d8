"""Validation on the compiled SHACL engine says exactly what pyshacl's full run says.

The reference is the way validation worked before: pyshacl over a full rdflib copy of everything
loaded (the memory backend), every node checked at once, nothing remembered. The fast way runs
pyshacl-turbo on the parts of an Oxigraph store each check reads, the curated graph first and then
the other files on the nodes they mention. Every issue (severity, code, message, file, line, node,
hint) must be the same, in the same order.
"""

from __future__ import annotations

import pytest

from wbgraph.resources import graph_files, ontology_files
from wbgraph.store import open_store
from wbgraph.validate import validate_files, validate_store

from .conftest import INVALID, MINI

FIXTURES = sorted(p for p in INVALID.glob("*.ttl") if p.name != "malformed.ttl")  # malformed: never loaded


def reference_issues(files):
    """pyshacl's full run over an rdflib copy of the ontology and ``files``."""
    store = open_store("memory")
    for path in [*ontology_files(), *files]:
        store.load(path)
    store.derive_edges()
    return validate_store(store, files, engine="pyshacl")


def fast_issues(files):
    report, _ = validate_files(files)
    return report.issues


@pytest.fixture(autouse=True)
def no_cache(monkeypatch):
    monkeypatch.setenv("WBGRAPH_CACHE", "off")


def test_the_fixtures_cover_every_kind_of_shape_result():
    found = {i.message for f in FIXTURES for i in reference_issues([MINI, f]) if i.code == "shape"}
    assert any("has no source" in m for m in found) and any("has no locator" in m for m in found)
    assert any("described in the graph" in m for m in found) and any("English rdfs:label" in m for m in found)


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.name)
def test_each_invalid_file_alone_and_beside_the_fictional_graph(fixture):
    for files in ([fixture], [MINI, fixture]):
        assert fast_issues(files) == reference_issues(files)
    assert reference_issues([MINI, fixture]), f"{fixture.name} beside the fictional graph should have issues"


def test_the_curated_graph_gives_what_pyshacl_gives():
    files = list(graph_files())
    assert fast_issues(files) == reference_issues(files) == []


def test_the_curated_graph_with_every_invalid_file_gives_what_pyshacl_gives():
    files = [*graph_files(), *FIXTURES]
    expected = reference_issues(files)
    # two-labels.ttl only adds a label to a node of the fictional graph: beside the curated one it is fine
    assert {i.file.rsplit("/", 1)[-1] for i in expected} == {f.name for f in FIXTURES} - {"two-labels.ttl"}
    assert fast_issues(files) == expected
