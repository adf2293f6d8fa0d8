"""Reading an analyst's file (CSV, YAML or JSON) into rows, each remembering its line and columns.

Nothing here knows the graph: the reader only checks the file's encoding, syntax and column names.
"""

from __future__ import annotations

import bisect
import csv
import codecs
import difflib
import io
import json
import json.decoder
import json.scanner
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..errors import InputFileError
from ..guard import deepest_nesting
from ..outputs import unescape_formula
from ..validate import Issue
from .columns import KINDS, LABEL_COLUMNS, canonical_name, fields_of

__all__ = ["ACCEPTED_ENCODINGS", "FORMATS", "Row", "decode", "file_format", "read_rows"]

FORMATS = {".csv": "csv", ".tsv": "csv", ".yaml": "yaml", ".yml": "yaml", ".json": "json"}
ACCEPTED_ENCODINGS = "UTF-8 (with or without a byte-order mark) or UTF-16 with a byte-order mark"
_CONVERT = ("convert it, for example `iconv -f WINDOWS-1252 -t UTF-8 in.csv > out.csv`, or save it as "
            "\"CSV UTF-8\" in your spreadsheet, or name its encoding with --encoding (Python's "
            "`encoding=`), such as latin-1, cp1250 or utf-16-le")


@dataclass
class Row:
    """One record of the file: its kind, line, values by field, and where each value stands."""

    kind: str
    line: int
    values: dict[str, object] = field(default_factory=dict)
    #: field -> (heading as written, line, column) for messages
    where: dict[str, tuple[str, int, int | None]] = field(default_factory=dict)
    #: problems found while reading the row (too many cells, a mapping where text belongs)
    problems: list[Issue] = field(default_factory=list)
    #: the file the row comes from, when it is not the file being ingested (a review's companion)
    file: Path | None = None

    def place(self, name: str) -> tuple[str, int, int | None]:
        """The heading, line and column of ``name`` (the row's line when the field is absent)."""
        return self.where.get(name, (name, self.line, None))


def file_format(path: Path) -> str:
    """``csv``, ``yaml`` or ``json`` from the extension.

    >>> file_format(Path("claims.yml"))
    'yaml'
    """
    try:
        return FORMATS[path.suffix.lower()]
    except KeyError:
        raise InputFileError(f"cannot ingest '{path.suffix or '(no extension)'}' files", file=path,
                             hint=f"use one of {', '.join(sorted(FORMATS))}") from None


def _position(data: bytes, offset: int) -> tuple[int, int]:
    line = data.count(b"\n", 0, offset) + 1
    return line, offset - (data.rfind(b"\n", 0, offset) + 1) + 1


def decode(data: bytes, path: Path, encoding: str | None = None) -> tuple[str | None, list[Issue]]:
    """The text of a file, or None and the problem: which encodings are accepted and how to convert.

    >>> decode("Türkiye".encode("utf-8"), Path("a.csv"))[0]
    'Türkiye'
    >>> text, problems = decode("Türkiye".encode("latin-1"), Path("a.csv"))
    >>> text is None, problems[0].code
    (True, 'encoding')
    """
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError:
            return None, [Issue("error", "encoding", f"unknown encoding '{encoding}'", file=str(path),
                                hint="name a Python codec such as utf-8, latin-1, cp1250 or utf-16-le")]
        try:
            return data.decode(encoding), []
        except UnicodeDecodeError as err:
            line, column = _position(data, err.start)
            return None, [Issue("error", "encoding", f"the bytes are not {encoding}: {err.reason} "
                                f"(byte 0x{data[err.start]:02x})", file=str(path), line=line, column=column,
                                hint=f"check the file's encoding; {ACCEPTED_ENCODINGS} need no option")]
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), []
    if b"\x00" in data:
        guess = "utf-16-le" if data[1:2] == b"\x00" else "utf-16-be"
        return None, [Issue("error", "encoding", "the file looks like UTF-16 without a byte-order mark "
                            f"(it is full of zero bytes); wbgraph reads {ACCEPTED_ENCODINGS}", file=str(path),
                            hint=f"pass --encoding {guess} (Python: encoding=\"{guess}\"), or save it as UTF-8")]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line, column = _position(data, err.start)
        return None, [Issue("error", "encoding", f"the file is not UTF-8 (byte 0x{data[err.start]:02x} "
                            f"cannot start or continue a UTF-8 character); wbgraph reads {ACCEPTED_ENCODINGS}",
                            file=str(path), line=line, column=column, hint=_CONVERT)]
    return text, []


