"""Checks on a user's SPARQL text before any parser sees it: size, nesting and ``SERVICE``.

Oxigraph parses SPARQL with a recursive parser in Rust: a query nested a few thousand levels deep
overflows its stack and takes the whole process down, with no exception to catch. A cheap scan of the
tokens (strings, IRIs and comments skipped) bounds the size and the nesting first. The same scan finds
``SERVICE`` clauses, which would make the query engine send requests to other addresses: they are
refused unless the user allowed that very endpoint.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import QueryError

__all__ = ["MAX_DEPTH", "MAX_LENGTH", "QueryLimits", "check_query", "deepest_nesting", "nesting_depth"]

#: Longest SPARQL text accepted from a user (characters).
MAX_LENGTH = 200_000
#: Deepest nesting of ``{`` ``(`` ``[`` accepted from a user; the library's queries stay under 10.
MAX_DEPTH = 64

_TOKENS = re.compile(r"""
    (?P<comment>\#[^\n]*)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
               |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<open>[{(\[])
  | (?P<close>[})\]])
  | (?P<var>[?$][\w\u00b7\u0300-\u036f\u203f-\u2040]+)
  | (?P<word>[^\W\d][\w\-.]*(?::[\w\-.%:]*)?|:[\w\-.%:]*)
  | (?P<other>[^#"'<{}()\[\]?$\w:]+|.)
""", re.X | re.S)


@dataclass(frozen=True)
class QueryLimits:
    """What a user's query may be: its length, its nesting, and the ``SERVICE`` endpoints it may call.

    >>> QueryLimits(allow_service=("http://example.org/sparql",)).allow_service
    ('http://example.org/sparql',)
    """

    max_length: int = MAX_LENGTH
    max_depth: int = MAX_DEPTH
    allow_service: tuple[str, ...] = ()


def nesting_depth(text: str) -> int:
    """The deepest nesting of brackets in SPARQL text, not counting those inside strings, IRIs or comments.

    >>> nesting_depth('SELECT * WHERE { ?s ?p "{{{" FILTER((1)) }')
    3
    """
    depth = deepest = 0
    for match in _TOKENS.finditer(text):
        kind = match.lastgroup
        if kind == "open":
            depth += 1
            deepest = max(deepest, depth)
        elif kind == "close":
            depth -= 1
    return deepest


_JSON_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[{]|[\]}]')


def deepest_nesting(text: str, limit: int) -> tuple[int, int | None, int | None]:
    """How deep the brackets of JSON (or JSON-LD) text nest, stopping one level past ``limit``; with the
    line and column where the limit was passed (None when it was not).

    >>> deepest_nesting('{"a": [[1], "]]]"]}', 10)
    (3, None, None)
    >>> deepest_nesting("[" * 50, 10)
    (11, 1, 11)
    """
    depth = deepest = 0
    for match in _JSON_TOKENS.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            deepest = max(deepest, depth)
            if depth > limit:
                return depth, *_line_column(text, match.start())
        elif token in "]}":
            depth -= 1
    return deepest, None, None


def _line_column(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def check_query(text: str, limits: QueryLimits | None = None) -> None:
    """Refuse SPARQL text that is too long, nested too deeply, or calls a ``SERVICE`` not allowed.

    >>> check_query("SELECT * WHERE { ?s ?p ?o }")
    >>> check_query("SELECT * WHERE " + "{" * 100 + "}" * 100)
    Traceback (most recent call last):
    ...
    wbgraph.errors.QueryError: the query nests brackets 100 levels deep (level 65 at line 1, column 80); at most 64 are accepted. flatten the query: fewer nested groups, OPTIONALs or parentheses
    >>> check_query("SELECT * WHERE { SERVICE <http://127.0.0.1:8080/sparql> { ?s ?p ?o } }")
    Traceback (most recent call last):
    ...
    wbgraph.errors.QueryError: SERVICE <http://127.0.0.1:8080/sparql> at line 1, column 18 is refused: queries make no requests to other addresses. remove the SERVICE clause, or allow that endpoint explicitly (wbgraph --allow-service URL)
    """
    limits = limits or QueryLimits()
    if len(text) > limits.max_length:
        raise QueryError(f"the query is {len(text):,} characters long; at most {limits.max_length:,} are accepted",
                         hint="shorten the query, or load large value lists as a file with --with")
    _check_tokens(text, limits)
    if _ESCAPE.search(text):  # rdflib expands \u escapes anywhere in a query, before it parses it
        _check_tokens(_ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text), limits)


_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def _check_tokens(text: str, limits: QueryLimits) -> None:
    depth = 0
    tokens = _TOKENS.finditer(text)
    for match in tokens:
        kind = match.lastgroup
        if kind == "open":
            depth += 1
            if depth > limits.max_depth:
                line, column = _line_column(text, match.start())
                deepest = nesting_depth(text)
                raise QueryError(f"the query nests brackets {deepest} levels deep (level {limits.max_depth + 1} "
                                 f"at line {line}, column {column}); at most {limits.max_depth} are accepted",
                                 line=line, column=column,
                                 hint="flatten the query: fewer nested groups, OPTIONALs or parentheses")
        elif kind == "close":
            depth -= 1
        elif kind == "word" and match.group().upper() == "SERVICE":
            _check_service(text, match, tokens, limits)


def _check_service(text: str, keyword: re.Match, tokens, limits: QueryLimits) -> None:
    target = None
    for match in tokens:
        if match.lastgroup in ("comment",) or (match.lastgroup == "other" and not match.group().strip()):
            continue
        if match.lastgroup == "word" and match.group().upper() == "SILENT":
            continue
        target = match
        break
    line, column = _line_column(text, keyword.start())
    shown = target.group() if target is not None else "(nothing)"
    if target is not None and target.lastgroup == "iri" and target.group()[1:-1] in limits.allow_service:
        return
    hint = "remove the SERVICE clause, or allow that endpoint explicitly (wbgraph --allow-service URL)"
    if target is not None and target.lastgroup != "iri":
        hint = "name an allowed endpoint as a full IRI in angle brackets, or remove the SERVICE clause"
    raise QueryError(f"SERVICE {shown} at line {line}, column {column} is refused: queries make no requests "
                     "to other addresses", line=line, column=column, hint=hint)
