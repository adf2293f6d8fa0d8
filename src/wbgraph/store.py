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
from .guard import QueryLimits, deepest_nesting
from .lateral import planned
from .namespaces import DERIVED_GRAPH, PREFIXES, REPORTED_GRAPH, sparql_prefixes
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

BACKENDS = ("oxigraph", "memory", "remote")
#: Files larger than this go to an on-disk store through Oxigraph's bulk loader.
BULK_ABOVE = 50_000_000
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

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
WHERE { GRAPH <%(g)s> { ?s wb:actsThroughProxy ?o } } ;
DELETE WHERE { GRAPH <%(r)s> { ?s ?p ?o } } ;
INSERT { GRAPH <%(r)s> { ?c wb:reportedOn ?date } }
WHERE {
  GRAPH ?src { ?c a wb:Claim ; prov:wasDerivedFrom ?doc . }
  GRAPH ?meta { ?doc dcterms:date ?date . }
  FILTER NOT EXISTS { GRAPH ?any { ?c wb:reportedOn ?given } }
}
""" % {"g": DERIVED_GRAPH, "r": REPORTED_GRAPH}


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


_TERMS_MAX = 500_000


class _TermCache(dict):
    """Oxigraph terms to rdflib terms, converted on first use (``None``, an unbound value, stays None).

    A hit is a plain dict lookup in C, with no Python call, so converting a result costs little more
    than reading it; the key is the Oxigraph term itself (hashed and compared in Rust).
    """

    def __init__(self) -> None:
        super().__init__({None: None})

    def __missing__(self, term):
        if len(self) >= _TERMS_MAX:
            self.clear()
            self[None] = None
        value = self[term] = _convert(term)
        return value


_TERMS = _TermCache()
_term = _TERMS.__getitem__


def to_rdflib_term(term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> Node | None:
    """An Oxigraph term as an rdflib term.

    Converted terms are cached: rdflib checks every IRI it builds, and the same IRIs and values come
    back again and again in query results, so the cache keeps result conversion cheap.

    >>> to_rdflib_term(ox.Literal("3", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")))
    rdflib.term.Literal('3', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#integer'))
    """
    return _term(term)


def _convert(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Node:
    if type(term) is ox.NamedNode:
        # What URIRef() does once it has checked the IRI, which Oxigraph has already done: a third of the cost
        return str.__new__(URIRef, term.value)
    if type(term) is ox.BlankNode:
        return BNode(term.value)
    if term.language:
        return _text_literal(term.value, term.language)
    datatype = term.datatype.value
    if datatype == _XSD_STRING:
        return _text_literal(term.value, None)  # RDF 1.1: a simple literal is an xsd:string; rdflib compares them apart
    return Literal(term.value, datatype=URIRef(datatype))


def _text_literal(value: str, language: str | None) -> Literal:
    """``Literal(value, lang=language)`` for a string Oxigraph has read (its language tag already checked),
    built as rdflib's constructor ends up building it, without its checks and casts: ten times faster,
    which matters when a result has tens of thousands of new texts (tests/test_store.py compares the two).

    >>> _text_literal("Serbia", "en") == Literal("Serbia", lang="en")
    True
    """
    literal = str.__new__(Literal, value)
    literal._language = language
    literal._datatype = None
    literal._value = value
    literal._ill_typed = None
    return literal


def _bound(sparql: str, bindings: Mapping[str, Node] | None, *, branches: bool = False) -> str:
    if not bindings:
        return sparql
    try:
        return bind_values(sparql, bindings, branches=branches)
    except ValueError as err:
        raise QueryError(str(err)) from None


def _text(term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> str | None:
    return None if term is None else term.value


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

    Three backends behind one API: embedded Oxigraph in memory (default) or on disk (``path``),
    rdflib's memory store (``"memory"``), and a remote SPARQL 1.1 endpoint (``"remote"``).

    >>> store = open_store()
    >>> store.backend
    'oxigraph'
    >>> len(store)
    0
    """

    def __init__(self, backend: str = "oxigraph", *, path: str | Path | None = None, client=None) -> None:
        if backend not in BACKENDS:
            raise InputFileError(f"unknown store backend '{backend}'", hint=f"use one of {', '.join(BACKENDS)}")
        self.backend = backend
        self.path = Path(path) if path is not None else None
        self.files: list[Path] = []
        self._ox = _open_oxigraph(self.path) if backend == "oxigraph" else None
        self._ds = Dataset(default_union=True) if backend == "memory" else None
        self._remote = client if backend == "remote" else None
        if backend == "remote" and client is None:
            raise InputFileError("the remote backend needs an endpoint", hint="give --endpoint URL")
        if backend == "memory":
            _skip_unbound_in_distinct_aggregates()
        #: Values computed from the data (such as the name index); emptied whenever the data changes.
        self.cache: dict[str, object] = {}
        #: What a user's query may be (size, nesting, allowed SERVICE endpoints), checked before parsing.
        self.limits = QueryLimits()

    # -- loading ---------------------------------------------------------------------------------

    def load(self, path: str | Path, *, progress=None) -> int:
        """Load one RDF file into its own named graph; return the number of triples read.

        The load is a transaction: a syntax error (reported with its line) leaves the store as it was.
        Oxigraph parses the file itself; the other backends get the triples Oxigraph parsed.
        ``progress`` is called with each number of bytes read (Oxigraph) or triples sent (remote).
        """
        path = Path(path)
        if not path.exists():
            raise InputFileError("file does not exist", file=path, hint="check the path")
        if path.is_dir():
            raise InputFileError("is a directory, not an RDF file", file=path, hint="name the files inside it")
        fmt = rdf_format(path)
        graph_name = ox.NamedNode(path.resolve().as_uri())
        if fmt == ox.RdfFormat.JSON_LD:
            _check_json_nesting(path)
        try:
            if self._ox is not None:
                before = len(self._ox)  # quad formats (N-Quads, TriG) keep the graphs they name
                if self.path is not None and path.stat().st_size > BULK_ABOVE:
                    self._bulk_load(path, fmt, graph_name, progress)
                elif progress is None:
                    self._ox.load(path=str(path), format=fmt, to_graph=graph_name)
                else:
                    with path.open("rb") as handle:
                        self._ox.load(input=_Reporting(handle, progress), format=fmt, to_graph=graph_name)
                count = len(self._ox) - before
            else:
                triples = list(ox.parse(path=str(path), format=fmt))
                count = len(triples)
                if self._ds is not None:
                    context = self._ds.graph(URIRef(graph_name.value))
                    context.addN((to_rdflib_term(t.subject), to_rdflib_term(t.predicate),
                                  to_rdflib_term(t.object), context) for t in triples)
                else:
                    self._push(triples, graph_name.value, progress)
        except SyntaxError as err:
            raise SyntaxProblem(
                f"not valid {fmt.name}: {err.msg}",
                file=path,
                line=err.lineno,
                column=err.offset,
                hint="fix the syntax at that place; nothing of this file was loaded",
            ) from None
        except (UnicodeDecodeError, ValueError) as err:
            raise InputFileError(f"cannot read: {err}", file=path) from None
        except MemoryError as err:
            raise InputFileError(f"cannot read: one term (an IRI or a literal) is too long ({err})", file=path,
                                 hint="split or shorten that value; nothing of this file was loaded") from None
        except OSError as err:
            raise InputFileError(f"cannot read: {err}", file=path) from None
        self.files.append(path)
        self.cache.clear()
        return count

    def _bulk_load(self, path: Path, fmt: ox.RdfFormat, graph_name: ox.NamedNode, progress=None) -> None:
        """Load a big file into the on-disk store without holding it in memory.

        Oxigraph's bulk loader is not a transaction, so the file is read once first to check its
        syntax: a syntax error still leaves the store as it was.
        """
        with path.open("rb") as handle:
            source = handle if progress is None else _Reporting(handle, progress)
            for _ in ox.parse(source, format=fmt):
                pass
        self._ox.bulk_load(path=str(path), format=fmt, to_graph=graph_name)

    def _push(self, triples: list, graph: str, progress=None, batch: int = 5000) -> None:
        """Send triples to the remote endpoint in INSERT DATA batches (the graph is replaced)."""
        self._remote.update(f"DROP SILENT GRAPH <{graph}>")
        for start in range(0, len(triples), batch):
            chunk = triples[start:start + batch]
            body = "\n".join(f"{t.subject} {t.predicate} {t.object} ." for t in chunk)
            self._remote.update(f"INSERT DATA {{ GRAPH <{graph}> {{\n{body}\n}} }}")
            if progress is not None:
                progress(len(chunk))

    @property
    def oxigraph(self) -> ox.Store | None:
        """The embedded Oxigraph store itself (None on the other backends), for streaming results."""
        return self._ox

    def copy(self) -> GraphStore:
        """An in-memory Oxigraph copy of every graph (to change without touching the original)."""
        out = GraphStore()
        out.files = list(self.files)
        if self._ox is not None:
            out._ox.extend(self._ox)  # quads straight from store to store, no conversion
        else:
            rows = self.query("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }").rows
            out._ox.extend(ox.Quad(*(to_ox_term(t) for t in row)) for row in rows)
        return out

    def file_graphs(self) -> set[str]:
        """The graph names (``file:`` IRIs) of the files loaded into this store.

        >>> sorted(load_graph([], curated=False).file_graphs())[0].startswith("file:")
        True
        """
        if self._ox is not None:
            from .diskstore import file_graphs

            return file_graphs(self._ox)
        rows = self.query_text("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        return {g for (g,) in rows if g and g.startswith("file:")}

    def has_graph(self, path: str | Path) -> bool:
        """Whether a file has already been loaded (in this store, or in an earlier run on disk)."""
        name = URIRef(Path(path).resolve().as_uri())
        return bool(self.query("ASK { GRAPH ?g { ?s ?p ?o } }", {"g": name}).answer)

    def derive_edges(self) -> int:
        """(Re)compute the direct edge ``subject predicate object`` of every claim that is not negated,
        and the ``wb:reportedOn`` date of every claim that does not state one (its source's date).

        The edges and dates live in their own named graphs, so they can always be told apart from what
        the files say. Returns the number of derived edges.
        """
        self.update(_DERIVE)
        return self.count_graph(DERIVED_GRAPH)

    # -- reading ---------------------------------------------------------------------------------

    def query(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> QueryResult:
        """Run a SPARQL query over the union of all graphs, with variables bound to RDF terms.

        The usual prefixes (``wb:``, ``wbr:``, ``rdfs:`` ...) are predeclared. Bindings never touch the
        query text: they travel as a VALUES block of RDF terms.
        """
        sparql = _bound(sparql, bindings, branches=self._ox is not None)  # see bind_values
        if self._ox is not None:
            result = self._ox_query(sparql)
            if isinstance(result, ox.QueryBoolean):
                return QueryResult("ASK", answer=bool(result))
            if isinstance(result, ox.QuerySolutions):
                names = [v.value for v in result.variables]
                rows = [tuple(map(_term, solution)) for solution in result]
                return QueryResult("SELECT", vars=names, rows=rows)
            graph = Graph()
            for triple in result:
                graph.add((to_rdflib_term(triple.subject), to_rdflib_term(triple.predicate),
                           to_rdflib_term(triple.object)))
            return QueryResult("CONSTRUCT", graph=graph)
        if self._remote is not None:
            return self._remote_query(sparql)
        try:
            result = self._ds.query(sparql_prefixes() + "\n" + sparql)
        except Exception as err:  # rdflib raises pyparsing errors and others
            prefix = re.match(r"Unknown namespace prefix\s*:\s*(\S+)", str(err))
            if prefix:
                raise QueryError(f"SPARQL: unknown prefix '{prefix.group(1)}:'",
                                 hint=f"declare it with PREFIX {prefix.group(1)}: <IRI>, or use one of the built-in "
                                      f"prefixes {', '.join(p + ':' for p in PREFIXES)}") from None
            raise QueryError(f"query failed: {err}") from None
        return _from_rdflib_result(result)

    def query_text(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> list[tuple[str | None, ...]]:
        """The rows of a SELECT as plain strings (an IRI, or a literal's lexical form; None when unbound).

        The cheap path for code that only needs text, such as the network projection: on Oxigraph no
        rdflib term is built.

        >>> load_graph().query_text("SELECT ?x ?l WHERE { VALUES ?x { wbr:serbia } ?x wb:nothing ?l }")
        []
        >>> load_graph().query_text("SELECT ?l ?n WHERE { wbr:serbia rdfs:label ?l FILTER(LANG(?l) = 'en') }")
        [('Serbia', None)]
        """
        if self._ox is None:
            return [tuple(None if t is None else str(t) for t in row) for row in self.query(sparql, bindings).rows]
        result = self._ox_query(_bound(sparql, bindings, branches=True))
        if not isinstance(result, ox.QuerySolutions):
            raise QueryError("query_text needs a SELECT query")
        return [tuple(map(_text, solution)) for solution in result]

    def _ox_query(self, sparql: str):
        try:
            text = planned(sparql)  # as the query's plan header asks (see wbgraph.lateral)
        except ValueError:  # unbalanced braces: Oxigraph says where, below
            text = sparql
        try:
            try:
                return self._ox.query(text, use_default_graph_as_union=True, prefixes=PREFIXES)
            except (SyntaxError, ValueError):
                if text is sparql:
                    raise
                # a mistake is reported on the text as written, not on the planned one
                return self._ox.query(sparql, use_default_graph_as_union=True, prefixes=PREFIXES)
        except SyntaxError as err:
            raise _query_syntax_error(err, sparql) from None
        except OSError as err:
            raise QueryError(f"query failed: {err}") from None

    def _remote_query(self, sparql: str) -> QueryResult:
        # Check the syntax locally first: the message then has a line and column on every server.
        try:
            kind = _query_kind(sparql)
        except SyntaxError as err:
            raise _query_syntax_error(err, sparql) from None
        result = self._remote.query(sparql_prefixes() + "\n" + sparql, kind)
        if isinstance(result, Graph):
            return QueryResult("CONSTRUCT", graph=result)
        return _from_rdflib_result(result)

    def update(self, sparql: str) -> None:
        """Run a SPARQL update (used by wbgraph itself; user queries are read-only)."""
        self.cache.clear()
        if self._ox is not None:
            self._ox.update(sparql, prefixes=PREFIXES)
        elif self._remote is not None:
            self._remote.update(sparql_prefixes() + "\n" + sparql)
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
        elif self._ds is not None:
            for quad in self._ds.quads(pattern):
                yield quad[0], quad[1], quad[2]
        else:
            bound = {k: v for k, v in zip("spo", pattern) if v is not None}
            for row in self.query("SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }", bound).rows:
                yield row[0], row[1], row[2]

    def graph_names(self, node: Node) -> list[str]:
        """The names of the graphs (files) in which ``node`` is a subject; the graphs derived at load (edges,
        reported dates) are not files and are left out."""
        res = self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?node ?p ?o } "
                         f"FILTER(?g NOT IN (<{DERIVED_GRAPH}>, <{REPORTED_GRAPH}>)) }} ORDER BY ?g", {"node": node})
        return [str(row[0]) for row in res.rows]

    def count_graph(self, name: str) -> int:
        """Number of triples in one named graph."""
        res = self.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", {"g": URIRef(name)})
        return int(res.rows[0][0])

    def to_graph(self, *, include_derived: bool = True) -> Graph:
        """A copy of the union of all graphs as an in-memory rdflib Graph (for pyshacl and serialisers).

        The copy is made once and returned again until the data change (a build's validation and its
        five exports share it), so copy it in turn before changing it.
        """
        key = f"to_graph:{include_derived}"
        if key not in self.cache:
            self.cache[key] = self._to_graph(include_derived)
        return self.cache[key]

    def _to_graph(self, include_derived: bool) -> Graph:
        graph = Graph()
        for prefix, iri in PREFIXES.items():
            graph.bind(prefix, iri)
        derived = URIRef(DERIVED_GRAPH)
        if self._ox is not None:
            for quad in self._ox:
                if include_derived or quad.graph_name != ox.NamedNode(DERIVED_GRAPH):
                    graph.add((to_rdflib_term(quad.subject), to_rdflib_term(quad.predicate),
                               to_rdflib_term(quad.object)))
        elif self._ds is not None:
            for s, p, o, g in self._ds.quads((None, None, None, None)):
                if include_derived or g != derived:
                    graph.add((s, p, o))
        else:
            where = "GRAPH ?g { ?s ?p ?o }" + ("" if include_derived else f" FILTER(?g != <{DERIVED_GRAPH}>)")
            graph += self.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {where} }}").graph
        return graph

    def rdflib_view(self) -> Dataset:
        """An rdflib Dataset over the very same data (oxrdflib for Oxigraph), without copying."""
        if self._ds is not None:
            return self._ds
        if self._remote is not None:
            raise QueryError("a remote endpoint has no rdflib view", hint="use to_graph() for a copy")
        from oxrdflib import OxigraphStore

        return Dataset(store=OxigraphStore(store=self._ox), default_union=True)

    def __len__(self) -> int:
        if self._ox is not None:
            return len(self._ox)
        if self._ds is not None:
            return sum(1 for _ in self._ds.quads((None, None, None, None)))
        return int(self.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }").rows[0][0])


class _Reporting:
    """A binary file that reports how many bytes each read returned (for progress bars)."""

    def __init__(self, handle, report) -> None:
        self._handle, self._report = handle, report

    def read(self, size: int = -1) -> bytes:
        data = self._handle.read(size)
        self._report(len(data))
        return data

    def readinto(self, buffer) -> int:
        count = self._handle.readinto(buffer)
        self._report(count or 0)
        return count


#: Deepest JSON-LD nesting accepted: Oxigraph's JSON-LD parser recurses, and a few thousand levels overflow its stack.
JSONLD_MAX_DEPTH = 256


def _check_json_nesting(path: Path) -> None:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as err:
        raise InputFileError(f"cannot read: {err}", file=path) from None
    depth, line, column = deepest_nesting(text, JSONLD_MAX_DEPTH)
    if depth > JSONLD_MAX_DEPTH:
        raise InputFileError(f"JSON-LD nested more than {JSONLD_MAX_DEPTH} levels deep", file=path, line=line,
                             column=column, hint="flatten the document (for example with @graph and @id "
                             "references); nothing of this file was loaded")


def _from_rdflib_result(result) -> QueryResult:
    if result.type == "ASK":
        return QueryResult("ASK", answer=bool(result.askAnswer))
    if result.type == "SELECT":
        names = [str(v) for v in result.vars]
        return QueryResult("SELECT", vars=names, rows=[tuple(row) for row in result])
    graph = Graph()
    for triple in result:
        graph.add(triple)
    return QueryResult("CONSTRUCT", graph=graph)


def _query_kind(sparql: str) -> str:
    """SELECT, ASK or CONSTRUCT, found by parsing the query with Oxigraph (raises SyntaxError)."""
    parsed = ox.Store().query(sparql, prefixes=PREFIXES)
    if isinstance(parsed, ox.QueryBoolean):
        return "ASK"
    if isinstance(parsed, ox.QuerySolutions):
        return "SELECT"
    return "CONSTRUCT"


def _open_oxigraph(path: Path | None) -> ox.Store:
    if path is None:
        return ox.Store()
    if path.exists() and not path.is_dir():
        raise InputFileError("--store-path points at a file, not a folder", file=path,
                             hint="give a folder (it is created when missing)")
    try:
        return ox.Store(str(path))
    except OSError as err:
        text = str(err)
        if "lock" in text.lower() or "resource temporarily unavailable" in text.lower():
            raise InputFileError("the store is in use by another process", file=path,
                                 hint="wait for it to finish, or give another --store-path") from None
        raise InputFileError(f"cannot open the store: {text}", file=path) from None


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


def _query_syntax_error(err: SyntaxError, text: str = "") -> QueryError:
    """A syntax error in plain words: what is wrong, where, and the words at that place."""
    message = str(err.msg or err)
    line, column = err.lineno, err.offset
    match = re.match(r"error at (\d+):(\d+): (.*)", message, re.S)
    if match:
        line, column, message = int(match.group(1)), int(match.group(2)), match.group(3)
    message = " ".join(message.split())
    where = f" at line {line}, column {column}" if line else ""
    lines = text.splitlines()
    before = near = ""
    if line and column and 0 < line <= len(lines):
        before, near = lines[line - 1][:max(column - 1, 0)], lines[line - 1][max(column - 1, 0):].strip()[:30]
    if "Prefix not found" in message:
        prefix = re.search(r"([A-Za-z][\w.-]*)?:[\w.-]*$", before)
        name = (prefix.group(1) or "") if prefix else "NAME"
        return QueryError(f"SPARQL: unknown prefix '{name}:'{where}", line=line, column=column,
                          hint=f"declare it with PREFIX {name}: <IRI>, "
                               f"or use one of the built-in prefixes {', '.join(p + ':' for p in PREFIXES)}")
    if message.startswith("expected"):
        wanted = message.removeprefix("expected one of ").removeprefix("expected ").split(",")[0].strip()
        place = f"something is wrong or missing just before '{near}'" if near else (
            f"something is wrong or missing at the end of '{before.strip()[-30:]}'")
        message = f"{place} (expected for example {wanted})"
    elif len(message) > 100:
        message = message[:100].rsplit(",", 1)[0] + ", ..."
    return QueryError(f"SPARQL syntax error{where}: {message}", line=line, column=column, hint="fix the query text")


def open_store(backend: str = "oxigraph", *, path: str | Path | None = None, endpoint: str | None = None,
               update_endpoint: str | None = None, timeout: float = 60.0) -> GraphStore:
    """An empty (or, on disk or remote, existing) store.

    ``backend``: embedded Oxigraph (default; on disk when ``path`` is given), rdflib's memory store
    (``"memory"``), or a remote SPARQL 1.1 endpoint (``"remote"``, or any backend with ``endpoint``).
    """
    if endpoint is not None or backend == "remote":
        from .remote import client_from_environment

        if endpoint is None:
            raise InputFileError("the remote backend needs an endpoint", hint="give --endpoint URL")
        return GraphStore("remote", client=client_from_environment(endpoint, update_endpoint, timeout))
    return GraphStore(backend, path=path)


def load_graph(
    paths: Iterable[str | Path] = (),
    *,
    curated: bool = True,
    backend: str = "oxigraph",
    path: str | Path | None = None,
    reuse: bool = True,
    progress=None,
) -> GraphStore:
    """Load the ontology, the curated graph (unless ``curated=False``) and the user's files, then
    derive the direct edges from the claims.

    With ``path`` (an on-disk Oxigraph store), files already in the store are not loaded again when
    ``reuse`` is true and they are unchanged, so a large graph is loaded once and reopened at once;
    the store is kept consistent with its files even after a run that was killed
    (see :mod:`wbgraph.diskstore`). ``progress(path)``, when
    given, returns a context manager that yields a callback for :meth:`GraphStore.load` (or None).

    >>> store = load_graph()
    >>> store.query("ASK { wbr:serbia a wb:WesternBalkanEconomy }").answer
    True
    """
    store = open_store(backend, path=path)
    files = list(ontology_files()) + (list(graph_files()) if curated else []) + [Path(p) for p in paths]
    if path is not None and store.oxigraph is not None:
        from .diskstore import sync_disk_store

        sync_disk_store(store, files, reuse=reuse, progress=progress)
        return store
    for file in files:
        if progress is None:
            store.load(file)
        else:
            with progress(Path(file)) as report:
                store.load(file, progress=report)
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
