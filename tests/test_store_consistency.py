"""The on-disk store is never silently stale: killed loads, failed files, edited and removed files."""

from __future__ import annotations

import gc
import json
import subprocess
import sys
import textwrap

import pytest
from click.testing import CliRunner

from wbgraph.cli import main
from wbgraph.diskstore import MANIFEST, StoreChangeWarning
from wbgraph.errors import SyntaxProblem
from wbgraph.namespaces import DERIVED_GRAPH
from wbgraph.store import load_graph

from .conftest import MINI

EXTRA = """@prefix lk: <https://example.org/lake/> .
@prefix wb: <https://w3id.org/wbgraph/ontology#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
lk:extra-claim a wb:Claim ; rdf:subject lk:freedonia ; rdf:predicate wb:exertsInfluenceOn ;
    rdf:object lk:sylvania ; wb:confidence wb:alleged .
lk:freedonia rdfs:label "{label}"@en .
"""


def derived(store) -> int:
    return store.count_graph(DERIVED_GRAPH)


def label(store) -> set[str]:
    rows = store.query('SELECT ?l WHERE { <https://example.org/lake/freedonia> rdfs:label ?l }').rows
    return {str(row[0]) for row in rows}


def labels_on_disk(files, store_path) -> set[str]:
    """The labels served after a run on the store (closed again, so that the next run can open it)."""
    return label(load_graph(files, curated=False, path=store_path))


def test_a_load_killed_before_the_edges_are_derived_is_repaired_by_the_next_run(tmp_path):
    store_path = tmp_path / "store"
    extra = tmp_path / "extra.ttl"
    extra.write_text(EXTRA.format(label="Freedonia"))
    clean = derived(load_graph([MINI, extra], curated=False))
    load_graph([MINI], curated=False, path=store_path)  # an existing store
    # The second run loads extra.ttl (committed), then dies before the edges are derived.
    killed = subprocess.run([sys.executable, "-c", textwrap.dedent(f"""
        import os, signal
        from wbgraph.store import GraphStore, load_graph
        GraphStore.derive_edges = lambda self: os.kill(os.getpid(), signal.SIGKILL)
        load_graph([{str(MINI)!r}, {str(extra)!r}], curated=False, path={str(store_path)!r})
    """)], capture_output=True)
    assert killed.returncode == -9
    assert json.loads((store_path / MANIFEST).read_text())["state"] == "dirty"
    again = load_graph([MINI, extra], curated=False, path=store_path)
    assert derived(again) == clean
    assert json.loads((store_path / MANIFEST).read_text())["state"] == "clean"


def test_a_failing_file_still_leaves_the_edges_derived(tmp_path):
    store_path = tmp_path / "store"
    extra = tmp_path / "extra.ttl"
    extra.write_text(EXTRA.format(label="Freedonia"))
    bad = tmp_path / "bad.ttl"
    bad.write_text("<urn:a> <urn:b> .\n")
    load_graph([MINI], curated=False, path=store_path)
    with pytest.raises(SyntaxProblem):
        load_graph([MINI, extra, bad], curated=False, path=store_path)
    clean = derived(load_graph([MINI, extra], curated=False))
    assert derived(load_graph([MINI, extra], curated=False, path=store_path)) == clean


def test_an_edited_file_is_loaded_again(tmp_path):
    store_path = tmp_path / "store"
    extra = tmp_path / "extra.ttl"
    extra.write_text(EXTRA.format(label="Old name"))
    first = labels_on_disk([MINI, extra], store_path)
    assert "Old name" in first
    extra.write_text(EXTRA.format(label="New name"))
    second = labels_on_disk([MINI, extra], store_path)
    assert "New name" in second and "Old name" not in second
    # also when the file is not named again: the store's record notices the change
    extra.write_text(EXTRA.format(label="Third name"))
    third = labels_on_disk([MINI], store_path)
    assert "Third name" in third and "New name" not in third


