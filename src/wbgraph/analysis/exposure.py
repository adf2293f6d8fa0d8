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

import itertools

import networkx as nx

from .paths import CHANNEL, INFLUENCE, Hop, InfluencePath, _hop_edges

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


def _adjacency(graph: nx.MultiDiGraph, targets: set[str]) -> tuple[dict, dict]:
    """Per node, the weight of its channel hops (any successor) and of its last hops (into a target):
    the firmest relation of the allowed kinds, as :attr:`Hop.weight` takes it."""
    channel: dict[str, dict[str, float]] = {}
    last: dict[str, dict[str, float]] = {}
    for u, v, key, weight in graph.edges(keys=True, data="weight"):
        if u == v:
            continue
        if key in CHANNEL:
            row = channel.setdefault(u, {})
            row[v] = max(row.get(v, weight), weight)
        if key in INFLUENCE and v in targets:
            row = last.setdefault(u, {})
            row[v] = max(row.get(v, weight), weight)
    return channel, last


def _distance_to_targets(channel: dict, last: dict, max_hops: int) -> dict[str, int]:
    """Fewest hops from each node to some target (paths need not be simple: a lower bound, for pruning)."""
    incoming: dict[str, list[str]] = {}
    for u, row in channel.items():
        for v in row:
            incoming.setdefault(v, []).append(u)
    distance = {u: 1 for u in last}
    frontier = list(last)
    for depth in range(2, max_hops + 1):
        following = []
        for v in frontier:
            for u in incoming.get(v, ()):
                if u not in distance:
                    distance[u] = depth
                    following.append(u)
        frontier = following
    return distance


def _paths_from(power: str, channel: dict, last: dict, distance: dict, max_hops: int,
                targets: set[str]) -> dict[str, list[tuple]]:
    """Every influence path of at most ``max_hops`` hops from ``power`` to each target, as
    ``(hops, -weight, nodes)``, in one breadth-first walk; the best :data:`_ALL_PATHS` per target."""
    found: dict[str, list[tuple]] = {}
    full: set[str] = set()
    prefixes = [((power,), 1.0)]
    for hops in range(1, max_hops + 1):
        for nodes, weight in prefixes:
            for target, w in last.get(nodes[-1], {}).items():
                if target in full or target in nodes:
                    continue
                found.setdefault(target, []).append((hops, -(weight * w), nodes + (target,)))
        full |= {t for t, paths in found.items() if len(paths) >= _ALL_PATHS}
        if hops == max_hops or len(full) == len(targets):
            break
        following = []
        for nodes, weight in prefixes:
            for v, w in channel.get(nodes[-1], {}).items():
                if v not in nodes and distance.get(v, max_hops + 1) <= max_hops - hops:
                    following.append((nodes + (v,), weight * w))
        prefixes = following
    for paths in found.values():
        paths.sort()
        del paths[_ALL_PATHS:]
    return found


def _as_path(graph: nx.MultiDiGraph, nodes: tuple) -> InfluencePath:
    hops = [Hop(u, v, _hop_edges(graph, u, v, INFLUENCE if i == len(nodes) - 2 else CHANNEL))
            for i, (u, v) in enumerate(itertools.pairwise(nodes))]
    return InfluencePath(list(nodes), hops)


def exposure_table(graph: nx.MultiDiGraph, *, max_hops: int = 3, region: str = REGION) -> list[dict]:
    """One row per Western Balkan economy, most exposed first.

    Each row: ``economy``, ``label``, ``powers`` (external powers reaching the economy itself),
    ``independent_paths``, ``score``, ``mechanisms``, ``powers_via_region`` (powers that reach the
    region as a whole) and ``paths_by_power``. One bounded walk per power finds its paths to every
    economy at once, so the cost grows with the paths, not with powers times economies times the graph.

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("p", classes=["ExternalPower"], label="P")
    >>> g.add_node("e", classes=["WesternBalkanEconomy"], label="E")
    >>> _ = g.add_edge("p", "x", key="actsThroughProxy", weight=1.0)
    >>> _ = g.add_edge("x", "e", key="undermines", weight=0.6)
    >>> [(r["label"], r["powers"], r["independent_paths"], r["score"]) for r in exposure_table(g)]
    [('E', 1, 1, 0.6)]
    """
    labels = {n: d.get("label", n) for n, d in graph.nodes(data=True)}
    powers = sorted(n for n, d in graph.nodes(data=True) if "ExternalPower" in d.get("classes", ()))
    economies = sorted(n for n, d in graph.nodes(data=True) if "WesternBalkanEconomy" in d.get("classes", ()))
    targets = set(economies) | ({region} if region in graph else set())
    channel, last = _adjacency(graph, targets)
    distance = _distance_to_targets(channel, last, max_hops)
    by_power = {p: _paths_from(p, channel, last, distance, max_hops, targets) for p in powers}
    region_powers = sorted(labels[p] for p in powers if p != region and by_power[p].get(region))
    rows = []
    for economy in economies:
        reached, mechanisms, count, score, per_power = [], set(), 0, 0.0, {}
        for power in powers:
            if power == economy or not by_power[power].get(economy):
                continue
            chosen = independent_paths([_as_path(graph, nodes) for _, _, nodes in by_power[power][economy]])
            reached.append(labels[power])
            count += len(chosen)
            score += sum(p.weight for p in chosen)
            per_power[labels[power]] = len(chosen)
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
            "paths_by_power": dict(sorted(per_power.items())),
        })
    return sorted(rows, key=lambda r: (-r["score"], -r["powers"], r["label"]))
