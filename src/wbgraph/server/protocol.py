"""The SPARQL 1.1 Protocol: reading the query from a request, choosing a result format from the
Accept header, and writing results (SPARQL JSON, XML, CSV, TSV; Turtle, N-Triples, JSON-LD)."""

from __future__ import annotations

import json
from dataclasses import dataclass

from rdflib import BNode, Literal, URIRef, Variable
from rdflib.namespace import XSD
from rdflib.query import Result

from ..namespaces import PREFIXES
from ..outputs import csv_text
from ..store import QueryResult

__all__ = ["BOOLEAN_TYPES", "GRAPH_TYPES", "SOLUTION_TYPES", "NotAcceptable", "negotiate", "serialize_result"]

#: Media types for SELECT and ASK results, the first being the default; value: (rdflib format, charset).
SOLUTION_TYPES = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
#: ASK has no CSV or TSV form in the SPARQL 1.1 recommendations.
BOOLEAN_TYPES = {k: v for k, v in SOLUTION_TYPES.items() if v in ("json", "xml")}
#: Media types for CONSTRUCT and DESCRIBE results, the first being the default.
GRAPH_TYPES = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
    "text/plain": "nt",
}


class NotAcceptable(Exception):
    """The Accept header names no media type this result can be written in."""

    def __init__(self, accept: str, offered: dict[str, str]) -> None:
        self.offered = list(offered)
        super().__init__(f"cannot answer with {accept!r}: this result can be sent as {', '.join(self.offered)}")


@dataclass(frozen=True)
class _Range:
    media: str
    q: float
    order: int


def _ranges(accept: str) -> list[_Range]:
    out = []
    for i, part in enumerate(accept.split(",")):
        bits = [b.strip() for b in part.split(";")]
        if not bits[0]:
            continue
        q = 1.0
        for bit in bits[1:]:
            name, _, value = bit.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        out.append(_Range(bits[0].lower(), q, i))
    return out


def negotiate(accept: str | None, offered: dict[str, str]) -> str:
    """The media type to answer with: the client's most preferred one that is offered.

    >>> negotiate("text/csv;q=0.5, application/sparql-results+xml", SOLUTION_TYPES)
    'application/sparql-results+xml'
    >>> negotiate("text/html,*/*;q=0.8", GRAPH_TYPES)
    'text/turtle'
    >>> negotiate("image/png", GRAPH_TYPES)  # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
    ...
    wbgraph.server.protocol.NotAcceptable: cannot answer with 'image/png': this result can be sent as text/turtle, application/n-triples, application/ld+json, application/rdf+xml, text/plain
    """
    if not accept or not accept.strip():
        return next(iter(offered))
    best: tuple[float, int, int, str] | None = None
    for rng in _ranges(accept):
        if rng.q <= 0:
            continue
        for rank, media in enumerate(offered):
            major = media.split("/")[0]
            specific = 2 if rng.media == media else 1 if rng.media == f"{major}/*" else 0 if rng.media == "*/*" else -1
            if specific < 0:
                continue
            key = (rng.q, specific, -rank, media)
            if best is None or key[:3] > best[:3]:
                best = key
    if best is None:
        raise NotAcceptable(accept, offered)
    return best[3]


def _tsv_term(term) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    text = str(term)
    for raw, escaped in (("\\", "\\\\"), ('"', '\\"'), ("\n", "\\n"), ("\r", "\\r"), ("\t", "\\t")):
        text = text.replace(raw, escaped)
    if term.language:
        return f'"{text}"@{term.language}'
    if term.datatype and term.datatype != XSD.string:
        return f'"{text}"^^<{term.datatype}>'
    return f'"{text}"'


def _rdflib_result(result: QueryResult) -> Result:
    if result.kind == "ASK":
        out = Result("ASK")
        out.askAnswer = bool(result.answer)
        return out
    out = Result("SELECT")
    out.vars = [Variable(v) for v in result.vars]
    out.bindings = [{Variable(v): t for v, t in zip(result.vars, row) if t is not None} for row in result.rows]
    return out


def serialize_result(result: QueryResult, media: str) -> bytes:
    """A query result in the format of one of the offered media types.

    >>> r = QueryResult("SELECT", vars=["x"], rows=[(Literal("a\\tb"),)])
    >>> serialize_result(r, "text/tab-separated-values")
    b'?x\\n"a\\\\tb"\\n'
    """
    if result.kind == "CONSTRUCT":
        graph = result.graph
        for prefix, iri in PREFIXES.items():
            graph.bind(prefix, iri, override=False)
        fmt = GRAPH_TYPES[media]
        if fmt == "json-ld":
            context = {p: iri for p, iri in PREFIXES.items()}
            return graph.serialize(format="json-ld", context=context, auto_compact=True).encode("utf-8")
        return graph.serialize(format=fmt, encoding="utf-8")
    fmt = SOLUTION_TYPES[media]
    if fmt == "tsv":
        lines = ["\t".join(f"?{v}" for v in result.vars)]
        lines += ["\t".join(_tsv_term(t) for t in row) for row in result.rows]
        return ("\n".join(lines) + "\n").encode("utf-8")
    if fmt == "csv":  # SPARQL 1.1 CSV, with cells a spreadsheet would run as formulas escaped
        rows = [[None if t is None else f"_:{t}" if isinstance(t, BNode) else str(t) for t in row]
                for row in result.rows]
        return csv_text(result.vars, rows, lineterminator="\r\n").encode("utf-8")
    data = _rdflib_result(result).serialize(format=fmt, encoding="utf-8")
    if fmt == "json":  # rdflib writes compact JSON without a trailing newline; keep it valid and tidy
        return json.dumps(json.loads(data), ensure_ascii=False).encode("utf-8")
    return data
