"""wbgraph against real SPARQL servers (Oxigraph server, Virtuoso) and against endpoints that misbehave.

The curated graph is pushed through the command line, then every answer is compared with the embedded
store's: statistics, every query of the library, the network projection and influence paths. Needs the
``oxigraph`` executable (PyPI package ``oxigraph``, in the test extra) and Debian's
``virtuoso-opensource``; without them the tests skip locally and fail under CI.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import pytest
from click.testing import CliRunner

from wbgraph.analysis import influence_paths
from wbgraph.cli import main
from wbgraph.network import project_network
from wbgraph.queries import list_queries, run_query
from wbgraph.resources import graph_files, ontology_files
from wbgraph.store import GraphStore, open_store

from .servers import Server, fake_endpoint, free_port, oxigraph_server, virtuoso_server  # noqa: F401 (fixtures)
from .test_queries import _normalised

pytestmark = pytest.mark.servers

SERVERS = ["oxigraph", "virtuoso"]
RUSSIA = "https://w3id.org/wbgraph/id/russia"
BIH = "https://w3id.org/wbgraph/id/bosnia-and-herzegovina"

# Wrong answers of Virtuoso 7.2.5 (Debian bookworm's virtuoso-opensource), not of wbgraph: a property
# path (`+`, `*`) or a UNION inside OPTIONAL / FILTER (NOT) EXISTS that uses a variable bound outside it
# is not evaluated once per outer row. The queries are correct SPARQL 1.1 (Oxigraph server, embedded
# Oxigraph and rdflib agree). strict: once a Virtuoso gets them right, the test says so.
_PATH_IN_OPTIONAL = ("Virtuoso evaluates `OPTIONAL { ?x a ?class . ?class rdfs:subClassOf* wb:Actor }` for the "
                     "first ?x only: `VALUES ?x { wbr:north-macedonia wbr:western-balkans } OPTIONAL { ?x a ?class "
                     ". ?class rdfs:subClassOf+ wb:Actor }` leaves ?class unbound for North Macedonia")
_UNION_IN_OPTIONAL = ("Virtuoso drops the branch of `OPTIONAL { { ?claim wb:target ?t } UNION { ?proxy "
                      "wb:exertsInfluenceOn ?t } }` that uses the outer ?proxy: the targets column stays empty")
VIRTUOSO_WRONG_ROWS = {
    "actors/actor-list": "0 rows instead of 190: `OPTIONAL { { ?claim rdf:subject ?actor } UNION { ?claim "
                         "rdf:object ?actor } }` next to `FILTER NOT EXISTS { ?actor a ?sub . ?sub "
                         "rdfs:subClassOf+ ?class }` empties the result",
    "influence/influence-path-edges": "0 rows instead of 1: Virtuoso does not start a `*` path at a variable "
                                      "bound by VALUES (how wbgraph passes parameters): `VALUES ?from { wbr:russia "
                                      "} ?from (wb:exertsInfluenceOn|wb:actsThroughProxy|wb:supports)* ?x . ?x "
                                      "wb:exertsInfluenceOn wbr:bosnia-and-herzegovina` gives China and Republika "
                                      "Srpska, not Russia",
    "influence/proxies": _UNION_IN_OPTIONAL,
    "influence/reach": _PATH_IN_OPTIONAL,
    "organisations/missions-in-country": "1 row instead of 2 (KFOR missing): `FILTER NOT EXISTS { ?organisation "
                                         "a ?sub . ?sub rdfs:subClassOf+ ?class }` with ?class from outside",
}
# network.py asks `?sub rdfs:subClassOf+ ?sup` and `?p rdfs:subPropertyOf+ ?top` with both ends free,
# which Virtuoso refuses ("transitive start not given"); see the report that added this module.


def run(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@dataclass
class Pushed:
    """A server after `wbgraph push`: its name, the server, the push output, and the triples it held before."""

    name: str
    server: Server
    output: str
    triples_before: int

    def store(self) -> GraphStore:
        return open_store(endpoint=self.server.query_url, update_endpoint=self.server.update_url)


@pytest.fixture(scope="module", params=SERVERS)
def pushed(request) -> Pushed:
    server = request.getfixturevalue(f"{request.param}_server")
    # Virtuoso keeps its own system graphs (a few thousand triples), which wbgraph's triple count includes
    before = len(open_store(endpoint=server.query_url))
    result = run(*server.cli_args, "push")
    assert result.exit_code == 0, result.output
    return Pushed(request.param, server, result.output, before)


@pytest.fixture(scope="module")
def embedded_stats():
    result = run("stats", "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def _expect_wrong_on_virtuoso(request, pushed: Pushed, reason: str, raises=AssertionError) -> None:
    if pushed.name == "virtuoso":
        request.applymarker(pytest.mark.xfail(reason=reason, raises=raises, strict=True))


def test_push_sends_every_file_and_derives_the_edges(pushed, curated_store, embedded_stats):
    derived = embedded_stats["derived edges"]
    files = len(list(ontology_files()) + list(graph_files()))
    assert f"pushed {len(curated_store) - derived} triples from {files} file(s); {derived} derived edges" \
        in pushed.output


def test_stats_equal_the_embedded_store(pushed, embedded_stats):
    result = run(*pushed.server.cli_args, "stats", "--format", "json")
    assert result.exit_code == 0, result.output
    remote = json.loads(result.output)
    assert remote.pop("triples") - pushed.triples_before == embedded_stats["triples"]
    assert remote == {k: v for k, v in embedded_stats.items() if k != "triples"}


def test_pushing_again_replaces_the_graphs(pushed, embedded_stats):
    again = run(*pushed.server.cli_args, "push")
    assert again.exit_code == 0, again.output
    assert len(pushed.store()) - pushed.triples_before == embedded_stats["triples"]


@pytest.mark.parametrize("query", list_queries(), ids=lambda q: q.name)
def test_query_gives_the_embedded_rows(request, pushed, curated_store, query):
    if query.name in VIRTUOSO_WRONG_ROWS:
        _expect_wrong_on_virtuoso(request, pushed, VIRTUOSO_WRONG_ROWS[query.name])
    expected = _normalised(run_query(curated_store, query).records())
    assert _normalised(run_query(pushed.store(), query).records()) == expected


def _network_snapshot(store: GraphStore):
    graph = project_network(store)
    nodes = sorted((node, repr(sorted(data.items()))) for node, data in graph.nodes(data=True))
    edges = sorted((u, v, key, repr(sorted(data.items()))) for u, v, key, data in graph.edges(keys=True, data=True))
    return graph, nodes, edges


def test_network_projection_has_the_same_nodes_and_edges(request, pushed, curated_store):
    _, nodes, edges = _network_snapshot(pushed.store())
    _, expected_nodes, expected_edges = _network_snapshot(curated_store)
    assert len(nodes) > 100 and len(edges) > 150
    assert nodes == expected_nodes
    assert edges == expected_edges


def test_influence_paths_equal_the_embedded_ones(request, pushed, curated_store):
    found = influence_paths(project_network(pushed.store()), RUSSIA, BIH, max_hops=3, k=5)
    expected = influence_paths(project_network(curated_store), RUSSIA, BIH, max_hops=3, k=5)
    assert found and [p.to_dict() for p in found] == [p.to_dict() for p in expected]


def test_path_command_prints_what_it_prints_embedded(request, pushed):
    args = ("path", "Russia", "Bosnia and Herzegovina", "--format", "json")
    remote, embedded = run(*pushed.server.cli_args, *args), run(*args)
    assert remote.exit_code == 0, remote.output
    assert json.loads(remote.output) == json.loads(embedded.output)


# --- endpoints that are down, wrong or slow -------------------------------------------------------

def assert_fails_cleanly(result, *needles: str) -> None:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    for needle in needles:
        assert re.search(needle, result.output), f"{needle!r} not in {result.output!r}"


def test_endpoint_that_is_down():
    url = f"http://127.0.0.1:{free_port()}/sparql"
    assert_fails_cleanly(run("--endpoint", url, "stats"), "cannot reach the SPARQL endpoint", re.escape(url),
                   "is the server running")
    assert_fails_cleanly(run("--endpoint", url, "push"), "cannot reach the SPARQL endpoint")


@pytest.mark.parametrize("status, needle", [(500, r"answered 500 .*Server exploded"),
                                            (200, r"answered with 'text/html.*not SPARQL results")])
def test_endpoint_that_answers_with_an_html_page(status, needle):
    page = "<html><body><h1>Server exploded</h1></body></html>"
    with fake_endpoint(status, "text/html; charset=utf-8", page) as url:
        assert_fails_cleanly(run("--endpoint", url, "stats"), needle)


def test_endpoint_that_does_not_answer_in_time():
    with fake_endpoint(200, "application/sparql-results+json", "{}", delay=3) as url:
        assert_fails_cleanly(run("--endpoint", url, "--timeout", "1", "stats"), r"did not answer within 1 s",
                       "raise --timeout")


def test_push_to_a_query_url_that_refuses_updates(oxigraph_server):
    # a common slip: Oxigraph server takes updates at /update, not at /query
    assert_fails_cleanly(run("--endpoint", oxigraph_server.query_url, "push"), r"answered 400")
