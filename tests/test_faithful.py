"""Every view says exactly what its claims say.

One promise, checked over every place that shows a relation as "subject predicate object": every
library query (its defaults and further parameter sets picked from the graph), every page kind of the
server, ``path`` and ``reach``, the interactive page's data and every network export, on the curated
graph and on the fictional one. Each relation shown must be backed by a claim with exactly that
subject, predicate and object, shown as denied exactly when the claim is negated; a claim a view
names must say what the view says. Qualifiers (mechanism, threat, sector, target) never stand where
the object should be.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from itertools import islice

import pytest
from click.testing import CliRunner
from rdflib import Dataset, URIRef

from wbgraph.analysis import influence_paths, reach
from wbgraph.cli import main
from wbgraph.export.network_formats import csv_tables, cytoscape_json, gexf_bytes, graphml_bytes
from wbgraph.lookup import resolve_entity
from wbgraph.namespaces import WB_IRI
from wbgraph.network import project_network
from wbgraph.queries import bind_parameters, list_queries, parse_query_file, run_query
from wbgraph.store import load_graph

from .conftest import DATA, MINI
from .faithful import ClaimIndex, Shown, expand, shown_by_page, shown_by_query, undeclared_columns

QUERIES = list_queries()
GRAPHS = ("curated", "fictional")


@pytest.fixture(scope="module", params=GRAPHS)
def graph(request):
    store = load_graph() if request.param == "curated" else load_graph([MINI], curated=False)
    return request.param, store, ClaimIndex(store)


# --- parameter sets ---------------------------------------------------------------------------

_MENTIONS = """
SELECT ?x (COUNT(DISTINCT ?claim) AS ?n) WHERE {
  ?claim a wb:Claim .
  { ?claim rdf:subject ?x } UNION { ?claim rdf:object ?x } UNION { ?claim wb:mechanism|wb:threat|wb:target ?x }
  FILTER(isIRI(?x))
}
GROUP BY ?x ORDER BY DESC(?n) ?x
"""
_SOURCES = "SELECT DISTINCT ?doc WHERE { ?claim a wb:Claim ; prov:wasDerivedFrom ?doc } ORDER BY ?doc"
_CLASSES = "SELECT ?x ?c WHERE { ?x a ?c }"


def _candidates(store, default, per_param: int) -> list[str]:
    """IRIs to try for a parameter: the most mentioned entities of the default's class (any entity when
    the default names nothing in this graph), sources when the default is a source."""
    mentioned = [x for x, _ in store.query_text(_MENTIONS)]
    classes: dict[str, set[str]] = {}
    for x, c in store.query_text(_CLASSES):
        classes.setdefault(x, set()).add(c)
    try:
        wanted = classes.get(str(resolve_entity(store, str(default))), set())
    except Exception:
        wanted = set()
    if {WB_IRI + "Document", WB_IRI + "Source"} & wanted:
        return [d for (d,) in store.query_text(_SOURCES)][:per_param]
    pool = [x for x in mentioned if classes.get(x, set()) & wanted] if wanted else mentioned
    return (pool or mentioned)[:per_param]


def parameter_sets(store, query, per_param: int = 4) -> list[dict]:
    """The defaults, then each parameter varied alone over values picked from the graph."""
    defaults = {p.name: p.default for p in query.parameters}
    sets = [defaults]
    for param in query.parameters:
        if param.type == "iri":
            values = _candidates(store, param.default, per_param)
        elif param.type == "confidence":
            values = ["stated", "alleged", "implied"]
        elif param.type == "date":
            values = ["2000", "2023-06-30"]
        elif param.type == "integer":
            values = [1, 2]
        else:
            values = ["a", "ser", "crime"]
        sets += [{**defaults, param.name: v} for v in values]
    return sets


def _run(store, query, params):
    try:
        bindings = bind_parameters(store, query, params)
    except Exception:  # a default that names nothing in the fictional graph
        return None, None
    return run_query(store, query, params), bindings


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q.name)
def test_every_query_row_that_reads_as_a_relation_is_a_claim(graph, query):
    name, store, index = graph
    problems, rows = [], 0
    for params in parameter_sets(store, query):
        result, bindings = _run(store, query, params)
        if result is None:
            continue
        rows += len(result.rows)
        problems += undeclared_columns(query, result, index)
        problems += index.problems(shown_by_query(query, result, bindings))
    assert not problems, f"{name} graph:\n" + "\n".join(sorted(set(problems))[:20])


def test_the_invariant_covers_the_library():
    declared = [q.name for q in QUERIES if q.relations]
    assert len(declared) >= 20, declared


@pytest.mark.parametrize("wrong", sorted((DATA / "faithful").glob("*.rq")), ids=lambda p: p.stem)
def test_a_query_that_misreports_its_claims_fails_the_check(wrong):
    """Each fixture query shows some claim wrongly (a qualifier as the object, a denial as an
    assertion, an undeclared relation column, a reversed relation): the check must say so."""
    store = load_graph()
    index = ClaimIndex(store)
    query = parse_query_file(wrong, wrong.stem)
    problems = []
    for params in parameter_sets(store, query):
        result, bindings = _run(store, query, params)
        problems += undeclared_columns(query, result, index) + index.problems(shown_by_query(query, result, bindings))
    assert problems, f"{wrong.name} passed the check"


def test_mechanism_users_act_through_the_mechanism(graph):
    """mechanism-usage names as users only subjects of claims that use the mechanism (as object or
    qualifier) in a relation where the subject acts, never the target of a threat."""
    name, store, _ = graph
    passive = {WB_IRI + p for p in ("facesThreat", "hasVulnerability", "countersThreat")}
    uses = store.query_text("""
        SELECT ?label ?user_name ?p WHERE {
          ?mechanism a wb:Mechanism ; rdfs:label ?label . ?m skos:broader* ?mechanism .
          { ?claim rdf:predicate wb:usesMechanism ; rdf:object ?m } UNION { ?claim wb:mechanism ?m }
          FILTER NOT EXISTS { ?claim wb:negated true }
          ?claim rdf:subject ?user ; rdf:predicate ?p .
          ?user rdfs:label ?user_name FILTER(LANGMATCHES(LANG(?user_name), "en")) }""")
    acting = {(label, user) for label, user, p in uses if p not in passive}
    shown = {(row["label"], user) for row in run_query(store, "mechanism-usage").records()
             for user in str(row["used_by"]).split(", ") if user}
    assert shown, name
    assert not shown - acting, sorted(shown - acting)[:10]


# --- the server's pages ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def client(graph):
    from starlette.testclient import TestClient

    from wbgraph.server import create_app

    name, store, index = graph
    with TestClient(create_app(store)) as test_client:
        yield name, store, index, test_client


def _entities(store, limit=None) -> list[str]:
    mentioned = [x for x, _ in store.query_text(_MENTIONS)]
    return mentioned[:limit] if limit else mentioned


def _entity_path(iri: str) -> str:
    from wbgraph.server.entities import entity_url

    return entity_url(iri)


def test_entity_pages_show_only_claims(client):
    """Every entity page: each row under "X predicate …" names the other end of a claim of X."""
    name, store, index, http = client
    problems, count = [], 0
    for iri in _entities(store):
        page = http.get(_entity_path(iri))
        assert page.status_code == 200, iri
        shown = shown_by_page(page.text, _entity_path(iri))
        count += len(shown)
        problems += index.problems(shown)
    assert count >= len(index.claims), f"{count} relations shown for {len(index.claims)} claims"
    assert not problems, f"{name}:\n" + "\n".join(problems[:20])


def test_source_pages_show_only_claims(client):
    name, store, index, http = client
    problems, count = [], 0
    for (doc,) in store.query_text(_SOURCES):
        from wbgraph.server.entities import source_url

        page = http.get(source_url(doc))
        assert page.status_code == 200, doc
        shown = shown_by_page(page.text, source_url(doc))
        count += len(shown)
        problems += index.problems(shown)
    assert count, name
    assert not problems, f"{name}:\n" + "\n".join(problems[:20])


def _pairs(store, graph_, n=6):
    """Pairs of actors with paths between them: each actor with what it reaches."""
    actors = [x for x in _entities(store) if x in graph_][:n]
    out = []
    for actor in actors:
        for row in islice(reach(graph_, actor, max_hops=3), 3):
            out.append((actor, row["node"]))
    return out


def test_path_pages_and_the_paths_api_show_only_claims(client):
    name, store, index, http = client
    network = project_network(store)
    problems, count = [], 0
    for source, target in _pairs(store, network):
        params = {"from": source, "to": target, "hops": 3, "k": 5}
        page = http.get("/paths", params=params)
        assert page.status_code == 200, params
        shown = shown_by_page(page.text, f"/paths {source} -> {target}")
        data = http.get("/api/paths", params=params).json()
        for p_index, path in enumerate(data["paths"]):
            for hop_index, hop in enumerate(path["hops"]):
                u, v = path["nodes"][hop_index]["iri"], path["nodes"][hop_index + 1]["iri"]
                for relation in hop["relations"]:
                    shown.append(Shown(u, expand(relation["predicate"]), v,
                                       claims=tuple(expand(c["claim"]) for c in relation["sources"]),
                                       where=f"/api/paths path {p_index + 1} hop {hop_index + 1}"))
        count += len(shown)
        problems += index.problems(shown)
    assert count, name
    assert not problems, f"{name}:\n" + "\n".join(problems[:20])


def test_query_pages_show_the_checked_rows(client):
    """A library query's page shows the rows the command line gives, which the test above checks."""
    from wbgraph.tables import labelled_table

    name, store, index, http = client
    for query in QUERIES:
        if not query.relations:
            continue
        page = http.get(f"/queries/{query.name}", params={"run": 1})
        if page.status_code != 200:  # a default that names nothing in the fictional graph
            continue
        _, rows = labelled_table(store, run_query(store, query))
        text = html.unescape(page.text)
        for row in rows[:20]:
            for cell in row:
                if cell:
                    assert cell in text, (query.name, cell)
