"""Every centrality measure on the compiled graph gives networkx's numbers: on the curated network, and on
random graphs with parallel directions, self-loops and several components."""

from __future__ import annotations

import networkx as nx
import pytest

from wbgraph.analysis.centrality import centrality_table
from wbgraph.network import project_network
from wbgraph.store import load_graph

MEASURES = ("in_degree", "out_degree", "betweenness", "closeness", "pagerank", "eigenvector", "k_core", "brokerage")
#: networkx's reference eigenvector comes from ARPACK, which starts from a random vector
TOLERANCE = {"eigenvector": 1e-6, "pagerank": 1e-9}


def assert_same(expected: dict, got: dict) -> None:
    assert expected.keys() == got.keys()
    for measure in MEASURES:
        tolerance = TOLERANCE.get(measure, 1e-9)
        wrong = [n for n in expected if abs(expected[n][measure] - got[n][measure]) > tolerance]
        assert not wrong, f"{measure}: {wrong[:3]}"


def test_the_curated_network_has_the_same_measures_on_the_compiled_graph():
    network = project_network(load_graph())
    reference = centrality_table(network, backend="networkx")
    assert_same(reference, centrality_table(network, backend="compiled"))
    assert sum(row["brokerage"] for row in reference.values()) > 0  # brokers exist: the check is not empty
    assert_same(reference, centrality_table(network, backend="auto"))  # the default runs compiled here


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_graphs_have_the_same_measures_on_the_compiled_graph(seed):
    simple = nx.gnp_random_graph(400, 0.006, seed=seed, directed=True)
    simple.add_edge(5, 5)
    graph = nx.MultiDiGraph()
    for n in simple:
        graph.add_node(n, classes=["ExternalPower"] if n % 17 == 0 else
                       ["WesternBalkanEconomy"] if n % 13 == 0 else ["Actor"])
    for u, v in simple.edges():
        graph.add_edge(u, v, key="supports", weight=[1.0, 0.6, 0.4][(u + v) % 3])
        if (u + v) % 5 == 0:
            graph.add_edge(u, v, key="targets", weight=0.4)
    assert nx.number_weakly_connected_components(graph) > 1
    assert_same(centrality_table(graph, backend="networkx"), centrality_table(graph, backend="compiled"))


def _scale_free(n: int, seed: int) -> nx.DiGraph:
    """A directed scale-free network like the benchmark's, plus a hub that 600 leaves point to, so one
    level of a search finds more than 255 new nodes at once."""
    graph = nx.DiGraph(nx.scale_free_graph(n, alpha=0.41, beta=0.54, gamma=0.05, seed=seed))
    graph.add_edges_from((f"leaf-{i}", "hub") for i in range(600))
    graph.add_edges_from([("hub", 0), (0, 0)])
    return graph


@pytest.mark.parametrize("seed", [1, 2])
def test_closeness_in_batches_equals_networkx_on_scale_free_networks(seed):
    from wbgraph.analysis.closeness import incoming_closeness
    from wbgraph.analysis.compiled import compile_graph

    graph = _scale_free(1500, seed)
    compiled = compile_graph(graph)
    expected = nx.closeness_centrality(graph)
    searched = sum(1 for v in graph if any(u != v for u in graph.predecessors(v)))
    assert searched > 3 * 64  # one word per node: several batches of 64 searches
    for words in (1, 8):
        got = dict(zip(compiled.nodes, incoming_closeness(compiled.n, compiled.source, compiled.target,
                                                          words=words)))
        wrong = [v for v in graph if abs(expected[v] - got[v]) > 1e-12]
        assert not wrong, f"words={words}: {[(v, expected[v], got[v]) for v in wrong[:3]]}"
    assert max(expected.values()) > 0


def test_eigenvector_on_a_scale_free_network_equals_networkx_and_is_the_same_every_run():
    from wbgraph.analysis.compiled import compile_graph

    graph = _scale_free(3000, 5)
    undirected = graph.to_undirected()
    undirected.remove_edges_from(nx.selfloop_edges(undirected))
    expected = nx.eigenvector_centrality_numpy(undirected)
    compiled = compile_graph(graph)
    got = compiled.eigenvector(weighted=False)
    assert max(abs(expected[v] - got[v]) for v in graph) < 1e-9
    assert compiled.eigenvector(weighted=False) == got  # a fixed start vector: no random start as in ARPACK


def test_the_eigenvector_search_says_when_it_does_not_converge():
    import numpy as np

    from wbgraph.analysis.lanczos import leading_eigenvector

    path = nx.to_scipy_sparse_array(nx.path_graph(200), dtype=float)
    with pytest.raises(ArithmeticError, match="did not converge in 2 restarts of 3 steps"):
        leading_eigenvector(path, np.arange(200.0), steps=3, max_restarts=2)
