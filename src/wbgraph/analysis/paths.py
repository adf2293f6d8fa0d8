"""Influence paths and reach, with the claims and sources of every hop.

A path runs along *channel* relations (exerts influence on, acts through proxy, supports), through which
influence can be passed on, and may end with any *influence* relation (also targets, undermines):
acting against an actor ends a path. These sets mirror ``wb:channelRelation`` and
``wb:influenceRelation`` in the ontology (a test keeps them in step).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field

import networkx as nx

from ..errors import WbgraphError
from ..namespaces import shorten

__all__ = ["CHANNEL", "INFLUENCE", "Hop", "InfluencePath", "enumerate_paths", "influence_paths", "reach"]

CHANNEL = frozenset({"exertsInfluenceOn", "actsThroughProxy", "supports"})
INFLUENCE = CHANNEL | {"targets", "undermines"}
MAX_HOPS = 6
MAX_K = 100


@dataclass
class Hop:
    """One step of a path: the relations from ``source`` to ``target`` and the claims behind each."""

    source: str
    target: str
    edges: list[dict] = field(default_factory=list)

    @property
    def weight(self) -> float:
        """The firmest claim's weight among the relations of this hop."""
        return max(e["weight"] for e in self.edges)


@dataclass
class InfluencePath:
    """A path of hops from one actor to another."""

    nodes: list[str]
    hops: list[Hop]

    @property
    def weight(self) -> float:
        """Product of the hop weights: 1.0 when every hop rests on a stated claim."""
        out = 1.0
        for hop in self.hops:
            out *= hop.weight
        return out

    def to_dict(self, labels: dict[str, str] | None = None) -> dict:
        """A JSON-ready form with labels, predicates, mechanisms and sources of every hop."""
        labels = labels or {}
        return {
            "nodes": [{"iri": n, "label": labels.get(n, shorten(n))} for n in self.nodes],
            "weight": round(self.weight, 4),
            "hops": [
                {
                    "from": labels.get(h.source, shorten(h.source)),
                    "to": labels.get(h.target, shorten(h.target)),
                    "relations": [
                        {
                            "predicate": e["predicate"],
                            "mechanisms": e.get("mechanisms", []),
                            "confidence": e["confidence"],
                            "sources": [
                                {"claim": shorten(c["claim"]), "source": shorten(c["source"]),
                                 "source_label": c["source_label"], "lines": c["lines"],
                                 "confidence": c["confidence"]}
                                for c in e.get("claims", [])
                            ],
                        }
                        for e in h.edges
                    ],
                }
                for h in self.hops
            ],
        }


def _check(graph: nx.MultiDiGraph, nodes: Iterable[str], max_hops: int, k: int | None = None) -> None:
    for node in nodes:
        if node not in graph:
            raise WbgraphError(f"{shorten(node)} has no relation in the network that passes the filters",
                               node=shorten(node), hint="loosen --min-confidence, --via or the date filter")
    if not 1 <= max_hops <= MAX_HOPS:
        raise WbgraphError(f"--max-hops must be between 1 and {MAX_HOPS}, got {max_hops}")
    if k is not None and not 1 <= k <= MAX_K:
        raise WbgraphError(f"--k must be between 1 and {MAX_K}, got {k}")


def _allowed(via: Iterable[str] | None) -> tuple[frozenset, frozenset]:
    if via is None:
        return CHANNEL, INFLUENCE
    via = frozenset(v.removeprefix("wb:") for v in via)
    unknown = sorted(via - INFLUENCE)
    if unknown:
        raise WbgraphError(f"{', '.join(unknown)} is not an influence relation",
                           hint=f"use some of {', '.join(sorted(INFLUENCE))}")
    return CHANNEL & via, INFLUENCE & via


def _hop_edges(graph: nx.MultiDiGraph, u: str, v: str, allowed: frozenset) -> list[dict]:
    return [dict(data) for key, data in sorted(graph[u][v].items()) if key in allowed]


