"""The query library: every query parses, its header validates, and it meets its expectation."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from wbgraph.cli import main
from wbgraph.errors import NotFoundError, QueryError
from wbgraph.namespaces import shorten
from wbgraph.queries import PARAM_TYPES, find_query, list_queries, parse_query_file, run_query
from wbgraph.store import load_graph

from .conftest import MINI, REPO

QUERIES = list_queries()
EXPECT_KEYS = {"min_rows", "max_rows", "contains"}


def test_the_library_is_large_enough():
    assert len(QUERIES) >= 25


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q.name)
def test_query_header_is_complete(query):
    assert query.summary, "summary missing"
    assert query.expect, "expectation missing"
    assert set(query.expect) <= EXPECT_KEYS
    for param in query.parameters:
        assert param.type in PARAM_TYPES and param.help
        assert re.search(r"\?" + param.name + r"\b", query.text), f"?{param.name} not used in the query"


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q.name)
def test_query_meets_its_expectation_on_the_curated_graph(query, curated_store):
    result = run_query(curated_store, query)
    rows = result.rows
    expect = query.expect
    assert len(rows) >= expect.get("min_rows", 1), f"{len(rows)} rows"
    if "max_rows" in expect:
        assert len(rows) <= expect["max_rows"]
    cells = {shorten(str(term)) for row in rows for term in row if term is not None}
    missing = [c for c in expect.get("contains", []) if c not in cells]
    assert not missing, f"expected in the result: {missing}"


def test_queries_give_the_same_rows_on_both_backends():
    stores = [load_graph([MINI], curated=False, backend=b) for b in ("oxigraph", "memory")]
    for name, params in [("proxies", {}), ("contested-claims", {}), ("influence-paths",
                         {"from": "Ruritania", "to": "Freedonia"}), ("threat-counters", {})]:
        results = [sorted(run_query(s, name, params).records(), key=repr) for s in stores]
        assert results[0] == results[1], name


@pytest.mark.parametrize("name", ["influence-path-edges", "reach"])
def test_influence_queries_list_the_ontology_relations(name):
    # these queries name the channel and influence relations instead of asking the ontology for
    # sub-properties (see their comments, and tests/test_servers.py): keep every list in step with it
    store = load_graph([MINI], curated=False)

    def below(top: str) -> frozenset[str]:
        rows = run_query(store, f"SELECT ?p WHERE {{ ?p rdfs:subPropertyOf+ {top} "
                                f"FILTER NOT EXISTS {{ ?sub rdfs:subPropertyOf ?p }} }}").rows
        return frozenset(shorten(str(row[0])) for row in rows)

    text = find_query(name).text
    lists = re.findall(r"VALUES \?predicate \{([^}]*)\}", text) + re.findall(r"\(((?:wb:\w+\|)+wb:\w+)\)", text)
    assert lists
    assert {frozenset(re.findall(r"wb:\w+", found)) for found in lists} <= {
        below("wb:channelRelation"), below("wb:influenceRelation")}


# --- exact results on the fictional graph -----------------------------------------------------

@pytest.fixture(scope="module")
def mini():
    return load_graph([MINI], curated=False)


LK = "https://example.org/lake/"


def test_influence_paths_exact(mini):
    rows = run_query(mini, "influence-paths", {"from": "Ruritania", "to": "Freedonia"}).records()
    assert [(r["hops"], r["via1"], r["lines1"], r["lines2"]) for r in rows] == [
        (2, LK + "order-of-the-lamp", "3-3", "4-4")
    ]
    assert rows[0]["mechanism1"] == "proxies" and rows[0]["mechanism2"] == "tailored disinformation"


def test_influence_paths_respect_max_hops(mini):
    assert run_query(mini, "influence-paths", {"from": "Ruritania", "to": "Freedonia", "max_hops": "1"}).rows == []


def test_reach_exact(mini):
    rows = run_query(mini, "reach", {"actor": "Ruritania"}).records()
    assert sorted(r["reached"].removeprefix(LK) for r in rows) == [
        "freedonia", "order-of-the-lamp", "sylvania", "union-of-lakes"]


def test_contested_claims_exact(mini):
    rows = run_query(mini, "contested-claims").records()
    assert [(r["claim_a"], r["negated_a"], r["claim_b"], r["negated_b"]) for r in rows] == [
        (LK + "claim-13-a", False, LK + "claim-14-a", True)
    ]


def test_missions_in_country_exact(mini):
    rows = run_query(mini, "missions-in-country", {"country": "Freedonia"}).records()
    assert [(r["organisation"], r["mandate"], r["valid_from"]) for r in rows] == [
        (LK + "lakeguard", "train the police", "2004")]


def test_memberships_exact(mini):
    rows = run_query(mini, "organisation-members", {"organisation": "UoL"}).records()
    assert sorted((r["actor"].removeprefix(LK), r["predicate"].split("#")[1]) for r in rows) == [
        ("freedonia", "candidateFor"), ("grand-fenwick", "memberOf"), ("sylvania", "memberOf")]


def test_vulnerabilities_exact(mini):
    rows = run_query(mini, "vulnerabilities-exploited").records()
    assert [(r["actor"], r["of_whom"], r["confidence"].split("#")[1]) for r in rows] == [
        (LK + "blue-hand", "Sylvania", "alleged")]


def test_threat_actors_include_narrower_threats(mini):
    rows = run_query(mini, "threat-actors", {"threat": "trafficking"}).records()
    assert sorted((r["actor"].removeprefix(LK), r["predicate"].split("#")[1]) for r in rows) == [
        ("blue-hand", "operatesIn"), ("blue-hand", "posesThreat"), ("lakeguard", "countersThreat")]


def test_claims_by_confidence_exact(mini):
    rows = run_query(mini, "claims-by-confidence", {"confidence": "implied"}).records()
    assert [r["claim"] for r in rows] == [LK + "claim-04-b"]


def test_indicators_exact(mini):
    rows = run_query(mini, "indicators-by-economy", {"economy": "Freedonia"}).records()
    assert [(r["value"], r["unit"], r["year"]) for r in rows] == [(41.5, "percent", "2023")]


def test_timeline_exact(mini):
    rows = run_query(mini, "timeline").records()
    assert [(r["date"], r["involved"]) for r in rows] == [("2022", "Ruritania")]


def test_recommendations_exact(mini):
    rows = run_query(mini, "recommendations-by-addressee", {"addressee": "Union of Lakes"}).records()
    assert [r["label"] for r in rows] == ["Widen Lakeguard's mandate"]


# --- bad input ----------------------------------------------------------------------------------

def test_syntax_error_names_line_and_column(mini):
    with pytest.raises(QueryError) as err:
        run_query(mini, "SELECT ?s WHERE {\n  ?s ?p \n}")
    assert err.value.line == 3 and err.value.column is not None
    assert "line 3" in str(err.value)


def test_unknown_query_name_suggests_the_closest():
    with pytest.raises(QueryError, match="did you mean influence-paths"):
        find_query("influence-path")


def test_unknown_parameter(mini):
    with pytest.raises(QueryError, match="has no parameter 'country'"):
        run_query(mini, "reach", {"country": "Freedonia"})


def test_missing_parameter(mini, tmp_path):
    path = tmp_path / "need.rq"
    path.write_text("#+ summary: test\n#+ parameters:\n#+   - name: who\n#+     type: iri\n#+     help: an actor\n"
                    "SELECT ?l WHERE { ?who rdfs:label ?l }\n")
    with pytest.raises(QueryError, match="needs parameter 'who'"):
        run_query(mini, parse_query_file(path))


def test_wrong_type(mini):
    with pytest.raises(QueryError, match="expected a whole number"):
        run_query(mini, "influence-paths", {"from": "Ruritania", "to": "Freedonia", "max_hops": "three"})
    with pytest.raises(QueryError, match="expected one of stated, alleged, implied"):
        run_query(mini, "claims-by-confidence", {"confidence": "rumoured"})
    with pytest.raises(QueryError, match="not a valid date"):
        run_query(mini, "claims-in-period", {"start": "2023-02-30"})


def test_label_that_matches_no_actor(mini):
    with pytest.raises(QueryError, match="nothing in the graph is called 'Rurtania'.*Ruritania"):
        run_query(mini, "reach", {"actor": "Rurtania"})


def test_ambiguous_label_lists_candidates(mini):
    # "the region" is an alternate name of the fictional Lake Region only; add a second owner
    from wbgraph.lookup import resolve_entity

    mini_twice = load_graph([MINI], curated=True)
    with pytest.raises(NotFoundError, match="ambiguous"):
        resolve_entity(mini_twice, "the region")


def test_updates_are_refused(mini):
    for text in ("DROP ALL", "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
                 "PREFIX x: <urn:x>\n# comment\nDELETE WHERE { ?s ?p ?o }"):
        with pytest.raises(QueryError, match="read-only"):
            run_query(mini, text)
    assert run_query(mini, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows[0][0].toPython() == len(mini)


def test_crafted_value_matches_nothing(mini):
    before = len(mini)
    rows = run_query(mini, "actor-search", {"text": 'x")) } ; DROP ALL ; SELECT * WHERE { ?s ?p ?o FILTER(("'}).rows
    assert rows == []
    assert len(mini) == before


def test_cli_query_and_formats():
    runner = CliRunner()
    args = ["--no-curated", "--with", str(MINI), "query", "proxies"]
    out = runner.invoke(main, args + ["--format", "csv"])
    assert out.exit_code == 0, out.output
    assert out.output.splitlines()[0].startswith("patron,patron_label,proxy,proxy_label")
    assert "Order of the Lamp" in out.output
    for fmt in ("table", "tsv", "json", "markdown"):
        assert runner.invoke(main, args + ["--format", fmt]).exit_code == 0
    bad = runner.invoke(main, ["query", "actor-profile", "-p", "actor=Nowhereland"])
    assert bad.exit_code == 1 and "nothing in the graph is called 'Nowhereland'" in bad.output
    refused = runner.invoke(main, ["query", "-e", "CLEAR ALL"])
    assert refused.exit_code == 1 and "read-only" in refused.output


def test_readme_lists_every_query():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    missing = [q.name for q in QUERIES if f"`{q.name}`" not in readme]
    assert not missing, f"README does not list: {missing}"


def _normalised(records):
    # GROUP_CONCAT's order is left to the engine: compare the concatenated parts as sets; an empty
    # concatenation is "" for rdflib and unbound for Oxigraph, both "nothing" to a reader
    out = []
    for record in records:
        record = {k: "" if v is None else v for k, v in record.items()}
        out.append(tuple(sorted((k, ", ".join(sorted(v.split(", "))) if isinstance(v, str) else v)
                                for k, v in record.items())))
    return sorted(out, key=repr)


@pytest.mark.parametrize("name", ["actors/actor-claims", "actors/actor-list", "claims/claims-by-source",
                                  "indicators/indicators-by-year", "events/timeline",
                                  "organisations/missions-in-country", "influence/influence-on-country"])
def test_curated_graph_gives_the_same_rows_on_both_backends(name, curated_store, memory_store):
    assert _normalised(run_query(curated_store, name).records()) == _normalised(
        run_query(memory_store, name).records())
