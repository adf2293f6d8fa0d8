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
from wbgraph.server.entities import entity_url, source_url
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
    with TestClient(create_app(store), base_url="http://127.0.0.1") as test_client:
        yield name, store, index, test_client


def _entities(store, limit=None) -> list[str]:
    mentioned = [x for x, _ in store.query_text(_MENTIONS)]
    return mentioned[:limit] if limit else mentioned


def test_entity_pages_show_only_claims(client):
    """Every entity page: each row under "X predicate …" names the other end of a claim of X."""
    name, store, index, http = client
    problems, count = [], 0
    for iri in _entities(store):
        page = http.get(entity_url(iri))
        assert page.status_code == 200, iri
        shown = shown_by_page(page.text, entity_url(iri))
        count += len(shown)
        problems += index.problems(shown)
    assert count >= len(index.claims), f"{count} relations shown for {len(index.claims)} claims"
    assert not problems, f"{name}:\n" + "\n".join(problems[:20])


def test_source_pages_show_only_claims(client):
    name, store, index, http = client
    problems, count = [], 0
    for (doc,) in store.query_text(_SOURCES):
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


# --- paths, reach, the interactive page and the exports -----------------------------------------

def _edge_shown(u, key, v, claims, where) -> Shown:
    return Shown(u, expand(key), v, claims=tuple(c["claim"] for c in claims), where=where)


def test_paths_and_reach_show_only_claims(graph):
    """``path`` and ``reach`` (the library and the command line's JSON): every hop is a claim."""
    name, store, index = graph
    network = project_network(store)
    shown = []
    for actor in [x for x in _entities(store) if x in network][:10]:
        for row in reach(network, actor, max_hops=3):
            assert row["relations"], row["label"]
            for edge in row["relations"]:
                shown.append(_edge_shown(edge["source"], edge["predicate"], row["node"], edge["claims"],
                                         f"reach {actor} -> {row['label']}"))
    for source, target in _pairs(store, network):
        for path in influence_paths(network, source, target, k=5):
            for hop in path.hops:
                for edge in hop.edges:
                    shown.append(_edge_shown(hop.source, edge["predicate"], hop.target, edge["claims"],
                                             f"path {source} -> {target}"))
    assert shown, name
    assert not index.problems(shown)


def test_the_reach_and_path_commands_show_only_claims(graph):
    name, store, index = graph
    args = [] if name == "curated" else ["--no-curated", "--with", str(MINI)]
    actor = "Russia" if name == "curated" else "Ruritania"
    runner = CliRunner()
    out = runner.invoke(main, [*args, "reach", actor, "--format", "csv"])
    assert out.exit_code == 0, out.output
    rows = list(csv.DictReader(io.StringIO(out.output)))
    shown = [Shown(r["subject"], expand(r["predicate"]), r["object"], claims=(r["claim"],), where="reach csv")
             for r in rows]
    assert shown and all(r["source"] and r["lines"] for r in rows)
    target = next(r["object"] for r in rows if r["hops"] == "2") if any(r["hops"] == "2" for r in rows) \
        else rows[0]["object"]
    out = runner.invoke(main, [*args, "path", actor, target, "--format", "json"])
    assert out.exit_code == 0, out.output
    for path in json.loads(out.output)["paths"]:
        for i, hop in enumerate(path["hops"]):
            for relation in hop["relations"]:
                shown.append(Shown(path["nodes"][i]["iri"], expand(relation["predicate"]), path["nodes"][i + 1]["iri"],
                                   claims=tuple(expand(c["claim"]) for c in relation["sources"]), where="path json"))
    assert not index.problems(shown)


def _page_relations(text: str, where: str) -> list[Shown]:
    """The relations an interactive page draws, read from the data it carries."""
    match = re.search(r'<script[^>]*id="wb-data"[^>]*>(.*?)</script>', text, re.S)
    assert match, f"{where}: no page data"
    data = json.loads(match.group(1))
    return [Shown(e["from"], expand(e["predicate"]), e["to"], claims=tuple(c["claim"] for c in e.get("claims", [])),
                  where=f"{where} edge {e.get('id')}") for e in data["edges"]]


