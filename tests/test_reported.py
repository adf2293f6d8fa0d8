"""Every claim knows when it was reported, and --known-by shows what the sources had said by a date."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from wbgraph.cli import main
from wbgraph.errors import WbgraphError
from wbgraph.period import restrict_to_known
from wbgraph.store import load_graph

from .conftest import MINI

DATED = """
@prefix wb:      <https://w3id.org/wbgraph/ontology#> .
@prefix lk:      <https://example.org/lake/> .
@prefix rdf:     <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix xsd:     <http://www.w3.org/2001/XMLSchema#> .
@prefix prov:    <http://www.w3.org/ns/prov#> .
@prefix dcterms: <http://purl.org/dc/terms/> .

lk:report dcterms:date "2021-03"^^xsd:gYearMonth .
lk:claim-said-earlier wb:reportedOn "2019-06-01"^^xsd:date .
"""

COUNT = "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a wb:Claim }"
REPORTED = "SELECT ?c ?d WHERE { ?c a wb:Claim ; wb:reportedOn ?d }"


@pytest.fixture(scope="module")
def dated_store(tmp_path_factory):
    extra = tmp_path_factory.mktemp("dated") / "dates.ttl"
    extra.write_text(DATED.replace("lk:claim-said-earlier", "<https://example.org/lake/claim-04-a>"), encoding="utf-8")
    return load_graph([MINI, extra], curated=False)


def test_claims_take_their_source_date_unless_they_state_one(dated_store):
    dates = {str(c).rsplit("/", 1)[-1]: str(d) for c, d in dated_store.query(REPORTED).rows}
    total = int(dated_store.query(COUNT).rows[0][0])
    assert len(dates) == total
    assert dates.pop("claim-04-a") == "2019-06-01"
    assert set(dates.values()) == {"2021-03"}


def test_known_by_leaves_out_what_was_reported_later(dated_store):
    then = restrict_to_known(dated_store, "2020")
    assert [str(c).rsplit("/", 1)[-1] for c, _ in then.query(REPORTED).rows] == ["claim-04-a"]
    assert int(restrict_to_known(dated_store, "2021-03-15").query(COUNT).rows[0][0]) == int(
        dated_store.query(COUNT).rows[0][0])
    with pytest.raises(WbgraphError, match="not a valid date"):
        restrict_to_known(dated_store, "2021-02-30")


def test_every_curated_claim_with_a_dated_source_has_one_reported_date(curated_store):
    rows = curated_store.query("""
        SELECT ?source (COUNT(DISTINCT ?c) AS ?claims) (COUNT(DISTINCT ?d) AS ?dated) (MAX(?n) AS ?most) WHERE {
          ?c a wb:Claim ; prov:wasDerivedFrom ?source .
          OPTIONAL { ?c wb:reportedOn ?d }
          { SELECT ?c (COUNT(?x) AS ?n) WHERE { ?c a wb:Claim . OPTIONAL { ?c wb:reportedOn ?x } } GROUP BY ?c }
        } GROUP BY ?source ORDER BY ?source""").rows
    undated = [str(s).rsplit("/", 1)[-1] for s, claims, dated, most in rows if int(most) == 0]
    assert undated == ["doc-000"]  # the panel abstract gives no date anywhere
    assert all(int(most) <= 1 for *_, most in rows)
    # every reported date sits on a claim that exists (a renamed claim would leave one dangling)
    dangling = curated_store.query(
        "SELECT ?c WHERE { ?c wb:reportedOn ?d FILTER NOT EXISTS { ?c a wb:Claim } }").rows
    assert not dangling


def test_conference_statements_are_dated_to_their_session(curated_store):
    dates = {str(c).rsplit("/", 1)[-1]: str(d) for c, d in curated_store.query(REPORTED).rows}
    assert dates["claim-001-1518-a"] == "2023-11-14"  # the opening address
    assert dates["claim-001-0014-a"] == "2024"  # the report's own analysis
    assert dates["claim-003-0035-a"] == "2018-09"
    panel_5 = [d for c, d in dates.items() if c.startswith("claim-001-18") and "2023-11" in d]
    assert panel_5 and set(panel_5) == {"2023-11-15"}


def test_known_by_on_the_command_line():
    runner = CliRunner()
    args = ["query", "claims-by-source", "-p", "source=wbr:doc-001", "--format", "json"]
    before = runner.invoke(main, args + ["--known-by", "2023-11-14"])
    assert before.exit_code == 0, before.output
    reported = {row["claim"] for row in json.loads(before.output)["rows"]}
    assert "wbr:claim-001-1518-a" in reported and "wbr:claim-001-0014-a" not in reported
    assert not json.loads(runner.invoke(main, args + ["--known-by", "2023-10"]).output)["rows"]
    bad = runner.invoke(main, args + ["--known-by", "14/11/2023"])
    assert bad.exit_code == 1 and "not a valid date" in bad.output


def test_claims_reported_query_orders_newest_first():
    out = CliRunner().invoke(main, ["query", "claims-reported", "-p", "date=2023-11-15", "--format", "json"])
    assert out.exit_code == 0, out.output
    dates = [row["reported_on"] for row in json.loads(out.output)["rows"]]
    assert dates[0] == "2023-11-15" and dates[-1] == "2018-09"
    assert dates == sorted(dates, reverse=True)


def test_network_keeps_only_what_was_known(curated_store):
    from wbgraph.network import project_network

    then = project_network(curated_store, known_by="2018-12")
    reported = {c["reported_on"] for *_, data in then.edges(keys=True, data=True) for c in data["claims"]}
    assert reported <= {"2018-09", ""}  # 003's claims, and 000's, which carry no date
    now = project_network(curated_store)
    assert then.number_of_edges() < now.number_of_edges()
    edge = now.edges["https://w3id.org/wbgraph/id/majlinda-bregu",
                     "https://w3id.org/wbgraph/id/regional-cooperation-council", "holdsOfficeIn"]
    assert edge["first_reported"] == "2024"


def test_page_and_path_take_known_by(tmp_path):
    runner = CliRunner()
    out = runner.invoke(main, ["viz", "-o", str(tmp_path / "then.html"), "--known-by", "2018-12"])
    assert out.exit_code == 0, out.output
    page = (tmp_path / "then.html").read_text(encoding="utf-8")
    assert "reported_on" in page and "2018-09" in page and '"2024"' not in page
    bad = runner.invoke(main, ["reach", "Russia", "--known-by", "someday"])
    assert bad.exit_code == 1 and "not a valid date" in bad.output
