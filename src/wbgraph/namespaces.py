"""Namespaces and prefixes used across wbgraph."""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SH, SKOS, XSD

__all__ = ["WB_IRI", "WBR", "WBR_IRI", "PREFIXES", "DERIVED_GRAPH", "REPORTED_GRAPH", "sparql_prefixes", "shorten"]

WB_IRI = "https://w3id.org/wbgraph/ontology#"
WBR_IRI = "https://w3id.org/wbgraph/id/"
WBR = Namespace(WBR_IRI)

#: The named graph that holds the direct edges derived from claims.
DERIVED_GRAPH = "urn:wbgraph:derived"

#: The named graph that holds each claim's ``wb:reportedOn`` taken from its source's date (when the claim
#: does not state one), derived with the edges.
REPORTED_GRAPH = "urn:wbgraph:reported"

PREFIXES: dict[str, str] = {
    "wb": WB_IRI,
    "wbr": WBR_IRI,
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "prov": str(PROV),
    "org": str(ORG),
    "foaf": str(FOAF),
    "dcterms": str(DCTERMS),
    "sh": str(SH),
}


def sparql_prefixes() -> str:
    """The PREFIX lines for every namespace in :data:`PREFIXES`.

    >>> sparql_prefixes().splitlines()[0]
    'PREFIX wb: <https://w3id.org/wbgraph/ontology#>'
    """
    return "\n".join(f"PREFIX {p}: <{iri}>" for p, iri in PREFIXES.items())


def shorten(iri: str) -> str:
    """Write an IRI as a prefixed name when a known prefix covers it.

    >>> shorten("https://w3id.org/wbgraph/id/serbia")
    'wbr:serbia'
    >>> shorten("http://example.org/x")
    'http://example.org/x'
    """
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(iri) > len(ns):
            local = iri[len(ns):]
            if all(ch.isalnum() or ch in "-_." for ch in local):
                return f"{prefix}:{local}"
    return iri
