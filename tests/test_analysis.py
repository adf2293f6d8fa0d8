"""Network projection and measures, checked by hand and against independent implementations."""

from __future__ import annotations

import csv
import io

import json

import networkx as nx
import pytest
from click.testing import CliRunner

from wbgraph.analysis import centrality_table, detect_communities, exposure_table, influence_paths, reach
from wbgraph.analysis.centrality import betweenness, closeness, pagerank
from wbgraph.analysis.paths import CHANNEL, INFLUENCE
from wbgraph.cli import main
from wbgraph.errors import WbgraphError
from wbgraph.network import channel_predicates, influence_predicates, project_network
from wbgraph.store import load_graph

from .conftest import MINI

LK = "https://example.org/lake/"


@pytest.fixture(scope="module")
def store():
    return load_graph([MINI], curated=False)


@pytest.fixture(scope="module")
def graph(store):
    return project_network(store)


def test_path_rules_match_the_ontology(store):
    assert channel_predicates(store) == CHANNEL
    assert influence_predicates(store) == INFLUENCE


def test_projection_has_the_actors_and_relations_by_hand(graph):
    assert graph.number_of_nodes() == 8 and graph.number_of_edges() == 12
    edge = graph[LK + "ruritania"][LK + "order-of-the-lamp"]["actsThroughProxy"]
    assert edge["mechanisms"] == ["proxies"] and edge["confidence"] == "stated"
    assert [(c["claim"], c["lines"]) for c in edge["claims"]] == [(LK + "claim-03-a", "3-3")]
    # the negated claim (line 14) adds nothing; the alleged one (line 13) is the only claim of its edge
    assert [c["claim"] for c in graph[LK + "ruritania"][LK + "grand-fenwick"]["coordinatesWith"]["claims"]] == [
        LK + "claim-13-a"]


def test_projection_filters(store):
    stated = project_network(store, min_confidence="stated")
    assert not stated.has_edge(LK + "ruritania", LK + "grand-fenwick")
    assert stated.number_of_edges() == 10  # drops the alleged coordination and the implied undermining
    with_concepts = project_network(store, concepts=True)
    assert with_concepts.has_edge(LK + "blue-hand", LK + "threat-arms-trafficking")
    before_2010 = project_network(store, as_of="2005")
    assert before_2010.has_edge(LK + "lakeguard", LK + "freedonia")      # since 2004
    assert not before_2010.has_edge(LK + "freedonia", LK + "union-of-lakes")  # candidate since 2019
    only = project_network(store, predicates=("memberOf",))
    assert sorted(k for _, _, k in only.edges(keys=True)) == ["memberOf", "memberOf"]


def test_projection_is_deterministic(store):
    a, b = project_network(store), project_network(store)
    assert list(a.edges(keys=True, data=True)) == list(b.edges(keys=True, data=True))


def test_degree_and_betweenness_by_hand(graph):
    table = centrality_table(graph)
    assert table[LK + "ruritania"]["out_degree"] == 3 and table[LK + "ruritania"]["in_degree"] == 0
    assert table[LK + "union-of-lakes"]["in_degree"] == 5
    # Order of the Lamp lies on the only shortest path Ruritania -> Freedonia, and on one of the three
    # shortest paths Ruritania -> Union of Lakes: (1 + 1/3) / ((8 - 1) * (8 - 2))
    assert table[LK + "order-of-the-lamp"]["betweenness"] == pytest.approx((1 + 1 / 3) / 42)
    # brokerage: the only power-to-economy path through an intermediary is Ruritania -> Lamp -> Freedonia
    assert table[LK + "order-of-the-lamp"]["brokerage"] == 1.0
    assert table[LK + "sylvania"]["brokerage"] == 0.0


def test_pagerank_equals_igraph(graph):
    import igraph  # the independent implementation, from the test extra
    from wbgraph.analysis.centrality import simple_digraph

    simple = simple_digraph(graph)
    nodes = list(simple)
    ig = igraph.Graph(directed=True)
    ig.add_vertices(len(nodes))
    ig.add_edges([(nodes.index(u), nodes.index(v)) for u, v in simple.edges()])
    ig.es["weight"] = [d["weight"] for _, _, d in simple.edges(data=True)]
    expected = dict(zip(nodes, ig.pagerank(damping=0.85, weights="weight")))
    ours = centrality_table(graph)
    for node in nodes:
        assert ours[node]["pagerank"] == pytest.approx(expected[node], abs=1e-4)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_rustworkx_backend_equals_networkx(seed):
    graph = nx.gnp_random_graph(60, 0.08, seed=seed, directed=True)
    for u, v in graph.edges():
        graph[u][v]["weight"] = [1.0, 0.6, 0.4][(u + v) % 3]
    a = betweenness(graph, backend="networkx")
    b = betweenness(graph, backend="rustworkx")
    assert all(a[n] == pytest.approx(b[n], abs=1e-9) for n in graph)
    a = pagerank(graph, backend="networkx")
    b = pagerank(graph, backend="rustworkx")
    assert all(a[n] == pytest.approx(b[n], abs=1e-5) for n in graph)
    a = closeness(graph, backend="networkx")
    b = closeness(graph, backend="rustworkx")
    assert all(a[n] == pytest.approx(b[n], abs=1e-9) for n in graph)
    assert len({round(v, 9) for v in a.values()}) > 5  # not a degenerate graph where every value is equal


