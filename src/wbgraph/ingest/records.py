"""Rows to records: resolve every name, build the pydantic model, and check the row against the rest of
the file and the store (duplicates, claims and actors that already exist, line numbers past the end).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

from pydantic import ValidationError
from rdflib import Graph, URIRef

from ..lookup import fold_name as fold
from ..models import Actor, Claim, Source, to_rdf
from ..namespaces import WB_IRI, WBR_IRI, shorten
from ..validate import Issue
from .columns import LABEL_COLUMNS, fields_of
from .reader import Row
from .resolver import ResolveError, Resolver, _looks_like_iri

__all__ = ["Built", "build_records", "claim_slug", "records_graph", "slug"]

_SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_LINES = re.compile(r"^\s*(\d+)\s*(?:[-–]\s*(\d+))?\s*$")
_RAW = {"line_start", "line_end", "line_count", "footnote", "negated", "credibility"}
_ENTITY_FIELDS = {
    "claims": {"subject": "entity", "object": "entity", "source": "source", "mechanisms": "mechanism",
               "sectors": "sector", "targets": "actor", "threats": "threat", "vulnerabilities": "vulnerability",
               "further_sources": "source"},
    "sources": {"cited_in": "source"},
    "actors": {},
}
_LABEL_OF = LABEL_COLUMNS
_LABELLED = {label: name for name, label in LABEL_COLUMNS.items()}
_MODELS = {"actors": Actor, "sources": Source, "claims": Claim}


@dataclass
class Built:
    """The outcome of one row: its record when it is valid, and every problem found in it."""

    row: Row
    record: Actor | Source | Claim | None = None
    problems: list[Issue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the row has no error (warnings allowed)."""
        return self.record is not None and not any(p.severity == "error" for p in self.problems)


def slug(text: str) -> str:
    """A lower-case, hyphenated slug of a name.

    >>> slug("Türkiye's Office (Ankara)")
    'turkiyes-office-ankara'
    """
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold().replace("'", "")
    return "-".join(re.findall(r"[a-z0-9]+", text))


def claim_slug(subject: str, predicate: str, obj: str, source: str, start: object, end: object,
               locator: object) -> str:
    """A stable claim IRI from its content: the same claim always gets the same IRI.

    >>> claim_slug("urn:a", "urn:p", "urn:b", "urn:d", 3, 4, None)
    'https://w3id.org/wbgraph/id/claim-76b0f2e07d0c'
    """
    key = "|".join(str(x) for x in (subject, predicate, obj, source, start, end, locator))
    return f"{WBR_IRI}claim-{hashlib.sha1(key.encode('utf-8')).hexdigest()[:12]}"


def _file_name(graph_uri: str) -> str:
    return Path(unquote(urlparse(graph_uri).path)).name if graph_uri.startswith("file:") else graph_uri


