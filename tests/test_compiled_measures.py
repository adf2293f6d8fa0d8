"""Every centrality measure on the compiled graph gives networkx's numbers: on the curated network, and on
random graphs with parallel directions, self-loops and several components."""

from __future__ import annotations

import networkx as nx
import pytest

from wbgraph.analysis.centrality import centrality_table
from wbgraph.network import project_network
from wbgraph.store import load_graph

MEASURES = ("in_degree", "out_degree", "betweenness", "closeness", "pagerank", "eigenvector", "k_core", "brokerage")
#: eigenvector centrality comes from ARPACK (as networkx's own numpy version), which starts from a random vector
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
