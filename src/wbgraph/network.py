"""Projecting the RDF graph onto a networkx MultiDiGraph of actors, one edge per relation.

Nodes are IRIs (strings) with ``label``, ``kind`` (most specific class), ``classes``, ``description``
and ``alt_labels``. Between two nodes there is one edge per predicate (the edge key is the predicate's
local name) carrying ``predicate``, ``label``, ``mechanisms``, ``sectors``, ``confidence`` (the firmest
claim), ``weight`` (that confidence's weight), ``disarm`` (DISARM technique ids of its mechanisms and
threats, from ``ontology/disarm.ttl``), ``valid_from``/``valid_until``, ``first_reported`` (the earliest
``wb:reportedOn`` of its claims) and ``claims``: every claim behind the edge with its source, line range,
confidence, report date and grade (the source's ``reliability`` A-F and the claim's ``credibility`` 1-6,
see :mod:`wbgraph.grading`). Negated claims give no edge.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx

from .disarm import concept_techniques
from .errors import WbgraphError
from .grading import CONFIDENCE_CREDIBILITY, check_grading, claim_credibility, passes_grading, source_reliability
from .lookup import english_labels
from .namespaces import WB_IRI, shorten
from .period import check_period, in_window, known_by
from .store import GraphStore

__all__ = [
    "actors_of_kind",
    "CONFIDENCE_RANK",
    "CONFIDENCE_WEIGHT",
    "NetworkOptions",
    "channel_predicates",
    "ensure_nodes",
    "influence_predicates",
    "project_network",
    "relation_predicates",
]

CONFIDENCE_RANK = {"stated": 3, "alleged": 2, "implied": 1}
CONFIDENCE_WEIGHT = {"stated": 1.0, "alleged": 0.6, "implied": 0.4}

_CLAIMS = """
SELECT ?claim ?s ?p ?o ?conf ?source ?source_label ?start ?end ?locator ?from ?until ?comment ?mandate ?reported
       (GROUP_CONCAT(DISTINCT ?mech; separator="\\u001f") AS ?mechs)
       (GROUP_CONCAT(DISTINCT ?sector; separator="\\u001f") AS ?sectors)
       (GROUP_CONCAT(DISTINCT ?further; separator="\\u001f") AS ?furthers)
       (GROUP_CONCAT(DISTINCT ?threat; separator="\\u001f") AS ?threats)