def test_the_interactive_page_draws_only_claims(graph, tmp_path):
    name, store, index = graph
    shown = []
    page = tmp_path / "page.html"
    out = CliRunner().invoke(main, [*([] if name == "curated" else ["--no-curated", "--with", str(MINI)]),
                                    "viz", "-o", str(page)])
    assert out.exit_code == 0, out.output
    shown += _page_relations(page.read_text(encoding="utf-8"), "viz")
    network = project_network(store)
    # every relation of the network is drawn, each on its own
    assert len(shown) == network.number_of_edges()
    assert not index.problems(shown)


def test_network_page_of_the_server_draws_only_claims(client):
    name, store, index, http = client
    shown = []
    for iri in _entities(store, 8):
        page = http.get("/network", params={"focus": iri})
        if page.status_code == 200:
            shown += _page_relations(page.text, f"/network?focus={iri}")
    assert shown, name
    assert not index.problems(shown)


def test_network_exports_show_only_claims(graph):
    """GEXF, GraphML, CSV and Cytoscape: every edge is a claim's relation, parallel relations stay
    apart (each its own edge with its own id, the predicate as GEXF ``kind``), claims keep theirs."""
    name, store, index = graph
    network = project_network(store)
    expected = Counter((u, expand(k), v) for u, v, k in network.edges(keys=True))

    gexf = ET.fromstring(gexf_bytes(network))
    ns = {"g": "http://gexf.net/1.2"} if gexf.tag.startswith("{http://gexf.net/1.2") else {
        "g": gexf.tag[1:].split("}")[0]}
    edges = gexf.findall(".//g:edges/g:edge", ns)
    shown = [Shown(e.get("source"), expand(e.get("kind") or ""), e.get("target"), where=f"gexf {e.get('id')}")
             for e in edges]
    assert Counter((s.subject, s.predicate, s.object) for s in shown) == expected
    assert len({e.get("id") for e in edges}) == len(edges)

    graphml = ET.fromstring(graphml_bytes(network))
    gns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    keys = {k.get("id"): k.get("attr.name") for k in graphml.findall("g:key", gns)}
    for e in graphml.findall(".//g:edge", gns):
        data = {keys[d.get("key")]: d.text for d in e.findall("g:data", gns)}
        assert data.get("edge_id") == e.get("id"), "GraphML edge ids must also travel as an attribute"
        shown.append(Shown(e.get("source"), expand(data["predicate"]), e.get("target"), where=f"graphml {e.get('id')}"))

    tables = csv_tables(network)
    for row in csv.DictReader(io.StringIO(tables["edges"])):
        shown.append(Shown(row["source_iri"], expand(row["predicate"]), row["target_iri"], claims=(row["claim"],),
                           where="csv edges"))
    for e in json.loads(cytoscape_json(network))["elements"]["edges"]:
        shown.append(Shown(e["data"]["source"], expand(e["data"]["predicate"]), e["data"]["target"],
                           where=f"cytoscape {e['data']['id']}"))
    assert not index.problems(shown)


def test_rdf_exports_carry_no_relation_without_a_claim(graph, tmp_path):
    name, store, index = graph
    out = CliRunner().invoke(main, [*([] if name == "curated" else ["--no-curated", "--with", str(MINI)]),
                                    "export", "--format", "jsonld", "-o", str(tmp_path / "graph.jsonld")])
    assert out.exit_code == 0, out.output
    dataset = Dataset()
    dataset.parse(tmp_path / "graph.jsonld", format="json-ld")
    shown = [Shown(str(s), str(p), str(o), where="jsonld") for s, p, o, _ in dataset.quads()
             if str(p) in index.predicates and isinstance(o, URIRef)]
    assert shown
    assert not index.problems(shown)


# --- claims keep their nuance -------------------------------------------------------------------

@pytest.mark.parametrize("query", [q for q in QUERIES if any("claim" in r for r in q.relations)], ids=lambda q: q.name)
def test_queries_that_list_claims_show_their_summaries(query):
    """A query that names claims shows each claim's summary in our words beside it."""
    for spec in query.relations:
        suffix = spec["claim"].removeprefix("claim")
        assert re.search(rf"\?in_our_words{suffix}\b", query.text.split("WHERE")[0]), \
            f"{query.name}: no ?in_our_words{suffix} for ?{spec['claim']}"


