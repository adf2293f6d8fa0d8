"""Exports: every format written from the fictional graph, read back by the tools people use on it."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Literal, URIRef
from rdflib.compare import isomorphic

from wbgraph.analysis import centrality_table, detect_communities
from wbgraph.errors import OutputError, WbgraphError
from wbgraph.export import EXPORT_FORMATS, export
from wbgraph.export.network_formats import flat_network
from wbgraph.namespaces import PREFIXES, WB_IRI
from wbgraph.network import project_network
from wbgraph.store import load_graph, open_store

REPO = Path(__file__).resolve().parent.parent
MINI = REPO / "tests" / "data" / "mini.ttl"
LK = "https://example.org/lake/"
RDF_FORMATS = ["ttl", "nt", "jsonld"]
NETWORK_FORMATS = ["gexf", "graphml", "csv", "cytoscape"]
HOSTILE = '<script>alert("x")</script> & \'Quoted\', with commas\nand a second line'


@pytest.fixture(scope="module")
def store():
    return load_graph([MINI], curated=False)


@pytest.fixture(scope="module")
def network(store):
    return project_network(store)


@pytest.fixture(scope="module")
def measures(network):
    table = centrality_table(network)
    membership = detect_communities(network)["membership"]
    return {node: {**values, "community": membership[node]} for node, values in table.items()}


def _claim_count(graph: nx.MultiDiGraph) -> int:
    return sum(len(data["claims"]) for _, _, data in graph.edges(data=True))


def _csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


# -- the registry ----------------------------------------------------------------------------------


def test_registry_names_every_format_with_a_description_and_suffix():
    assert set(EXPORT_FORMATS) == {"ttl", "nt", "jsonld", "gexf", "graphml", "csv", "cytoscape", "stix"}
    for name, fmt in EXPORT_FORMATS.items():
        assert fmt.name == name and fmt.description and fmt.suffix.startswith(".")


def test_writers_are_imported_only_when_used():
    code = ("import sys, wbgraph.export; "
            "print(any(m.startswith(('wbgraph.export.rdf', 'wbgraph.export.network_formats', 'wbgraph.export.stix')) "
            "for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# -- RDF -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", RDF_FORMATS)
def test_rdf_export_loads_back_as_the_same_dataset(mini_store, fmt, tmp_path):
    [path] = export(mini_store, fmt, tmp_path / f"out.{fmt}")
    again = open_store(mini_store.backend)
    again.load(path)
    exported = again.to_graph()
    assert isomorphic(exported, mini_store.to_graph())
    proxy = (URIRef(LK + "order-of-the-lamp"), URIRef(WB_IRI + "isProxyOf"), URIRef(LK + "ruritania"))
    assert proxy in exported  # derived edges travel too
    assert (None, None, URIRef(WB_IRI + "ExternalPower")) in exported  # and the ontology


def test_rdf_exports_use_the_project_prefixes(store, tmp_path):
    [ttl] = export(store, "ttl", tmp_path / "out.ttl")
    assert f"@prefix wb: <{WB_IRI}> ." in ttl.read_text(encoding="utf-8")
    [jsonld] = export(store, "jsonld", tmp_path / "out.jsonld")
    document = json.loads(jsonld.read_text(encoding="utf-8"))
    assert document["@context"] == PREFIXES
    assert any(node["@id"] == "wb:Claim" for node in document["@graph"])
    [nt] = export(store, "nt", tmp_path / "out.nt")
    lines = nt.read_text(encoding="utf-8").splitlines()
    assert lines == sorted(lines) and len(lines) == len(store.to_graph())


def test_every_export_is_byte_identical_across_runs(tmp_path):
    code = (
        "import sys; from pathlib import Path; from wbgraph.store import load_graph; "
        "from wbgraph.export import EXPORT_FORMATS, export; "
        f"store = load_graph([{str(MINI)!r}], curated=False); "
        "[export(store, f, Path(sys.argv[1]) / ('out' + EXPORT_FORMATS[f].suffix)) for f in EXPORT_FORMATS]"
    )
    outputs = []
    for seed in ("1", "2"):
        folder = tmp_path / seed
        folder.mkdir()
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-c", code, str(folder)], check=True, env=env, cwd=REPO)
        outputs.append({p.name: p.read_bytes() for p in sorted(folder.iterdir())})
    assert len(outputs[0]) == 10
    assert outputs[0] == outputs[1]


# -- network formats -------------------------------------------------------------------------------


def _edge_table(graph: nx.MultiDiGraph, ignore: set[str]) -> dict[tuple[str, str, str], dict]:
    return {(u, v, data["predicate"]): {k: x for k, x in data.items() if k not in ignore}
            for u, v, data in graph.edges(data=True)}


def test_gexf_reads_back_with_the_same_nodes_edges_and_attributes(store, network, tmp_path):
    [path] = export(store, "gexf", tmp_path / "net.gexf")
    back = nx.read_gexf(path)
    expected = flat_network(network)
    assert dict(back.nodes(data=True)) == dict(expected.nodes(data=True))
    gexf_only = {"id", "start", "end", "key"}  # read_gexf gives a DiGraph (with a key attribute) if it can
    edges = _edge_table(back, gexf_only)
    assert edges == _edge_table(expected, set())
    lamp = edges[LK + "order-of-the-lamp", LK + "freedonia", "exertsInfluenceOn"]
    assert lamp["mechanisms"] == "tailored disinformation"
    assert lamp["sources"] == "Fictional briefing on the Lake Region, line 4"
    assert lamp["weight"] == 1.0 and lamp["confidence"] == "stated"


def test_gexf_puts_claim_dates_on_gephis_timeline(store, tmp_path):
    [path] = export(store, "gexf", tmp_path / "net.gexf")
    back = nx.read_gexf(path)
    assert back.graph["mode"] == "dynamic"
    assert 'timeformat="date"' in path.read_text(encoding="utf-8")
    edges = _edge_table(back, set())
    candidate = edges[LK + "freedonia", LK + "union-of-lakes", "candidateFor"]
    assert candidate["start"] == "2019-01-01" and "end" not in candidate
    assert "start" not in edges[LK + "grand-fenwick", LK + "union-of-lakes", "memberOf"]


def test_graphml_reads_back_with_the_same_nodes_edges_and_attributes(store, network, tmp_path):
    [path] = export(store, "graphml", tmp_path / "net.graphml")
    back = nx.read_graphml(path, force_multigraph=True)
    expected = flat_network(network)
    assert dict(back.nodes(data=True)) == dict(expected.nodes(data=True))
    assert _edge_table(back, {"edge_id"}) == _edge_table(expected, set())
    assert all(isinstance(data["weight"], float) for _, _, data in back.edges(data=True))
    assert all(data["edge_id"] == key for _, _, key, data in back.edges(keys=True, data=True))


def test_graphml_edge_ids_survive_igraph(store, network, tmp_path):
    """igraph numbers edges itself; the id attribute keeps each relation's own id, parallel ones too."""
    import igraph

    [path] = export(store, "graphml", tmp_path / "net.graphml")
    back = igraph.Graph.Read_GraphML(str(path))
    names = back.vs["id"]
    ids = back.es["edge_id"]
    assert len(set(ids)) == back.ecount() == network.number_of_edges()
    for edge, edge_id in zip(back.es, ids):
        assert edge_id == f"{names[edge.source]}|{edge['predicate']}|{names[edge.target]}"


