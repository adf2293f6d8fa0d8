"""Exposure of each Western Balkan economy to external powers (method: docs/methods.md).

For an economy E and each external power P: the influence paths from P to E of at most ``max_hops``
hops (channel relations, then any influence relation, as in :mod:`wbgraph.analysis.paths`) are listed
shortest first, firmer first among equals, then by node IRIs. Paths are taken greedily in that order
when they share no intermediate node with a path already taken: their number is the count of
*independent paths*. A path's weight is the product of its hops' weights (stated 1.0, alleged 0.6,
implied 0.4, the firmest claim on each hop). E's *score* is the sum of the weights of all independent
paths from all powers. Paths to the region as a whole (the Western Balkans) are counted apart.
"""

from __future__ import annotations


import networkx as nx

from .paths import InfluencePath, enumerate_paths

__all__ = ["REGION", "exposure_table", "independent_paths"]

REGION = "https://w3id.org/wbgraph/id/western-balkans"
_ALL_PATHS = 1000


def independent_paths(paths: list[InfluencePath]) -> list[InfluencePath]:
    """Greedy choice of paths that share no intermediate node, in the order given.

    >>> a = InfluencePath(["p", "x", "e"], [])
    >>> b = InfluencePath(["p", "x", "y", "e"], [])
    >>> c = InfluencePath(["p", "z", "e"], [])
    >>> [p.nodes for p in independent_paths([a, b, c])]
    [['p', 'x', 'e'], ['p', 'z', 'e']]
    """
    used: set[str] = set()
    chosen = []
    direct_taken = False
    for path in paths:
        inner = set(path.nodes[1:-1])
        if not inner:
            if direct_taken:
                continue
            direct_taken = True
        elif inner & used:
            continue
        used |= inner
        chosen.append(path)
    return chosen


def _paths(graph: nx.MultiDiGraph, power: str, target: str, max_hops: int) -> list[InfluencePath]:
    return enumerate_paths(graph, power, target, max_hops=max_hops, limit=_ALL_PATHS)


def exposure_table(graph: nx.MultiDiGraph, *, max_hops: int = 3, region: str = REGION) -> list[dict]:
    """One row per Western Balkan economy, most exposed first.

    Each row: ``economy``, ``label``, ``powers`` (external powers reaching the economy itself),
    ``independent_paths``, ``score``, ``mechanisms``, ``powers_via_region`` (powers that reach the
    region as a whole) and ``paths_by_power``.
    """
    labels = {n: d.get("label", n) for n, d in graph.nodes(data=True)}
    powers = sorted(n for n, d in graph.nodes(data=True) if "ExternalPower" in d.get("classes", ()))
    economies = sorted(n for n, d in graph.nodes(data=True) if "WesternBalkanEconomy" in d.get("classes", ()))
    region_powers = sorted(labels[p] for p in powers if _paths(graph, p, region, max_hops))
    rows = []
    for economy in economies:
        reached, mechanisms, count, score, by_power = [], set(), 0, 0.0, {}
        for power in powers:
            if power == economy:
                continue
            chosen = independent_paths(_paths(graph, power, economy, max_hops))
            if not chosen:
                continue
            reached.append(labels[power])
            count += len(chosen)
            score += sum(p.weight for p in chosen)
            by_power[labels[power]] = len(chosen)
            for path in chosen:
                for hop in path.hops:
                    for edge in hop.edges:
                        mechanisms.update(edge.get("mechanisms", []))
        rows.append({
            "economy": economy,
            "label": labels[economy],
            "powers": len(reached),
            "power_names": sorted(reached),
            "independent_paths": count,
            "score": round(score, 4),
            "mechanisms": sorted(mechanisms),
            "powers_via_region": len(region_powers),
            "region_power_names": region_powers,
            "paths_by_power": dict(sorted(by_power.items())),
        })
    return sorted(rows, key=lambda r: (-r["score"], -r["powers"], r["label"]))


