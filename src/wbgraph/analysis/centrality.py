"""Centrality measures: degree, betweenness, closeness, PageRank, eigenvector, k-core, brokerage.

Every function takes a networkx graph and returns plain dicts. For large graphs every measure runs on a
compiled graph (``backend="compiled"``, also called ``"rustworkx"``; see
:mod:`wbgraph.analysis.compiled`): the network is read once into arrays, then betweenness runs on
rustworkx, PageRank and eigenvector centrality on SciPy sparse matrices, closeness by batched
breadth-first searches in NumPy, the k-core numbers and brokerage on igraph. ``"auto"`` chooses it above :data:`ACCELERATE_ABOVE` nodes. Results equal
networkx's (checked in the tests).
"""

from __future__ import annotations

import networkx as nx

from .compiled import CompiledGraph, compile_graph

__all__ = [
    "ACCELERATE_ABOVE",
    "betweenness",
    "broker_scores",
    "centrality_table",
    "closeness",
    "pagerank",
    "simple_digraph",
]

# networkx's pure-Python betweenness takes seconds from a few hundred nodes (20 s at 1,761 nodes in
# bench_build.py), rustworkx a fraction of one; below this, networkx is as fast and needs no conversion.
ACCELERATE_ABOVE = 300


def simple_digraph(graph: nx.MultiDiGraph) -> nx.DiGraph:
    """Collapse parallel edges: one edge per ordered pair, weighted by the firmest claim (max weight).

    >>> g = nx.MultiDiGraph()
    >>> g.add_edge("a", "b", key="supports", weight=0.6)
    'supports'
    >>> g.add_edge("a", "b", key="targets", weight=1.0)
    'targets'
    >>> simple_digraph(g)["a"]["b"]["weight"]
    1.0
    """
    out = nx.DiGraph()
    out.add_nodes_from(graph.nodes(data=True))
    for u, v, data in graph.edges(data=True):
        w = data.get("weight", 1.0)
        if out.has_edge(u, v):
            out[u][v]["weight"] = max(out[u][v]["weight"], w)
        else:
            out.add_edge(u, v, weight=w)
    return out


def _use_compiled(graph: nx.Graph, backend: str) -> bool:
    if backend not in ("auto", "networkx", "compiled", "rustworkx"):
        raise ValueError(f"unknown backend {backend!r}: use auto, networkx or compiled")
    return backend in ("compiled", "rustworkx") or (backend == "auto" and graph.number_of_nodes() > ACCELERATE_ABOVE)


def _compiled_graph(graph: nx.DiGraph, compiled: CompiledGraph | None) -> CompiledGraph:
    return compiled if compiled is not None else compile_graph(graph)


def _by_index(result, compiled: CompiledGraph) -> dict:
    return {compiled.nodes[i]: float(v) for i, v in result.items()}


def betweenness(graph: nx.DiGraph, *, k: int | None = None, seed: int = 42, backend: str = "auto",
                _compiled=None) -> dict:
    """Normalised betweenness over hop counts; ``k`` samples that many sources (seeded) for large graphs.

    >>> g = nx.DiGraph([("a", "b"), ("b", "c")])
    >>> betweenness(g)["b"]
    0.5
    """
    if k is None and _use_compiled(graph, backend):
        import rustworkx as rx

        compiled = _compiled_graph(graph, _compiled)
        return _by_index(rx.digraph_betweenness_centrality(compiled.rustworkx, normalized=True), compiled)
    return nx.betweenness_centrality(graph, k=k, seed=seed, normalized=True)


def closeness(graph: nx.DiGraph, *, backend: str = "auto", _compiled=None) -> dict:
    """Closeness over hop counts towards each node, scaled by the share of nodes that reach it
    (Wasserman and Faust), as networkx's ``closeness_centrality``.

    >>> g = nx.DiGraph([("a", "b"), ("c", "b")])
    >>> closeness(g)["b"]
    1.0
    """
    if _use_compiled(graph, backend):
        return _compiled_graph(graph, _compiled).closeness()
    return nx.closeness_centrality(graph)


