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
