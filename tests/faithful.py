"""The promise every view keeps: a relation shown as "subject predicate object" is a claim.

Views report what they show as :class:`Shown` records (read from a query's rows through its
``relations`` header, from a page's markup, from a path's hops, from an export file); a
:class:`ClaimIndex` of the store says which of them no claim backs. tests/test_faithful.py runs it
over every view.
"""

from __future__ import annotations

import html.parser
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit

from rdflib import URIRef

from wbgraph.namespaces import PREFIXES, WB_IRI, WBR_IRI, shorten
from wbgraph.queries import Query
from wbgraph.store import GraphStore, QueryResult

_CLAIMS = """
SELECT ?claim ?s ?p ?o ?negated WHERE {
  ?claim a wb:Claim ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
  OPTIONAL { ?claim wb:negated ?negated }
}
"""


@dataclass(frozen=True)
class Shown:
    """One relation as a view shows it: IRIs of its three terms, whether it is shown as denied, and the
    claims the view names for it (empty when it names none)."""

    subject: str
    predicate: str
    object: str
    denied: bool = False
    claims: tuple[str, ...] = ()
    where: str = ""

    def __str__(self) -> str:
        text = f"{shorten(self.subject)} {shorten(self.predicate)} {shorten(self.object)}"
        return f"{self.where}: {'NOT ' if self.denied else ''}{text}"


def expand(term: str) -> str:
    """A prefixed name or a local predicate name ("supports") as a full IRI."""
    if term.startswith(("http://", "https://", "urn:")):
        return term
    prefix, sep, local = term.partition(":")
    if sep and prefix in PREFIXES:
        return PREFIXES[prefix] + local
    return WB_IRI + term


class ClaimIndex:
    """Every claim of a store by its (subject, predicate, object), asserted and denied apart."""

    def __init__(self, store: GraphStore) -> None:
        self.triples: dict[tuple[str, str, str], dict[bool, set[str]]] = defaultdict(lambda: {False: set(), True: set()})
        self.claims: dict[str, tuple[str, str, str, bool]] = {}
        for claim, s, p, o, negated in store.query_text(_CLAIMS):
            denied = negated in ("true", "1")
            self.triples[(s, p, o)][denied].add(claim)
            self.claims[claim] = (s, p, o, denied)
        self.predicates = {p for (_, p, _) in self.triples}

    def problems(self, shown: Iterable[Shown]) -> list[str]:
        """What no claim backs, one line each (empty when every relation shown is a claim)."""
        out = []
        for item in shown:
            triple = (item.subject, item.predicate, item.object)
            backing = self.triples.get(triple, {False: set(), True: set()})[item.denied]
            if not backing:
                other = self.triples.get(triple, {}).get(not item.denied)
                why = ("only a denial of it exists" if other and not item.denied
                       else "only an assertion of it exists" if other else "no claim has these three terms")
                out.append(f"{item}: {why}")
                continue
            for claim in item.claims:
                if claim not in self.claims:
                    out.append(f"{item}: names {shorten(claim)}, which is not a claim")
                elif self.claims[claim] != (*triple, item.denied):
                    s, p, o, denied = self.claims[claim]
                    out.append(f"{item}: names {shorten(claim)}, which says "
                               f"{'NOT ' if denied else ''}{shorten(s)} {shorten(p)} {shorten(o)}")
        return out


def _truthy(term) -> bool:
    return term is not None and str(term).lower() in ("true", "1")


def shown_by_query(query: Query, result: QueryResult, bindings: Mapping[str, object]) -> list[Shown]:
    """The relations a library query's rows show, read through its ``relations`` header."""
    columns = {name: i for i, name in enumerate(result.vars)}

    def value(row, spec: str):
        for name in spec.split("|"):
            if ":" in name and name not in columns:
                return URIRef(expand(name))
            if name in columns and row[columns[name]] is not None:
                return row[columns[name]]
            if name in bindings:
                return bindings[name]
        return None

    out = []
    for n, row in enumerate(result.rows):
        for spec in query.relations:
            s, p, o = (value(row, spec[key]) for key in ("subject", "predicate", "object"))
            if p is None:
                continue  # this row shows no relation in this place (an optional hop, say)
            where = f"{query.name} row {n + 1}"
            if s is None or o is None:
                out.append(Shown(str(s), str(p), str(o), where=where + " (a term of the relation is missing)"))
                continue
            claim = value(row, spec["claim"]) if "claim" in spec else None
            out.append(Shown(str(s), str(p), str(o), denied=_truthy(value(row, spec["negated"])) if "negated" in spec else False,
                             claims=(str(claim),) if claim is not None else (), where=where))
    return out


