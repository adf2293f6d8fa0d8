"""Review files (written by ``wbgraph extract``): only the rows an analyst accepted are imported.

A CSV with an ``accept`` column is a review. A row is imported when its ``accept`` cell says yes
(``yes``, ``y``, ``x``, ``true``, ``1``, ``accept``, ``accepted``, ``ok``); a blank cell or a no
(``no``, ``n``, ``false``, ``0``, ``reject``, ``rejected``) leaves it out; anything else is an error
at that cell. The review columns (``sentence``, ``why``, ``mentions``, ``found_on``) are never
imported. A review ``X.csv`` brings its companions ``X-source.csv`` (the document's source record) and
``X-actors.csv`` (names that may be new actors) when they lie beside it, filtered the same way.
"""

from __future__ import annotations

from pathlib import Path

from ..validate import Issue
from .columns import REVIEW_COLUMNS
from .reader import Row, decode, read_rows

__all__ = ["ACCEPT", "REJECT", "accepted_rows", "is_review"]

ACCEPT = ("yes", "y", "x", "true", "1", "accept", "accepted", "ok")
REJECT = ("", "no", "n", "false", "0", "reject", "rejected")


def is_review(rows: list[Row]) -> bool:
    """Whether the rows come from a file with an ``accept`` column.

    >>> is_review([Row("claims", 2, {"accept": "yes"}, {"accept": ("accept", 2, 1)})]), is_review([Row("claims", 2)])
    (True, False)
    """
    return any("accept" in row.where for row in rows)


def _filter(rows: list[Row], path: Path) -> tuple[list[Row], list[int], list[Issue]]:
    kept, declined, problems = [], [], []
    for row in rows:
        value = str(row.values.get("accept", "")).strip().casefold()
        for name in REVIEW_COLUMNS:
            row.values.pop(name, None)
        heading, line, column = row.where.pop("accept", ("accept", row.line, None))
        for name in REVIEW_COLUMNS:
            row.where.pop(name, None)
        if value in ACCEPT:
            kept.append(row)
        elif value in REJECT:
            declined.append(row.line)
        else:
            problems.append(Issue("error", "accept", f"column '{heading}': '{value}' is neither yes nor no",
                                  file=str(path), line=line, column=column,
                                  hint="write yes to import the row, or no (or leave it blank) to leave it out"))
    return kept, declined, problems


def _companion(path: Path, suffix: str, kind: str) -> tuple[list[Row], list[int], list[Issue]]:
    other = path.with_name(f"{path.stem}-{suffix}.csv")
    if not other.is_file():
        return [], [], []
    text, problems = decode(other.read_bytes(), other)
    if text is None:
        return [], [], problems
    rows, _, problems = read_rows(text, other, "csv", kind)
    for row in rows:
        row.file = other
    kept, declined, more = _filter(rows, other) if is_review(rows) else (rows, [], [])
    return kept, declined, problems + more


def accepted_rows(rows: list[Row], path: Path) -> tuple[list[Row], list[str], list[Issue]]:
    """The accepted rows of a review and of its companions, a note per file on the rows left out, and
    the problems (an ``accept`` cell that is neither yes nor no; a companion that does not read).

    Rows of a file without an ``accept`` column come back as they are.

    >>> rows = [Row("claims", line, {"accept": value, "subject": "Serbia", "why": "cue"},
    ...             {"accept": ("accept", line, 1)}) for line, value in ((2, "yes"), (3, ""), (4, "no"))]
    >>> kept, notes, problems = accepted_rows(rows, Path("review.csv"))
    >>> [(row.line, row.values) for row in kept], notes, problems
    ([(2, {'subject': 'Serbia'})], ['review.csv: 2 row(s) not accepted, not imported'], [])
    """
    if not is_review(rows):
        return rows, [], []
    kept, declined, problems = _filter(rows, path)
    notes = [f"{path}: {len(declined)} row(s) not accepted, not imported"] if declined else []
    for suffix, kind in (("source", "sources"), ("actors", "actors")):
        more, left_out, issues = _companion(path, suffix, kind)
        kept = more + kept
        problems += issues
        if left_out:
            notes.append(f"{path.with_name(f'{path.stem}-{suffix}.csv')}: {len(left_out)} row(s) not accepted, "
                         "not imported")
    return kept, notes, problems