def influence_paths(
    graph: nx.MultiDiGraph,
    source: str,
    target: str,
    *,
    max_hops: int = 3,
    k: int = 5,
    via: Iterable[str] | None = None,
) -> list[InfluencePath]:
    """The ``k`` shortest influence paths from ``source`` to ``target`` within ``max_hops``; among
    paths of equal length the firmer (higher weight) come first. Empty when there is none.

    >>> g = nx.MultiDiGraph()
    >>> _ = g.add_edge("power", "proxy", key="actsThroughProxy", predicate="actsThroughProxy", weight=1.0,
    ...                confidence="stated", claims=[])
    >>> _ = g.add_edge("proxy", "country", key="targets", predicate="targets", weight=0.6,
    ...                confidence="alleged", claims=[])
    >>> [p.nodes for p in influence_paths(g, "power", "country")]
    [['power', 'proxy', 'country']]
    """
    if source == target:
        raise WbgraphError("FROM and TO are the same actor", node=shorten(source), hint="name two different actors")
    _check(graph, (source, target), max_hops, k)
    channel, influence = _allowed(via)
    return enumerate_paths(graph, source, target, max_hops=max_hops, limit=k, channel=channel, influence=influence)


def enumerate_paths(
    graph: nx.MultiDiGraph,
    source: str,
    target: str,
    *,
    max_hops: int,
    limit: int,
    channel: frozenset = CHANNEL,
    influence: frozenset = INFLUENCE,
) -> list[InfluencePath]:
    """Up to ``limit`` influence paths, shortest first and firmer first among equals (no input checks)."""
    if source not in graph or target not in graph or source == target:
        return []
    walk = nx.DiGraph()
    walk.add_nodes_from(graph)
    for u, v, key in graph.edges(keys=True):
        if key in channel or (key in influence and v == target):
            walk.add_edge(u, v)
    candidates = []
    try:
        for nodes in itertools.islice(nx.shortest_simple_paths(walk, source, target), max(10 * limit, 200)):
            if len(nodes) - 1 > max_hops:
                break
            hops = []
            for i, (u, v) in enumerate(itertools.pairwise(nodes)):
                last = i == len(nodes) - 2
                hops.append(Hop(u, v, _hop_edges(graph, u, v, influence if last else channel)))
            candidates.append(InfluencePath(list(nodes), hops))
    except nx.NetworkXNoPath:
        return []
    candidates.sort(key=lambda p: (len(p.hops), -p.weight, p.nodes))
    return candidates[:limit]


def reach(graph: nx.MultiDiGraph, actor: str, *, max_hops: int = 3, via: Iterable[str] | None = None) -> list[dict]:
    """Everything ``actor`` reaches within ``max_hops``, nearest first, with the mechanisms of the
    relations that reach each node, one predecessor on a shortest path, and ``relations``: every
    relation that reaches the node at that distance, with its source, predicate and claims.

    >>> g = nx.MultiDiGraph()
    >>> _ = g.add_edge("p", "x", key="exertsInfluenceOn", mechanisms=["loans"], weight=1.0, claims=[])
    >>> _ = g.add_edge("x", "y", key="undermines", mechanisms=[], weight=1.0, claims=[])
    >>> [(r["node"], r["hops"]) for r in reach(g, "p")]
    [('x', 1), ('y', 2)]
    >>> [(e["source"], e["predicate"]) for e in reach(g, "p")[1]["relations"]]
    [('x', 'undermines')]
    """
    _check(graph, (actor,), max_hops)
    channel, influence = _allowed(via)
    found: dict[str, dict] = {}
    frontier = [actor]
    for depth in range(1, max_hops + 1):
        following = []
        for u in frontier:
            for _, v, key, data in sorted(graph.out_edges(u, keys=True, data=True)):
                if key not in influence or v == actor:
                    continue
                entry = found.get(v)
                if entry is None:
                    entry = found[v] = {"node": v, "label": graph.nodes[v].get("label", shorten(v)),
                                        "kind": graph.nodes[v].get("kind", ""), "hops": depth, "via": u,
                                        "predicates": set(), "mechanisms": set(), "relations": []}
                    if key in channel:
                        following.append(v)
                elif entry["hops"] == depth and key in channel and v not in following:
                    following.append(v)
                if entry["hops"] == depth:
                    entry["predicates"].add(key)
                    entry["mechanisms"].update(data.get("mechanisms", []))
                    entry["relations"].append({"source": u, "predicate": key, "label": data.get("label", key),
                                               "mechanisms": data.get("mechanisms", []),
                                               "claims": data.get("claims", [])})
        frontier = following
    rows = sorted(found.values(), key=lambda r: (r["hops"], r["label"]))
    for row in rows:
        row["predicates"] = sorted(row["predicates"])
        row["mechanisms"] = sorted(row["mechanisms"])
    return rows
