"""The on-disk store: loaded once, reopened at once, and safe against bad input."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from click.testing import CliRunner

from wbgraph.cli import main
from wbgraph.errors import InputFileError, SyntaxProblem
from wbgraph.store import GraphStore, load_graph

from .conftest import MINI


def test_a_store_on_disk_is_loaded_once_and_reopened(tmp_path, monkeypatch):
    first = load_graph([MINI], curated=False, path=tmp_path / "store")
    size = len(first)
    del first
    calls = []
    original = GraphStore.load
    monkeypatch.setattr(GraphStore, "load", lambda self, p, **kw: calls.append(p) or original(self, p, **kw))
    again = load_graph([MINI], curated=False, path=tmp_path / "store")
    assert calls == [] and len(again) == size
    assert again.query("ASK { <https://example.org/lake/ruritania> a wb:ExternalPower }").answer


def test_cli_with_store_path(tmp_path):
    args = ["--no-curated", "--with", str(MINI), "--store-path", str(tmp_path / "s"), "stats", "--format", "json"]
    first = CliRunner().invoke(main, args)
    second = CliRunner().invoke(main, args)
    assert first.exit_code == 0 and first.output == second.output


def test_store_path_that_is_a_file(tmp_path):
    target = tmp_path / "file"
    target.write_text("not a store")
    result = CliRunner().invoke(main, ["--store-path", str(target), "stats"])
    assert result.exit_code == 1 and "points at a file" in result.output
    assert target.read_text() == "not a store"


def test_store_in_use_by_another_process(tmp_path):
    path = tmp_path / "busy"
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys, pyoxigraph
            store = pyoxigraph.Store({str(path)!r})
            print("open", flush=True)
            sys.stdin.read()
        """)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        with pytest.raises(InputFileError, match="in use by another process"):
            GraphStore(path=path)
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)


def test_truncated_ntriples_reports_the_line_and_changes_nothing(tmp_path):
    good = tmp_path / "good.nt"
    good.write_text("".join(f"<urn:s{i}> <urn:p> \"v{i}\" .\n" for i in range(100)))
    bad = tmp_path / "bad.nt"
    bad.write_text("".join(f"<urn:t{i}> <urn:p> \"w{i}\" .\n" for i in range(50)) + "<urn:t50> <urn:p> \"trunc")
    for store in (GraphStore(), GraphStore(path=tmp_path / "disk"), GraphStore("memory")):
        store.load(good)
        before = len(store)
        with pytest.raises(SyntaxProblem) as err:
            store.load(bad)
        assert err.value.line == 51 and "nothing of this file was loaded" in str(err.value)
        assert len(store) == before


def test_file_in_an_unknown_format(tmp_path):
    path = tmp_path / "data.xlsx"
    path.write_bytes(b"PK\x03\x04")
    result = CliRunner().invoke(main, ["--no-curated", "--with", str(path), "stats"])
    assert result.exit_code == 1 and "unknown RDF format '.xlsx'" in result.output


def test_large_files_show_a_progress_bar(tmp_path, monkeypatch):
    import wbgraph.cli

    monkeypatch.setattr(wbgraph.cli, "PROGRESS_ABOVE", 1000)
    path = tmp_path / "many.nt"
    path.write_text("".join(f"<urn:s{i}> <urn:p> \"v{i}\" .\n" for i in range(2000)))
    result = CliRunner().invoke(main, ["--no-curated", "--with", str(path), "stats"])
    assert result.exit_code == 0
    assert "loading many.nt" in result.output


@pytest.mark.parametrize("ext", ["nt", "rdf", "jsonld", "nq", "trig"])
def test_every_rdf_format_loads_with_oxigraphs_parsers(tmp_path, ext):
    import pyoxigraph as ox

    from wbgraph.store import open_store, rdf_format

    triples = list(ox.parse(path=str(MINI)))
    path = tmp_path / f"mini.{ext}"
    fmt = rdf_format(path)
    items = triples
    if ext in ("nq", "trig"):
        items = [ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode("urn:g")) for t in triples]
    path.write_bytes(ox.serialize(items, format=fmt))
    store = open_store()
    assert store.load(path) == len(triples) == len(store)
    assert store.query("ASK { <https://example.org/lake/lakeguard> a wb:Mission }").answer


def test_big_files_use_the_bulk_loader_and_still_refuse_bad_syntax(tmp_path, monkeypatch):
    import wbgraph.store

    monkeypatch.setattr(wbgraph.store, "BULK_ABOVE", 100)
    good = tmp_path / "good.nt"
    good.write_text("".join(f"<urn:s{i}> <urn:p> \"v{i}\" .\n" for i in range(500)))
    bad = tmp_path / "bad.nt"
    bad.write_text("".join(f"<urn:t{i}> <urn:p> \"w{i}\" .\n" for i in range(300)) + "<urn:t300> <urn:p> \"cut")
    store = GraphStore(path=tmp_path / "disk")
    assert store.load(good) == 500
    with pytest.raises(SyntaxProblem) as err:
        store.load(bad)
    assert err.value.line == 301 and len(store) == 500