def test_csv_has_a_row_per_node_and_a_row_per_claim(store, network, tmp_path):
    nodes_csv, edges_csv, claims_csv = export(store, "csv", tmp_path)
    assert (nodes_csv.name, edges_csv.name, claims_csv.name) == (
        "wbgraph-nodes.csv", "wbgraph-edges.csv", "wbgraph-claims.csv")
    nodes, edges = _csv_rows(nodes_csv), _csv_rows(edges_csv)
    assert len(nodes) == network.number_of_nodes()
    assert len(edges) == _claim_count(network)
    assert list(edges[0]) == ["source_iri", "source_label", "target_iri", "target_label", "predicate", "mechanisms",
                              "sectors", "confidence", "valid_from", "valid_until", "claim", "claim_source",
                              "claim_source_label", "lines", "comment"]
    loans = next(row for row in edges if row["claim"] == LK + "claim-05-a")
    assert (loans["source_label"], loans["target_label"], loans["predicate"]) == ("Ruritania", "Sylvania",
                                                                                   "exertsInfluenceOn")
    assert (loans["mechanisms"], loans["sectors"], loans["confidence"]) == ("opaque loans", "energy", "stated")
    assert (loans["claim_source"], loans["lines"]) == (LK + "report", "5-5")


def test_csv_path_may_be_a_stem(store, tmp_path):
    written = export(store, "csv", tmp_path / "lake.csv")
    assert [p.name for p in written] == ["lake-nodes.csv", "lake-edges.csv", "lake-claims.csv"]


