"""OPTIONAL groups phrased for Oxigraph's planner: ``OPTIONAL { … }`` becomes ``LATERAL { OPTIONAL { … } }``.

Oxigraph 0.5 evaluates an OPTIONAL group on its own, for the whole graph, and then joins it with the rows
before it (a hash join). When those rows are few and the group reads a property of them (the comment of a
claim), that reads every such property in the graph: ``OPTIONAL { ?claim rdfs:comment ?c }`` costs about
0.15 s at a million triples however few claims come before it. Inside ``LATERAL`` (SPARQL 1.2, which
Oxigraph supports) the group is evaluated once per row, with the row's values, as an index lookup.

For a group with no nested group (no ``{``: no subquery, EXISTS, GRAPH or VALUES), ``LATERAL { OPTIONAL
{ P } }`` has the same rows as ``OPTIONAL { P }``: for each row, the extensions of the row by P's
solutions that agree with it, or the row itself when there are none. Only such groups are rewritten, and
only when they mention a variable that the enclosing group names before them: a group that shares no
variable with what comes before would be evaluated in full once per row.

The rewrite is asked for by the query, with the header line ``#+ plan: lateral-optionals``: it helps
when the rows before an OPTIONAL are few, and costs when they are many (one lookup per row instead of one
pass), which only the query's author can tell. Only the Oxigraph store rewrites its queries (rdflib and
SPARQL 1.1 servers have no LATERAL); elsewhere the line is a comment.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .bindings import _close, _code, _next_brace, _skip

__all__ = ["PLANS", "lateral_optionals", "planned"]

PLANS = ("lateral-optionals",)  # the values a query's ``plan:`` header may take
_PLAN = re.compile(rf"^#\+\s*plan:\s*{PLANS[0]}\s*$", re.MULTILINE)

_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_VARIABLE = re.compile(r"[?$]([A-Za-z0-9_]+)")
_GROUP = re.compile(r"\s*\{")


def _variables(text: str) -> set[str]:
    """The variables named in ``text`` outside strings, IRIs and comments."""
    return {m.group(1) for i, ch in _code(text) if ch in "?$" and (m := _VARIABLE.match(text, i))}


@lru_cache(maxsize=256)
def lateral_optionals(query: str) -> str:
    """``query`` with each OPTIONAL group that has no nested group, and that shares a variable with what its
    enclosing group names before it, wrapped in ``LATERAL { … }``; the rows stay the same.

    >>> lateral_optionals("SELECT * WHERE { ?c a wb:Claim OPTIONAL { ?c rdfs:comment ?x } }")
    'SELECT * WHERE { ?c a wb:Claim LATERAL { OPTIONAL { ?c rdfs:comment ?x } } }'
    >>> lateral_optionals("SELECT * WHERE { ?c a wb:Claim OPTIONAL { ?d rdfs:comment ?x } }")  # nothing in common
    'SELECT * WHERE { ?c a wb:Claim OPTIONAL { ?d rdfs:comment ?x } }'
    >>> lateral_optionals('SELECT * WHERE { ?c a ?t OPTIONAL { ?c ?p ?x FILTER NOT EXISTS { ?x a ?t } } }')  # nested
    'SELECT * WHERE { ?c a ?t OPTIONAL { ?c ?p ?x FILTER NOT EXISTS { ?x a ?t } } }'
    >>> lateral_optionals('SELECT * WHERE { ?c rdfs:label "OPTIONAL { ?c }" }')  # a string is left alone
    'SELECT * WHERE { ?c rdfs:label "OPTIONAL { ?c }" }'
    """
    if "OPTIONAL" not in query.upper():
        return query
    opened: list[int] = []  # where each enclosing group opens
    wraps: list[tuple[int, int]] = []  # (where OPTIONAL starts, where its group closes)
    i = 0
    while i < len(query):
        after = _skip(query, i)
        if after != i:
            i = after
            continue
        ch = query[i]
        if ch == "{":
            opened.append(i)
        elif ch == "}":
            if opened:
                opened.pop()
        elif ch in "?$":
            m = _VARIABLE.match(query, i)
            i = m.end() if m else i + 1
            continue
        elif ch.isalpha() or ch == "_":
            m = _WORD.match(query, i)
            word_end = m.end()
            prefixed = word_end < len(query) and query[word_end] == ":" or i > 0 and query[i - 1] == ":"
            if m.group(0).upper() == "OPTIONAL" and not prefixed and opened:
                brace = _GROUP.match(query, word_end)
                if brace:
                    at = brace.end() - 1
                    close = _close(query, at)
                    nested = _next_brace(query, at + 1, close) is not None
                    before = query[opened[-1] + 1:i]
                    if not nested and _variables(query[at:close]) & _variables(before):
                        wraps.append((i, close))
                    i = close + 1
                    continue
            i = word_end
            continue
        i += 1
    for start, close in reversed(wraps):
        query = query[:start] + "LATERAL { " + query[start:close + 1] + " }" + query[close + 1:]
    return query


def planned(query: str) -> str:
    r"""``query`` as the Oxigraph store sends it: with :func:`lateral_optionals` applied when its header asks
    for it (``#+ plan: lateral-optionals``), else unchanged.

    >>> planned("#+ plan: lateral-optionals\nSELECT * WHERE { ?c a ?t OPTIONAL { ?c rdfs:comment ?x } }")
    '#+ plan: lateral-optionals\nSELECT * WHERE { ?c a ?t LATERAL { OPTIONAL { ?c rdfs:comment ?x } } }'
    >>> planned("SELECT * WHERE { ?c a ?t OPTIONAL { ?c rdfs:comment ?x } }")
    'SELECT * WHERE { ?c a ?t OPTIONAL { ?c rdfs:comment ?x } }'
    """
    return lateral_optionals(query) if _PLAN.search(query) else query
