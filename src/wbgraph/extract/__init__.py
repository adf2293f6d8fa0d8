"""From a new document to candidate claims for review: ``wbgraph extract``.

:func:`extract` reads a text, Markdown, HTML, Word or PDF file (two-column pages in reading order),
finds every actor and concept of the graph it names (:mod:`~wbgraph.extract.mentions`), and proposes
the relations its sentences state, with cue words, hedges and denials
(:mod:`~wbgraph.extract.relations`). :func:`write_review` writes what an analyst reviews: a claims CSV
with an ``accept`` column, the names that look like new actors, and a source record for the document.
``wbgraph ingest`` then takes the accepted rows only, through the same checks as any other file.
"""

from __future__ import annotations

import codecs
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Literal

from ..errors import InputFileError
from ..namespaces import shorten
from ..store import GraphStore
from .mentions import mention_index
from .names import NewName, new_names
from .relations import CARRY_LINES, Candidate, Context
from .review import review_paths, write_review
from .sentences import sentences
from .text import FORMATS, document_format, read_lines

__all__ = ["Candidate", "Extraction", "FORMATS", "NewName", "extract", "review_paths", "write_review"]


@dataclass
class Extraction:
    """What :func:`extract` found in one document."""

    path: Path
    format: str
    title: str = ""
    date: str = ""
    #: 2 when a plain text was read as two interleaved columns
    columns: int = 1
    lines: int = 0
    pages: int | None = None
    sentences: int = 0
    candidates: list[Candidate] = field(default_factory=list)
    new_names: list[NewName] = field(default_factory=list)
    #: the source already in the graph for this file (its prefixed name), if any
    known_source: str | None = None

    def to_text(self) -> str:
        """A one-line summary."""
        where = f"{self.pages} page(s)" if self.pages else f"{self.lines} line(s)"
        return (f"{self.path.name}: {where}, {self.sentences} sentence(s), {len(self.candidates)} candidate "
                f"relation(s), {len(self.new_names)} name(s) not in the graph")


def _known_source(store: GraphStore, path: Path) -> str | None:
    rows = store.query("SELECT ?s WHERE { ?s wb:fileName ?f } ORDER BY ?s", {"f": Literal(path.name)}).rows
    return shorten(str(rows[0][0])) if rows else None


def extract(store: GraphStore, path: str | Path, *, columns: str = "auto", encoding: str = "utf-8",
            progress=None) -> Extraction:
    """Read ``path`` and propose the relations its sentences state between entities of ``store``.

    ``columns`` (``auto``, ``1``, ``2``) says how to read a plain text made from a two-column page.
    ``progress``, like :func:`wbgraph.store.load_graph`'s, is a context manager factory called with
    the path that yields a callable taking the bytes read (or None). A missing, empty or unreadable
    file, an unknown format, an encrypted PDF and a PDF without a text layer raise
    :class:`~wbgraph.errors.InputFileError`.

    >>> import tempfile
    >>> from wbgraph.store import load_graph
    >>> notes = Path(tempfile.mkdtemp()) / "notes.txt"
    >>> _ = notes.write_text("Field notes\\n\\nRussia reportedly supports Republika Srpska.\\n")
    >>> found = extract(load_graph(), notes)
    >>> [(c.predicate, c.confidence, c.sentence.line_start) for c in found.candidates]
    [('supports', 'alleged', 3)]
    """
    path = Path(path)
    fmt = document_format(path)
    if columns not in ("auto", "1", "2"):
        raise InputFileError(f"unknown column setting '{columns}'", hint="use auto, 1 or 2")
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise InputFileError(f"unknown encoding '{encoding}'",
                             hint="name a Python codec such as utf-8, latin-1, cp1250 or utf-16") from None
    if not path.exists():
        raise InputFileError("file does not exist", file=path, hint="check the path")
    if path.is_dir():
        raise InputFileError("is a directory", file=path, hint=f"name a document ({', '.join(sorted(FORMATS))})")
    if path.stat().st_size == 0:
        raise InputFileError("the file is empty", file=path, hint="check that the download or export finished")
    index = mention_index(store)
    context = Context(index)
    result = Extraction(path, fmt, known_source=_known_source(store, path))
    info: dict = {}
    found_names: dict[str, NewName] = {}
    seen: set[tuple] = set()
    pages: set[int] = set()

    def counted(lines):
        for line in lines:
            result.lines = max(result.lines, line.number)
            if line.page is not None:
                pages.add(line.page)
            yield line

    with progress(path) if progress is not None else nullcontext() as advance:
        for sentence in sentences(counted(read_lines(path, fmt, info, columns=columns, encoding=encoding,
                                                     advance=advance))):
            result.sentences += 1
            context.max_gap = CARRY_LINES * (4 if info.get("columns") == 2 else 1)
            for candidate in context.propose(sentence):
                key = (candidate.subject, candidate.predicate, candidate.object, sentence.page_start,
                       sentence.line_start, sentence.line_end)
                if key not in seen:
                    seen.add(key)
                    result.candidates.append(candidate)
            new_names(sentence, index, found_names)
    if result.sentences == 0:
        raise InputFileError("the document holds no text", file=path,
                             hint="check that it is the right file; a scanned PDF needs OCR first")
    result.title, result.date = info.get("title", ""), info.get("date", "")
    result.columns = info.get("columns", 1)
    result.pages = max(pages) if pages else None
    # document order; within a sentence, rows with a predicate (a cue word was found) first
    result.candidates.sort(key=lambda c: (c.sentence.page_start or 0, c.sentence.line_start, c.sentence.line_end,
                                          not c.predicate))
    result.new_names = sorted(found_names.values(), key=lambda n: (-n.count, n.name.casefold()))
    return result
