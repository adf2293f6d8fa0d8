"""The web application (``wbgraph serve``): SPARQL protocol, entity pages, explorer pages, JSON API.

Unit-level tests use Starlette's TestClient; the real-client tests (SPARQLWrapper, rdflib's SPARQLStore,
curl) talk to uvicorn on 127.0.0.1 and a free port.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import threading
import time
import xml.etree.ElementTree as ET

import pytest
from rdflib import XSD, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from wbgraph.queries import run_query
from wbgraph.server import create_app
from wbgraph.server.entities import entity_url
from wbgraph.store import load_graph
from wbgraph.tables import format_result

from .conftest import DATA, MINI, UNDER_CI
from .server_fixtures import running

from starlette.testclient import TestClient

WBR = "https://w3id.org/wbgraph/id/"
POWERS = """SELECT ?power ?label WHERE { ?power a wb:ExternalPower ; rdfs:label ?label
            FILTER(LANGMATCHES(LANG(?label), "en")) } ORDER BY ?power"""
FULL_POWERS = """PREFIX wb: <https://w3id.org/wbgraph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
""" + POWERS
NEIGHBOURS = "CONSTRUCT { wbr:kosovo ?p ?o } WHERE { wbr:kosovo ?p ?o }"
# About three seconds of work on the curated graph, all of it before the first row.
SLOW = """SELECT (COUNT(*) AS ?n) WHERE { ?a rdfs:label ?b . ?c rdfs:label ?d . ?e a wb:ExternalPower .
          FILTER(CONTAINS(CONCAT(STR(?b), STR(?d), STR(?e)), "zzqq")) }"""


@pytest.fixture(scope="module")
def store():
    return load_graph()


@pytest.fixture(scope="module")
def client(store):
    return TestClient(create_app(store), base_url="http://127.0.0.1")


@pytest.fixture(scope="module")
def server(store):
    with running(create_app(store)) as url:
        yield url


def plain(graph: Graph) -> Graph:
    """The graph with ``"x"^^xsd:string`` written as ``"x"``: the same literal in RDF 1.1, not in rdflib."""
    out = Graph()
    for s, p, o in graph:
        out.add((s, p, Literal(str(o)) if isinstance(o, Literal) and o.datatype == XSD.string else o))
    return out


def same_graph(a: Graph, b: Graph) -> bool:
    return isomorphic(plain(a), plain(b))


def expected_powers(store) -> list[tuple[str, str]]:
    return [(str(p), str(label)) for p, label in store.query(POWERS).rows]


# -- the SPARQL protocol, with real clients -------------------------------------------------------

def test_sparqlwrapper_gets_what_the_embedded_store_gets(store, server):
    from SPARQLWrapper import JSON, SPARQLWrapper

    for method in ("GET", "POST"):
        client = SPARQLWrapper(server + "/sparql")
        client.setMethod(method)
        client.setQuery(FULL_POWERS)
        client.setReturnFormat(JSON)
        rows = client.query().convert()["results"]["bindings"]
        assert [(r["power"]["value"], r["label"]["value"]) for r in rows] == expected_powers(store)
        assert all(r["label"]["xml:lang"] == "en" for r in rows)


def test_sparqlwrapper_ask_and_construct(store, server):
    from SPARQLWrapper import JSON, TURTLE, SPARQLWrapper

    client = SPARQLWrapper(server + "/sparql")
    client.setQuery("PREFIX wb: <https://w3id.org/wbgraph/ontology#> ASK { ?x a wb:ExternalPower }")
    client.setReturnFormat(JSON)
    assert client.query().convert()["boolean"] is True
    client.setQuery(NEIGHBOURS)
    client.setReturnFormat(TURTLE)
    remote = Graph().parse(data=client.query().convert(), format="turtle")
    assert len(remote) > 10
    assert same_graph(remote, store.query(NEIGHBOURS).graph)


def test_rdflib_sparqlstore_gets_what_the_embedded_store_gets(store, server):
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    remote = Graph(store=SPARQLStore(server + "/sparql", returnFormat="xml"))
    rows = [(str(p), str(label)) for p, label in remote.query(FULL_POWERS)]
    assert rows == expected_powers(store)
    kosovo = URIRef(WBR + "kosovo")
    labels = {str(o) for o in remote.objects(kosovo, URIRef("http://www.w3.org/2000/01/rdf-schema#label"))}
    assert "Kosovo" in labels


ACCEPT = {
    "application/sparql-results+json": lambda body: json.loads(body)["results"]["bindings"][0]["label"]["value"],
    "application/sparql-results+xml": lambda body: ET.fromstring(body).find(
        ".//{http://www.w3.org/2005/sparql-results#}literal").text,
    "text/csv": lambda body: list(csv.reader(io.StringIO(body.decode())))[1][1],
    "text/tab-separated-values": lambda body: body.decode().splitlines()[1].split("\t")[1].split('"')[1],
}
GRAPH_ACCEPT = {"text/turtle": "turtle", "application/n-triples": "nt", "application/ld+json": "json-ld"}


def curl() -> str:
    path = shutil.which("curl")
    if path is None:
        if UNDER_CI:
            pytest.fail("curl is missing: CI must have it")
        pytest.skip("curl is not installed; under CI this fails")
    return path


@pytest.mark.parametrize("accept", list(ACCEPT))
def test_curl_select_in_each_format(store, server, accept):
    out = subprocess.run([curl(), "-sS", "--fail-with-body", "-H", f"Accept: {accept}", "--data-urlencode",
                          f"query={POWERS}", "-D", "-", "-o", "-", server + "/sparql"],
                         capture_output=True, timeout=30, check=True).stdout
    head, _, body = out.partition(b"\r\n\r\n")
    assert f"content-type: {accept}".encode() in head.lower()
    assert ACCEPT[accept](body) == expected_powers(store)[0][1]


@pytest.mark.parametrize("accept", list(GRAPH_ACCEPT))
def test_curl_construct_in_each_format(store, server, accept):
    out = subprocess.run([curl(), "-sS", "--fail-with-body", "-G", "-H", f"Accept: {accept}", "--data-urlencode",
                          f"query={NEIGHBOURS}", server + "/sparql"], capture_output=True, timeout=30, check=True).stdout
    assert same_graph(Graph().parse(data=out, format=GRAPH_ACCEPT[accept]), store.query(NEIGHBOURS).graph)


def test_post_bodies(client, store):
    direct = client.post("/sparql", content=POWERS, headers={"Content-Type": "application/sparql-query"})
    form = client.post("/sparql", data={"query": POWERS})
    assert direct.status_code == form.status_code == 200
    assert direct.json() == form.json()
    assert len(direct.json()["results"]["bindings"]) == len(expected_powers(store))


def test_malformed_query_is_400_with_line_and_column(client):
    r = client.get("/sparql", params={"query": "SELECT ?x WHERE {\n  ?x a \n"})
    assert r.status_code == 400
    assert "line 3" in r.text and "column" in r.text


@pytest.mark.parametrize("how", ["get-query", "post-form-update", "post-update-body", "post-query-body"])
def test_updates_are_refused(client, store, how):
    update = "INSERT DATA { wbr:x rdfs:label 'x' }"
    if how == "get-query":
        r = client.get("/sparql", params={"query": update})
    elif how == "post-form-update":
        r = client.post("/sparql", data={"update": update})
    elif how == "post-update-body":
        r = client.post("/sparql", content=update, headers={"Content-Type": "application/sparql-update"})
    else:
        r = client.post("/sparql", content="DROP ALL", headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 403
    assert "read-only" in r.text
    assert not store.query("ASK { wbr:x ?p ?o }").answer


def test_unsupported_accept_is_406(client):
    r = client.get("/sparql", params={"query": POWERS}, headers={"Accept": "image/png"})
    assert r.status_code == 406
    assert "application/sparql-results+json" in r.text
    assert client.get("/id/russia", headers={"Accept": "image/png"}).status_code == 406


def test_row_limit_truncates_and_says_so(store):
    small = TestClient(create_app(store, row_limit=3), base_url="http://127.0.0.1")
    r = small.get("/sparql", params={"query": POWERS})
    assert len(r.json()["results"]["bindings"]) == 3
    assert r.headers["X-Truncated"].startswith("true")
    assert "X-Truncated" not in small.get("/sparql", params={"query": POWERS + " LIMIT 2"}).headers


def test_a_slow_query_times_out_while_others_are_answered(store):
    with running(create_app(store, query_timeout=0.5)) as url:
        import httpx

        slow: dict = {}

        def ask_slow():
            slow["response"] = httpx.get(url + "/sparql", params={"query": SLOW}, timeout=30)

        thread = threading.Thread(target=ask_slow)
        thread.start()
        time.sleep(0.1)
        quick = httpx.get(url + "/sparql", params={"query": "ASK { wbr:serbia ?p ?o }"}, timeout=30)
        assert quick.status_code == 200 and quick.json()["boolean"] is True
        thread.join(timeout=30)
        assert slow["response"].status_code == 503
        assert "took longer than the server's limit of 0.5 s" in slow["response"].text
        assert httpx.get(url + "/api/search", params={"q": "Serbia"}, timeout=30).status_code == 200


def test_oversized_request_is_413(client):
    big = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 1_100_000
    r = client.post("/sparql", content=big, headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 413
    assert "too large" in r.text


# -- entity pages --------------------------------------------------------------------------------

def test_entity_page_shows_names_claims_and_sources(client):
    r = client.get("/id/russia")
    assert r.status_code == 200
    page = r.text
    assert "<h1 id=\"label\">Russia</h1>" in page
    assert "ExternalPower" in page
    assert "exerts influence on" in page
    assert 'href="/source/doc-001?lines=718-720#L718"' in page
    assert "alleged" in page
    assert 'src="/network?focus=https%3A%2F%2Fw3id.org%2Fwbgraph%2Fid%2Frussia&amp;depth=1"' in page
    alt = client.get("/id/north-macedonia").text
    assert "fYROM" in alt


def test_entity_content_negotiation(client, store):
    turtle = client.get("/id/kosovo", headers={"Accept": "text/turtle"})
    assert turtle.headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=turtle.text, format="turtle")
    assert (URIRef(WBR + "kosovo"), None, None) in graph
    jsonld = client.get("/id/kosovo", headers={"Accept": "application/ld+json"})
    assert same_graph(Graph().parse(data=jsonld.text, format="json-ld"), graph)
    assert client.get("/id/kosovo", headers={"Accept": "text/html"}).headers["content-type"].startswith("text/html")


def test_unknown_entity_is_404_with_suggestions(client):
    r = client.get("/id/rusia")
    assert r.status_code == 404
    assert 'href="/id/russia"' in r.text


def test_source_page_marks_the_cited_lines(client):
    r = client.get("/source/doc-001", params={"lines": "718-720"})
    assert r.status_code == 200
    assert 'id="wbr:claim-001-0718-a" class="hit"' in r.text
    assert "Lines 718–720" in r.text


def test_html_from_the_data_is_escaped_and_scripts_come_from_files():
    store = load_graph([MINI, DATA / "xss.ttl"], curated=False)
    client = TestClient(create_app(store), base_url="http://127.0.0.1")
    r = client.get("/entity", params={"iri": "https://example.org/lake/mallory"})
    assert r.status_code == 200
    assert "&lt;img src=x onerror=alert(1)&gt;" in r.text
    assert "<img src=x" not in r.text and "<script>alert" not in r.text
    policy = r.headers["content-security-policy"]
    assert "script-src 'self';" in policy and "unsafe-inline" not in policy
    assert "<script>" not in r.text  # no inline script at all on the server's own pages
    frame = client.get("/network", params={"focus": "https://example.org/lake/mallory"})
    assert "'unsafe-inline'" not in frame.headers["content-security-policy"].split("script-src")[1].split(";")[0]
    assert "sandbox allow-scripts" in frame.headers["content-security-policy"]


def test_pages_load_nothing_from_elsewhere(client):
    for url in ["/", "/id/kosovo", "/paths?from=Russia&to=Serbia", "/queries/actor-profile?run=1", "/sparql"]:
        page = client.get(url, headers={"Accept": "text/html"}).text
        assert 'src="http' not in page and "stylesheet\" href=\"http" not in page, url


# -- explorer pages and the JSON API -------------------------------------------------------------

def test_search_by_alternate_name(client):
    hits = client.get("/api/search", params={"q": "kosovo*"}).json()
    assert hits[0]["iri"] == WBR + "kosovo" and hits[0]["url"] == "/id/kosovo"
    assert client.get("/api/search", params={"q": "PRC"}).json()[0]["label"] == "China"
    assert "North Macedonia" in client.get("/search", params={"q": "fyrom"}).text


def test_path_finder_lists_hops_with_sources(client):
    page = client.get("/paths", params={"from": "Russia", "to": "Bosnia and Herzegovina"}).text
    assert "1 path from" in page
    assert 'class="locator" href="/source/doc-001?lines=718-720#L718"' in page
    api = client.get("/api/paths", params={"from": "Russia", "to": "Bosnia and Herzegovina"}).json()
    assert api["from"] == WBR + "russia"
    assert api["paths"][0]["hops"][0]["relations"][0]["sources"][0]["lines"] == "718-720"
    missing = client.get("/paths", params={"from": "Russsia", "to": "Serbia"})  # ("Rusia" is Albanian)
    assert missing.status_code == 404 and "Russia" in missing.text


# actor to actor, to a threat, to an agreement, to an event; and pairs with no path for each kind of reason
PATH_PAIRS = [("Russia", "Bosnia and Herzegovina"), ("Russia", "foreign terrorist fighters"),
              ("Republika Srpska", "Dayton Peace Agreement"), ("Russia", "Russian invasion of Ukraine"),
              ("Russia", "Serbia"), ("Club de Berne", "Serbia"), ("Russia", "doc-001")]


@pytest.mark.parametrize("source,target", PATH_PAIRS)
@pytest.mark.parametrize("confidence", ["implied", "stated"])
def test_the_path_finder_finds_what_the_command_line_finds(client, store, source, target, confidence):
    """Paths run between actors, threats, agreements and events on the page as on the command line, and
    when there is none, the page says why in the form's own words."""
    from wbgraph.analysis.reasons import find_paths
    from wbgraph.lookup import resolve_entity
    from wbgraph.network import NetworkOptions

    start, end = str(resolve_entity(store, source)), str(resolve_entity(store, target))
    expected = find_paths(store, start, end, options=NetworkOptions(min_confidence=confidence))
    params = {"from": source, "to": target, "min_confidence": confidence}
    api = client.get("/api/paths", params=params).json()
    assert api["paths"] == [p.to_dict(expected.labels) for p in expected.paths]
    page = client.get("/paths", params=params).text
    if expected.paths:
        assert api["reason"] is None and f"{len(expected.paths)} path" in page
        last = expected.paths[0].nodes[-1]
        assert page.count(f'class="rel-o" href="{entity_url(last)}"') >= 1
    else:
        assert api["reason"] and "No path: " in page and "--" not in api["reason"] and "`" not in api["reason"]


