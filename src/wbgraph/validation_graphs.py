"""The parts of a loaded store that each validation check reads, cut out without copying the rest.

A full rdflib copy of the store costs more than the SHACL run itself on the curated graph. On the
embedded Oxigraph store the checks therefore read only what they need: the triples of the files
under check (as rdflib), every triple but the derived edges for the shapes (as a pyoxigraph store,
which the compiled SHACL engine reads natively), and for the model checks only the triples those
checks look at. Other backends get the rdflib copy, as before.

The rdflib graphs use rdflib's ``SimpleMemory`` store: the checks never ask in which graph a triple
stands, and it adds and looks up triples about twice as fast as the default store.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import RDF, RDFS, BNode, Graph, URIRef

from .namespaces import DERIVED_GRAPH, WB_IRI
from .store import GraphStore, to_rdflib_term

__all__ = ["file_triples", "model_graph", "shacl_graph"]


def file_triples(store: GraphStore, graph_names: Iterable[str]) -> Graph:
    """The triples of the named graphs ``graph_names`` (files loaded into ``store``), as one rdflib Graph.

    >>> from wbgraph.store import load_graph
    >>> from wbgraph.resources import ontology_files
    >>> store = load_graph([], curated=False)
    >>> len(file_triples(store, [ontology_files()[0].resolve().as_uri()])) > 0
    True
    """
    out = Graph(store="SimpleMemory")
    for name in graph_names:
        if store.oxigraph is not None:
            for quad in store.oxigraph.quads_for_pattern(None, None, None, ox.NamedNode(name)):
                out.add((to_rdflib_term(quad.subject), to_rdflib_term(quad.predicate), to_rdflib_term(quad.object)))
        else:
            res = store.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }", {"g": URIRef(name)})
            out += res.graph
    return out


def shacl_graph(store: GraphStore, engine: str) -> Graph | ox.Store:
    """Everything but the derived edges, as the SHACL engine reads it best: for the compiled engine on
    an Oxigraph store, a pyoxigraph store holding it in its default graph; else an rdflib Graph.

    >>> from wbgraph.store import load_graph
    >>> store = load_graph([], curated=False)
    >>> type(shacl_graph(store, "turbo")).__name__, type(shacl_graph(store, "pyshacl")).__name__
    ('Store', 'Graph')
    """
    if store.oxigraph is None or engine != "turbo":
        return store.to_graph(include_derived=False)
    derived = ox.NamedNode(DERIVED_GRAPH)
    out = ox.Store()
    out.bulk_extend(ox.Quad(q.subject, q.predicate, q.object) for q in store.oxigraph if q.graph_name != derived)
    return out


def model_graph(store: GraphStore, data: Graph) -> Graph:
    """What the model checks read about the nodes in ``data``, from every graph but the derived edges:
    the triples of its claims and of its nodes with a line range, every ``wb:lineCount``, ``rdf:type``
    and ``rdfs:subClassOf``.

    >>> from wbgraph.store import load_graph
    >>> store = load_graph([], curated=True)
    >>> data = store.to_graph(include_derived=False)
    >>> model = model_graph(store, data)
    >>> from wbgraph.vocab import WB
    >>> claim = next(data.subjects(RDF.type, WB.Claim))
    >>> set(model.predicate_objects(claim)) == set(data.predicate_objects(claim))
    True
    """
    if store.oxigraph is None:
        return store.to_graph(include_derived=False)
    st, derived = store.oxigraph, ox.NamedNode(DERIVED_GRAPH)
    subjects = set(data.subjects(RDF.type, URIRef(WB_IRI + "Claim"))) | set(data.subjects(URIRef(WB_IRI + "lineStart")))
    out = Graph(store="SimpleMemory")

    def add(pattern):
        for quad in st.quads_for_pattern(*pattern):
            if quad.graph_name != derived:
                out.add((to_rdflib_term(quad.subject), to_rdflib_term(quad.predicate), to_rdflib_term(quad.object)))

    for node in subjects:
        if isinstance(node, (URIRef, BNode)):
            add((ox.NamedNode(str(node)) if isinstance(node, URIRef) else ox.BlankNode(str(node)), None, None, None))
    for predicate in (WB_IRI + "lineCount", str(RDF.type), str(RDFS.subClassOf)):
        add((None, ox.NamedNode(predicate), None, None))
    return out
