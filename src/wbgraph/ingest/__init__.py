"""Analysts' own data: actors, sources and claims from CSV, YAML, JSON or a STIX 2.1 bundle, checked row
by row and written as a Turtle overlay that is loaded beside the curated graph.

:func:`ingest` reads a file, resolves every name against the store and the file itself, validates each
row with the pydantic models, and writes the valid records atomically to an overlay file (never into the
curated ``graph/`` folder). With ``strict=True`` a single bad row means nothing is written; with
``strict=False`` the valid rows are written and every other row is reported. No row is ever dropped
without a message. :func:`template` prints an annotated example of each kind of file. A review file
written by ``wbgraph extract`` (a CSV with an ``accept`` column) imports only its accepted rows.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

import pyoxigraph as ox

from ..errors import InputFileError, OutputError
from ..models import Actor, Claim, Source
from ..namespaces import PREFIXES
from ..outputs import write_atomic
from ..resources import data_dir
from ..store import GraphStore, to_ox_term
from ..validate import Issue
from .columns import FIELDS, KINDS
from .reader import ACCEPTED_ENCODINGS, FORMATS, decode, file_format, read_rows
from .records import build_records, records_graph
from .resolver import Resolver
from .review import accepted_rows, is_review
from .stix import stix_rows
from .templates import TEMPLATES, template

__all__ = ["ACCEPTED_ENCODINGS", "FIELDS", "FORMATS", "IngestResult", "KINDS", "TEMPLATES", "ingest",
           "overlay_path", "template"]


@dataclass
class IngestResult:
    """What :func:`ingest` did: rows read, records written, the problems, and the overlay's path."""

    source: Path
    rows: int = 0
    written: int = 0
    problems: list[Issue] = field(default_factory=list)
    path: Path | None = None
    records: list[Actor | Source | Claim] = field(default_factory=list)
    #: the lines of the rows that were not written
    skipped: list[int] = field(default_factory=list)
    #: for a review file: how many rows were not accepted, per file
    notes: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[Issue]:
        """The problems of severity ``error``."""
        return [p for p in self.problems if p.severity == "error"]

    @property
    def ok(self) -> bool:
        """True when every row was written (warnings allowed)."""
        return not self.errors

    def to_dict(self) -> dict:
        """A JSON-ready summary."""
        return {"ok": self.ok, "source": str(self.source), "rows": self.rows, "written": self.written,
                "path": str(self.path) if self.path else None, "skipped": self.skipped, "notes": self.notes,
                "problems": [asdict(p) for p in self.problems]}

    def to_text(self) -> str:
        """One line per problem, then what was written where."""
        lines = [p.to_text() for p in self.problems] + self.notes
        if self.path:
            lines.append(f"wrote {self.written} record(s) from {self.rows} row(s) to {self.path}")
        else:
            lines.append(f"nothing written: {self.rows} row(s) read, {len(self.errors)} error(s)")
        return "\n".join(lines)


def overlay_path(path: str | Path, into: str | Path | None = None) -> Path:
    """Where the overlay of ``path`` goes: ``into``, or ``<stem>.ttl`` beside the input.

    The curated ``graph/`` folder is refused: analysts' data stays in their own files.

    >>> overlay_path("notes/claims.csv").as_posix()
    'notes/claims.ttl'
    >>> overlay_path("x.csv", into=data_dir("graph") / "mine.ttl")
    Traceback (most recent call last):
    ...
    wbgraph.errors.OutputError: ...: the curated graph/ folder is not for overlays. write the overlay elsewhere, for example --into my-claims.ttl
    """
    path = Path(path)
    target = Path(into) if into is not None else path.with_suffix(".ttl")
    if target.suffix.lower() not in (".ttl", ".turtle"):
        raise OutputError("an overlay is Turtle", file=target, hint="give a file name ending in .ttl")
    try:
        graph_dir = data_dir("graph").resolve()
    except FileNotFoundError:
        graph_dir = None
    if graph_dir is not None and target.resolve().is_relative_to(graph_dir):
        raise OutputError("the curated graph/ folder is not for overlays", file=target,
                          hint="write the overlay elsewhere, for example --into my-claims.ttl")
    if target.resolve() == path.resolve():
        raise OutputError("the overlay would overwrite its input", file=target, hint="choose another --into")
    return target