def test_a_file_edited_into_a_broken_one_is_reported_and_not_served(tmp_path):
    store_path = tmp_path / "store"
    extra = tmp_path / "extra.ttl"
    extra.write_text(EXTRA.format(label="Old name"))
    load_graph([MINI, extra], curated=False, path=store_path)
    extra.write_text("this is not turtle")
    args = ["--no-curated", "--with", str(MINI), "--with", str(extra), "--store-path", str(store_path), "stats"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1 and "extra.ttl" in result.output and "Traceback" not in result.output
    del result  # its traceback holds the store open
    gc.collect()
    served = labels_on_disk([MINI], store_path)
    assert "Old name" not in served


def test_a_removed_file_is_reported_and_its_triples_removed(tmp_path):
    store_path = tmp_path / "store"
    extra = tmp_path / "extra.ttl"
    extra.write_text(EXTRA.format(label="Old name"))
    load_graph([MINI, extra], curated=False, path=store_path)
    extra.unlink()
    with pytest.warns(StoreChangeWarning, match="extra.ttl no longer exists"):
        store = load_graph([MINI], curated=False, path=store_path)
    assert "Old name" not in label(store)
    assert derived(store) == derived(load_graph([MINI], curated=False))
    del store
    result = CliRunner().invoke(main, ["--no-curated", "--with", str(extra), "--store-path", str(store_path),
                                       "stats"])
    assert result.exit_code == 1 and "does not exist" in result.output


def test_a_graph_without_a_record_is_reloaded_and_orphans_are_removed(tmp_path):
    store_path = tmp_path / "store"
    extra = tmp_path / "extra.ttl"
    extra.write_text(EXTRA.format(label="Old name"))
    load_graph([MINI, extra], curated=False, path=store_path)
    (store_path / MANIFEST).unlink()  # as after a kill in the middle of a load, or a store from an older wbgraph
    orphan = store_path / ".wbgraph-files-x1y2"
    orphan.write_text("{")
    extra.write_text(EXTRA.format(label="New name"))
    store = load_graph([MINI], curated=False, path=store_path)
    assert label(store) >= {"New name"} and "Old name" not in label(store)
    assert not orphan.exists()


def test_a_touched_but_unchanged_file_is_not_loaded_again(tmp_path, monkeypatch):
    import os

    from wbgraph.store import GraphStore

    store_path = tmp_path / "store"
    extra = tmp_path / "extra.ttl"
    extra.write_text(EXTRA.format(label="Same"))
    load_graph([MINI, extra], curated=False, path=store_path)
    stat = extra.stat()
    os.utime(extra, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    calls = []
    original = GraphStore.load
    monkeypatch.setattr(GraphStore, "load", lambda self, p, **kw: calls.append(p) or original(self, p, **kw))
    assert "Same" in labels_on_disk([MINI, extra], store_path)
    assert calls == []
    recorded = json.loads((store_path / MANIFEST).read_text())["files"][extra.resolve().as_uri()]
    assert recorded["mtime_ns"] == extra.stat().st_mtime_ns


def test_a_file_in_an_unknown_format_changes_nothing_in_the_store(tmp_path):
    from wbgraph.errors import InputFileError

    store_path = tmp_path / "store"
    extra = tmp_path / "extra.ttl"
    extra.write_text(EXTRA.format(label="Kept"))
    load_graph([MINI, extra], curated=False, path=store_path)
    extra.write_text(EXTRA.format(label="Edited"))
    sheet = tmp_path / "data.xlsx"
    sheet.write_bytes(b"PK\x03\x04")
    with pytest.raises(InputFileError, match="unknown RDF format") as err:
        load_graph([MINI, extra, sheet], curated=False, path=store_path)
    del err
    gc.collect()
    assert json.loads((store_path / MANIFEST).read_text())["state"] == "clean"
    assert "Edited" in labels_on_disk([MINI, extra], store_path)
