"""The whole dataset as Turtle, sorted N-Triples or JSON-LD, byte for byte the same on every run.

Each function takes an rdflib Graph (``store.to_graph()``: ontology, data and derived edges) and
returns text. Two things make the text stable: blank nodes get labels computed from the graph's
structure (:func:`rdflib.compare.to_canonical_graph`), and ``"x"^^xsd:string`` is written as the plain
literal ``"x"``, which RDF 1.1 defines to be the same term.
"""

from __future__ import annotations

import json

from rdflib import BNode, Graph, Literal
from rdflib.namespace import XSD

from ..namespaces import PREFIXES

__all__ = ["PreparedGraph", "jsonld_text", "ntriples_text", "prepared", "turtle_text"]


class PreparedGraph(Graph):
    """A graph already made stable by :func:`prepared` (the writers use it as it is)."""


def prepared(graph: Graph) -> PreparedGraph:
    """A copy with canonical blank-node labels, plain strings and only the project's prefixes bound;
    ``graph`` itself when it is one already, so that several writers can share one copy.

    >>> g = prepared(Graph())
    >>> prepared(g) is g
    True
    """
    return graph if isinstance(graph, PreparedGraph) else _prepared(graph)


def _needs_copy(graph: Graph) -> bool:
    return any(isinstance(term, BNode) or (isinstance(term, Literal) and term.datatype == XSD.string)
               for triple in graph for term in triple)


def _prepared(graph: Graph) -> PreparedGraph:
    if not _needs_copy(graph):
        # Already stable (the store's copy: no blank nodes, plain strings): share its triples, do not copy
        # them. The writers name the project's prefixes themselves.
        return PreparedGraph(store=graph.store, identifier=graph.identifier, bind_namespaces="none")
    if any(isinstance(term, BNode) for triple in graph for term in triple):
        from rdflib.compare import to_canonical_graph

        triples = iter(to_canonical_graph(graph))
    else:
        triples = iter(graph)
    out = PreparedGraph(bind_namespaces="none")
    for prefix, iri in PREFIXES.items():
        out.bind(prefix, iri)
    for s, p, o in triples:
        if isinstance(o, Literal) and o.datatype == XSD.string:
            o = Literal(str(o))
        out.add((s, p, o))
    return out


def turtle_text(graph: Graph) -> str:
    """Turtle with the project's prefixes, subjects and predicates in sorted order.

    Oxigraph's serialiser writes every literal with its exact lexical form (rdflib's would turn
    ``"1"^^xsd:decimal`` into ``1.0``, another term), so the file re-imports isomorphic to the source.

    >>> from rdflib import URIRef
    >>> g = Graph()
    >>> g.add((URIRef("https://w3id.org/wbgraph/id/serbia"), URIRef(PREFIXES["rdfs"] + "label"), Literal("Serbia")))
    <Graph identifier=... (<class 'rdflib.graph.Graph'>)>
    >>> print(turtle_text(g).strip().splitlines()[-1])
    wbr:serbia rdfs:label "Serbia" .
    """
    import pyoxigraph as ox

    from ..store import to_ox_term

    triples = sorted(prepared(graph), key=lambda t: (t[0].n3(), t[1].n3(), t[2].n3()))
    data = ox.serialize((ox.Triple(to_ox_term(s), to_ox_term(p), to_ox_term(o)) for s, p, o in triples),
                        format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
    return data.decode("utf-8")


def ntriples_text(graph: Graph) -> str:
    """N-Triples, one triple per line, lines sorted.

    >>> from rdflib import URIRef
    >>> g = Graph()
    >>> g.add((URIRef("urn:b"), URIRef("urn:p"), Literal("2")))
    <Graph identifier=... (<class 'rdflib.graph.Graph'>)>
    >>> g.add((URIRef("urn:a"), URIRef("urn:p"), Literal("1")))
    <Graph identifier=... (<class 'rdflib.graph.Graph'>)>
    >>> print(ntriples_text(g), end="")
    <urn:a> <urn:p> "1" .
    <urn:b> <urn:p> "2" .
    """
    lines = sorted(line for line in prepared(graph).serialize(format="nt").splitlines() if line.strip())
    return "\n".join(lines) + "\n" if lines else ""


def _sorted_jsonld(value: object, key: str | None = None) -> object:
    """Sort what JSON-LD treats as unordered (nodes, property values); keep ``@list`` order."""
    if isinstance(value, dict):
        return {k: v if k == "@context" else _sorted_jsonld(v, k) for k, v in sorted(value.items())}
    if isinstance(value, list):
        items = [_sorted_jsonld(item) for item in value]
        if key == "@list":
            return items
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True, ensure_ascii=False))
    return value


