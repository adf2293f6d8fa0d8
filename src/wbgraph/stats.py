"""Counts that describe a loaded graph: entities per class, claims per source and per confidence."""

from __future__ import annotations

from .namespaces import shorten
from .store import GraphStore

__all__ = ["graph_stats", "stats_markdown"]

_PER_CLASS = """
SELECT ?class (COUNT(DISTINCT ?x) AS ?n) WHERE {
  ?x a ?class . FILTER(STRSTARTS(STR(?class), STR(wb:)))
} GROUP BY ?class ORDER BY DESC(?n) ?class
"""

# Groups that the curation floors speak of; an entity counts once per group, through any subclass.
_GROUPS = {
    "Western Balkan economies": "wb:WesternBalkanEconomy",
    "external powers": "wb:ExternalPower",
    "organisations, missions, agencies, initiatives and instruments": "wb:Organisation wb:Instrument",
    "non-state actor groups": "wb:NonStateActor",
    "people": "wb:Person",
    "actors (all)": "wb:Actor",
    "threat vectors": "wb:ThreatVector",
    "mechanisms": "wb:Mechanism",
    "sectors": "wb:Sector",
    "vulnerabilities": "wb:Vulnerability",
    "claims": "wb:Claim",
    "indicators": "wb:Indicator",
    "events": "wb:Event",
    "policies and agreements": "wb:Policy wb:Agreement",
    "recommendations": "wb:Recommendation",
    "SWOT statements": "wb:SwotStatement",
    "sources": "wb:Source",
}

_GROUP = """
SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {
  VALUES ?top { %s }
  ?class rdfs:subClassOf* ?top .
  ?x a ?class .
}
"""

_DATED_EVENTS = "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a wb:Event ; wb:date ?d }"
_REPORTED_CLAIMS = "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a wb:Claim ; wb:reportedOn ?d }"
_VALID_CLAIMS = "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a wb:Claim . { ?c wb:validFrom ?d } UNION { ?c wb:validUntil ?d } }"

_PER_SOURCE = """
SELECT ?source ?label (COUNT(DISTINCT ?c) AS ?n) WHERE {
  ?c a wb:Claim ; prov:wasDerivedFrom ?source .
  OPTIONAL { ?source rdfs:label ?label FILTER(LANG(?label) = "en") }
} GROUP BY ?source ?label ORDER BY ?source
"""

_PER_CONFIDENCE = """
SELECT ?level (COUNT(DISTINCT ?c) AS ?n) WHERE {
  ?c a wb:Claim ; wb:confidence ?level .
} GROUP BY ?level ORDER BY DESC(?n) ?level
"""

_DERIVED = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <urn:wbgraph:derived> { ?s ?p ?o } }"


def _count(store: GraphStore, query: str) -> int:
    return int(store.query(query).rows[0][0])


def graph_stats(store: GraphStore) -> dict:
    """Counts per group and class, claims per source and per confidence level.

    >>> from wbgraph.store import load_graph
    >>> stats = graph_stats(load_graph())
    >>> stats["groups"]["Western Balkan economies"]
    6
    """
    groups = {name: _count(store, _GROUP % classes) for name, classes in _GROUPS.items()}
    groups["dated events"] = _count(store, _DATED_EVENTS)
    groups["claims with a reported date"] = _count(store, _REPORTED_CLAIMS)
    groups["claims with validity dates"] = _count(store, _VALID_CLAIMS)
    return {
        "triples": len(store),
        "derived edges": _count(store, _DERIVED),
        "groups": groups,
        "per class": {shorten(str(c)): int(n) for c, n in store.query(_PER_CLASS).rows},
        "claims per source": [
            {"source": shorten(str(s)), "label": str(label) if label else "", "claims": int(n)}
            for s, label, n in store.query(_PER_SOURCE).rows
        ],
        "claims per confidence": {shorten(str(level)): int(n) for level, n in store.query(_PER_CONFIDENCE).rows},
    }


def stats_markdown(stats: dict) -> str:
    """The stats as Markdown tables."""
    out = [f"# Graph statistics\n\n{stats['triples']} triples in the store (ontology, data and what loading "
           f"derives), {stats['derived edges']} derived edges.\n"]
    out.append("| group | count |\n|---|---:|")
    out += [f"| {name} | {n} |" for name, n in stats["groups"].items()]
    out.append("\n## Claims per source\n\n| source | label | claims |\n|---|---|---:|")
    out += [f"| {row['source']} | {row['label']} | {row['claims']} |" for row in stats["claims per source"]]
    out.append("\n## Claims per confidence\n\n| confidence | claims |\n|---|---:|")
    out += [f"| {level.removeprefix('wb:')} | {n} |" for level, n in stats["claims per confidence"].items()]
    out.append("\n## Entities per class\n\n| class | count |\n|---|---:|")
    out += [f"| {cls} | {n} |" for cls, n in stats["per class"].items()]
    return "\n".join(out) + "\n"
