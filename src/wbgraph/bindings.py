"""Binding query variables to RDF terms with a ``VALUES`` block, never by pasting user text.

Every engine wbgraph talks to (Oxigraph, rdflib, a remote SPARQL server) understands an inline
``VALUES`` block, so parameters travel the same way everywhere. The values are RDF terms written in
N-Triples syntax, which escapes anything a user could type, so a crafted value can only ever be a value.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from pyoxigraph import NamedNode
from rdflib.term import Node, URIRef

__all__ = ["bind_values", "term_to_sparql", "values_block"]

_VAR = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def term_to_sparql(term: Node) -> str:
    """An RDF term in N-Triples syntax.

    >>> from rdflib import Literal, URIRef
    >>> term_to_sparql(URIRef("https://w3id.org/wbgraph/id/serbia"))
    '<https://w3id.org/wbgraph/id/serbia>'
    >>> term_to_sparql(Literal('"} ; DROP ALL ; #'))
    '"\\\\"} ; DROP ALL ; #"'
    >>> term_to_sparql(URIRef("http://a b"))
    Traceback (most recent call last):
    ...
    ValueError: 'http://a b' is not a valid absolute IRI (Invalid IRI code point ' '): write a full IRI such as https://w3id.org/wbgraph/id/serbia, without spaces or <>"{}|^`\\
    """
    if isinstance(term, URIRef):
        try:
            NamedNode(term)
        except ValueError as err:
            raise ValueError(f"{str(term)[:200]!r} is not a valid absolute IRI ({err}): write a full IRI such as "
                             "https://w3id.org/wbgraph/id/serbia, without spaces or <>\"{}|^`\\") from None
    text = term.n3()
    if not text or text.startswith("_:"):
        raise ValueError(f"cannot bind a blank node or empty term: {term!r}")
    return text


def _where_brace(query: str) -> int:
    """Index of the opening brace of the query's WHERE pattern, skipping strings, IRIs and comments."""
    i, n = 0, len(query)
    top_braces: list[int] = []
    depth = 0
    where_at: int | None = None
    form: str | None = None
    while i < n:
        ch = query[i]
        if ch == "#":
            end = query.find("\n", i)
            i = n if end < 0 else end + 1
            continue
        if ch in "\"'":
            quote = ch * 3 if query.startswith(ch * 3, i) else ch
            j = i + len(quote)
            while j < n and not query.startswith(quote, j):
                j += 2 if query[j] == "\\" else 1
            i = j + len(quote)
            continue
        if ch == "<":
            m = re.match(r"<[^<>\"{}|^`\\\s]*>", query[i:])
            if m:
                i += m.end()
                continue
        if ch == "{":
            if depth == 0:
                top_braces.append(i)
                if where_at is not None:
                    return i
            depth += 1
        elif ch == "}":
            depth -= 1
        elif depth == 0 and (ch.isalpha()):
            m = re.match(r"[A-Za-z]+", query[i:])
            word = m.group(0).upper()
            if word in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE") and form is None:
                form = word
            if word == "WHERE":
                where_at = i
            i += m.end()
            continue
        i += 1
    if form == "CONSTRUCT" and len(top_braces) >= 2:
        return top_braces[1]
    if form != "CONSTRUCT" and top_braces:
        return top_braces[0]
    raise ValueError("cannot find the query's WHERE pattern to bind parameters in")


def values_block(name: str, terms: Iterable[Node]) -> str:
    """A one-column ``VALUES`` block binding ``?name`` to each of ``terms`` (for batched lookups).

    >>> from rdflib import URIRef
    >>> values_block("x", [URIRef("urn:a"), URIRef("urn:b")])
    'VALUES ?x { <urn:a> <urn:b> }'
    """
    if not _VAR.match(name):
        raise ValueError(f"not a SPARQL variable name: {name!r}")
    return f"VALUES ?{name} {{ {' '.join(term_to_sparql(term) for term in terms)} }}"


def bind_values(query: str, bindings: Mapping[str, Node]) -> str:
    """Bind variables by putting a ``VALUES`` block at the start of the WHERE pattern.

    >>> from rdflib import URIRef
    >>> bind_values("SELECT ?l WHERE { ?s rdfs:label ?l }", {"s": URIRef("urn:x")})
    'SELECT ?l WHERE { VALUES (?s) { (<urn:x>) } ?s rdfs:label ?l }'
    """
    if not bindings:
        return query
    names = list(bindings)
    for name in names:
        if not _VAR.match(name):
            raise ValueError(f"not a SPARQL variable name: {name!r}")
    row = " ".join(term_to_sparql(bindings[name]) for name in names)
    block = f" VALUES ({' '.join('?' + name for name in names)}) {{ ({row}) }}"
    at = _where_brace(query) + 1
    return query[:at] + block + query[at:]