def test_cytoscape_json_is_consistent(store, network, tmp_path):
    [path] = export(store, "cytoscape", tmp_path / "net.cyjs")
    elements = json.loads(path.read_text(encoding="utf-8"))["elements"]
    node_ids = [n["data"]["id"] for n in elements["nodes"]]
    edge_ids = [e["data"]["id"] for e in elements["edges"]]
    assert len(set(node_ids + edge_ids)) == len(node_ids) + len(edge_ids)
    assert len(node_ids) == network.number_of_nodes() and len(edge_ids) == network.number_of_edges()
    assert all(e["data"]["source"] in node_ids and e["data"]["target"] in node_ids for e in elements["edges"])
    proxy = next(e["data"] for e in elements["edges"] if e["data"]["predicate"] == "actsThroughProxy")
    assert proxy["mechanisms"] == ["proxies"] and proxy["sources"] == ["Fictional briefing on the Lake Region, line 3"]


def test_export_uses_the_network_it_is_given(store, tmp_path):
    stated = project_network(store, min_confidence="stated")
    [path] = export(store, "graphml", tmp_path / "stated.graphml", graph=stated)
    back = nx.read_graphml(path, force_multigraph=True)
    assert back.number_of_edges() == stated.number_of_edges() < project_network(store).number_of_edges()


def _node_values(fmt: str, paths: list[Path]) -> dict[str, dict]:
    """Node attributes as each format's usual reader sees them."""
    if fmt == "gexf":
        return dict(nx.read_gexf(paths[0]).nodes(data=True))
    if fmt == "graphml":
        return dict(nx.read_graphml(paths[0]).nodes(data=True))
    if fmt == "csv":
        return {row["iri"]: row for row in _csv_rows(paths[0])}
    nodes = json.loads(paths[0].read_text(encoding="utf-8"))["elements"]["nodes"]
    return {n["data"]["id"]: n["data"] for n in nodes}


@pytest.mark.parametrize("fmt", NETWORK_FORMATS)
def test_measures_travel_as_node_attributes(store, network, measures, fmt, tmp_path):
    paths = export(store, fmt, tmp_path / f"net.{fmt}", graph=network, measures=measures)
    values = _node_values(fmt, paths)
    ruritania = LK + "ruritania"
    for name in ("pagerank", "betweenness", "in_degree", "community"):
        assert float(values[ruritania][name]) == pytest.approx(measures[ruritania][name])


# -- bad input and edge cases ----------------------------------------------------------------------


def test_unknown_format_names_the_known_ones(store, tmp_path):
    with pytest.raises(WbgraphError) as info:
        export(store, "gefx", tmp_path / "out.gefx")
    message = str(info.value)
    assert "gefx" in message and "did you mean gexf" in message
    assert all(name in message for name in EXPORT_FORMATS)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("fmt", ["ttl", "gexf", "csv"])
def test_missing_output_folder_is_an_output_error_and_nothing_is_created(store, fmt, tmp_path):
    with pytest.raises(OutputError, match="does not exist"):
        export(store, fmt, tmp_path / "missing" / "out")
    assert list(tmp_path.iterdir()) == []