def read_rows(text: str, path: Path, fmt: str, kind: str | None = None, *,
              stix=None) -> tuple[list[Row], dict[str, str], list[Issue]]:
    """The rows of a decoded file, the prefixes it declares (YAML/JSON) and any problem with its shape.

    A problem with the shape (syntax, unknown or repeated columns) returns no rows: nothing of such a
    file can be trusted. ``stix``, given a parsed STIX bundle, returns its rows the same way.
    """
    if fmt == "csv":
        return _csv_rows(text, path, kind)
    try:
        data = _load_tree(text, fmt)
    except _TreeError as err:
        return [], {}, [Issue("error", "syntax", f"not valid {fmt.upper()}: {err.message}", file=str(path),
                              line=err.line, column=err.column, hint="fix the syntax at that place")]
    if stix is not None and fmt == "json" and isinstance(data, dict) and data.get("type") == "bundle":
        return stix(data)
    return _tree_rows(data, path)


# -- CSV -------------------------------------------------------------------------------------------

def _csv_kind(headings: list[str], path: Path) -> str | None:
    stem = path.stem.casefold()
    keys = set(headings)
    if keys & {"subject", "predicate", "object", "source_iri", "target_iri", "confidence"}:
        return "claims"
    for kind in KINDS:
        if kind.rstrip("s") in stem or (kind == "claims" and "edges" in stem):
            return kind
    if keys & {"title", "url", "file_name", "line_count", "date", "footnote"}:
        return "sources"
    if keys & {"alt_labels", "description", "alt_label"}:
        return "actors"
    return None


def _csv_rows(text: str, path: Path, kind: str | None) -> tuple[list[Row], dict[str, str], list[Issue]]:
    where = str(path)
    lines = text.splitlines(keepends=True)
    skip = 0
    while skip < len(lines) and (not lines[skip].strip() or lines[skip].lstrip().startswith("#")):
        skip += 1
    if skip == len(lines):
        return [], {}, [Issue("error", "columns", "the file has no header row", file=where,
                              hint="start with a header; `wbgraph template claims.csv` shows one")]
    header_line = lines[skip]
    delimiter = max((",", ";", "\t"), key=header_line.count)
    reader = csv.reader(io.StringIO("".join(lines[skip:]), newline=""), delimiter=delimiter)
    header = next(reader)
    headings = ["_".join(h.strip().casefold().replace("-", " ").split()) for h in header]
    kind = kind or _csv_kind(headings, path)
    if kind is None:
        return [], {}, [Issue("error", "columns", "cannot tell whether the file holds actors, sources or claims",
                              file=where, line=skip + 1,
                              hint="name it actors.csv, sources.csv or claims.csv, or give the kind")]
    problems, names = _check_headings(kind, header, path, skip + 1)
    if problems:
        return [], {}, problems
    rows: list[Row] = []
    last = reader.line_num
    try:
        return _csv_body(reader, rows, skip, last, header, names, where, kind), {}, problems
    except csv.Error as err:  # a cell over the csv module's field limit, a NUL byte...
        return [], {}, [Issue("error", "syntax", f"not valid CSV: {err}", file=where, line=skip + reader.line_num,
                              hint="shorten that cell (at most 131,072 characters) or fix the quoting")]


def _csv_body(reader, rows: list[Row], skip: int, last: int, header, names, where: str, kind: str) -> list[Row]:
    for cells in reader:
        first = skip + last + 1
        last = reader.line_num
        if not any(c.strip() for c in cells) or cells[0].lstrip().startswith("#"):
            continue
        row = Row(kind, first)
        if len(cells) > len(header):
            row.problems.append(Issue("error", "columns", f"row has {len(cells)} cells but the header has "
                                  f"{len(header)} columns", file=where, line=first, column=len(header) + 1,
                                  hint="quote cells that contain the delimiter, or remove the extra cells"))
        for index, (name, heading, cell) in enumerate(zip(names, header, cells), start=1):
            row.where[name] = (heading.strip(), first, index)
            if cell.strip():
                row.values[name] = unescape_formula(cell.strip())  # as written by wbgraph's own CSV
        rows.append(row)
    return rows