def pagerank(graph: nx.DiGraph, *, weight: str | None = "weight", backend: str = "auto", _compiled=None) -> dict:
    """PageRank (damping 0.85), weighted by confidence unless ``weight=None``.

    >>> g = nx.DiGraph([("a", "b"), ("c", "b")])
    >>> max(pagerank(g).items(), key=lambda kv: kv[1])[0]
    'b'
    """
    if _use_compiled(graph, backend):
        return _compiled_graph(graph, _compiled).pagerank(alpha=0.85, weighted=weight is not None)
    return nx.pagerank(graph, alpha=0.85, weight=weight)


def broker_scores(graph: nx.DiGraph, sources: list[str], targets: list[str], *, backend: str = "auto",
                  _compiled=None) -> dict:
    """How often a node lies on shortest paths from ``sources`` (external powers) to ``targets``
    (Western Balkan economies): betweenness restricted to those pairs, not normalised.

    It costs one breadth-first search per source, O(sources x (nodes + edges)); the number of powers
    grows with the data, so on large graphs it runs in compiled code (igraph), not in networkx's Python.

    >>> g = nx.DiGraph([("power", "proxy"), ("proxy", "country")])
    >>> broker_scores(g, ["power"], ["country"])["proxy"]
    1.0
    """
    sources = [s for s in sources if s in graph]
    targets = [t for t in targets if t in graph]
    if _use_compiled(graph, backend):
        return _compiled_graph(graph, _compiled).subset_betweenness(sources, targets)
    return nx.betweenness_centrality_subset(graph, sources, targets, normalized=False)


def centrality_table(
    graph: nx.MultiDiGraph,
    *,
    weighted: bool = True,
    betweenness_k: int | None = None,
    seed: int = 42,
    backend: str = "auto",
) -> dict[str, dict[str, float]]:
    """Every measure for every node: in/out degree, betweenness, closeness, PageRank, eigenvector,
    k-core number and brokerage between external powers and Western Balkan economies."""
    simple = simple_digraph(graph)
    weight = "weight" if weighted else None
    compiled = compile_graph(simple) if _use_compiled(simple, backend) else None  # converted once, used by all
    if compiled is None or compiled.n < 3:
        undirected = simple.to_undirected()
        undirected.remove_edges_from(nx.selfloop_edges(undirected))
        eigenvector, k_core = _eigenvector(undirected, weight), nx.core_number(undirected)
    else:
        has_edges = len(compiled.undirected_edges[0]) > 0
        eigenvector = compiled.eigenvector(weighted=weighted) if has_edges else {n: 0.0 for n in simple}
        k_core = compiled.core_number()
    measures: dict[str, dict] = {
        "in_degree": dict(graph.in_degree()),
        "out_degree": dict(graph.out_degree()),
        "betweenness": betweenness(simple, k=betweenness_k, seed=seed, backend=backend, _compiled=compiled),
        "closeness": closeness(simple, backend=backend, _compiled=compiled),
        "pagerank": pagerank(simple, weight=weight, backend=backend, _compiled=compiled),
        "eigenvector": eigenvector,
        "k_core": k_core,
    }
    powers = [n for n, d in graph.nodes(data=True) if "ExternalPower" in d.get("classes", ())]
    economies = [n for n, d in graph.nodes(data=True) if "WesternBalkanEconomy" in d.get("classes", ())]
    measures["brokerage"] = broker_scores(simple, powers, economies, backend=backend, _compiled=compiled)
    return {node: {name: float(values.get(node, 0.0)) for name, values in measures.items()} for node in graph}


def _eigenvector(undirected: nx.Graph, weight: str | None) -> dict:
    """Eigenvector centrality of the undirected graph (directed eigenvector is zero for sources)."""
    if undirected.number_of_edges() == 0:
        return {n: 0.0 for n in undirected}
    try:
        return nx.eigenvector_centrality_numpy(undirected, weight=weight)
    except (nx.NetworkXException, ImportError):
        return nx.eigenvector_centrality(undirected, weight=weight, max_iter=1000, tol=1e-08)