def test_unwritable_output_folder_is_an_output_error(store, tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        if os.access(locked, os.W_OK):  # root ignores the mode: a path under a regular file fails for everyone
            (tmp_path / "file.txt").write_text("not a folder")
            target = tmp_path / "file.txt" / "out.gexf"
        else:
            target = locked / "out.gexf"
        with pytest.raises(OutputError) as info:
            export(store, "gexf", target)
        assert str(target.parent) in str(info.value)
        assert list(locked.iterdir()) == []
    finally:
        locked.chmod(0o700)


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory):
    """The fictional graph plus an actor whose label and claim comment are HTML, quotes and newlines."""
    text = Literal(HOSTILE, lang="en").n3()
    extra = tmp_path_factory.mktemp("hostile") / "hostile.ttl"
    extra.write_text(f"""
@prefix wb: <{WB_IRI}> . @prefix lk: <{LK}> . @prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
lk:hostile a wb:CriminalNetwork ; rdfs:label {text} ; rdfs:comment {text} .
lk:claim-hostile a wb:Claim ; rdf:subject lk:hostile ; rdf:predicate wb:operatesIn ; rdf:object lk:freedonia ;
    wb:confidence wb:stated ; prov:wasDerivedFrom lk:report ; wb:lineStart 2 ; wb:lineEnd 2 ;
    rdfs:comment {Literal(HOSTILE).n3()} .
""", encoding="utf-8")
    return load_graph([MINI, extra], curated=False)


@pytest.mark.parametrize("fmt", RDF_FORMATS + NETWORK_FORMATS)
def test_labels_with_html_quotes_and_newlines_survive_unchanged(hostile_store, fmt, tmp_path):
    paths = export(hostile_store, fmt, tmp_path / f"out.{fmt}")
    hostile = LK + "hostile"
    if fmt in RDF_FORMATS:
        again = open_store()
        again.load(paths[0])
        labels = again.query("SELECT ?l WHERE { ?x rdfs:label ?l }", {"x": URIRef(hostile)}).rows
        assert [str(row[0]) for row in labels] == [HOSTILE]
        return
    node = _node_values(fmt, paths)[hostile]
    assert node["label"] == HOSTILE and node["description"] == HOSTILE
    if fmt == "csv":
        edges = _csv_rows(paths[1])
        row = next(r for r in edges if r["claim"] == LK + "claim-hostile")
        assert (row["source_label"], row["comment"]) == (HOSTILE, HOSTILE)


@pytest.mark.parametrize("fmt", sorted(EXPORT_FORMATS))
def test_an_empty_network_exports_valid_empty_files(fmt, tmp_path):
    empty = load_graph(curated=False)  # the ontology only: no actors, no claims
    paths = export(empty, fmt, tmp_path / "empty")
    assert paths and all(p.stat().st_size > 0 for p in paths)
    if fmt == "gexf":
        assert nx.read_gexf(paths[0]).number_of_nodes() == 0
    elif fmt == "graphml":
        assert nx.read_graphml(paths[0]).number_of_nodes() == 0
    elif fmt == "csv":
        assert [_csv_rows(p) for p in paths] == [[], [], []]
    elif fmt == "cytoscape":
        assert json.loads(paths[0].read_text(encoding="utf-8"))["elements"] == {"nodes": [], "edges": []}
    elif fmt == "stix":  # only the curators and the licence marking
        objects = json.loads(paths[0].read_text(encoding="utf-8"))["objects"]
        assert sorted(o["type"] for o in objects) == ["identity", "marking-definition"]
    else:
        again = open_store()
        again.load(paths[0].rename(paths[0].with_suffix("." + fmt)))
        assert len(again) == len(empty.to_graph())


def test_an_existing_folder_receives_wbgraph_files(store, tmp_path):
    assert export(store, "gexf", tmp_path) == [tmp_path / "wbgraph.gexf"]


