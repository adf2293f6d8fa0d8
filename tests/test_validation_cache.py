"""Validation remembers what validated, checks again whatever changed, and checks an overlay against the
curated graph without checking the curated graph again."""

from __future__ import annotations

import importlib
import shutil

import pytest

from wbgraph.resources import graph_files
from wbgraph.store import load_graph
from wbgraph.validate import validate

validate_module = importlib.import_module("wbgraph.validate")  # `import wbgraph.validate` names the function

from .conftest import INVALID, MINI

OVERLAY = """@prefix wbr: <https://w3id.org/wbgraph/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
wbr:serbia rdfs:label "Serbia again"@en .
"""


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("WBGRAPH_CACHE", str(folder))
    return folder


@pytest.fixture
def shacl_runs(monkeypatch):
    """The focus nodes of every SHACL run (None: every node)."""
    runs = []
    original = validate_module._shacl

    def spy(graph, locator, focus=None, *engine):
        runs.append(focus)
        return original(graph, locator, focus, *engine)

    monkeypatch.setattr(validate_module, "_shacl", spy)
    return runs


def test_a_file_that_validated_is_not_checked_again_until_it_changes(tmp_path, cache, shacl_runs):
    data = tmp_path / "mine.ttl"
    shutil.copy(MINI, data)
    assert validate([data]).ok and len(shacl_runs) == 1
    assert validate([data]).ok and len(shacl_runs) == 1  # remembered
    broken = (INVALID / "no-locator.ttl").read_text()
    data.write_text(broken)
    report = validate([data])
    assert not report.ok and len(shacl_runs) == 2  # changed: checked again, and the error is found
    assert not validate([data]).ok and len(shacl_runs) == 3  # a failed validation is never remembered


def test_turning_the_cache_off_checks_every_time(monkeypatch, shacl_runs):
    monkeypatch.setenv("WBGRAPH_CACHE", "off")
    validate([MINI])
    validate([MINI])
    assert len(shacl_runs) == 2


def test_an_overlay_is_checked_against_the_curated_graph_only_once(tmp_path, cache, shacl_runs):
    overlay = tmp_path / "overlay.ttl"
    overlay.write_text(OVERLAY)
    assert validate().ok and shacl_runs == [None]
    report = validate([*graph_files(), overlay], curated=False)
    assert len(shacl_runs) == 2 and shacl_runs[1] == ["https://w3id.org/wbgraph/id/serbia"]
    assert [(i.file, i.line, i.node) for i in report.errors] == [(str(overlay), 3, "wbr:serbia")]
    assert "exactly one English rdfs:label" in report.errors[0].message


VALID_OVERLAY = """@prefix wbr: <https://w3id.org/wbgraph/id/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
wbr:serbia skos:altLabel "Srbija"@sr .
"""

OVERLAYS = {"two-english-labels": ("curated", OVERLAY), "an-alternate-name": ("curated", VALID_OVERLAY)}
OVERLAYS |= {path.stem: ("mini", path.read_text()) for path in sorted(INVALID.glob("*.ttl")) if path.stem != "malformed"}


@pytest.mark.parametrize("name", sorted(OVERLAYS))
def test_the_overlay_check_finds_what_a_full_check_finds(tmp_path, name):
    base, text = OVERLAYS[name]
    overlay = tmp_path / f"{name}.ttl"
    overlay.write_text(text)
    checked = list(graph_files()) if base == "curated" else [MINI]
    store = load_graph([*checked, overlay] if base == "mini" else [overlay], curated=base == "curated")
    full = validate_module.validate_store(store, [*checked, overlay])
    staged = validate_module.validate_store(store, [*checked, overlay], checked=checked)
    assert {(i.severity, i.node, i.message) for i in staged} == {(i.severity, i.node, i.message) for i in full}
    assert any(i.severity == "error" for i in full) == (name != "an-alternate-name")


@pytest.mark.parametrize("folder", ["a", "z"])
def test_an_error_is_reported_in_the_file_under_check_wherever_the_files_lie(tmp_path, folder):
    """A node described both in a file checked before and in the file under check is reported in the
    file under check, whether its path sorts before or after the other's."""
    checked = tmp_path / "m" / "mini.ttl"
    checked.parent.mkdir()
    shutil.copy(MINI, checked)
    overlay = tmp_path / folder / "overlay.ttl"
    overlay.parent.mkdir()
    overlay.write_text("@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
                       "@prefix lk: <https://example.org/lake/> .\n\n"
                       'lk:ruritania rdfs:label "Ruritania again"@en .\n')
    store = load_graph([checked, overlay], curated=False)
    issues = validate_module.validate_store(store, [checked, overlay], checked=[checked])
    assert [(i.file, i.line) for i in issues if i.severity == "error"] == [(str(overlay), 4)]
