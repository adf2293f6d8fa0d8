"""Opening a store, loading files into it, and deriving the direct edges from claims.

The default store is embedded Oxigraph: files are parsed by Oxigraph's own parsers and SPARQL goes
straight to Oxigraph's engine. rdflib's in-memory store is the same API behind ``backend="memory"``.
Each file is loaded into a named graph of its own, so every triple remembers where it came from;
queries see the union of all graphs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.term import Identifier, Node

from .bindings import bind_values
from .errors import InputFileError, QueryError, SyntaxProblem
from .namespaces import DERIVED_GRAPH, PREFIXES, sparql_prefixes
from .resources import graph_files, ontology_files

__all__ = [
    "BACKENDS",
    "GraphStore",
    "QueryResult",
    "load_graph",
    "open_store",
    "rdf_format",
    "term_from_prefixed",
    "to_ox_term",
    "to_rdflib_term",
]

BACKENDS = ("oxigraph", "memory")

_FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".turtle": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".n3": ox.RdfFormat.N3,
}

_DERIVE = """
DELETE WHERE { GRAPH <%(g)s> { ?s ?p ?o } } ;
INSERT { GRAPH <%(g)s> { ?s ?p ?o } }
WHERE {
  GRAPH ?src { ?c a wb:Claim ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o . }
  FILTER NOT EXISTS { GRAPH ?any { ?c wb:negated true } }
} ;
INSERT { GRAPH <%(g)s> { ?o wb:isProxyOf ?s } }
WHERE { GRAPH <%(g)s> { ?s wb:actsThroughProxy ?o } }
""" % {"g": DERIVED_GRAPH}


def rdf_format(path: Path) -> ox.RdfFormat:
    """The RDF format of a file, from its extension.

    >>> rdf_format(Path("graph/actors.ttl")).name
    'Turtle'
    """
    try:
        return _FORMATS[path.suffix.lower()]
    except KeyError:
        known = ", ".join(sorted(_FORMATS))
        raise InputFileError(
            f"unknown RDF format '{path.suffix or '(no extension)'}'",
            file=path,
            hint=f"use one of {known}",
        ) from None


def to_rdflib_term(term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> Node | None:
    """An Oxigraph term as an rdflib term."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def to_ox_term(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """An rdflib term as an Oxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot bind {term!r}")


@dataclass
class QueryResult:
    """Rows of a SELECT (``vars`` and ``rows`` of rdflib terms), an ASK answer, or a CONSTRUCT graph."""

    kind: str
    vars: list[str] = field(default_factory=list)
    rows: list[tuple[Node | None, ...]] = field(default_factory=list)
    answer: bool | None = None
    graph: Graph | None = None

    def dicts(self) -> list[dict[str, Node | None]]:
        """The rows as dicts from variable name to RDF term."""
        return [dict(zip(self.vars, row)) for row in self.rows]

    def records(self) -> list[dict[str, object]]:
        """The rows as plain dicts of Python values: IRIs as strings, literals as numbers, dates or text.

        >>> QueryResult("SELECT", vars=["x", "n"], rows=[(URIRef("urn:a"), Literal(3))]).records()
        [{'x': 'urn:a', 'n': 3}]
        """
        def plain(term: Node | None) -> object:
            if isinstance(term, Literal):
                value = term.toPython()
                return str(term) if isinstance(value, Literal) else value
            return None if term is None else str(term)

        return [{name: plain(term) for name, term in zip(self.vars, row)} for row in self.rows]


