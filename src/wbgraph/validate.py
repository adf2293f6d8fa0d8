"""Validation: syntax, the closed vocabulary, SHACL shapes and model rules, returned as a report.

Validation never exits or prints: it returns a :class:`Report`, and the caller (usually the command
line) decides what to do with it. Every issue names the file and line where it can be fixed, where
they are known, and the node it is about.
"""

from __future__ import annotations

import difflib
import json
import logging
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlparse
from urllib.request import url2pathname

from pydantic import ValidationError
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from .errors import WbgraphError
from .models import Claim, check_date, from_rdf
from .namespaces import DERIVED_GRAPH, WB_IRI, shorten
from .resources import graph_files, ontology_files, shapes_file
from .profiling import steps_of
from .validation_cache import prefix_keys, recall, remember
from .store import GraphStore, load_graph, open_store
from .validation_graphs import file_triples, model_graph, shacl_graph
from .vocabgen import ontology_terms

__all__ = ["Issue", "Report", "expand_paths", "validate", "validate_files", "validate_loaded", "validate_store"]


@dataclass(frozen=True)
class Issue:
    """One problem found in the data."""

    severity: str
    code: str
    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None
    node: str | None = None
    hint: str | None = None

    def location(self) -> str:
        """``file:line:column`` as far as known."""
        if not self.file:
            return ""
        parts = [self.file] + [str(x) for x in (self.line, self.column) if x is not None]
        return ":".join(parts)

    def to_text(self) -> str:
        """One line for a person: where, what, which node, what to do."""
        where = self.location()
        text = f"{where}: " if where else ""
        text += f"{self.severity}: {self.message}"
        if self.node:
            text += f" [{self.node}]"
        if self.hint:
            text += f" -- {self.hint}"
        return text


@dataclass
class Report:
    """The outcome of a validation: the issues, the files checked and a few counts."""

    files: list[str] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    triples: int = 0

    @property
    def errors(self) -> list[Issue]:
        """The issues of severity ``error``."""
        return [i for i in self.issues if i.severity == "error"]

    @property
    def warnings(self) -> list[Issue]:
        """The issues of severity ``warning``."""
        return [i for i in self.issues if i.severity == "warning"]

    @property
    def ok(self) -> bool:
        """True when there is no error (warnings allowed)."""
        return not self.errors

    def to_dict(self) -> dict:
        """A JSON-ready summary."""
        return {
            "ok": self.ok,
            "files": self.files,
            "triples": self.triples,
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "issues": [asdict(i) for i in self.issues],
        }

    def to_json(self) -> str:
        """The report as indented JSON."""
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)

    def to_text(self) -> str:
        """The report for a person: one line per issue, then a summary line."""
        lines = [issue.to_text() for issue in self.issues]
        verdict = "valid" if self.ok else "INVALID"
        unread = {i.file for i in self.errors if i.code in ("syntax", "file")}
        files = f"{len(self.files)} file(s)" + (f" ({len(unread)} not loaded)" if unread else "")
        lines.append(
            f"{verdict}: {files}, {self.triples} triples loaded with the ontology, "
            f"{len(self.errors)} error(s), {len(self.warnings)} warning(s)"
        )
        return "\n".join(lines)