def _check_headings(kind: str, header: list[str], path: Path, line: int) -> tuple[list[Issue], list[str]]:
    problems, names, seen = [], [], {}
    known = list(fields_of(kind))
    for index, heading in enumerate(header, start=1):
        name = canonical_name(kind, heading)
        if name is None:
            close = difflib.get_close_matches(heading.strip().casefold(), known, n=2)
            hint = f"did you mean {' or '.join(repr(c) for c in close)}?" if close else (
                f"the {kind} columns are: {', '.join(known)}")
            problems.append(Issue("error", "columns", f"unknown column '{heading.strip()}' for {kind}",
                                  file=str(path), line=line, column=index, hint=hint))
        elif name in seen:
            problems.append(Issue("error", "columns", f"column '{heading.strip()}' repeats column {seen[name]}",
                                  file=str(path), line=line, column=index, hint="keep one of them"))
        seen.setdefault(name or "", index)
        names.append(name or "")
    present = set(names)
    for f in fields_of(kind).values():
        if f.required and f.name not in present and LABEL_COLUMNS.get(f.name) not in present:
            problems.append(Issue("error", "columns", f"required column '{f.name}' is missing", file=str(path),
                                  line=line, hint=f"add a '{f.name}' column: {f.doc}"))
    return problems, names


# -- YAML and JSON ---------------------------------------------------------------------------------

class _TreeError(Exception):
    def __init__(self, message: str, line: int | None, column: int | None) -> None:
        super().__init__(message)
        self.message, self.line, self.column = message, line, column


class _Mapping(dict):
    """A mapping that remembers its line and, for each key, the line and column of its value."""

    line: int = 0
    keys_at: dict[str, tuple[int, int | None]]


class _YamlLoader(yaml.SafeLoader):
    """Safe YAML where values stay text: no dates, no yes/no booleans (Norway stays "NO").

    Nesting is bounded and an alias may only repeat a single value, never a list or a mapping: an
    alias of a list of aliases doubles at each level, so a kilobyte could become gigabytes.
    """

    max_depth = 64

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            target = self.anchors.get(event.anchor)
            if target is not None and not isinstance(target, yaml.ScalarNode):
                raise yaml.composer.ComposerError(
                    None, None, f"the alias *{event.anchor} repeats a list or mapping; write the values out "
                    "(an alias may only repeat a single value)", event.start_mark)
        self._depth = getattr(self, "_depth", 0) + 1
        try:
            if self._depth > self.max_depth:
                raise yaml.composer.ComposerError(None, None, f"nested more than {self.max_depth} levels deep",
                                                  self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


_YamlLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers
            if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_YamlLoader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                                  list("tTfF"))


def _yaml_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> _Mapping:
    mapping = _Mapping(loader.construct_mapping(node, deep=True))
    mapping.line = node.start_mark.line + 1
    mapping.keys_at = {str(k.value): (v.start_mark.line + 1, v.start_mark.column + 1) for k, v in node.value}
    return mapping


_YamlLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _yaml_mapping)