class GraphStore:
    """An RDF dataset with one named graph per loaded file, queried as their union.

    >>> store = open_store()
    >>> store.backend
    'oxigraph'
    >>> len(store)
    0
    """

    def __init__(self, backend: str = "oxigraph") -> None:
        if backend not in BACKENDS:
            raise InputFileError(f"unknown store backend '{backend}'", hint=f"use one of {', '.join(BACKENDS)}")
        self.backend = backend
        self.files: list[Path] = []
        self._ox = ox.Store() if backend == "oxigraph" else None
        self._ds = Dataset(default_union=True) if backend == "memory" else None
        if backend == "memory":
            _skip_unbound_in_distinct_aggregates()
        #: Values computed from the data (such as the name index); emptied whenever the data changes.
        self.cache: dict[str, object] = {}

    # -- loading ---------------------------------------------------------------------------------

    def load(self, path: str | Path) -> int:
        """Load one RDF file into its own named graph; return the number of triples read.

        The file is parsed completely before anything is added, so a syntax error leaves the store
        as it was.
        """
        path = Path(path)
        if not path.exists():
            raise InputFileError("file does not exist", file=path, hint="check the path")
        if path.is_dir():
            raise InputFileError("is a directory, not an RDF file", file=path, hint="name the files inside it")
        fmt = rdf_format(path)
        graph_name = ox.NamedNode(path.resolve().as_uri())
        try:
            triples = list(ox.parse(path=str(path), format=fmt))
        except SyntaxError as err:
            raise SyntaxProblem(
                f"not valid {fmt.name}: {err.msg}",
                file=path,
                line=err.lineno,
                column=err.offset,
                hint="fix the syntax at that place",
            ) from None
        except (OSError, UnicodeDecodeError, ValueError) as err:
            raise InputFileError(f"cannot read: {err}", file=path) from None
        if self._ox is not None:
            self._ox.extend(ox.Quad(t.subject, t.predicate, t.object, graph_name) for t in triples)
        else:
            context = self._ds.graph(URIRef(graph_name.value))
            context.addN(
                (to_rdflib_term(t.subject), to_rdflib_term(t.predicate), to_rdflib_term(t.object), context) for t in triples
            )
        self.files.append(path)
        self.cache.clear()
        return len(triples)

    def derive_edges(self) -> int:
        """(Re)compute the direct edge ``subject predicate object`` of every claim that is not negated.

        The edges live in their own named graph, so they can always be told apart from what the
        files say. Returns the number of derived triples.
        """
        self.update(_DERIVE)
        return self.count_graph(DERIVED_GRAPH)

    # -- reading ---------------------------------------------------------------------------------

    def query(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> QueryResult:
        """Run a SPARQL query over the union of all graphs, with variables bound to RDF terms.

        The usual prefixes (``wb:``, ``wbr:``, ``rdfs:`` ...) are predeclared. Bindings never touch the
        query text.
        """
        if bindings:
            try:
                sparql = bind_values(sparql, bindings)
            except ValueError as err:
                raise QueryError(str(err)) from None
        if self._ox is not None:
            try:
                result = self._ox.query(sparql, use_default_graph_as_union=True, prefixes=PREFIXES)
            except SyntaxError as err:
                raise _query_syntax_error(err) from None
            except OSError as err:
                raise QueryError(f"query failed: {err}") from None
            if isinstance(result, ox.QueryBoolean):
                return QueryResult("ASK", answer=bool(result))
            if isinstance(result, ox.QuerySolutions):
                names = [v.value for v in result.variables]
                rows = [tuple(to_rdflib_term(sol[i]) for i in range(len(names))) for sol in result]
                return QueryResult("SELECT", vars=names, rows=rows)
            graph = Graph()
            for triple in result:
                graph.add((to_rdflib_term(triple.subject), to_rdflib_term(triple.predicate), to_rdflib_term(triple.object)))
            return QueryResult("CONSTRUCT", graph=graph)
        try:
            result = self._ds.query(sparql_prefixes() + "\n" + sparql)
        except Exception as err:  # rdflib raises pyparsing errors and others
            raise QueryError(f"query failed: {err}") from None
        if result.type == "ASK":
            return QueryResult("ASK", answer=bool(result.askAnswer))
        if result.type == "SELECT":
            names = [str(v) for v in result.vars]
            return QueryResult("SELECT", vars=names, rows=[tuple(row) for row in result])
        graph = Graph()
        for triple in result:
            graph.add(triple)
        return QueryResult("CONSTRUCT", graph=graph)

    def update(self, sparql: str) -> None:
        """Run a SPARQL update (used by wbgraph itself; user queries are read-only)."""
        self.cache.clear()
        if self._ox is not None:
            self._ox.update(sparql, prefixes=PREFIXES)
        else:
            self._ds.update(sparql_prefixes() + "\n" + sparql)

    def triples(
        self, pattern: tuple[Node | None, Node | None, Node | None] = (None, None, None)
    ) -> Iterator[tuple[Node, Node, Node]]:
        """Triples of the union graph that match ``pattern`` (None matches anything)."""
        if self._ox is not None:
            s, p, o = (None if t is None else to_ox_term(t) for t in pattern)
            for quad in self._ox.quads_for_pattern(s, p, o, None):
                yield to_rdflib_term(quad.subject), to_rdflib_term(quad.predicate), to_rdflib_term(quad.object)
        else:
            for quad in self._ds.quads(pattern):
                yield quad[0], quad[1], quad[2]

    def graph_names(self, node: Node) -> list[str]:
        """The names of the graphs (files) in which ``node`` is a subject."""
        res = self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?node ?p ?o } } ORDER BY ?g", {"node": node})
        return [str(row[0]) for row in res.rows]

    def count_graph(self, name: str) -> int:
        """Number of triples in one named graph."""
        res = self.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", {"g": URIRef(name)})
        return int(res.rows[0][0])

    def to_graph(self, *, include_derived: bool = True) -> Graph:
        """A copy of the union of all graphs as an in-memory rdflib Graph (for pyshacl and serialisers)."""
        graph = Graph()
        for prefix, iri in PREFIXES.items():
            graph.bind(prefix, iri)
        derived = URIRef(DERIVED_GRAPH)
        if self._ox is not None:
            for quad in self._ox:
                if include_derived or quad.graph_name != ox.NamedNode(DERIVED_GRAPH):
                    graph.add((to_rdflib_term(quad.subject), to_rdflib_term(quad.predicate), to_rdflib_term(quad.object)))
        else:
            for s, p, o, g in self._ds.quads((None, None, None, None)):
                if include_derived or g != derived:
                    graph.add((s, p, o))
        return graph

    def rdflib_view(self) -> Dataset:
        """An rdflib Dataset over the very same data (oxrdflib for Oxigraph), without copying."""
        if self._ds is not None:
            return self._ds
        from oxrdflib import OxigraphStore

        return Dataset(store=OxigraphStore(store=self._ox), default_union=True)

    def __len__(self) -> int:
        if self._ox is not None:
            return len(self._ox)
        return sum(1 for _ in self._ds.quads((None, None, None, None)))