_RDF_SUFFIXES = {".ttl", ".turtle", ".nt", ".nq", ".trig", ".rdf", ".owl", ".xml", ".jsonld", ".n3"}


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files named directly, and the RDF files inside named directories (sorted).

    >>> [p.name for p in expand_paths(["ontology"])]
    ['disarm.ttl', 'shapes.ttl', 'wbgraph.ttl']
    """
    out: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            out.extend(sorted(p for p in path.iterdir() if p.suffix.lower() in _RDF_SUFFIXES))
        else:
            out.append(path)
    return out


class _Locator:
    """Finds the file and line where a node is described, for messages."""

    def __init__(self, store: GraphStore, files: list[Path], checked: Iterable[Path] = ()) -> None:
        self.store = store
        self.by_uri = {p.resolve().as_uri(): p for p in files}
        # A node described in several files is reported where the files under check describe it:
        # those not checked before first, then in the order given (never by where the files happen to lie).
        done = {Path(p).resolve().as_uri() for p in checked}
        order = {uri: (uri in done, i) for i, uri in enumerate(self.by_uri)}
        self._rank = lambda uri: order.get(uri, (True, len(order)))
        self._texts: dict[Path, list[str]] = {}

    def _lines(self, path: Path) -> list[str]:
        if path not in self._texts:
            try:
                self._texts[path] = path.read_text(encoding="utf-8").split("\n")
            except (OSError, UnicodeDecodeError):
                self._texts[path] = []
        return self._texts[path]

    def find(self, node: Node | None) -> tuple[str | None, int | None]:
        if not isinstance(node, URIRef):
            return None, None
        for graph_name in sorted(self.store.graph_names(node), key=self._rank):
            path = self.by_uri.get(graph_name)
            if path is None:
                continue
            return str(path), self.line_of(path, str(node))
        return None, None

    def line_of(self, path: Path, iri: str) -> int | None:
        lines = self._lines(path)
        forms = [f"<{iri}>"]
        prefix_re = re.compile(r"@prefix\s+([\w-]*):\s*<([^>]*)>", re.IGNORECASE)
        for line in lines:
            for prefix, ns in prefix_re.findall(line):
                if iri.startswith(ns) and len(iri) > len(ns):
                    forms.append(f"{prefix}:{iri[len(ns):]}")
        pattern = re.compile(
            "|".join(re.escape(f) + (r"(?![\w-])" if not f.endswith(">") else "") for f in forms)
        )
        first_any = None
        for number, line in enumerate(lines, start=1):
            match = pattern.search(line)
            if match:
                if not line[: match.start()].strip():
                    return number
                first_any = first_any or number
        return first_any


def validate(
    paths: Iterable[str | Path] = (),
    *,
    curated: bool | None = None,
    backend: str = "oxigraph",
) -> Report:
    """Check files (and, by default when no file is named, the curated graph) against the ontology.

    >>> report = validate()
    >>> report.ok
    True
    """
    files = expand_paths(paths)
    if curated is None:
        curated = not files
    if curated:
        files = list(graph_files()) + files
    report, _ = validate_files(files, backend=backend)
    return report


def validate_files(files: list[Path], *, backend: str = "oxigraph", store: GraphStore | None = None,
                   reuse: bool = False, profile=None, check: bool = True) -> tuple[Report, GraphStore | None]:
    """Load the ontology and ``files`` into a fresh store (or into ``store``) and check them; return the
    report and the store (None when a file could not be loaded).

    With ``reuse``, files that ``store`` already holds (an on-disk store from an earlier run) are not
    loaded again. ``profile`` (a :class:`wbgraph.profiling.Profile`) times loading and checking apart.
    With ``check=False`` the files are only loaded (the report has syntax errors only); :func:`check_files`
    then checks them, perhaps in another process.
    """
    with _quiet_rdflib():
        return _validate_files(files, backend, store, reuse, profile, check)


def check_files(store: GraphStore, files: list[Path]) -> list[Issue]:
    """The issues of ``files``, loaded into ``store`` by ``validate_files(..., check=False)``."""
    with _quiet_rdflib():
        return _checked_in_stages(store, files)


def validate_loaded(store: GraphStore) -> Report:
    """Check what ``store`` holds as it is (a remote endpoint filled by ``wbgraph push``, say): every
    graph loaded from a file, except the ontology's, is checked against the rest.

    >>> report = validate_loaded(load_graph([], curated=False))
    >>> report.ok, report.files
    (True, [])
    """
    ontology_uris = {p.resolve().as_uri() for p in ontology_files()}
    uris = sorted(store.file_graphs() - ontology_uris)
    files = [Path(url2pathname(urlparse(uri).path)) for uri in uris]
    report = Report(files=[str(p) for p in files], triples=len(store))
    with _quiet_rdflib():
        report.issues.extend(validate_store(store, files))
    return report


@contextmanager
def _quiet_rdflib() -> Iterator[None]:
    rdflib_log = logging.getLogger("rdflib.term")
    level = rdflib_log.level
    rdflib_log.setLevel(logging.CRITICAL)  # ill-typed literals are reported as issues, not logged
    try:
        yield
    finally:
        rdflib_log.setLevel(level)


def _validate_files(files: list[Path], backend: str, store: GraphStore | None,
                    reuse: bool, profile, check: bool = True) -> tuple[Report, GraphStore | None]:
    step = steps_of(profile)
    with step("load"):
        report, store, loaded, failed = _load_files(files, backend, store, reuse)
    if failed:
        return report, None
    with step("derive edges"):
        if loaded or not store.count_graph(DERIVED_GRAPH):
            store.derive_edges()
            if store.oxigraph is not None and store.path is not None:
                store.oxigraph.flush()
    if check:
        with step("validate"):
            report.issues.extend(_checked_in_stages(store, files))
    return report, store


def _load_files(files: list[Path], backend: str, store: GraphStore | None, reuse: bool):
    report = Report(files=[str(p) for p in files])
    store = store if store is not None else open_store(backend)
    loaded, failed = 0, False
    for path in list(ontology_files()) + list(files):
        if reuse and store.has_graph(path):
            store.files.append(Path(path))
            continue
        try:
            store.load(path)
            loaded += 1
        except WbgraphError as err:
            failed = True
            code = "syntax" if err.line is not None else "file"
            report.issues.append(
                Issue("error", code, err.message, file=err.file, line=err.line, column=err.column, hint=err.hint)
            )
    report.triples = len(store)
    return report, store, loaded, failed


def _checked_in_stages(store: GraphStore, files: list[Path]) -> list[Issue]:
    """The issues of ``files``, reusing earlier results (see :mod:`wbgraph.validation_cache`): the
    longest run of leading files that validated before is not checked again, and the curated graph is
    checked (and remembered) on its own before the files that follow it."""
    keys = prefix_keys(files)
    known = next(((k, found) for k in range(len(files), -1, -1) if (found := recall(keys[k])) is not None),
                  (0, []))
    done, issues = known[0], [Issue(**i) for i in known[1]]
    curated = list(graph_files())
    stages = [len(curated)] if done < len(curated) < len(files) and files[:len(curated)] == curated else []
    for end in [*stages, len(files)]:
        if end <= done:
            continue
        issues += validate_store(store, files[:end], checked=files[:done])
        if not any(i.severity == "error" for i in issues):
            remember(keys[end], [asdict(i) for i in issues])
        done = end
    return sorted(issues, key=lambda i: (i.severity != "error", i.file or "", i.line or 0, i.message, i.node or ""))


def validate_store(store: GraphStore, files: list[Path], *, checked: Iterable[Path] = (),
                   engine: str = "turbo") -> list[Issue]:
    """The vocabulary, SHACL and model checks over a loaded store.

    Files in ``checked`` validated before: only what the other files say is checked, against
    everything loaded (SHACL on the nodes those files mention). ``engine`` runs the shapes (see
    :func:`wbgraph.shacl.shacl_report`: ``"turbo"``, or ``"pyshacl"``, the slower reference).
    """
    locator = _Locator(store, files, checked)
    ontology_uris = {p.resolve().as_uri() for p in ontology_files()}
    skip = ontology_uris | {Path(p).resolve().as_uri() for p in checked}
    under_check = [uri for uri in dict.fromkeys(p.resolve().as_uri() for p in files) if uri not in skip]
    data = file_triples(store, under_check)
    focus = None
    # Only the nodes of the files under check, when the store holds others (checked before, or to be
    # checked next): an overlay's problems are reported once, where the overlay can be fixed.
    if skip != ontology_uris or store.file_graphs() - skip - set(under_check):
        focus = sorted({str(t) for s, _, o in data for t in (s, o) if isinstance(t, URIRef)})
        if not focus:
            return []
    # The checks run from the most specific message to the most general; a node that one check has
    # already reported is not reported again by a later, vaguer one.
    issues: list[Issue] = []
    reported: set[str | None] = set()
    for check in (_unknown_terms(data, locator), _date_checks(data, locator),
                  _shacl(shacl_graph(store, engine), locator, focus, engine),
                  _model_checks(data, model_graph(store, data), locator)):
        fresh = [i for i in check if i.node is None or i.node not in reported]
        reported.update(i.node for i in fresh)
        issues.extend(fresh)
    return sorted(issues, key=lambda i: (i.severity != "error", i.file or "", i.line or 0, i.message, i.node or ""))


def _issue(severity: str, code: str, message: str, node: Node | None, locator: _Locator, hint: str | None = None):
    file, line = locator.find(node)
    return Issue(severity, code, message, file=file, line=line, node=shorten(str(node)) if node else None, hint=hint)


def _unknown_terms(data: Graph, locator: _Locator) -> list[Issue]:
    known = set(ontology_terms())
    issues = []
    reported: set[str] = set()
    for triple in data:
        for term in triple:
            if isinstance(term, URIRef) and str(term).startswith(WB_IRI):
                local = str(term)[len(WB_IRI):]
                if local in known or local in reported:
                    continue
                reported.add(local)
                kind = "class" if triple[1] == RDF.type and term == triple[2] else "term"
                close = difflib.get_close_matches(local, known, n=3, cutoff=0.6)
                hint = f"did you mean {', '.join('wb:' + c for c in close)}?" if close else "see ontology/wbgraph.ttl"
                issue = _issue("error", "unknown-term", f"unknown {kind} wb:{local} (not in the ontology)",
                               triple[0], locator, hint)
                if issue.file:
                    issue = Issue(issue.severity, issue.code, issue.message,
                                  file=issue.file, line=locator.line_of(Path(issue.file), str(term)) or issue.line,
                                  node=issue.node, hint=issue.hint)
                issues.append(issue)
    return issues


def _shacl(graph, locator: _Locator, focus: list[str] | None, engine: str) -> list[Issue]:
    from .shacl import shacl_report

    results = shacl_report(graph, shapes_file(), focus=focus, engine=engine)
    issues = []
    for result in results.objects(None, SH.result):
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        value = results.value(result, SH.value)
        message = results.value(result, SH.resultMessage)
        severity = "warning" if results.value(result, SH.resultSeverity) != SH.Violation else "error"
        text = shorten(str(path)) + " " if isinstance(path, URIRef) else ""
        if value is not None and value != focus:
            shown = shorten(str(value)) if isinstance(value, URIRef) else repr(str(value))
            text += f"{shown} "
        if message is None or "See details" in str(message):
            shape = results.value(result, SH.sourceShape)
            message = f"does not meet the shape {shorten(str(shape))}" if isinstance(shape, URIRef) else "does not meet its shape"
        text += str(message)
        issues.append(_issue(severity, "shape", text.strip(), focus, locator))
    return issues


def _date_checks(data: Graph, locator: _Locator) -> list[Issue]:
    from .vocab import WB

    issues = []
    for prop in (WB.validFrom, WB.validUntil, WB.date, WB.endDate, WB.year):
        for node, value in sorted(data.subject_objects(prop)):
            try:
                check_date(str(value))
            except ValueError as err:
                issues.append(_issue("error", "date", f"{shorten(str(prop))}: {err}", node, locator))
    return issues


def _model_checks(data: Graph, full: Graph, locator: _Locator) -> list[Issue]:
    from .vocab import WB

    issues: list[Issue] = []
    line_counts = {doc: int(n) for doc, n in full.subject_objects(WB.lineCount)}
    for claim in sorted(set(data.subjects(RDF.type, WB.Claim))):
        try:
            from_rdf(Claim, full, claim)
        except ValidationError as err:
            for problem in err.errors():
                where = ".".join(str(x) for x in problem["loc"]) or "claim"
                issues.append(_issue("error", "model", f"{where}: {problem['msg']}", claim, locator))
    for node in sorted(set(s for s, _ in data.subject_objects(WB.lineStart))):
        source = full.value(node, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"))
        end = full.value(node, WB.lineEnd)
        if source in line_counts and end is not None and str(end).isdigit() and int(end) > line_counts[source]:
            issues.append(_issue("error", "locator", f"line {end} lies beyond the end of {shorten(str(source))} "
                                 f"({line_counts[source]} lines)", node, locator, "fix wb:lineStart/wb:lineEnd"))
    english: dict[str, set[Node]] = defaultdict(set)
    for node, label in data.subject_objects(RDFS.label):
        if isinstance(label, Literal) and label.language == "en" and (node, RDF.type, None) in data:
            english[str(label).casefold()].add(node)
    actor_like = set(full.transitive_subjects(RDFS.subClassOf, WB.Actor)) | {WB.ThreatVector, WB.Mechanism,
                                                                            WB.Sector, WB.Vulnerability}
    for label, nodes in sorted(english.items()):
        typed = {n for n in nodes if any(t in actor_like for t in full.objects(n, RDF.type))}
        if len(typed) > 1:
            names = ", ".join(sorted(shorten(str(n)) for n in typed))
            issues.append(_issue("warning", "duplicate-label", f"English label '{label}' is shared by {names}",
                                 sorted(typed)[0], locator, "merge them if they are one entity"))
    return issues