def _turtle(graph, source: Path, prefixes: dict[str, str]) -> str:
    triples = sorted(graph, key=lambda t: (t[0].n3(), t[1].n3(), t[2].n3()))
    prefixes = {**{k: v for k, v in prefixes.items() if k not in PREFIXES and v not in PREFIXES.values()},
                **PREFIXES}
    body = ox.serialize((ox.Triple(*(to_ox_term(x) for x in t)) for t in triples), format=ox.RdfFormat.TURTLE,
                        prefixes=prefixes).decode("utf-8")
    return (f"# wbgraph overlay written by `wbgraph ingest` from {source.name}.\n"
            "# Edit the input file and ingest it again rather than editing this file.\n\n" + body)


def ingest(store: GraphStore, path: str | Path, *, into: str | Path | None = None, strict: bool = True,
           encoding: str | None = None, kind: str | None = None) -> IngestResult:
    """Read actors, sources and claims from a CSV, YAML or JSON file and write them as a Turtle overlay.

    Names are resolved against ``store`` and the actors and sources the file defines. ``kind``
    (``actors``, ``sources``, ``claims``) says what a CSV file holds when neither its columns nor
    its name tell. A missing or unreadable input, an unknown extension or an overlay path in the
    curated ``graph/`` folder raise; problems in the data are returned in the result.

    >>> import tempfile
    >>> from wbgraph.store import load_graph
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "claims.csv").write_text(
    ...     "subject,predicate,object,confidence,source,line_start,line_end\\n"
    ...     "Serbia,cooperatesWith,China,alleged,wbr:doc-001,14,14\\n")
    >>> result = ingest(load_graph(), folder / "claims.csv")
    >>> result.written, result.path.name
    (1, 'claims.ttl')
    """
    path = Path(path)
    fmt = file_format(path)
    target = overlay_path(path, into)
    if kind is not None and kind not in KINDS:
        raise InputFileError(f"unknown kind '{kind}'", hint=f"use one of {', '.join(KINDS)}")
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputFileError("file does not exist", file=path, hint="check the path") from None
    except IsADirectoryError:
        raise InputFileError("is a directory", file=path, hint="name a CSV, YAML or JSON file") from None
    except OSError as err:
        raise InputFileError(f"cannot read: {err.strerror}", file=path) from None
    result = IngestResult(source=path)
    text, result.problems = decode(data, path, encoding)
    if text is None:
        return result
    rows, prefixes, result.problems = read_rows(text, path, fmt, kind,
                                                stix=lambda bundle: stix_rows(store, bundle, path, text))
    review = is_review(rows)
    rows, result.notes, more = accepted_rows(rows, path)
    result.problems += more
    result.rows = len(rows)
    if result.problems and (not rows or more):
        return result
    if not rows and review:
        result.problems.append(Issue("warning", "empty", "no row is accepted", file=str(path),
                                     hint="write yes in the accept column of each row to import"))
        return result
    if not rows:
        result.problems.append(Issue("warning", "empty", "the file holds no records", file=str(path),
                                     hint="`wbgraph template claims.csv` shows what to write"))
        return result
    built = build_records(rows, Resolver(store, prefixes), path)
    result.problems += [p for b in built for p in b.problems]
    result.skipped = [b.row.line for b in built if not b.ok]
    valid = [b for b in built if b.ok]
    if result.skipped:
        lines = ", ".join(map(str, result.skipped))
        if strict:
            result.problems.append(Issue(
                "error", "not-written", f"nothing was written: {len(result.skipped)} of {len(built)} rows have "
                f"errors (lines {lines})", file=str(path),
                hint="fix them, or pass --skip-invalid (strict=False) to write the valid rows"))
            return result
        result.problems.append(Issue(
            "error", "skipped", f"{len(result.skipped)} of {len(built)} rows were not written (lines {lines})",
            file=str(path), hint="fix them and ingest the file again"))
    if not valid:
        return result
    result.records = [b.record for b in valid]
    try:
        result.path = write_atomic(target, _turtle(records_graph(valid), path, prefixes))
    except OSError as err:
        raise OutputError(f"cannot write: {err.strerror or err}", file=target) from None
    result.written = len(valid)
    return result