def test_contested_claims_are_contradictions(graph):
    """Each row of contested-claims is a claim and its denial, or two claims with relations the
    ontology declares incompatible, about the same two actors; agreement in different confidence is
    left to confidence-disagreements."""
    name, store, index = graph
    disjoint = {tuple(row) for row in store.query_text(
        "SELECT ?a ?b WHERE { ?a owl:propertyDisjointWith ?b }")}
    symmetric = {p for (p,) in store.query_text("SELECT ?p WHERE { ?p a owl:SymmetricProperty }")}
    for row in run_query(store, "contested-claims").records():
        a = index.claims[str(row["claim_a"])]
        b = index.claims[str(row["claim_b"])]
        if a[3] != b[3]:
            same = a[:3] == b[:3] or (a[1] in symmetric and (a[2], a[1], a[0]) == b[:3])
            assert same, row
        else:
            assert (a[0], a[2]) == (b[0], b[2]) and (a[1], b[1]) in disjoint, row
    for row in run_query(store, "confidence-disagreements").records():
        assert row["confidence_a"] != row["confidence_b"] and row["source_a"] != row["source_b"]


def test_contested_claims_finds_every_kind_of_contradiction():
    store = load_graph([MINI, DATA / "faithful" / "contradictions.ttl"], curated=False)
    rows = run_query(store, "contested-claims").records()
    found = Counter((r["conflict"], str(r["predicate_a"]).rsplit("#")[-1], str(r["predicate_b"]).rsplit("#")[-1],
                     str(r["claim_b"]).rsplit("/")[-1]) for r in rows)
    assert found == Counter({
        ("asserted and denied", "coordinatesWith", "coordinatesWith", "claim-14-a"): 1,
        ("asserted and denied", "coordinatesWith", "coordinatesWith", "claim-x-2"): 1,
        ("incompatible relations", "supports", "undermines", "claim-x-1"): 1,
    })


def test_the_analysis_report_names_only_powers_with_a_sourced_path(graph):
    """The exposure table says "power P reaches economy E through mechanisms M": each such power has an
    influence path of claims to the economy, and each mechanism lies on one of those paths."""
    from wbgraph.analysis import exposure_table

    name, store, index = graph
    network = project_network(store)
    label = {n: d["label"] for n, d in network.nodes(data=True)}
    by_label = {v: k for k, v in label.items()}
    rows = exposure_table(network)
    assert rows, name
    for row in rows:
        on_paths = set()
        for power_name in row["power_names"]:
            found = influence_paths(network, by_label[power_name], row["economy"], max_hops=3, k=100)
            assert found, (power_name, row["label"])
            shown = [_edge_shown(h.source, e["predicate"], h.target, e["claims"], f"exposure {row['label']}")
                     for p in found for h in p.hops for e in h.edges]
            assert not index.problems(shown)
            on_paths |= {m for p in found for h in p.hops for e in h.edges for m in e.get("mechanisms", [])}
        assert set(row["mechanisms"]) <= on_paths, row["label"]


def test_briefs_state_only_claims(graph):
    """Every sentence of a brief that states a relation names a claim's subject and object, in the
    claim's direction, denied exactly when the claim is."""
    from wbgraph.brief import build_brief
    from wbgraph.lookup import english_labels

    name, store, index = graph
    labels = english_labels(store)
    shown, misread = [], []
    for iri in _entities(store, 15):
        brief = build_brief(store, iri)
        for section in brief.sections:
            for _, line in section.lines:
                if line.relation is None:
                    continue
                s, p, o, negated = line.relation
                shown.append(Shown(s, expand(p), o, denied=negated, where=f"brief of {labels.get(iri, iri)}"))
                subject, obj = labels.get(s, s), labels.get(o, o)
                text = line.text.removeprefix("Denied: ").removeprefix("“")  # an event's name is quoted
                if not text.startswith(subject) or obj not in text or line.text.startswith("Denied: ") != negated:
                    misread.append(line.text)
    assert shown, name
    assert not index.problems(shown)
    assert not misread, misread[:5]