def undeclared_columns(query: Query, result: QueryResult, index: ClaimIndex) -> list[str]:
    """Columns that hold relation predicates or claims without the header saying which relation they
    belong to: a row could read as a relation that no check covers."""
    declared_p = {name for spec in query.relations for name in spec["predicate"].split("|")}
    declared_c = {name for spec in query.relations for name in spec.get("claim", "").split("|")}
    out = []
    for i, name in enumerate(result.vars):
        values = {str(row[i]) for row in result.rows if isinstance(row[i], URIRef)}
        if values & index.predicates and name not in declared_p:
            out.append(f"{query.name}: column '{name}' holds relations but is no predicate in #+ relations")
        if values & set(index.claims) and name not in declared_c:
            out.append(f"{query.name}: column '{name}' holds claims but is no claim in #+ relations")
    return out


# --- pages: the markup of a relation ------------------------------------------------------------

def iri_of_href(href: str) -> str | None:
    """The IRI a link of the server points at (``/id/<slug>``, ``/entity?iri=``), else None."""
    parts = urlsplit(href)
    if parts.path.startswith("/id/"):
        return WBR_IRI + unquote(parts.path[len("/id/"):])
    if parts.path == "/entity":
        return parse_qs(parts.query).get("iri", [None])[0]
    return None


class _RelationMarkup(html.parser.HTMLParser):
    """Collects elements marked ``data-rel`` (a shown relation) and the terms inside or around them:
    an element with class ``rel-s``, ``rel-p``, ``rel-o`` or ``rel-claim`` gives its ``data-iri`` or the
    IRI of its link; ``rel-denied`` marks a denial. A term not inside the relation's element comes
    from the nearest enclosing ``data-rel-scope`` element that has one."""

    ROLES = ("rel-s", "rel-p", "rel-o", "rel-claim", "rel-denied")
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[dict] = []
        self.relations: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        frame = {"tag": tag, "terms": defaultdict(list), "rel": "data-rel" in attrs,
                 "scope": "data-rel-scope" in attrs}
        classes = set((attrs.get("class") or "").split())
        for role in self.ROLES:
            if role in classes:
                iri = attrs.get("data-iri") or (iri_of_href(attrs["href"]) if attrs.get("href") else None)
                target = next((f for f in reversed(self.stack) if f["rel"] or f["scope"]), None)
                if target is not None:
                    target["terms"][role].append(iri or "")
        if tag in self.VOID:
            return
        self.stack.append(frame)

    def handle_endtag(self, tag):
        while self.stack:
            frame = self.stack.pop()
            if frame["rel"]:
                terms = {role: list(values) for role, values in frame["terms"].items()}
                for outer in reversed(self.stack):
                    if outer["scope"]:
                        for role, values in outer["terms"].items():
                            terms.setdefault(role, list(values))
                self.relations.append(terms)
            if frame["tag"] == tag:
                break


def shown_by_page(text: str, where: str) -> list[Shown]:
    """The relations a page of the server shows, read from its ``data-rel`` markup."""
    parser = _RelationMarkup()
    parser.feed(text)
    parser.close()
    out = []
    for n, terms in enumerate(parser.relations):
        s, p, o = (terms.get(role, [""])[0] for role in ("rel-s", "rel-p", "rel-o"))
        out.append(Shown(s, p, o, denied="rel-denied" in terms, claims=tuple(c for c in terms.get("rel-claim", []) if c),
                         where=f"{where} relation {n + 1}"))
    return out