class _Builder:
    def __init__(self, rows: list[Row], resolver: Resolver, path: Path) -> None:
        self.rows, self.resolver, self.path = rows, resolver, path
        self.store = resolver.store
        self.line_counts = {str(s): int(n) for s, n in self.store.query(
            "SELECT ?s ?n WHERE { ?s wb:lineCount ?n }").rows}
        self.store_claims: dict[tuple, str] = {}
        for c, *key in self.store.query(
                "SELECT ?c ?s ?p ?o ?src ?a ?b ?loc WHERE { ?c a wb:Claim ; rdf:subject ?s ; rdf:predicate ?p ; "
                "rdf:object ?o OPTIONAL { ?c prov:wasDerivedFrom ?src } OPTIONAL { ?c wb:lineStart ?a } "
                "OPTIONAL { ?c wb:lineEnd ?b } OPTIONAL { ?c wb:locator ?loc } }").rows:
            self.store_claims[tuple(None if k is None else str(k) for k in key)] = str(c)
        self.claim_iris = set(self.store_claims.values())
        self.seen_ids: dict[str, int] = {}
        self.seen_keys: dict[tuple, int] = {}

    # -- problems ----------------------------------------------------------------------------------

    def issue(self, built: Built, name: str | None, code: str, message: str, hint: str | None = None,
              severity: str = "error") -> None:
        heading, line, column = built.row.place(name) if name else ("", built.row.line, None)
        prefix = f"column '{heading}': " if name else ""
        built.problems.append(Issue(severity, code, prefix + message, file=str(built.row.file or self.path), line=line,
                                    column=column, hint=hint))

    def where(self, iri: str) -> str:
        files = [_file_name(g) for g in self.store.graph_names(URIRef(iri))]
        return f" in {', '.join(files)}" if files else ""

    # -- fields ------------------------------------------------------------------------------------

    def values(self, built: Built) -> dict[str, object]:
        """The row's values as the model expects them: names resolved, lists split, ids expanded."""
        row, kind = built.row, built.row.kind
        spec = fields_of(kind)
        data: dict[str, object] = {}
        for name, value in row.values.items():
            target = _LABELLED.get(name)
            if target and kind == "claims":
                if target not in row.values:
                    data[target] = self.resolve(built, name, value, _ENTITY_FIELDS[kind][target])
                continue
            if name == "lines":
                match = _LINES.match(str(value))
                if match:
                    data["line_start"], data["line_end"] = int(match.group(1)), int(match.group(2) or match.group(1))
                else:
                    data["locator"] = str(value)
                continue
            f = spec[name]
            if f.is_list:
                items = value if isinstance(value, list) else [v for v in str(value).split(";")]
                items = [str(v).strip() for v in items if str(v).strip()]
            elif isinstance(value, list):
                self.issue(built, name, "invalid", "holds a list but takes one value", "give one value")
                continue
            else:
                items = None
            kind_of = _ENTITY_FIELDS[kind].get(name)
            if name == "class":
                term = "actor class" if kind == "actors" else "source class"
                data["classes"] = [c for c in (self.term(built, name, v, term) for v in items) if c]
            elif name == "id":
                continue
            elif kind_of and items is not None:
                data[name] = [r for r in (self.resolve(built, name, v, kind_of) for v in items) if r]
            elif kind_of:
                data[name] = self.resolve(built, name, value, kind_of)
                self.check_label(built, name, str(data[name] or ""))
            elif name == "predicate":
                data[name] = self.term(built, name, value, "predicate", local=False)
            elif name == "confidence":
                data[name] = self.term(built, name, value, "confidence")
            elif items is not None:
                data[name] = items
            else:
                data[name] = value if name in _RAW else str(value)
        return data

    def resolve(self, built: Built, name: str, value: object, kind: str) -> str | None:
        try:
            return str(self.resolver.entity(str(value), kind))
        except ResolveError as err:
            self.issue(built, name, err.code, err.message, err.hint)
            return None

    def term(self, built: Built, name: str, value: object, kind: str, *, local: bool = True) -> str | None:
        try:
            iri = self.resolver.term(str(value), kind)
        except ResolveError as err:
            self.issue(built, name, err.code, err.message, err.hint)
            return None
        return iri[len(WB_IRI):] if local and iri.startswith(WB_IRI) else iri

    def check_label(self, built: Built, name: str, iri: str) -> None:
        """Warn when an edited ``*_label`` column no longer names the entity of its IRI column."""
        label_column = _LABEL_OF.get(name)
        label = built.row.values.get(label_column) if label_column else None
        if not iri or not label:
            return
        named = {i for names in (self.resolver.names, self.resolver.local_names)
                 for i in names.get(fold(str(label)), {})}
        if iri not in named:
            self.issue(built, label_column, "label-mismatch", f"'{label}' is not a name of {shorten(iri)}; "
                       f"the IRI in column '{built.row.place(name)[0]}' was used",
                       "clear the IRI cell to look the entity up by this label", severity="warning")

    def make_iri(self, built: Built, data: dict[str, object]) -> str | None:
        given = built.row.values.get("id")
        if given is not None:
            text = str(given).strip()
            if _looks_like_iri(text):
                return self.resolver.expand(text)
            if _SLUG.match(text):
                return WBR_IRI + text
            self.issue(built, "id", "invalid", f"'{text}' is neither an IRI nor a slug",
                       "use lower-case letters, digits and hyphens (it becomes wbr:<id>), or a full IRI")
            return None
        if built.row.kind == "claims":
            return claim_slug(*(data.get(k) for k in ("subject", "predicate", "object", "source", "line_start",
                                                       "line_end", "locator")))
        name = slug(str(data.get("label") or ""))
        return WBR_IRI + name if name else None

    # -- rows --------------------------------------------------------------------------------------

    def build(self, row: Row) -> Built:
        built = Built(row, problems=list(row.problems))
        for f in fields_of(row.kind).values():
            label_column = _LABEL_OF.get(f.name) if row.kind == "claims" else None
            if f.required and f.name not in row.values and not (label_column and label_column in row.values):
                self.issue(built, f.name, "missing", "a value is required here", f"give {f.doc}")
        if row.kind == "claims" and not {"line_start", "locator", "lines"} & set(row.values):
            self.issue(built, "line_start", "missing", "the claim has no locator",
                       "give line_start and line_end (the lines of the source), or a locator")
        data = self.values(built)
        if built.problems and any(p.severity == "error" for p in built.problems):
            return built
        iri = self.make_iri(built, data)
        if iri is None:
            if not built.problems:
                self.issue(built, "label", "invalid", "cannot make an id from this label", "give an id")
            return built
        try:
            record = _MODELS[row.kind].model_validate({"iri": iri, **data})
        except ValidationError as err:
            for problem in err.errors():
                loc = [str(x) for x in problem["loc"] if not str(x).isdigit()]
                name = "class" if loc and loc[0] == "classes" else (loc[0] if loc else None)
                message = problem["msg"].removeprefix("Value error, ")
                self.issue(built, name if name in row.where else None, "invalid", message,
                           "fix the value" if name else "fix the row")
            return built
        getattr(self, f"check_{row.kind}")(built, record)
        if not any(p.severity == "error" for p in built.problems):
            built.record = record
        return built

    def check_actors(self, built: Built, record: Actor) -> None:
        self.check_new_entity(built, record, "actor")

    def check_sources(self, built: Built, record: Source) -> None:
        if "Document" in record.classes and not record.file_name:
            self.issue(built, "file_name", "missing", "a Document needs the name of its text file",
                       "give file_name: the file whose lines the claims cite")
        self.check_new_entity(built, record, "source")

    def check_new_entity(self, built: Built, record: Actor | Source, kind: str) -> None:
        if record.iri in self.seen_ids:
            self.issue(built, "id" if "id" in built.row.values else "label", "duplicate",
                       f"{shorten(record.iri)} is already defined on line {self.seen_ids[record.iri]}",
                       "give each record its own id, or merge the two rows")
            return
        rows = self.store.query('SELECT ?l ?d WHERE { OPTIONAL { ?x rdfs:label ?l FILTER(LANGMATCHES(LANG(?l), "en")) } '
                                'OPTIONAL { ?x rdfs:comment ?d FILTER(LANGMATCHES(LANG(?d), "en")) } }',
                                {"x": URIRef(record.iri)}).rows
        label, description = rows[0] if rows else (None, None)
        if label is not None and str(label) != record.label:
            self.issue(built, "label", "exists", f"{shorten(record.iri)} already exists{self.where(record.iri)} "
                       f"labelled '{label}'", "give another id, or use the same label to add names or classes to it")
        elif description is not None and getattr(record, "description", None) not in (None, str(description)):
            self.issue(built, "description", "exists", f"{shorten(record.iri)} already has a description"
                       f"{self.where(record.iri)}", "leave the description empty or copy the existing one")
        others = {i: lab for i, lab in self.resolver.names.get(fold(record.label), {}).items() if i != record.iri}
        if others:
            listed = ", ".join(f"{lab} ({shorten(i)})" for i, lab in sorted(others.items()))
            self.issue(built, "label", "duplicate-label", f"'{record.label}' is already a name of {listed}",
                       "if they are one entity, give its IRI as id", severity="warning")
        if not any(p.severity == "error" for p in built.problems):
            self.seen_ids[record.iri] = built.row.line
            self.resolver.define(record.iri, kind, [record.label, *getattr(record, "alt_labels", []),
                                                    record.iri, shorten(record.iri)], record.label)

    def check_claims(self, built: Built, record: Claim) -> None:
        key = (record.subject, record.predicate, record.object, record.source,
               *(None if x is None else str(x) for x in (record.line_start, record.line_end, record.locator)))
        if key in self.seen_keys:
            self.issue(built, None, "duplicate", f"same subject, predicate, object, source and lines as the claim "
                       f"on line {self.seen_keys[key]}", "remove one of the two rows")
            return
        if record.iri in self.seen_ids:
            self.issue(built, "id", "duplicate", f"id {shorten(record.iri)} is already used on line "
                       f"{self.seen_ids[record.iri]}", "give each claim its own id (or leave id empty)")
            return
        existing = self.store_claims.get(key)
        if existing is not None and existing != record.iri:
            self.issue(built, None, "duplicate", f"the graph already has this claim as {shorten(existing)}"
                       f"{self.where(existing)}", "remove the row, or give it that id")
            return
        if record.iri in self.claim_iris:
            self.compare_existing(built, record)
        end = record.line_end
        count = self.line_counts.get(record.source)
        if end is not None and count is not None and end > count:
            self.issue(built, "line_end" if "line_end" in built.row.where else "lines", "locator",
                       f"line {end} lies beyond the end of {shorten(record.source)} ({count} lines)",
                       "check the line numbers against the source file")
        if not any(p.severity == "error" for p in built.problems):
            self.seen_keys[key] = self.seen_ids[record.iri] = built.row.line

    def compare_existing(self, built: Built, record: Claim) -> None:
        """A claim that the store already holds may come back unchanged, never changed: an overlay
        can only add triples, and two versions of one claim would merge into an invalid one."""
        carried = set()
        for name in built.row.where:
            name = _LABELLED.get(name, name)
            if name == "lines":
                carried |= {"line_start", "line_end", "locator"}
            elif name in Claim.model_fields:
                carried.add(name)
        predicates = {(Claim.model_fields[n].json_schema_extra or {}).get("predicate") for n in carried} - {None}
        mine = {t for t in to_rdf(record) if t[1] in predicates}
        theirs_graph = self.store.query("CONSTRUCT { ?c ?p ?o } WHERE { ?c ?p ?o }", {"c": URIRef(record.iri)}).graph
        theirs = {t for t in theirs_graph if t[1] in predicates}
        if mine != theirs:
            changed = sorted({shorten(str(p)) for _, p, _ in mine ^ theirs})
            self.issue(built, "id", "exists", f"claim {shorten(record.iri)} already exists{self.where(record.iri)} "
                       f"and this row changes {', '.join(changed)}",
                       f"an overlay adds claims and cannot change them: edit the claim{self.where(record.iri)}, or "
                       "clear the id to add a new claim (from other lines: one claim per passage)")


def build_records(rows: list[Row], resolver: Resolver, path: Path) -> list[Built]:
    """Every row built and checked, actors and sources first so that claims can name them."""
    builder = _Builder(rows, resolver, path)
    order = {"actors": 0, "sources": 1, "claims": 2}
    done = [builder.build(row) for row in sorted(rows, key=lambda r: (order[r.kind], r.line))]
    return sorted(done, key=lambda b: b.row.line)


def records_graph(built: list[Built]) -> Graph:
    """The triples of every valid record."""
    graph = Graph()
    for item in built:
        if item.ok:
            graph += to_rdf(item.record)
    return graph

