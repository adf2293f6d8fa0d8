"""Annotated templates of the files ingest reads: a header (or keys), what each column means, and one
example record with fictional values.
"""

from __future__ import annotations

import csv
import io
import json

from ..errors import InputFileError
from .columns import FIELDS, KINDS, Field

__all__ = ["TEMPLATES", "template"]

_FORMATS = {"csv": "csv", "yaml": "yaml", "yml": "yaml", "json": "json"}
#: Every template name ``template`` knows.
TEMPLATES = tuple(f"{kind}.{fmt}" for kind in KINDS for fmt in ("csv", "yaml", "json"))


def _split_name(kind: str, fmt: str | None) -> tuple[str, str]:
    if fmt is None:
        kind, _, fmt = kind.rpartition(".") if "." in kind else (kind, "", "csv")
    kind, fmt = kind.strip().casefold(), fmt.strip().casefold().lstrip(".")
    if kind.rstrip("s") + "s" in KINDS:
        kind = kind.rstrip("s") + "s"
    if kind not in KINDS or fmt not in _FORMATS:
        raise InputFileError(f"no template called '{kind}.{fmt}'", hint=f"use one of {', '.join(TEMPLATES)}")
    return kind, _FORMATS[fmt]


def _value(f: Field) -> object:
    if f.is_list:
        return [v.strip() for v in f.example.split(";") if v.strip()]
    if f.name in ("line_start", "line_end", "line_count", "footnote") and f.example:
        return int(f.example)
    if f.name == "negated" and f.example:
        return f.example == "true"
    return f.example


def _csv(kind: str) -> str:
    fields = FIELDS[kind]
    lines = [f"# wbgraph {kind} template: one row per {kind.rstrip('s')}. Lines starting with # are ignored.",
             "# Names may be labels, alternate names, prefixed names (wbr:serbia) or IRIs; separate list items with ';'.",
             "# Save as UTF-8. `wbgraph ingest FILE` writes the Turtle overlay FILE.ttl beside it."]
    if kind == "claims":
        lines.append("# The example row names the actor and source of the actors.csv and sources.csv templates: "
                     "ingest those first and load their overlays.")
    lines += [f"# {f.name}{' (required)' if f.required else ''}: {f.doc}" for f in fields]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([f.name for f in fields])
    writer.writerow([f.example for f in fields])
    return "\n".join(lines) + "\n" + buffer.getvalue()


def _yaml(kind: str) -> str:
    kinds = KINDS if kind == "claims" else (kind,)
    out = [f"# wbgraph {kind} template. Names may be labels, alternate names, prefixed names (wbr:serbia)",
           "# or IRIs. `wbgraph ingest FILE` writes the Turtle overlay FILE.ttl beside it.",
           "# prefixes: {ex: \"https://example.org/my-project/\"}   # optional: your own prefixes"]
    for part in kinds:
        out.append(f"{part}:")
        first = True
        for f in FIELDS[part]:
            lead = "  - " if first else "    "
            note = f"   # {'required: ' if f.required else ''}{f.doc}"
            if f.example:
                out.append(f"{lead}{f.name}: {json.dumps(_value(f), ensure_ascii=False)}{note}")
                first = False
            else:
                out.append(f"    # {f.name}:{' []' if f.is_list else ''}{note}")
    return "\n".join(out) + "\n"


def _json(kind: str) -> str:
    kinds = KINDS if kind == "claims" else (kind,)
    data = {part: [{f.name: _value(f) for f in FIELDS[part]}] for part in kinds}  # JSON has no comments:
    # every key is there, and empty values ("" or []) are read as absent
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def template(kind: str, fmt: str | None = None) -> str:
    """An annotated template: ``template("claims.csv")`` or ``template("claims", "csv")``.

    The YAML and JSON claim templates also define the actor and source their claim names, so they
    ingest as they are against the curated graph.

    >>> print(template("actors.csv").splitlines()[-2])
    id,class,label,alt_labels,description
    >>> template("claims", "yaml").splitlines()[3]
    'actors:'
    """
    kind, fmt = _split_name(kind, fmt)
    return {"csv": _csv, "yaml": _yaml, "json": _json}[fmt](kind)
