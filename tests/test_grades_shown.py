"""The grade of a claim (source reliability A-F, credibility 1-6) shown where claims are listed: in the
query tables that list claims and in the sources of every brief line, by the rule of docs/grading.md."""

from __future__ import annotations

import csv
import io
import re

import pytest
from click.testing import CliRunner

from wbgraph.cli import main
from wbgraph.grading import CONFIDENCE_CREDIBILITY, claim_credibility, source_reliability
from wbgraph.queries import run_query
from wbgraph.store import load_graph

WBR = "https://w3id.org/wbgraph/id/"
#: an analyst's grades: the RCC synopsis usually reliable, one claim confirmed by other sources
GRADES = f'<{WBR}doc-001> <https://w3id.org/wbgraph/ontology#reliability> "B" .\n' \
         f'<{WBR}claim-001-0718-b> <https://w3id.org/wbgraph/ontology#credibility> ' \
         '"1"^^<http://www.w3.org/2001/XMLSchema#integer> .\n'
#: the queries that list claims with their sources, and parameters that give rows
GRADED_QUERIES = {"edge-evidence": {"a": "Russia", "b": "Kosovo"}, "claims-by-source": {"source": "001"},
                  "actor-claims": {"actor": "Kosovo"}, "document-actor-claims": {"source": "001", "actor": "Kosovo"},
                  "claims-in-period": {}, "claims-by-confidence": {"confidence": "alleged"}}


@pytest.fixture(scope="module")
def overlay(tmp_path_factory):
    path = tmp_path_factory.mktemp("grades") / "grades.nt"
    path.write_text(GRADES, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def graded(overlay):
    return load_graph([overlay])


@pytest.mark.parametrize("name", sorted(GRADED_QUERIES))
def test_every_claim_listed_by_a_query_carries_the_grade_of_the_grading_rule(graded, name):
    claims = {c: (s, conf.rsplit("#", 1)[-1]) for c, s, conf in graded.query_text(
        "SELECT ?c ?s ?conf WHERE { ?c a wb:Claim ; prov:wasDerivedFrom ?s ; wb:confidence ?conf }")}
    reliability, credibility = source_reliability(graded), claim_credibility(graded)
    rows = run_query(graded, name, GRADED_QUERIES[name]).dicts()
    assert rows
    for row in rows:
        source, confidence = claims[str(row["claim"])]
        expected = credibility.get(str(row["claim"]), CONFIDENCE_CREDIBILITY[confidence])
        assert str(row["grade"]) == f"{reliability[source]}{expected}", row
    if name in ("edge-evidence", "actor-claims", "claims-by-source"):  # the analyst's grades show
        grades = {str(r["claim"]): str(r["grade"]) for r in rows}
        assert grades[WBR + "claim-001-0718-b"] == "B1"


def test_the_edge_evidence_table_prints_the_grade_next_to_the_source(overlay):
    result = CliRunner().invoke(main, ["--with", str(overlay), "query", "edge-evidence", "-p", "a=Russia",
                                       "-p", "b=Kosovo", "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    row = next(r for r in rows if r["claim"].endswith("claim-001-0718-b"))
    assert (row["lines"], row["grade"]) == ("718-720", "B1")
    table = CliRunner().invoke(main, ["query", "edge-evidence", "-p", "a=Russia", "-p", "b=Kosovo"]).output.splitlines()
    header = table[0].split()
    assert header[header.index("lines") + 1] == "grade"  # next to the source lines
    row = next(line for line in table if "718-720" in line).split()
    assert row[row.index("718-720") + 1] == "F3"  # ungraded: F; alleged: possibly true


def test_brief_lines_cite_each_source_with_its_grade(overlay):
    result = CliRunner().invoke(main, ["--with", str(overlay), "brief", "Kosovo"])
    assert result.exit_code == 0, result.output
    line = next(x for x in result.output.splitlines() if x.startswith("- Russia exerts influence on Kosovo"))
    assert line.endswith("(001, lines 718-720, alleged, graded B1)")
    stated = next(x for x in result.output.splitlines() if x.startswith("- Kosovo seeks membership of"))
    assert stated.endswith("(002, line 7, graded F2)")  # ungraded source: F; stated: probably true


def test_the_server_entity_page_shows_the_grade_beside_each_source(graded):
    from starlette.testclient import TestClient

    from wbgraph.server import create_app

    page = TestClient(create_app(graded), base_url="http://127.0.0.1").get("/id/kosovo").text
    cell = page.split('href="/source/doc-001?lines=718-720#L718"', 1)[1].split("</td>", 1)[0]
    assert "graded B1" in cell  # the analyst's grades: doc-001 B, this claim confirmed
    # an ungraded source: the credibility follows each claim's confidence (stated 2, alleged 3, implied 4)
    rows = [r.split("</tr>", 1)[0] for r in page.split("<tr data-rel>")[1:]
            if 'href="/source/doc-002?lines=7-7#L7"' in r.split("</tr>", 1)[0]]
    assert rows
    for row in rows:
        level = re.search(r'class="conf conf-(\w+)"', row).group(1)
        assert f"graded F{ {'stated': 2, 'alleged': 3, 'implied': 4}[level]}" in row, row
