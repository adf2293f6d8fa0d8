"""Turning what an analyst typed into IRIs: entities by name against the store and the file itself,
relations, confidence levels and classes by local name, prefixed name, IRI or label.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from rdflib import URIRef

from ..lookup import fold_name as fold, entity_labels
from ..namespaces import PREFIXES, WB_IRI, WBR_IRI, shorten
from ..store import GraphStore

__all__ = ["ENTITY_KINDS", "ResolveError", "Resolver"]

#: What each kind of field may name, as the top class of the entities it accepts.
ENTITY_KINDS = {
    "entity": "an actor, concept, event, policy, agreement or source",
    "actor": "an actor",
    "mechanism": "a mechanism concept",
    "sector": "a sector concept",
    "threat": "a threat-vector concept",
    "vulnerability": "a vulnerability concept",
    "source": "a source (document, cited work or survey)",
}

_POOLS = """
SELECT DISTINCT ?x ?top WHERE {
  VALUES ?top { wb:Actor wb:Mechanism wb:Sector wb:ThreatVector wb:Vulnerability wb:Source
                skos:Concept wb:Event wb:Policy wb:Agreement }
  ?x a ?class . ?class rdfs:subClassOf* ?top .
  FILTER(isIRI(?x) && !STRSTARTS(STR(?x), STR(wb:)))
}
"""
_TOPS = {"Actor": "actor", "Mechanism": "mechanism", "Sector": "sector", "ThreatVector": "threat",
         "Vulnerability": "vulnerability", "Source": "source"}
_TERMS = {
    "predicate": "SELECT ?t ?l WHERE { ?t rdfs:subPropertyOf+ wb:relation "
                 "FILTER(?t NOT IN (wb:influenceRelation, wb:channelRelation)) OPTIONAL { ?t rdfs:label ?l } }",
    "confidence": "SELECT ?t ?l WHERE { ?t a wb:ConfidenceLevel OPTIONAL { ?t rdfs:label ?l } }",
    "actor class": "SELECT ?t ?l WHERE { ?t rdfs:subClassOf+ wb:Actor OPTIONAL { ?t rdfs:label ?l } }",
    "source class": "SELECT ?t ?l WHERE { ?t rdfs:subClassOf+ wb:Source OPTIONAL { ?t rdfs:label ?l } }",
}


@dataclass
class ResolveError(Exception):
    """A name that matches nothing (``code`` unknown-...) or several things (``ambiguous``)."""

    code: str
    message: str
    hint: str | None = None


def _looks_like_iri(text: str) -> bool:
    return text.startswith(("<", "http://", "https://", "urn:")) or (
        ":" in text and " " not in text and text.split(":", 1)[0].replace("-", "_").isidentifier())


class Resolver:
    """Names of the store plus the actors and sources a file defines.

    >>> from wbgraph.store import load_graph
    >>> r = Resolver(load_graph())
    >>> r.entity("KSA", "actor") == r.entity("wbr:saudi-arabia", "entity")
    True
    >>> r.term("exerts influence on", "predicate")
    'https://w3id.org/wbgraph/ontology#exertsInfluenceOn'
    """

    def __init__(self, store: GraphStore, prefixes: dict[str, str] | None = None) -> None:
        self.store = store
        self.prefixes = {**(prefixes or {}), **PREFIXES}
        self.names = entity_labels(store)
        self.pools: dict[str, set[str]] = {kind: set() for kind in ENTITY_KINDS}
        for x, top in store.query(_POOLS).rows:
            local = str(top).rsplit("#", 1)[-1]
            kind = _TOPS.get(local)
            if kind:
                self.pools[kind].add(str(x))
            self.pools["entity"].add(str(x))  # a source too: people are authors of works (wb:authorOf)
        self.local_names: dict[str, dict[str, str]] = {}
        self.terms: dict[str, dict[str, str]] = {}
        for kind, sparql in _TERMS.items():
            table: dict[str, str] = {}
            for term, label in store.query(sparql).rows:
                iri = str(term)
                table[iri] = iri
                if iri.startswith(WB_IRI):
                    table[iri[len(WB_IRI):]] = iri
                    table["wb:" + iri[len(WB_IRI):]] = iri
                    table[fold(iri[len(WB_IRI):])] = iri
                if label is not None:
                    table[fold(str(label))] = iri
            self.terms[kind] = table

    def expand(self, text: str) -> str:
        """A prefixed name or ``<IRI>`` as a full IRI (text without a known prefix is returned as is)."""
        text = text.strip()
        if text.startswith("<") and text.endswith(">"):
            return text[1:-1]
        prefix, sep, local = text.partition(":")
        if sep and prefix in self.prefixes and not local.startswith("//"):
            return self.prefixes[prefix] + local
        return text

    def define(self, iri: str, kind: str, names: list[str], label: str) -> None:
        """Make an actor or source of the file known by its IRI and names."""
        self.pools[kind].add(iri)
        self.pools["entity"].add(iri)
        for name in names:
            self.local_names.setdefault(fold(name), {})[iri] = label

    def known(self, iri: str) -> bool:
        """Whether any pool (store or file) holds ``iri``."""
        return any(iri in pool for pool in self.pools.values())

    def entity(self, text: str, kind: str) -> URIRef:
        """The IRI that ``text`` names among entities of ``kind`` (see :data:`ENTITY_KINDS`)."""
        text = str(text).strip()
        pool = self.pools[kind]
        what = ENTITY_KINDS[kind]
        if _looks_like_iri(text):
            iri = self.expand(text)
            if iri in pool:
                return URIRef(iri)
            if self.known(iri):
                raise ResolveError("unknown-entity", f"{shorten(iri)} is not {what}",
                                   f"name {what} here")
            raise ResolveError("unknown-entity", f"'{text}' is neither in the graph nor defined in this file",
                               "check the IRI, use a label, or define the actor in the file's actors")
        key = fold(text)
        matches = {iri: label for names in (self.names, self.local_names)
                   for iri, label in names.get(key, {}).items() if iri in pool}
        if not matches and WBR_IRI + text in pool:
            return URIRef(WBR_IRI + text)
        if len(matches) == 1:
            return URIRef(next(iter(matches)))
        if matches:
            listed = "; ".join(f"{label} ({shorten(iri)})" for iri, label in sorted(matches.items()))
            raise ResolveError("ambiguous", f"'{text}' is ambiguous: it names {listed}",
                               "write one of the prefixed names or IRIs instead")
        candidates = {name: labels for names in (self.names, self.local_names)
                      for name, labels in names.items() if set(labels) & pool}
        close = difflib.get_close_matches(key, list(candidates), n=5, cutoff=0.6)
        suggestions = sorted({lab for name in close for iri, lab in candidates[name].items() if iri in pool})
        hint = (f"did you mean {', '.join(repr(s) for s in suggestions)}?" if suggestions
                else "define it in the file's actors, or check `wbgraph query actor-list`")
        raise ResolveError("unknown-entity", f"nothing in the graph or this file is {what} called '{text}'", hint)

    def term(self, text: str, kind: str) -> str:
        """A term of the ontology (``predicate``, ``confidence``, ``actor class``, ``source class``)."""
        text = str(text).strip()
        table = self.terms[kind]
        for key in (text, self.expand(text), fold(text)):
            if key in table:
                return table[key]
        locals_ = sorted({iri[len(WB_IRI):] for iri in table.values() if iri.startswith(WB_IRI)})
        close = difflib.get_close_matches(text.removeprefix("wb:"), locals_, n=3, cutoff=0.5)
        close += [c for c in difflib.get_close_matches(fold(text), locals_, n=3, cutoff=0.5) if c not in close]
        hint = f"did you mean {', '.join(close)}?" if close else f"use one of {', '.join(locals_)}"
        code = "unknown-" + kind.replace(" ", "-")
        raise ResolveError(code, f"unknown {kind} '{text}'", hint)
