"""Centrality measures: degree, betweenness, closeness, PageRank, eigenvector, k-core, brokerage.

Every function takes a networkx graph and returns plain dicts. Betweenness, closeness and PageRank may
run on rustworkx (``backend="rustworkx"``), a compiled library, for large graphs; ``"auto"`` chooses it
above :data:`ACCELERATE_ABOVE` nodes. Results equal networkx's (checked in the tests).
"""

from __future__ import annotations

import networkx as nx

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


def _use_rustworkx(graph: nx.Graph, backend: str) -> bool:
    if backend not in ("auto", "networkx", "rustworkx"):
        raise ValueError(f"unknown backend {backend!r}: use auto, networkx or rustworkx")
    return backend == "rustworkx" or (backend == "auto" and graph.number_of_nodes() > ACCELERATE_ABOVE)


def _to_rustworkx(graph: nx.DiGraph):
    import rustworkx as rx

    nodes = list(graph.nodes)
    index = {n: i for i, n in enumerate(nodes)}
    rgraph = rx.PyDiGraph(multigraph=False)
    rgraph.add_nodes_from(nodes)
    rgraph.add_edges_from([(index[u], index[v], d.get("weight", 1.0)) for u, v, d in graph.edges(data=True)])
    return rgraph, nodes


def _by_node(result, nodes: list) -> dict:
    return {nodes[i]: float(v) for i, v in result.items()}


def betweenness(graph: nx.DiGraph, *, k: int | None = None, seed: int = 42, backend: str = "auto",
                _compiled=None) -> dict:
    """Normalised betweenness over hop counts; ``k`` samples that many sources (seeded) for large graphs.

    >>> g = nx.DiGraph([("a", "b"), ("b", "c")])
    >>> betweenness(g)["b"]
    0.5
    """
    if k is None and _use_rustworkx(graph, backend):
        import rustworkx as rx

        rgraph, nodes = _compiled or _to_rustworkx(graph)
        return _by_node(rx.digraph_betweenness_centrality(rgraph, normalized=True), nodes)
    return nx.betweenness_centrality(graph, k=k, seed=seed, normalized=True)


def closeness(graph: nx.DiGraph, *, backend: str = "auto", _compiled=None) -> dict:
    """Closeness over hop counts towards each node, scaled by the share of nodes that reach it
    (Wasserman and Faust), as networkx's ``closeness_centrality``.

    >>> g = nx.DiGraph([("a", "b"), ("c", "b")])
    >>> closeness(g)["b"]
    1.0
    """
    if _use_rustworkx(graph, backend):
        import rustworkx as rx

        rgraph, nodes = _compiled or _to_rustworkx(graph)
        return _by_node(rx.closeness_centrality(rgraph, wf_improved=True), nodes)
    return nx.closeness_centrality(graph)


def pagerank(graph: nx.DiGraph, *, weight: str | None = "weight", backend: str = "auto", _compiled=None) -> dict:
    """PageRank (damping 0.85), weighted by confidence unless ``weight=None``.

    >>> g = nx.DiGraph([("a", "b"), ("c", "b")])
    >>> max(pagerank(g).items(), key=lambda kv: kv[1])[0]
    'b'
    """
    if _use_rustworkx(graph, backend):
        import rustworkx as rx

        rgraph, nodes = _compiled or _to_rustworkx(graph)
        result = rx.pagerank(rgraph, alpha=0.85, weight_fn=(lambda w: w) if weight else (lambda w: 1.0),
                             tol=1e-06, max_iter=100)
        return _by_node(result, nodes)
    return nx.pagerank(graph, alpha=0.85, weight=weight)


def broker_scores(graph: nx.DiGraph, sources: list[str], targets: list[str]) -> dict:
    """How often a node lies on shortest paths from ``sources`` (external powers) to ``targets``
    (Western Balkan economies): betweenness restricted to those pairs, not normalised.

    >>> g = nx.DiGraph([("power", "proxy"), ("proxy", "country")])
    >>> broker_scores(g, ["power"], ["country"])["proxy"]
    1.0
    """
    sources = [s for s in sources if s in graph]
    targets = [t for t in targets if t in graph]
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
    undirected = simple.to_undirected()
    undirected.remove_edges_from(nx.selfloop_edges(undirected))
    weight = "weight" if weighted else None
    compiled = _to_rustworkx(simple) if _use_rustworkx(simple, backend) else None  # converted once, used thrice
    measures: dict[str, dict] = {
        "in_degree": dict(graph.in_degree()),
        "out_degree": dict(graph.out_degree()),
        "betweenness": betweenness(simple, k=betweenness_k, seed=seed, backend=backend, _compiled=compiled),
        "closeness": closeness(simple, backend=backend, _compiled=compiled),
        "pagerank": pagerank(simple, weight=weight, backend=backend, _compiled=compiled),
        "eigenvector": _eigenvector(undirected, weight),
        "k_core": nx.core_number(undirected),
    }
    powers = [n for n, d in graph.nodes(data=True) if "ExternalPower" in d.get("classes", ())]
    economies = [n for n, d in graph.nodes(data=True) if "WesternBalkanEconomy" in d.get("classes", ())]
    measures["brokerage"] = broker_scores(simple, powers, economies)
    return {node: {name: float(values.get(node, 0.0)) for name, values in measures.items()} for node in graph}


def _eigenvector(undirected: nx.Graph, weight: str | None) -> dict:
    """Eigenvector centrality of the undirected graph (directed eigenvector is zero for sources)."""
    if undirected.number_of_edges() == 0:
        return {n: 0.0 for n in undirected}
    try:
        return nx.eigenvector_centrality_numpy(undirected, weight=weight)
    except (nx.NetworkXException, ImportError):
        return nx.eigenvector_centrality(undirected, weight=weight, max_iter=1000, tol=1e-08)
