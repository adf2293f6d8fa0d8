"""A build of data it has already written copies the outputs from the cache; any change to the data
builds them again, and a cache entry that was altered is not used."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from wbgraph.build import build

from .conftest import MINI

OVERLAY = """@prefix wbr: <https://w3id.org/wbgraph/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
wbr:serbia rdfs:comment "one more triple" .
"""


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("WBGRAPH_CACHE", str(folder))
    return folder


@pytest.fixture
def data(tmp_path) -> Path:
    path = tmp_path / "mine.ttl"
    shutil.copy(MINI, path)
    return path


def outputs(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def steps(result) -> list[str]:
    return [s.step for s in result.profile.steps]


def test_a_second_build_copies_the_same_files_from_the_cache(tmp_path, cache, data):
    first = build(tmp_path / "one", [data], curated=False, profile=True)
    second = build(tmp_path / "two", [data], curated=False, profile=True)
    assert "cached outputs" not in steps(first) and "write pictures" in steps(first)
    assert "cached outputs" in steps(second) and "write pictures" not in steps(second)
    assert [p.name for p in second.written] == [p.name for p in first.written]
    assert outputs(tmp_path / "two") == outputs(tmp_path / "one")


def test_a_changed_input_file_is_built_again(tmp_path, cache, data):
    before = build(tmp_path / "out", [data], curated=False)
    triples = json.loads((tmp_path / "out" / "stats.json").read_text())["triples"]
    data.write_text(data.read_text() + OVERLAY)
    after = build(tmp_path / "out", [data], curated=False, profile=True)
    assert before.ok and after.ok and "write stats" in steps(after)
    assert json.loads((tmp_path / "out" / "stats.json").read_text())["triples"] == triples + 1
    assert "one more triple" in (tmp_path / "out" / "export" / "wbgraph.nt").read_text()


def test_an_altered_cache_entry_is_not_used(tmp_path, cache, data):
    build(tmp_path / "one", [data], curated=False)
    for cached in (cache / "builds").rglob("wbgraph.nt"):
        cached.write_text("<urn:forged> <urn:forged> <urn:forged> .\n")
    result = build(tmp_path / "two", [data], curated=False, profile=True)
    assert "write exports" in steps(result)
    nt = "export/wbgraph.nt"
    assert outputs(tmp_path / "two")[nt] == outputs(tmp_path / "one")[nt]


def test_turning_the_cache_off_writes_nothing_there_and_runs_every_step(tmp_path, monkeypatch, data):
    monkeypatch.setenv("WBGRAPH_CACHE", "off")
    for name in ("one", "two"):
        result = build(tmp_path / name, [data], curated=False, profile=True)
        assert "cached outputs" not in steps(result) and "write exports" in steps(result)
    assert not (tmp_path / "cache").exists()


def test_outputs_larger_than_the_limit_are_not_remembered(tmp_path, cache, data, monkeypatch):
    from wbgraph import output_cache

    monkeypatch.setattr(output_cache, "MAX_BYTES", 10_000)  # the pictures and exports pass it, stats do not
    build(tmp_path / "one", [data], curated=False)
    result = build(tmp_path / "two", [data], curated=False, profile=True)
    assert "cached outputs" in steps(result) and "write stats" not in steps(result)
    assert "write pictures" in steps(result) and "write exports" in steps(result)