class _JsonDecoder(json.JSONDecoder):
    """JSON whose objects remember their line (the pure-Python scanner lets us hook object parsing)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        starts = [m.end() for m in re.finditer("\n", text)]

        def line_of(offset: int) -> int:
            return bisect.bisect_right(starts, offset) + 1

        def parse_object(s_and_end, *args):
            obj, new_end = json.decoder.JSONObject(s_and_end, *args)
            mapping = _Mapping(obj)
            mapping.line = line_of(s_and_end[1] - 1)
            mapping.keys_at = {key: (mapping.line, None) for key in obj}
            return mapping, new_end

        self.parse_object = parse_object
        self.scan_once = json.scanner.py_make_scanner(self)


def _load_tree(text: str, fmt: str) -> object:
    if fmt == "yaml":
        try:
            return yaml.load(text, Loader=_YamlLoader)  # noqa: S506 - a SafeLoader subclass
        except yaml.MarkedYAMLError as err:
            mark = err.problem_mark or err.context_mark
            raise _TreeError(err.problem or str(err), mark and mark.line + 1, mark and mark.column + 1) from None
        except yaml.YAMLError as err:
            raise _TreeError(str(err), None, None) from None
    depth, line, column = deepest_nesting(text, _YamlLoader.max_depth)
    if depth > _YamlLoader.max_depth:
        raise _TreeError(f"nested more than {_YamlLoader.max_depth} levels deep", line, column)
    try:
        return _JsonDecoder(text).decode(text)
    except json.JSONDecodeError as err:
        raise _TreeError(err.msg, err.lineno, err.colno) from None


def _scalar(value: object) -> object:
    if isinstance(value, bool | int | float):
        return value
    return str(value).strip() if value is not None else None


def _tree_rows(data: object, path: Path) -> tuple[list[Row], dict[str, str], list[Issue]]:
    where = str(path)
    if not isinstance(data, dict):
        return [], {}, [Issue("error", "columns", "the file must be a mapping with lists 'actors', 'sources' "
                              "and/or 'claims'", file=where, line=1,
                              hint="`wbgraph template claims.yaml` shows the layout")]
    problems: list[Issue] = []
    prefixes: dict[str, str] = {}
    raw_prefixes = data.get("prefixes") or {}
    if isinstance(raw_prefixes, dict):
        prefixes = {str(k): str(v) for k, v in raw_prefixes.items()}
    else:
        problems.append(Issue("error", "columns", "'prefixes' must map prefixes to namespace IRIs", file=where,
                              line=getattr(data, "keys_at", {}).get("prefixes", (None,))[0]))
    rows: list[Row] = []
    for key, items in data.items():
        key_line = getattr(data, "keys_at", {}).get(key, (1, None))[0]
        if key == "prefixes":
            continue
        if key not in KINDS:
            close = difflib.get_close_matches(str(key), [*KINDS, "prefixes"], n=1)
            hint = f"did you mean '{close[0]}'?" if close else "use actors, sources, claims and prefixes"
            problems.append(Issue("error", "columns", f"unknown key '{key}'", file=where, line=key_line, hint=hint))
            continue
        if items is None:
            continue
        if not isinstance(items, list):
            problems.append(Issue("error", "columns", f"'{key}' must be a list of records", file=where,
                                  line=key_line, hint="write each record as a list item"))
            continue
        for item in items:
            line = getattr(item, "line", key_line)
            if not isinstance(item, dict):
                problems.append(Issue("error", "columns", f"an item of '{key}' is not a record", file=where,
                                      line=line, hint="write `- field: value` lines"))
                continue
            row = Row(key, line)
            for name, value in item.items():
                value_line, column = getattr(item, "keys_at", {}).get(name, (line, None))
                field_name = canonical_name(key, str(name))
                if field_name is None:
                    close = difflib.get_close_matches(str(name).casefold(), list(fields_of(key)), n=2)
                    hint = f"did you mean {' or '.join(repr(c) for c in close)}?" if close else (
                        f"the {key} keys are: {', '.join(fields_of(key))}")
                    problems.append(Issue("error", "columns", f"unknown key '{name}' for {key}", file=where,
                                          line=value_line, column=column, hint=hint))
                    continue
                row.where[field_name] = (str(name), value_line, column)
                if isinstance(value, dict):
                    row.problems.append(Issue("error", "columns", f"key '{name}' holds a mapping", file=where,
                                          line=value_line, column=column, hint="give text or a list"))
                    continue
                if isinstance(value, list):
                    value = [_scalar(v) for v in value if v is not None and str(v).strip()]
                else:
                    value = _scalar(value)
                if value not in (None, "", []):
                    row.values[field_name] = value
            rows.append(row)
    if problems:
        return [], prefixes, problems
    return rows, prefixes, problems