def test_path_suggestions_offer_what_a_path_can_join(client, store):
    from wbgraph.network import NetworkOptions, project_network

    joinable = project_network(store, NetworkOptions(concepts=True))
    hits = [h for q in ("disinf", "dayton", "rus", "western", "doc", "claim")
            for h in client.get("/api/search", params={"q": q, "only": "paths", "word_start": True}).json()]
    assert {"disinformation", "Dayton Peace Agreement", "Russia"} <= {h["label"] for h in hits}
    assert all(h["iri"] in joinable for h in hits)
    assert not any(h["kind"] in ("Source", "Claim", "Indicator") for h in hits)


def test_query_library_page_and_csv(client, store):
    assert "actors/actor-profile" in client.get("/queries").text
    page = client.get("/queries/actors/actor-profile", params={"actor": "KFOR", "run": "1"}).text
    assert 'id="csv"' in page and "KFOR" in page
    download = client.get("/queries/actors/actor-profile", params={"actor": "KFOR", "format": "csv"})
    assert download.headers["content-disposition"] == 'attachment; filename="actor-profile.csv"'
    expected = format_result(store, run_query(store, "actor-profile", {"actor": "KFOR"}), "csv")
    assert download.text.strip() == expected.strip()
    bad = client.get("/queries/actors/actor-profile", params={"actor": "Nobody At All", "run": "1"})
    assert bad.status_code == 400 and "Nobody At All" in bad.text


def test_cors_only_when_asked(store, client):
    origin = {"Origin": "http://example.org"}
    assert "access-control-allow-origin" not in client.get("/api/queries", headers=origin).headers
    open_client = TestClient(create_app(store, cors=True), base_url="http://127.0.0.1")
    assert open_client.get("/api/queries", headers=origin).headers["access-control-allow-origin"] == "*"


def test_serve_binds_to_loopback_by_default():
    import inspect

    from wbgraph.server import serve

    assert inspect.signature(serve).parameters["host"].default == "127.0.0.1"


def test_openapi_fuzzing_finds_no_server_error(store):
    import schemathesis
    from hypothesis import HealthCheck, given, settings

    app = create_app(store, query_timeout=5, hosts=("testserver", "localhost"))
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {op.path for op in operations} >= {"/sparql", "/api/search", "/api/paths", "/api/queries/{name}"}
    for operation in operations:
        @given(case=operation.as_strategy())
        @settings(max_examples=15, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def no_500(case):
            response = case.call()
            assert response.status_code < 500 or response.status_code == 503, (case.path, response.text)

        no_500()
