"""Binding query variables to RDF terms with a ``VALUES`` block, never by pasting user text.

Every engine wbgraph talks to (Oxigraph, rdflib, a remote SPARQL server) understands an inline
``VALUES`` block, so parameters travel the same way everywhere. The values are RDF terms written in
N-Triples syntax, which escapes anything a user could type, so a crafted value can only ever be a value.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache

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


def _skip(query: str, i: int) -> int:
    """The index after the comment, string or IRI that starts at ``i``, or ``i`` when none does."""
    ch = query[i]
    if ch == "#":
        end = query.find("\n", i)
        return len(query) if end < 0 else end + 1
    if ch in "\"'":
        quote = ch * 3 if query.startswith(ch * 3, i) else ch
        j = i + len(quote)
        while j < len(query) and not query.startswith(quote, j):
            j += 2 if query[j] == "\\" else 1
        return j + len(quote)
    if ch == "<":
        m = re.match(r"<[^<>\"{}|^`\\\s]*>", query[i:])
        if m:
            return i + m.end()
    return i


def _union_branches(query: str, where: int) -> list[int]:
    """Where each branch of a UNION directly inside the WHERE pattern (at index ``where``) opens, except
    branches that are subqueries."""
    groups: list[tuple[int, int]] = []  # (open, close) of each group directly inside the pattern
    i, depth, opened = where + 1, 0, 0
    while i < len(query) and depth >= 0:
        after = _skip(query, i)
        if after != i:
            i = after
            continue
        if query[i] == "{":
            if depth == 0:
                opened = i
            depth += 1
        elif query[i] == "}":
            depth -= 1
            if depth == 0:
                groups.append((opened, i))
        i += 1
    branches: set[int] = set()
    for (open1, close1), (open2, _) in zip(groups, groups[1:]):
        between = re.sub(r"#[^\n]*", "", query[close1 + 1:open2])
        if between.strip().upper() == "UNION":
            branches.update((open1, open2))
    return sorted(b for b in branches if not re.match(r"\s*SELECT\b", query[b + 1:], re.IGNORECASE))


def _code(query: str, i: int = 0, end: int | None = None):
    """Each index and character of ``query`` from ``i`` to ``end`` outside comments, strings and IRIs."""
    end = len(query) if end is None else end
    while i < end:
        after = _skip(query, i)
        if after != i:
            i = after
            continue
        yield i, query[i]
        i += 1


def _without_comments(query: str, i: int, end: int) -> str:
    """``query[i:end]`` with its comments left out; strings and IRIs kept whole (a ``#`` in them is not a comment)."""
    kept = []
    while i < end:
        after = _skip(query, i)
        if after == i:
            kept.append(query[i])
            i += 1
        else:
            kept.append(" " if query[i] == "#" else query[i:after])
            i = after
    return "".join(kept)


def _close(query: str, at: int) -> int:
    """The index of the brace that closes the one at ``at``."""
    depth = 0
    for i, ch in _code(query, at):
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth == 0:
            return i
    raise ValueError("unbalanced braces in the query")


def _next_brace(query: str, i: int, end: int) -> int | None:
    """The index of the first opening brace from ``i`` on, before ``end``, outside strings, IRIs and comments."""
    return next((at for at, ch in _code(query, i, end) if ch == "{"), None)


# a group after one of these is not joined with the pattern around it: values bound there would change rows
_NOT_JOINED = re.compile(r"(?:OPTIONAL|MINUS|EXISTS|SERVICE(?:\s+SILENT)?\s+\S+)\s*$", re.IGNORECASE)


def _takes_values(query: str, select: int, where: int, close: int, names: list[str]) -> list[str]:
    """Which of ``names`` the subquery whose SELECT is at ``select`` (WHERE pattern at ``where``, closing
    brace at ``close``) projects as they are and can take as values inside without changing its rows: not
    when it has LIMIT or OFFSET, and when it aggregates, only the variables it groups by."""
    projection = query[select + len("SELECT"):where]
    tail = _without_comments(query, _close(query, where) + 1, close)
    if re.search(r"\b(?:LIMIT|OFFSET)\b", tail, re.IGNORECASE) or re.search(r"\bEXISTS\b", projection, re.IGNORECASE):
        return []
    if re.match(r"\s*(?:DISTINCT|REDUCED)?\s*\*", projection, re.IGNORECASE):
        return list(names)
    while re.search(r"\([^()]*\)", projection):
        projection = re.sub(r"\([^()]*\)", " ", projection)  # `(COUNT(?x) AS ?n)` projects ?n, not ?x
    projected = set(re.findall(r"[?$](\w+)", projection))
    grouped = re.search(r"\bGROUP\s+BY\b(.*?)(?:\b(?:HAVING|ORDER|VALUES)\b|$)", tail, re.IGNORECASE | re.DOTALL)
    if grouped:  # a group's rows depend only on its own members: bound keys keep the groups that remain
        keys = grouped.group(1)
        while re.search(r"\([^()]*\)", keys):
            keys = re.sub(r"\([^()]*\)", " ", keys)  # `GROUP BY (STR(?x) AS ?k)`: not a plain key
        projected &= set(re.findall(r"[?$](\w+)", keys))
    return [name for name in names if name in projected]


def _subqueries(query: str, group: int, names: list[str]) -> list[tuple[int, list[str]]]:
    """The WHERE pattern of each subquery joined with the group at ``group`` (not under OPTIONAL, MINUS,
    EXISTS or SERVICE), with the ones of ``names`` it projects: binding them inside as well gives the
    same rows, because the group keeps only the rows that agree with the values anyway."""
    found: list[tuple[int, list[str]]] = []
    i, end, last = group + 1, _close(query, group), group + 1
    while i < end:
        after = _skip(query, i)
        if after != i:
            i = after
            continue
        if query[i] == "{":
            close = _close(query, i)
            select = re.match(r"\s*SELECT\b", query[i + 1:close], re.IGNORECASE)
            if _NOT_JOINED.search(_without_comments(query, last, i)):
                pass
            elif select:
                at = i + 1 + select.end() - len("SELECT")
                where = _next_brace(query, at, close)
                inside = _takes_values(query, at, where, close, names) if where is not None else []
                if inside:
                    found += [(where, inside), *_subqueries(query, where, inside)]
            else:
                found += _subqueries(query, i, names)
            i = last = close + 1
            continue
        if query[i] in "}.;":
            last = i + 1
        i += 1
    return found


def values_block(name: str, terms: Iterable[Node]) -> str:
    """A one-column ``VALUES`` block binding ``?name`` to each of ``terms`` (for batched lookups).

    >>> from rdflib import URIRef
    >>> values_block("x", [URIRef("urn:a"), URIRef("urn:b")])
    'VALUES ?x { <urn:a> <urn:b> }'
    """
    if not _VAR.match(name):
        raise ValueError(f"not a SPARQL variable name: {name!r}")
    return f"VALUES ?{name} {{ {' '.join(term_to_sparql(term) for term in terms)} }}"


def bind_values(query: str, bindings: Mapping[str, Node], *, branches: bool = False) -> str:
    """Bind variables by putting a ``VALUES`` block at the start of the WHERE pattern. With ``branches``,
    also at the start of each branch of a UNION directly inside it (not a subquery), and inside each
    subquery joined with the pattern that projects some of the variables (not under OPTIONAL, MINUS,
    EXISTS or SERVICE, not one with LIMIT or OFFSET, and when it aggregates only what it groups by).

    The rows are the same either way (one row of values joined with a union is the union of that row
    joined with each branch, and the rows of a subquery that disagree with the values are dropped by the
    join around it), but Oxigraph evaluates a subquery, or a branch with several patterns, without the
    values of the pattern around it: a path query from one actor to another then walks every claim of
    the graph (10 s instead of milliseconds at a million triples), and a subquery written to start from
    a parameter starts from every actor. Only the Oxigraph store asks for it: rdflib's engine loses rows
    of a subquery branch when other branches hold a VALUES block, and rows of a subquery with a BIND
    when it holds one itself; Virtuoso 7.2 gives other rows for influence-path-edges with the start
    bound inside its subquery.

    >>> from rdflib import URIRef
    >>> bind_values("SELECT ?l WHERE { ?s rdfs:label ?l }", {"s": URIRef("urn:x")})
    'SELECT ?l WHERE { VALUES (?s) { (<urn:x>) } ?s rdfs:label ?l }'
    >>> bind_values("SELECT * WHERE { { ?s a ?c } UNION { ?s rdfs:label ?l } }", {"s": URIRef("urn:x")}, branches=True)
    'SELECT * WHERE { VALUES (?s) { (<urn:x>) } { VALUES (?s) { (<urn:x>) } ?s a ?c } UNION { VALUES (?s) { (<urn:x>) } ?s rdfs:label ?l } }'
    >>> bind_values("SELECT ?o WHERE { { SELECT ?s ?o WHERE { ?s ?p ?o } } }", {"s": URIRef("urn:x")}, branches=True)
    'SELECT ?o WHERE { VALUES (?s) { (<urn:x>) } { SELECT ?s ?o WHERE { VALUES (?s) { (<urn:x>) } ?s ?p ?o } } }'
    """
    if not bindings:
        return query
    names = list(bindings)
    for name in names:
        if not _VAR.match(name):
            raise ValueError(f"not a SPARQL variable name: {name!r}")
    terms = {name: term_to_sparql(bindings[name]) for name in names}
    for at, bound in _places(query, tuple(names), branches):
        block = f" VALUES ({' '.join('?' + name for name in bound)}) {{ ({' '.join(terms[n] for n in bound)}) }}"
        query = query[:at + 1] + block + query[at + 1:]
    return query


@lru_cache(maxsize=1024)
def _places(query: str, names: tuple[str, ...], branches: bool) -> tuple[tuple[int, tuple[str, ...]], ...]:
    """Where :func:`bind_values` puts its blocks, last first, and the variables of each: they depend only on
    the text and the names, so a query run again with other values (every page view, every benchmark
    run) does not read its text again character by character (a millisecond or more for a long query)."""
    where = _where_brace(query)
    places = [(where, list(names))]
    if branches:
        places += [*((at, list(names)) for at in _union_branches(query, where)), *_subqueries(query, where, list(names))]
    return tuple((at, tuple(bound)) for at, bound in sorted(places, reverse=True))  # cached: not to be changed
