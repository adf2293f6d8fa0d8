"""Paths between anything the graph names, and, when there is none, the reason in plain words:
no relation at all, a filter (confidence, dates, ``--via``) that removed the ones that exist, or a path
longer than ``--max-hops``."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

import networkx as nx

from ..errors import WbgraphError
from ..lookup import english_labels, entity_kinds
from ..namespaces import shorten
from ..network import NetworkOptions, project_network
from .paths import MAX_HOPS, InfluencePath, influence_paths

__all__ = ["PathAnswer", "find_paths", "why_missing"]

_NOT_IN_PATHS = {"source", "indicator", "recommendation", "claim"}


@dataclass
class PathAnswer:
    """The paths found (shortest first) and, when there are none, why."""

    paths: list[InfluencePath]
    reason: str | None
    labels: dict[str, str] = field(default_factory=dict)


def _filters(options: NetworkOptions) -> list[tuple[str, NetworkOptions]]:
    """Each filter the user set, with the options that leave only that one out. Every field of
    :class:`NetworkOptions` that removes claims has its entry here, so that a reason never blames the
    wrong one (a test sets each in turn)."""
    out = []
    if options.min_confidence != "implied":
        out.append((f"--min-confidence {options.min_confidence}", replace(options, min_confidence="implied")))
    if options.as_of or options.between:
        flag = f"--as-of {options.as_of}" if options.as_of else f"--between {' '.join(options.between)}"
        out.append((flag, replace(options, as_of=None, between=None)))
    if options.known_by:
        out.append((f"--known-by {options.known_by}", replace(options, known_by=None)))
    if options.min_reliability != "F":
        out.append((f"--min-reliability {options.min_reliability}", replace(options, min_reliability="F")))
    if options.min_credibility != 6:
        out.append((f"--min-credibility {options.min_credibility}", replace(options, min_credibility=6)))
    if options.predicates is not None:
        out.append(("the chosen relations", replace(options, predicates=None)))
    return out


def _paths(store, options: NetworkOptions, source: str, target: str, max_hops: int, via) -> list[InfluencePath]:
    graph = project_network(store, options)
    if source not in graph or target not in graph:
        return []
    return influence_paths(graph, source, target, max_hops=max_hops, k=1, via=via)


def why_missing(store, node: str, options: NetworkOptions, label: str) -> str:
    """Why ``node`` is not in the network projected with ``options``, in plain words.

    >>> from wbgraph.store import load_graph
    >>> why_missing(load_graph(), "https://w3id.org/wbgraph/id/club-de-berne", NetworkOptions(), "Club de Berne")
    'Club de Berne (actor) has no relation in the graph at all: no claim names it with another actor or concept'
    """
    kind = entity_kinds(store).get(node, "thing")
    if kind in _NOT_IN_PATHS:
        return (f"{label} is a {kind}: paths run between actors, threats, agreements and events "
                f"(try `wbgraph brief \"{label}\"`)")
    if node not in project_network(store, NetworkOptions(concepts=True)):
        return f"{label} ({kind}) has no relation in the graph at all: no claim names it with another actor or concept"
    removed = [flag for flag, looser in _filters(options) if node in project_network(store, looser)]
    if removed:
        return f"{label} has relations, but {' and '.join(removed)} removed all of them; leave that out to see them"
    flags = " and ".join(flag for flag, _ in _filters(options))
    return f"{label} has relations, but {flags} together removed all of them; loosen them to see them"


def _why_no_path(store, options: NetworkOptions, source: str, target: str, max_hops: int, via,
                 labels: dict[str, str]) -> str:
    a, b = labels[source], labels[target]
    every = NetworkOptions(concepts=True)
    filters = _filters(options)
    for flag, looser in filters:
        if _paths(store, looser, source, target, max_hops, via):
            return f"paths from {a} to {b} exist, but {flag} removed them; leave it out to see them"
    if via is not None and _paths(store, every, source, target, max_hops, None):
        return f"paths from {a} to {b} exist, but not along --via {','.join(via)}; leave --via out to see them"
    if filters and _paths(store, every, source, target, max_hops, via):
        # the filters together (each alone is not enough) removed every path
        flags = " and ".join(flag for flag, _ in filters)
        return f"paths from {a} to {b} exist, but {flags} together removed them; loosen them to see them"
    longer = _paths(store, every, source, target, MAX_HOPS, None)
    if longer and len(longer[0].hops) > max_hops:
        hops = len(longer[0].hops)
        return f"the shortest path from {a} to {b} has {hops} hops; raise --max-hops to {hops}"
    graph = project_network(store, every)
    influence = {"exertsInfluenceOn", "actsThroughProxy", "supports", "targets", "undermines"}
    into = sorted({graph.nodes[u]["label"] for u, _, key in graph.in_edges(target, keys=True)
                   if key in influence or graph.nodes[target].get("group") != "actor"})
    shown = ", ".join(into[:6]) + (" ..." if len(into) > 6 else "")
    pointing = f"only {shown} reach {b}" if into else f"no relation in the graph points to {b}"
    return (f"nothing links {a} to {b} within {MAX_HOPS} hops along influence relations: {pointing} "
            f"(`wbgraph brief \"{b}\"` shows what the sources say about it)")


def find_paths(store, source: str, target: str, *, options: NetworkOptions | None = None, max_hops: int = 3,
               k: int = 5, via: Iterable[str] | None = None, graph: nx.MultiDiGraph | None = None) -> PathAnswer:
    """Influence paths from ``source`` to ``target`` (actors, threats, agreements or events), or the
    reason there are none.

    >>> from wbgraph.store import load_graph
    >>> store = load_graph()
    >>> answer = find_paths(store, "https://w3id.org/wbgraph/id/republika-srpska",
    ...                     "https://w3id.org/wbgraph/id/agreement-dayton-peace-agreement")
    >>> [answer.labels[n] for n in answer.paths[0].nodes]
    ['Republika Srpska', 'Dayton Peace Agreement']
    >>> find_paths(store, "https://w3id.org/wbgraph/id/russia", "https://w3id.org/wbgraph/id/bosnia-and-herzegovina",
    ...            options=NetworkOptions(min_confidence="stated"), max_hops=1).reason
    'paths from Russia to Bosnia and Herzegovina exist, but --min-confidence stated removed them; leave it out to see them'

    ``graph`` is the network projected with ``options`` (concepts included), when the caller keeps one.
    """
    options = replace(options or NetworkOptions(), concepts=True)
    via = tuple(via) if via else None
    if source == target:
        kind = entity_kinds(store).get(source, "thing")
        raise WbgraphError(f"FROM and TO are the same {kind}", node=shorten(source), hint="name two different things")
    if graph is None:
        graph = project_network(store, options)
    labels = english_labels(store, [source, target])
    labels.update({n: d["label"] for n, d in graph.nodes(data=True)})
    labels.setdefault(source, shorten(source))
    labels.setdefault(target, shorten(target))
    for node in (source, target):
        if node not in graph:
            return PathAnswer([], why_missing(store, node, options, labels[node]), labels)
    found = influence_paths(graph, source, target, max_hops=max_hops, k=k, via=via)
    if found:
        return PathAnswer(found, None, labels)
    return PathAnswer([], _why_no_path(store, options, source, target, max_hops, via, labels), labels)
