"""Writing what the analyst reviews: the candidate claims, the names not in the graph, and the
document's source record, as three CSV files that ``wbgraph ingest`` reads back.

``review.csv`` has the columns of the claims template, plus ``accept`` (blank: not imported; write
``yes`` to import the row), ``sentence`` and ``why`` (for reading only, never imported).
``review-actors.csv`` has the actors template's columns plus ``accept``, ``mentions``, ``found_on``
and ``sentence``; ``review-source.csv`` holds the source record, accepted unless the graph already has
the document. The three files are written only when all of them can be, each through a temporary file.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import OutputError
from ..ingest.columns import FIELDS
from ..ingest.review import ACCEPT
from ..ingest.records import slug
from ..lookup import english_labels, entity_labels, fold_name
from ..namespaces import shorten
from ..outputs import csv_text, write_atomic
from ..store import GraphStore

if TYPE_CHECKING:
    from . import Extraction

__all__ = ["CLAIM_COLUMNS", "ACTOR_COLUMNS", "SOURCE_COLUMNS", "review_paths", "write_review"]

CLAIM_COLUMNS = ["accept", *(f.name for f in FIELDS["claims"]), "sentence", "why"]
ACTOR_COLUMNS = ["accept", *(f.name for f in FIELDS["actors"]), "mentions", "found_on", "sentence"]
SOURCE_COLUMNS = ["accept", *(f.name for f in FIELDS["sources"])]


def review_paths(out: str | Path) -> tuple[Path, Path, Path]:
    """The claims, new-actors and source files for the review file ``out``.

    >>> [p.name for p in review_paths("report-review.csv")]
    ['report-review.csv', 'report-review-actors.csv', 'report-review-source.csv']
    """
    out = Path(out)
    return out, out.with_name(f"{out.stem}-actors.csv"), out.with_name(f"{out.stem}-source.csv")


def _span(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}-{last}"


def _locator(extraction: Extraction, sentence) -> tuple[int | None, int | None, str]:
    if extraction.format == "pdf":
        if sentence.page_start == sentence.page_end:
            return None, None, f"page {sentence.page_start}, lines {_span(sentence.line_start, sentence.line_end)}"
        return None, None, (f"page {sentence.page_start}, line {sentence.line_start} to page {sentence.page_end}, "
                            f"line {sentence.line_end}")
    if extraction.format == "docx":
        return None, None, f"paragraphs {_span(sentence.line_start, sentence.line_end)}"
    return sentence.line_start, sentence.line_end, ""


def _place(extraction: Extraction, place: tuple[int | None, int, int]) -> str:
    page, first, last = place
    if extraction.format == "pdf":
        return f"page {page} line {_span(first, last)}"
    if extraction.format == "docx":
        return f"paragraph {_span(first, last)}"
    return _span(first, last)


def _accepted_in(path: Path) -> int:
    """How many rows of an existing review file are accepted (0 when it is absent or unreadable)."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            return sum(1 for row in csv.DictReader(line for line in handle if not line.startswith("#"))
                       if str(row.get("accept") or "").strip().casefold() in ACCEPT)
    except (OSError, UnicodeDecodeError, csv.Error):
        return 0


def write_review(store: GraphStore, extraction: Extraction, out: str | Path, *, force: bool = False) -> list[Path]:
    """Write the review files of ``extraction`` (see :func:`review_paths`) and return their paths.

    A review file that already holds accepted rows is an analyst's work: it is replaced only with
    ``force=True``.

    >>> import tempfile
    >>> from wbgraph.store import load_graph
    >>> from wbgraph.extract import extract
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "notes.txt").write_text("Russia reportedly supports Republika Srpska.\\n")
    >>> store = load_graph()
    >>> paths = write_review(store, extract(store, folder / "notes.txt"), folder / "review.csv")
    >>> print(paths[0].read_text().splitlines()[1][:71])
    ,,Russia,supports,Republika Srpska,alleged,wbr:notes,1,1,,,,,,,,,,false
    """
    claims_path, actors_path, source_path = review_paths(out)
    if claims_path.suffix.lower() != ".csv":
        raise OutputError("the review file is a CSV", file=claims_path, hint="give a name ending in .csv")
    if claims_path.resolve() == extraction.path.resolve():
        raise OutputError("the review would overwrite the document", file=claims_path, hint="choose another -o")
    for path in (claims_path, actors_path):
        accepted = 0 if force else _accepted_in(path)
        if accepted:
            raise OutputError(f"already holds {accepted} accepted row(s)", file=path,
                              hint="ingest it first, or choose another -o, or pass --force to replace it")
    names = entity_labels(store)
    english = english_labels(store)
    labels: dict[str, str] = {}

    def name(iri: str) -> str:
        if iri not in labels:
            label = english.get(iri, "")
            labels[iri] = label if label and len(names.get(fold_name(label), {})) == 1 else shorten(iri)
        return labels[iri]

    source_id = extraction.known_source or f"wbr:{slug(extraction.path.stem) or 'document'}"
    rows = []
    for c in extraction.candidates:
        first, last, locator = _locator(extraction, c.sentence)
        values = {"subject": name(c.subject), "predicate": c.predicate, "object": name(c.object),
                  "confidence": c.confidence, "source": source_id, "line_start": first, "line_end": last,
                  "locator": locator, "mechanisms": "; ".join(map(name, c.mechanisms)),
                  "sectors": "; ".join(map(name, c.sectors)), "threats": "; ".join(map(name, c.threats)),
                  "negated": "true" if c.negated else "false", "sentence": c.sentence.text, "why": c.why}
        rows.append([values.get(column, "") for column in CLAIM_COLUMNS])
    actors = [["", "", "", n.name, "", "", n.count, "; ".join(_place(extraction, p) for p in n.places),
               n.sentence] for n in extraction.new_names]
    label = extraction.title or extraction.path.name
    known = extraction.known_source
    source = {"accept": "no" if known else "yes", "id": source_id, "class": "Document", "label": label,
              "title": extraction.title, "date": extraction.date, "file_name": extraction.path.name,
              "line_count": extraction.lines if extraction.format in ("text", "markdown", "html") else ""}
    texts = [csv_text(CLAIM_COLUMNS, rows), csv_text(ACTOR_COLUMNS, actors),
             (f"# already in the graph as {known}: the claims cite it; accept stays 'no'\n" if known else "")
             + csv_text(SOURCE_COLUMNS, [[source.get(c, "") for c in SOURCE_COLUMNS]])]
    paths = [claims_path, actors_path, source_path]
    for path in paths:
        if not path.parent.is_dir():
            raise OutputError("the folder does not exist", file=path.parent, hint="create it or choose another -o")
    written: list[Path] = []
    try:
        for path, text in zip(paths, texts):
            written.append(write_atomic(path, text))
    except OSError as err:
        for path in written:
            path.unlink(missing_ok=True)
        raise OutputError(f"cannot write: {err.strerror or err}", file=paths[len(written)]) from None
    return written
