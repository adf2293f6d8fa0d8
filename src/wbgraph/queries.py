"""The SPARQL query library: ``.rq`` files with a ``#+`` YAML header, parameters bound at run time.

A header says what the query answers, which parameters it takes (name, type, default, help), and what
it must return on the curated graph, so every query in the library is also a test::

    #+ summary: Mechanisms through which an external power acts, and on whom
    #+ parameters:
    #+   - name: power
    #+     type: iri
    #+     default: Russia
    #+     help: the external power (label, alternate name or IRI)
    #+ expect:
    #+   min_rows: 3
    #+   contains: [wbr:republika-srpska]
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from rdflib import XSD, Literal, URIRef
from rdflib.term import Node

from .errors import QueryError
from .guard import check_query
from .lateral import PLANS
from .lookup import resolve_entity
from .models import check_date, date_literal
from .resources import queries_dir
from .store import GraphStore, QueryResult

__all__ = [
    "PARAM_TYPES",
    "Parameter",
    "Query",
    "check_read_only",
    "explain_empty",
    "find_query",
    "list_queries",
    "parse_query_file",
    "run_query",
]

PARAM_TYPES = ("iri", "string", "integer", "date", "confidence")
_CONFIDENCE = ("stated", "alleged", "implied")
_WB = "https://w3id.org/wbgraph/ontology#"


@dataclass(frozen=True)
class Parameter:
    """One parameter of a library query."""

    name: str
    type: str = "string"
    default: Any = None
    help: str = ""

    @property
    def required(self) -> bool:
        """A parameter with no default must be given."""
        return self.default is None


@dataclass(frozen=True)
class Query:
    """A library query: its name (path under ``queries/`` without ``.rq``), header and text."""

    name: str
    text: str
    summary: str
    description: str = ""
    tags: tuple[str, ...] = ()
    parameters: tuple[Parameter, ...] = ()
    expect: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None
    tree: dict[str, str] | None = None
    relations: tuple[dict[str, str], ...] = ()


def _header(text: str, source: str) -> dict[str, Any]:
    lines = [line[2:].removeprefix(" ") for line in text.splitlines() if line.startswith("#+")]
    if not lines:
        return {}
    try:
        data = yaml.safe_load("\n".join(lines)) or {}
    except yaml.YAMLError as err:
        raise QueryError(f"the #+ header is not valid YAML: {err}", file=source) from None
    if not isinstance(data, dict):
        raise QueryError("the #+ header must be a YAML mapping", file=source)
    return data


def parse_query_file(path: Path, name: str | None = None) -> Query:
    """Read one ``.rq`` file with its header.

    >>> from wbgraph.resources import queries_dir
    >>> q = parse_query_file(queries_dir() / "actors" / "actor-profile.rq")
    >>> q.parameters[0].name, q.parameters[0].type
    ('actor', 'iri')
    """
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise QueryError(f"cannot read the query file: {err.strerror}", file=path) from None
    head = _header(text, str(path))
    params = []
    for i, item in enumerate(head.get("parameters") or []):
        if not isinstance(item, dict) or "name" not in item:
            raise QueryError(f"parameter {i + 1} needs a name", file=path)
        unknown = set(item) - {"name", "type", "default", "help"}
        if unknown:
            raise QueryError(f"parameter {item['name']!r} has unknown keys {sorted(unknown)}", file=path)
        kind = item.get("type", "string")
        if kind not in PARAM_TYPES:
            raise QueryError(f"parameter {item['name']!r} has unknown type {kind!r}", file=path,
                             hint=f"use one of {', '.join(PARAM_TYPES)}")
        params.append(Parameter(item["name"], kind, item.get("default"), item.get("help", "")))
    unknown = set(head) - {"summary", "description", "tags", "parameters", "expect", "tree", "relations", "plan"}
    if unknown:
        raise QueryError(f"unknown header keys {sorted(unknown)}", file=path)
    if "plan" in head and head["plan"] not in PLANS:
        raise QueryError(f"plan: {head['plan']!r} is not a plan wbgraph knows", file=path,
                         hint=f"use one of {', '.join(PLANS)} (see wbgraph.lateral), or leave the line out")
    relations = _relations(head.get("relations") or [], text, {p.name for p in params}, path)
    tree = head.get("tree")
    if tree is not None and not (isinstance(tree, dict) and set(tree) == {"node", "parent"}):
        raise QueryError("tree: needs exactly the keys node and parent (column names)", file=path)
    return Query(
        name=name or path.stem,
        text=text,
        summary=str(head.get("summary", "")).strip(),
        description=str(head.get("description", "")).strip(),
        tags=tuple(head.get("tags") or ()),
        parameters=tuple(params),
        expect=dict(head.get("expect") or {}),
        path=path,
        tree=tree,
        relations=relations,
    )


_RELATION_KEYS = ("subject", "predicate", "object")


def _relations(items: Any, text: str, params: set[str], path: Path) -> tuple[dict[str, str], ...]:
    """The header's ``relations``: which columns of a row read as "subject predicate object".

    Each entry names a column (or a parameter) for ``subject``, ``predicate`` and ``object``, or a
    constant as a prefixed name (``wb:memberOf``), and optionally the column that says whether the
    claim is ``negated`` and the column that names the ``claim``; ``a|b`` takes the first of the columns
    that is bound. A row whose predicate is unbound shows no relation there. Every such row must be backed by a claim with exactly those three terms
    (tests/test_faithful.py checks every query of the library).
    """
    if not isinstance(items, list):
        raise QueryError("'relations' must be a list of {subject, predicate, object} mappings", file=path)
    body = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    out = []
    for i, item in enumerate(items):
        if not isinstance(item, dict) or any(k not in item for k in _RELATION_KEYS):
            raise QueryError(f"relation {i + 1} needs subject, predicate and object", file=path,
                             hint="for example {subject: actor, predicate: predicate, object: target}")
        unknown = set(item) - {*_RELATION_KEYS, "negated", "claim"}
        if unknown:
            raise QueryError(f"relation {i + 1} has unknown keys {sorted(unknown)}", file=path)
        for key, names in item.items():
            for name in str(names).split("|"):
                if ":" in name or name in params or re.search(rf"\?{re.escape(name)}\b", body):
                    continue
                raise QueryError(f"relation {i + 1}: {key} '{name}' is neither a column nor a parameter",
                                 file=path)
        out.append({k: str(v) for k, v in item.items()})
    return tuple(out)


def list_queries(directory: Path | None = None) -> list[Query]:
    """Every query of the library, sorted by name (``topic/name``).

    >>> len(list_queries()) >= 25
    True
    """
    root = directory or queries_dir()
    return [
        parse_query_file(p, p.relative_to(root).with_suffix("").as_posix()) for p in sorted(root.rglob("*.rq"))
    ]


def find_query(name: str, directory: Path | None = None) -> Query:
    """A library query by its name (``actor-profile``) or full name (``actors/actor-profile``).

    >>> find_query("actor-profile").name
    'actors/actor-profile'
    """
    queries = list_queries(directory)
    for query in queries:
        if name in (query.name, query.name.rsplit("/", 1)[-1]):
            return query
    names = sorted({q.name.rsplit("/", 1)[-1] for q in queries})
    close = difflib.get_close_matches(name.rsplit("/", 1)[-1], names, n=3, cutoff=0.5)
    hint = f"did you mean {', '.join(close)}?" if close else "`wbgraph queries` lists them all"
    raise QueryError(f"no query called '{name}'", hint=hint)


_UPDATE_WORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}


def check_read_only(text: str) -> None:
    """Refuse SPARQL updates: the graph is read-only for queries.

    >>> check_read_only("SELECT * WHERE { ?s ?p ?o }")
    >>> check_read_only("PREFIX ex: <urn:x>  DROP ALL")
    Traceback (most recent call last):
    ...
    wbgraph.errors.QueryError: refused: DROP is a SPARQL update, and the graph is read-only here. use SELECT, ASK, CONSTRUCT or DESCRIBE
    """
    body = re.sub(r"(?m)#.*$", " ", text)
    body = re.sub(r"(?is)\b(PREFIX\s+[\w-]*:\s*<[^>]*>|BASE\s+<[^>]*>)", " ", body)
    match = re.match(r"\s*([A-Za-z]+)", body)
    if match and match.group(1).upper() in _UPDATE_WORDS:
        raise QueryError(
            f"refused: {match.group(1).upper()} is a SPARQL update, and the graph is read-only here",
            hint="use SELECT, ASK, CONSTRUCT or DESCRIBE",
        )


def _coerce(store: GraphStore, param: Parameter, value: Any) -> Node:
    text = str(value).strip()
    try:
        if param.type == "iri":
            return resolve_entity(store, text)
        if param.type == "integer":
            if not re.fullmatch(r"[+-]?\d+", text):
                raise ValueError(f"expected a whole number, got {text!r}")
            return Literal(int(text), datatype=XSD.integer)
        if param.type == "date":
            return date_literal(check_date(text))
        if param.type == "confidence":
            level = text.removeprefix("wb:").lower()
            if level not in _CONFIDENCE:
                raise ValueError(f"expected one of {', '.join(_CONFIDENCE)}, got {text!r}")
            return URIRef(_WB + level)
        return Literal(text)
    except ValueError as err:
        listed = str(err).startswith("expected one of")  # the choices are in the message already
        raise QueryError(f"parameter '{param.name}' ({param.type}): {err}",
                         hint=None if listed else param.help or None) from None
    except QueryError:
        raise
    except Exception as err:  # lookups raise NotFoundError, a WbgraphError
        if hasattr(err, "message"):
            raise QueryError(f"parameter '{param.name}': {err.message}", hint=getattr(err, "hint", None)) from None
        raise


def bind_parameters(store: GraphStore, query: Query, given: dict[str, Any]) -> dict[str, Node]:
    """Check and convert the parameters a user gave, filling in defaults."""
    known = {p.name: p for p in query.parameters}
    unknown = sorted(set(given) - set(known))
    if unknown:
        listed = ", ".join(known) or "none"
        raise QueryError(f"query '{query.name}' has no parameter {', '.join(repr(u) for u in unknown)}",
                         hint=f"its parameters: {listed}")
    bound: dict[str, Node] = {}
    for param in query.parameters:
        value = given.get(param.name, param.default)
        if value is None:
            raise QueryError(f"query '{query.name}' needs parameter '{param.name}' ({param.type})",
                             hint=f"add -p {param.name}=VALUE" + (f": {param.help}" if param.help else ""))
        bound[param.name] = _coerce(store, param, value)
    start, end = (bound.get(n) for n in ("start", "end"))
    if start is not None and end is not None and known["start"].type == known["end"].type == "date" \
            and str(start) > str(end):
        raise QueryError(f"the period of query '{query.name}' ends ({end}) before it starts ({start})",
                         hint="give -p start=EARLIER -p end=LATER")
    return bound


def defaults_used(query: Query, given: dict[str, Any]) -> list[Parameter]:
    """The parameters of ``query`` that take their default because ``given`` leaves them out.

    >>> [p.name for p in defaults_used(find_query("influence-on-country"), {})]
    ['country']
    """
    return [p for p in query.parameters if p.name not in given and p.default is not None]


def run_query(
    store: GraphStore,
    query: Query | str,
    params: dict[str, Any] | None = None,
) -> QueryResult:
    """Run a library query (by name or :class:`Query`) or SPARQL text, with parameters bound.

    >>> from wbgraph.store import load_graph
    >>> rows = run_query(load_graph(), "actor-profile", {"actor": "KFOR"}).dicts()
    >>> rows[0]["label"].value
    'KFOR'
    """
    params = dict(params or {})
    if isinstance(query, str):
        is_name = re.fullmatch(r"[\w./-]+", query.strip()) is not None
        query = find_query(query.strip()) if is_name else Query(name="(inline)", text=query, summary="")
    check_query(query.text, store.limits)
    check_read_only(query.text)
    if query.parameters or params:
        bindings = bind_parameters(store, query, params)
    else:
        bindings = {}
    try:
        return store.query(query.text, bindings)
    except QueryError as err:
        if query.path is not None and err.file is None:
            err.file = str(query.path)
        raise


_NAMED_BY = """
SELECT ?predicate ?side (COUNT(DISTINCT ?claim) AS ?claims) WHERE {
  { ?claim rdf:subject ?x BIND("subject" AS ?side) } UNION { ?claim rdf:object ?x BIND("object" AS ?side) }
  ?claim a wb:Claim ; rdf:predicate ?predicate .
} GROUP BY ?predicate ?side ORDER BY DESC(?claims) ?predicate
"""


def explain_empty(store: GraphStore, query: Query, params: dict[str, Any] | None = None) -> str:
    """Why a query with parameters found nothing: what each thing named is, and which relations its
    claims do have, so a user can pick the query that fits.

    >>> from wbgraph.store import load_graph
    >>> print(explain_empty(load_graph(), find_query("memberships"), {"actor": "Club de Berne"}))
    actor = Club de Berne (actor): no claim names it; `wbgraph brief "Club de Berne"` shows what the graph holds
    """
    from .lookup import entity_kinds, label_of

    bound = bind_parameters(store, query, dict(params or {}))
    kinds = entity_kinds(store)
    lines = []
    for param in query.parameters:
        term = bound[param.name]
        if param.type != "iri":
            continue
        label, kind = label_of(store, str(term)), kinds.get(str(term), "thing")
        rows = store.query(_NAMED_BY, {"x": term}).rows
        if not rows:
            lines.append(f"{param.name} = {label} ({kind}): no claim names it; "
                         f"`wbgraph brief \"{label}\"` shows what the graph holds")
            continue
        counts = ", ".join(f"{str(p).rsplit('#', 1)[-1]} as {side} ({int(n)})" for p, side, n in rows[:6])
        lines.append(f"{param.name} = {label} ({kind}): its claims are {counts}; "
                     f"`wbgraph brief \"{label}\"` shows them all")
    return "\n".join(lines)