def _skip_unbound_in_distinct_aggregates() -> None:
    """Make rdflib's DISTINCT aggregates skip unbound values, as SPARQL 1.1 (and Oxigraph) do.

    rdflib 7 raises NotBoundError from ``GROUP_CONCAT(DISTINCT ?optional)`` when ``?optional`` is
    unbound in some row; its COUNT already skips them (rdflib issue #2229). Without this, library queries
    that concatenate optional labels fail on the memory backend only.
    """
    from rdflib.plugins.sparql import aggregates
    from rdflib.plugins.sparql.sparql import NotBoundError

    if getattr(aggregates.Accumulator, "_wbgraph_patched", False):
        return

    def use_row(self, row):
        try:
            return aggregates._eval(self.expr, row) not in self.seen
        except NotBoundError:
            return False

    aggregates.Accumulator.use_row = use_row
    aggregates.Accumulator._wbgraph_patched = True


def _query_syntax_error(err: SyntaxError) -> QueryError:
    message = str(err.msg or err)
    line, column = err.lineno, err.offset
    match = re.match(r"error at (\d+):(\d+): (.*)", message, re.S)
    if match:
        line, column, message = int(match.group(1)), int(match.group(2)), match.group(3)
    message = " ".join(message.split())
    if len(message) > 100:
        message = message[:100].rsplit(",", 1)[0] + ", ..."
    where = f" at line {line}, column {column}" if line else ""
    return QueryError(f"SPARQL syntax error{where}: {message}", line=line, column=column, hint="fix the query text")


def open_store(backend: str = "oxigraph") -> GraphStore:
    """An empty store: embedded Oxigraph (default) or rdflib's memory store (``backend="memory"``)."""
    return GraphStore(backend)


def load_graph(
    paths: Iterable[str | Path] = (),
    *,
    curated: bool = True,
    backend: str = "oxigraph",
) -> GraphStore:
    """Load the ontology, the curated graph (unless ``curated=False``) and the user's files, then
    derive the direct edges from the claims.

    >>> store = load_graph()
    >>> store.query("ASK { wbr:serbia a wb:WesternBalkanEconomy }").answer
    True
    """
    store = open_store(backend)
    for path in ontology_files():
        store.load(path)
    if curated:
        for path in graph_files():
            store.load(path)
    for path in paths:
        store.load(path)
    store.derive_edges()
    return store


def term_from_prefixed(text: str) -> Identifier:
    """Expand ``wbr:serbia`` or ``<https://...>`` to a URIRef.

    >>> term_from_prefixed("wbr:serbia")
    rdflib.term.URIRef('https://w3id.org/wbgraph/id/serbia')
    """
    text = text.strip()
    if text.startswith("<") and text.endswith(">"):
        return URIRef(text[1:-1])
    prefix, sep, local = text.partition(":")
    if sep and prefix in PREFIXES and not local.startswith("//"):
        return URIRef(PREFIXES[prefix] + local)
    return URIRef(text)