def test_communities_are_seeded_and_cover_every_node(graph):
    first, second = detect_communities(graph), detect_communities(graph)
    assert first == second
    assert sorted(n for c in first["communities"] for n in c) == sorted(graph)
    assert -0.5 <= first["modularity"] <= 1


def test_exposure_matches_the_worked_example(graph):
    rows = exposure_table(graph)
    assert [(r["label"], r["powers"], r["independent_paths"], r["score"], r["mechanisms"]) for r in rows] == [
        ("Freedonia", 1, 1, 1.0, ["proxies", "tailored disinformation"]),
        ("Sylvania", 1, 1, 1.0, ["opaque loans"]),
    ]


def test_path_lists_sources_for_every_hop(graph):
    (path,) = influence_paths(graph, LK + "ruritania", LK + "freedonia")
    assert path.nodes == [LK + "ruritania", LK + "order-of-the-lamp", LK + "freedonia"]
    for hop in path.hops:
        assert hop.edges and all(c["source"] and c["lines"] for e in hop.edges for c in e["claims"])


def test_targets_end_a_path(graph):
    # the Order of the Lamp undermines the Union of Lakes: a path may end there but not pass through
    assert influence_paths(graph, LK + "ruritania", LK + "union-of-lakes")[0].nodes[-2] == LK + "order-of-the-lamp"
    reached = {r["node"]: r["hops"] for r in reach(graph, LK + "ruritania")}
    assert reached == {LK + "order-of-the-lamp": 1, LK + "sylvania": 1, LK + "freedonia": 2,
                       LK + "union-of-lakes": 2}


# --- command line and bad input -----------------------------------------------------------------

def run(*args):
    return CliRunner().invoke(main, ["--no-curated", "--with", str(MINI), *map(str, args)])


def test_cli_path_text_and_json():
    out = run("path", "Ruritania", "Freedonia")
    assert out.exit_code == 0
    assert "Ruritania -> Order of the Lamp -> Freedonia" in out.output and "lines 3-3" in out.output
    data = json.loads(run("path", "RUR", "Freedonia", "--format", "json").output)
    assert data["paths"][0]["hops"][1]["relations"][0]["sources"][0]["lines"] == "4-4"


def test_unknown_actor_suggests():
    out = run("path", "Ruritanya", "Freedonia")
    assert out.exit_code == 1 and "did you mean 'Ruritania'" in out.output


def test_from_equal_to():
    out = run("path", "Ruritania", "RUR")
    assert out.exit_code == 1 and "same actor" in out.output


def test_no_path_is_not_an_error():
    out = run("path", "Sylvania", "Ruritania")
    assert out.exit_code == 0 and out.output.startswith("no path")


def test_unknown_predicate():
    out = run("path", "Ruritania", "Freedonia", "--via", "actsThroughProxi")
    assert out.exit_code == 1 and "not an influence relation" in out.output


@pytest.mark.parametrize("args, words", [
    (["--k", "-1"], "--k must be between 1 and 100"),
    (["--k", "100000"], "--k must be between 1 and 100"),
    (["--max-hops", "0"], "--max-hops must be between 1 and 6"),
    (["--max-hops", "50"], "--max-hops must be between 1 and 6"),
])
def test_absurd_numbers(args, words):
    out = run("path", "Ruritania", "Freedonia", *args)
    assert out.exit_code == 1 and words in out.output


def test_actor_left_out_by_the_filters():
    # the Lake Region is only ever a qualifier (wb:target), never the end of a relation
    out = run("reach", "Lake Region")
    assert out.exit_code == 1 and "has no relation in the network that passes the filters" in out.output


def test_empty_projection_message(tmp_path):
    only_ontology = CliRunner().invoke(main, ["--no-curated", "analyze", "-o", str(tmp_path / "a")])
    assert only_ontology.exit_code == 1 and "no relation is left after the filters" in only_ontology.output
    assert not (tmp_path / "a").exists() or not any((tmp_path / "a").iterdir())


def test_cli_reach_and_analyze(tmp_path):
    out = run("reach", "Ruritania", "--format", "csv")
    assert out.exit_code == 0
    first = next(csv.DictReader(io.StringIO(out.output)))
    assert (first["hops"], first["subject_label"], first["predicate"], first["object_label"]) == (
        "1", "Ruritania", "actsThroughProxy", "Order of the Lamp")
    assert first["lines"] == "3-3" and first["claim"].endswith("claim-03-a")
    out = run("analyze", "-o", tmp_path)
    assert out.exit_code == 0
    report = (tmp_path / "analysis.md").read_text()
    assert "| Freedonia | 1 (Ruritania) | 1 | 1.0 |" in report
    rows = (tmp_path / "centrality.csv").read_text().splitlines()
    assert rows[0].startswith("iri,label,kind,community,in_degree") and len(rows) == 9


def test_bad_dates_in_filters():
    out = run("reach", "Ruritania", "--as-of", "2023-02-30")
    assert out.exit_code == 1 and "not a valid date" in out.output
    with pytest.raises(WbgraphError, match="runs backwards"):
        project_network(load_graph([MINI], curated=False), between=("2020", "2010"))