#: Datatypes that rdflib's JSON-LD serialiser writes as JSON numbers, booleans and strings.
_NATIVE = {XSD.boolean, XSD.integer, XSD.double, XSD.string}


def _flat_nodes(graph: Graph) -> list[dict] | None:
    """The node objects rdflib's JSON-LD serialiser writes for ``graph`` with the project's prefixes as
    context, for a graph without blank nodes or lists (None for any other).

    rdflib's serialiser looks up a term and a list container for every triple, most of a build's JSON-LD
    time; without blank nodes and lists there is nothing to look up, and each triple maps to one key and
    value as rdflib maps it (``tests/test_export.py`` checks that the two give the same document).

    >>> from rdflib import URIRef
    >>> g = Graph()
    >>> g.add((URIRef(PREFIXES["wbr"] + "kosovo"), URIRef(PREFIXES["rdfs"] + "label"), Literal("Kosovo", lang="en")))
    <Graph identifier=... (<class 'rdflib.graph.Graph'>)>
    >>> _flat_nodes(g)
    [{'@id': 'wbr:kosovo', 'rdfs:label': {'@language': 'en', '@value': 'Kosovo'}}]
    """
    from rdflib import RDF, URIRef

    names = {iri: prefix for prefix, iri in PREFIXES.items()}
    shrunk: dict[str, str] = {}

    def shrink(iri: str) -> str:  # rdflib's split: after the last '#', else '/', else ':'
        if (found := shrunk.get(iri)) is None:
            at = next((i for i in (iri.rfind(d) for d in "#/:") if i > -1), -1)
            prefix = names.get(iri[:at + 1]) if at > -1 else None
            found = shrunk[iri] = f"{prefix}:{iri[at + 1:]}" if prefix else iri
        return found

    nodes: dict[str, dict] = {}
    a, lists = RDF.type, {RDF.first, RDF.rest, RDF.nil}
    for s, p, o in graph:
        if not isinstance(s, URIRef) or isinstance(o, BNode) or p in lists or o in lists:
            return None
        node = nodes.get(s)
        if node is None:
            node = nodes[s] = {"@id": shrink(s)}
        key = "@type" if p == a else shrink(p)
        if p == a and isinstance(o, URIRef):
            value = shrink(o)
        else:
            if isinstance(o, URIRef):
                value = {"@id": shrink(o)}
            elif o.datatype is None:
                value = str(o) if o.language is None else {"@language": o.language, "@value": str(o)}
            elif o.datatype in _NATIVE:
                value = o.toPython()
            else:
                value = {"@type": shrink(o.datatype), "@value": str(o)}
        before = node.get(key)
        node[key] = value if before is None else (before + [value] if isinstance(before, list) else [before, value])
    return list(nodes.values())


def jsonld_text(graph: Graph) -> str:
    """JSON-LD with an ``@context`` of the project's prefixes, nodes sorted by ``@id``.

    >>> from rdflib import URIRef
    >>> g = Graph()
    >>> g.add((URIRef("https://w3id.org/wbgraph/id/serbia"), URIRef(PREFIXES["rdfs"] + "label"), Literal("Serbia")))
    <Graph identifier=... (<class 'rdflib.graph.Graph'>)>
    >>> doc = json.loads(jsonld_text(g))
    >>> doc["@context"]["wbr"]
    'https://w3id.org/wbgraph/id/'
    >>> doc["@graph"]
    [{'@id': 'wbr:serbia', 'rdfs:label': 'Serbia'}]
    """
    graph = prepared(graph)
    nodes = _flat_nodes(graph)
    if nodes is None:  # blank nodes or lists: rdflib's serialiser nests and names them
        document = json.loads(graph.serialize(format="json-ld", context=dict(PREFIXES)))
        if isinstance(document, list):
            document = {"@graph": document}
        nodes = document.get("@graph")
        if nodes is None:  # a single node is written without @graph
            nodes = [{k: v for k, v in document.items() if k != "@context"}] if len(document) > 1 else []
    ordered = {"@context": dict(PREFIXES), "@graph": _sorted_jsonld(nodes)}
    return json.dumps(ordered, indent=2, ensure_ascii=False) + "\n"
