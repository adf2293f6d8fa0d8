"""Communities: Louvain on the undirected, confidence-weighted network, seeded for repeatable output."""

from __future__ import annotations

import networkx as nx

from .centrality import simple_digraph

__all__ = ["detect_communities"]


def detect_communities(graph: nx.MultiDiGraph, *, seed: int = 42, resolution: float = 1.0) -> dict:
    """Louvain communities with their modularity.

    Returns ``{"membership": {node: community number}, "communities": [[nodes...], ...],
    "modularity": float}``; communities are numbered from the largest, members sorted.

    >>> g = nx.MultiDiGraph([("a", "b"), ("b", "c"), ("c", "a"), ("x", "y"), ("y", "z"), ("z", "x"), ("c", "x")])
    >>> result = detect_communities(g)
    >>> result["communities"]
    [['a', 'b', 'c'], ['x', 'y', 'z']]
    """
    undirected = simple_digraph(graph).to_undirected()
    if undirected.number_of_edges() == 0:
        groups = [[n] for n in sorted(undirected)]
        return {"membership": {n: i for i, (n,) in enumerate(groups)}, "communities": groups, "modularity": 0.0}
    found = nx.community.louvain_communities(undirected, weight="weight", resolution=resolution, seed=seed)
    groups = sorted((sorted(c) for c in found), key=lambda c: (-len(c), c))
    modularity = nx.community.modularity(undirected, [set(c) for c in groups], weight="weight",
                                         resolution=resolution)
    membership = {node: i for i, group in enumerate(groups) for node in group}
    return {"membership": membership, "communities": groups, "modularity": float(modularity)}