WHERE {
  ?claim a wb:Claim ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; wb:confidence ?conf .
  FILTER(isIRI(?o))
  FILTER NOT EXISTS { ?claim wb:negated true }
  OPTIONAL { ?claim prov:wasDerivedFrom ?source .
             OPTIONAL { ?source rdfs:label ?source_label FILTER(LANGMATCHES(LANG(?source_label), "en")) } }
  OPTIONAL { ?claim wb:lineStart ?start ; wb:lineEnd ?end }
  OPTIONAL { ?claim wb:locator ?locator }
  OPTIONAL { ?claim wb:validFrom ?from }
  OPTIONAL { ?claim wb:validUntil ?until }
  OPTIONAL { ?claim rdfs:comment ?comment }
  OPTIONAL { ?claim wb:mandate ?mandate }
  OPTIONAL { ?claim wb:reportedOn ?reported }
  OPTIONAL { ?claim wb:mechanism ?m0 }
  OPTIONAL { ?claim wb:sector ?s0 }
  OPTIONAL { ?claim wb:furtherSource ?f0 }
  OPTIONAL { ?claim wb:threat ?t0 }
  # unbound values become "" so that every engine can concatenate them
  BIND(COALESCE(STR(?m0), "") AS ?mech)
  BIND(COALESCE(STR(?s0), "") AS ?sector)
  BIND(COALESCE(STR(?f0), "") AS ?further)
  BIND(COALESCE(STR(?t0), "") AS ?threat)
}
GROUP BY ?claim ?s ?p ?o ?conf ?source ?source_label ?start ?end ?locator ?from ?until ?comment ?mandate ?reported
ORDER BY ?claim
"""

_NODES = """
SELECT ?x ?class ?label ?comment (GROUP_CONCAT(DISTINCT ?alt; separator="\\u001f") AS ?alts) WHERE {
  ?x a ?class .
  ?class rdfs:subClassOf* ?top .
  VALUES ?top { wb:Actor skos:Concept wb:Event wb:Policy wb:Agreement }
  FILTER(STRSTARTS(STR(?class), STR(wb:)))
  OPTIONAL { ?x rdfs:label ?label FILTER(LANGMATCHES(LANG(?label), "en")) }
  OPTIONAL { ?x rdfs:comment ?comment FILTER(LANGMATCHES(LANG(?comment), "en")) }
  OPTIONAL { ?x skos:altLabel ?a0 }
  BIND(COALESCE(STR(?a0), "") AS ?alt)
}
GROUP BY ?x ?class ?label ?comment
"""

# One plain step before the transitive one: some servers (Virtuoso) refuse a path with no fixed end.
_SUBCLASSES = ("SELECT DISTINCT ?sub ?sup WHERE { ?sub rdfs:subClassOf ?mid . ?mid rdfs:subClassOf* ?sup . "
               "FILTER(STRSTARTS(STR(?sup), STR(wb:))) }")
_SUBPROPS = "SELECT DISTINCT ?p ?top WHERE { ?p rdfs:subPropertyOf ?mid . ?mid rdfs:subPropertyOf* ?top }"


@dataclass(frozen=True)
class NetworkOptions:
    """What to project: which predicates, how firm, when valid, known by when (claims reported on or before
    ``known_by``), and whether concepts become nodes."""

    predicates: tuple[str, ...] | None = None
    min_confidence: str = "implied"
    as_of: str | None = None
    between: tuple[str, str] | None = None
    concepts: bool = False
    known_by: str | None = None
    min_reliability: str = "F"
    min_credibility: int = 6
    lang: str = "en"


def _local(iri: str) -> str:
    return iri[len(WB_IRI):] if iri.startswith(WB_IRI) else shorten(iri)


def _subproperties(store: GraphStore, top: str) -> set[str]:
    key = f"subproperties:{top}"
    if key not in store.cache:
        rows = store.query(_SUBPROPS).rows
        store.cache[key] = {_local(str(p)) for p, t in rows if str(t) == WB_IRI + top}
    return set(store.cache[key])


def relation_predicates(store: GraphStore) -> set[str]:
    """Local names of every relation a claim may assert."""
    return {p for p in _subproperties(store, "relation") if p not in ("influenceRelation", "channelRelation")}


def influence_predicates(store: GraphStore) -> set[str]:
    """Relations along which influence flows (the last hop of a path may be any of them)."""
    return {p for p in _subproperties(store, "influenceRelation") if p != "channelRelation"}


def channel_predicates(store: GraphStore) -> set[str]:
    """Relations through which influence can be passed on (every hop of a path but the last)."""
    return _subproperties(store, "channelRelation")


def _check_options(store: GraphStore, options: NetworkOptions) -> set[str] | None:
    if options.min_confidence not in CONFIDENCE_RANK:
        raise WbgraphError(f"unknown confidence level '{options.min_confidence}'",
                           hint="use stated, alleged or implied")
    check_grading(options.min_reliability, options.min_credibility)
    if options.lang != "en":
        from .languages import check_language

        check_language(options.lang)
    if options.predicates is None:
        return None
    known = relation_predicates(store) | {"isProxyOf"}
    wanted = {p.removeprefix("wb:") for p in options.predicates}
    unknown = sorted(wanted - known)
    if unknown:
        import difflib

        close = sorted({m for u in unknown for m in difflib.get_close_matches(u, known, n=2)})
        hint = f"did you mean {', '.join(close)}?" if close else f"known: {', '.join(sorted(known))}"
        raise WbgraphError(f"unknown predicate(s): {', '.join(unknown)}", hint=hint)
    return wanted


def project_network(store: GraphStore, options: NetworkOptions | None = None, **kwargs) -> nx.MultiDiGraph:
    """The actor network: one edge per (subject, predicate, object) with every claim behind it.

    Keyword arguments are the fields of :class:`NetworkOptions`.

    >>> from wbgraph.store import load_graph
    >>> g = project_network(load_graph(), min_confidence="stated")
    >>> g.nodes["https://w3id.org/wbgraph/id/serbia"]["label"]
    'Serbia'
    """
    options = options or NetworkOptions(**kwargs)
    wanted = _check_options(store, options)
    window = check_period(options.as_of, options.between)
    known = check_period(options.known_by)[1] if options.known_by else None

    subclasses: dict[str, set[str]] = defaultdict(set)
    # plain strings, not rdflib terms: this reads every claim, so conversion would dominate at scale
    for sub, sup in store.query_text(_SUBCLASSES):
        subclasses[sub].add(_local(sup))
    nodes: dict[str, dict] = {}
    for x, cls, label, comment, alts in store.query_text(_NODES):
        info = nodes.setdefault(x, {"label": label or shorten(x), "classes": set(),
                                    "description": comment or "",
                                    "alt_labels": sorted(set(alts.split("\u001f")) - {""}) if alts else []})
        info["classes"].add(_local(cls))
    if options.lang != "en":
        from .languages import localised_labels

        localised = localised_labels(store, options.lang)
        for x, info in nodes.items():
            info["label"] = localised.get(x, info["label"])
    for info in nodes.values():
        classes = info["classes"]
        ancestors = set().union(*(subclasses.get(WB_IRI + c, set()) for c in classes))
        specific = sorted(c for c in classes if c not in ancestors)
        info["kind"] = specific[0] if specific else sorted(classes)[0]
        info["group"] = ("concept" if {"ThreatVector", "Mechanism", "Sector", "Vulnerability"} & (classes | ancestors)
                         else "actor" if "Actor" in classes | ancestors else "other")
        info["classes"] = sorted(classes | ancestors)

    labels = english_labels(store)
    techniques = concept_techniques(store)
    reliability, credibility = source_reliability(store), claim_credibility(store)
    min_rank = CONFIDENCE_RANK[options.min_confidence]
    edges: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
    for row in store.query_text(_CLAIMS):
        (claim, s, p, o, conf, source, source_label, start, end, locator, vfrom, vuntil, comment, mandate,
         reported, mechs, sectors, furthers, threats) = row
        predicate = _local(p)
        level = _local(conf)
        if CONFIDENCE_RANK.get(level, 0) < min_rank:
            continue
        if wanted is not None and predicate not in wanted:
            continue
        if window and not in_window(vfrom, vuntil, *window):
            continue
        if known and not known_by(reported, known):
            continue
        graded = (reliability.get(source or "", "F"), credibility.get(claim, CONFIDENCE_CREDIBILITY.get(level, 6)))
        if not passes_grading(*graded, options.min_reliability, options.min_credibility):
            continue
        if s not in nodes or o not in nodes:
            continue
        threat_labels = _split(threats, labels)
        if "ThreatVector" in nodes[o]["classes"]:
            threat_labels.append(nodes[o]["label"])
        nodes[s].setdefault("threats", set()).update(threat_labels)
        if not options.concepts and (nodes[s]["group"] != "actor" or nodes[o]["group"] != "actor"):
            continue
        lines = f"{start}-{end}" if start is not None else (locator or "")
        edges[(s, o, predicate)].append({
            "claim": claim,
            "source": source or "",
            "source_label": source_label or "",
            "lines": lines,
            "confidence": level,
            "reliability": graded[0],
            "credibility": graded[1],
            "valid_from": vfrom or "",
            "valid_until": vuntil or "",
            "reported_on": reported or "",
            "comment": comment or "",
            "mandate": mandate or "",
            "mechanisms": _split(mechs, labels),
            "sectors": _split(sectors, labels),
            "further_sources": _split(furthers, labels),
            "threats": sorted(set(threat_labels)),
            "disarm": sorted({t for c in (*(mechs or "").split("\u001f"), *(threats or "").split("\u001f"), o)
                              for t in techniques.get(c, ())}),
        })

    graph = nx.MultiDiGraph()
    used = sorted({n for (s, o, _) in edges for n in (s, o)})
    for node in used:
        graph.add_node(node, **{**nodes[node], "threats": sorted(nodes[node].get("threats", ()))})
    predicate_labels = {_local(k): v for k, v in labels.items() if k.startswith(WB_IRI)}
    for (s, o, predicate), claims in sorted(edges.items()):
        best = max(claims, key=lambda c: CONFIDENCE_RANK[c["confidence"]])["confidence"]
        froms = sorted(c["valid_from"] for c in claims if c["valid_from"])
        untils = sorted(c["valid_until"] for c in claims if c["valid_until"])
        reported = sorted(c["reported_on"] for c in claims if c["reported_on"])
        graph.add_edge(
            s, o, key=predicate,
            predicate=predicate,
            label=predicate_labels.get(predicate, predicate),
            mechanisms=sorted({m for c in claims for m in c["mechanisms"]}),
            sectors=sorted({m for c in claims for m in c["sectors"]}),
            threats=sorted({t for c in claims for t in c["threats"]}),
            disarm=sorted({t for c in claims for t in c["disarm"]}),
            confidence=best,
            weight=CONFIDENCE_WEIGHT[best],
            valid_from=froms[0] if froms else "",
            valid_until=untils[-1] if untils and len(untils) == len(claims) else "",
            first_reported=reported[0] if reported else "",
            claims=claims,
        )
    return graph


def _split(joined: str | None, labels: dict[str, str]) -> list[str]:
    if not joined:
        return []
    return sorted(labels.get(x, shorten(x)) for x in joined.split("\u001f") if x)


def actors_of_kind(graph: nx.MultiDiGraph, kind: str) -> list[str]:
    """Nodes whose classes include ``kind`` (a local class name such as ``ExternalPower``)."""
    return sorted(n for n, data in graph.nodes(data=True) if kind in data.get("classes", ()))


def ensure_nodes(nodes: Iterable[str], graph: nx.MultiDiGraph) -> None:
    """Fail clearly when a node is not in the projected network."""
    missing = [n for n in nodes if n not in graph]
    if missing:
        raise WbgraphError(f"not in the network: {', '.join(shorten(m) for m in missing)}",
                           hint="it has no relation that passes the filters")