def test_a_neighbourhood_exports_as_network_data_with_only_its_claims(tmp_path):
    """--focus and the filters select what the network formats write, the claims table included: a
    researcher who exports Kosovo's neighbourhood gets its claims, not every claim of the graph."""
    import csv as csv_module

    from click.testing import CliRunner

    from wbgraph.cli import main
    from wbgraph.namespaces import shorten

    runner = CliRunner()
    for args, stem in ((["--focus", "Kosovo"], "kosovo"), (["--min-confidence", "stated"], "stated"), ([], "all")):
        result = runner.invoke(main, ["export", "--format", "csv", "-o", str(tmp_path / stem), *args])
        assert result.exit_code == 0, result.output
    def rows(stem, part):
        with open(tmp_path / f"{stem}-{part}.csv", encoding="utf-8") as handle:
            return list(csv_module.DictReader(handle))

    everything = rows("all", "claims")
    for stem in ("kosovo", "stated"):
        claims, edges = rows(stem, "claims"), rows(stem, "edges")
        assert {c["id"] for c in claims} == {shorten(e["claim"]) for e in edges}  # the claims behind the edges
        assert 0 < len(claims) < len(everything)
    labels = {n["label"] for n in rows("kosovo", "nodes")}
    assert "Kosovo" in labels and "Iran" not in labels
    assert all(c["confidence"] in ("stated", "wb:stated") for c in rows("stated", "claims"))
    gexf = runner.invoke(main, ["export", "--format", "gexf", "-o", str(tmp_path / "k.gexf"), "--focus", "Kosovo"])
    assert gexf.exit_code == 0 and "Kosovo" in (tmp_path / "k.gexf").read_text(encoding="utf-8")


def _odd_terms_graph():
    """Every kind of term the JSON-LD writer maps: typed, native and tagged literals, IRIs inside and
    outside the project's prefixes, several values of one key, rdf:type with an IRI and a literal."""
    from rdflib import Graph
    from rdflib.namespace import RDF, XSD

    wbr, wb = PREFIXES["wbr"], WB_IRI
    g = Graph()
    node = URIRef(wbr + "x")
    for p, o in [
        (RDF.type, URIRef(wb + "State")), (RDF.type, URIRef("https://example.org/other#Kind")),
        (RDF.type, Literal("a literal type")), (URIRef(wb + "n"), Literal(7)), (URIRef(wb + "n"), Literal("007", datatype=XSD.integer)),
        (URIRef(wb + "d"), Literal("2.5", datatype=XSD.double)), (URIRef(wb + "b"), Literal(True)),
        (URIRef(wb + "dec"), Literal("1.50", datatype=XSD.decimal)), (URIRef(wb + "y"), Literal("2024", datatype=XSD.gYear)),
        (URIRef(wb + "s"), Literal(HOSTILE)), (URIRef(wb + "l"), Literal("Kosovë", lang="sq")),
        (URIRef(wb + "l"), Literal("Kosovo", lang="en")), (URIRef("https://example.org/p"), URIRef("https://example.org/")),
        (URIRef("urn:isbn:p"), URIRef("urn:isbn:0451450523")), (URIRef(wb + "bad"), Literal("x", datatype=XSD.integer)),
    ]:
        g.add((node, p, o))
    g.add((URIRef("https://example.org/thing#"), URIRef(wb + "s"), Literal("a subject outside the prefixes")))
    return g


@pytest.mark.parametrize("source", ["curated", "odd terms", "mini"])
def test_the_quick_json_ld_writer_gives_rdflibs_document(source):
    """Graphs without blank nodes are written without rdflib's serialiser: the document must be the same."""
    from wbgraph.export import rdf

    graph = {"curated": lambda: load_graph([], curated=True).to_graph(), "odd terms": _odd_terms_graph,
             "mini": lambda: load_graph([MINI], curated=False).to_graph()}[source]()
    quick = rdf.jsonld_text(graph)
    original = rdf._flat_nodes
    try:
        rdf._flat_nodes = lambda graph: None  # rdflib's serialiser, as before
        assert quick == rdf.jsonld_text(graph)
    finally:
        rdf._flat_nodes = original


def test_json_ld_with_blank_nodes_or_lists_is_left_to_rdflib():
    from rdflib import BNode, Graph
    from rdflib.collection import Collection

    from wbgraph.export import rdf

    g = Graph()
    g.add((URIRef(PREFIXES["wbr"] + "x"), URIRef(WB_IRI + "p"), BNode()))
    assert rdf._flat_nodes(g) is None
    listed = Graph()
    head = URIRef(PREFIXES["wbr"] + "list")
    Collection(listed, head, [Literal(1), Literal(2)])
    assert rdf._flat_nodes(listed) is None
    document = json.loads(rdf.jsonld_text(listed))
    assert isomorphic(Graph().parse(data=json.dumps(document), format="json-ld"), listed)
