"""The columns (CSV) or keys (YAML, JSON) that ingest reads, for actors, sources and claims.

One table serves the reader (which names are allowed, which are lists), the checks (which are required)
and the templates and docs (what each one means).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ALIASES", "EXTRA", "FIELDS", "KINDS", "LABEL_COLUMNS", "REVIEW_COLUMNS", "Field", "canonical_name",
           "fields_of"]

KINDS = ("actors", "sources", "claims")


@dataclass(frozen=True)
class Field:
    """One column: its name, whether it is required or a list, what it holds and an example value."""

    name: str
    doc: str
    example: str = ""
    required: bool = False
    is_list: bool = False


_NAME = "label, alternate name, prefixed name (wbr:serbia) or IRI"

FIELDS: dict[str, tuple[Field, ...]] = {
    "actors": (
        Field("id", "IRI, prefixed name or slug (a slug becomes wbr:<slug>); default: a slug of the label",
              "northwind-institute"),
        Field("class", "actor class(es): local name (ExternalPower), wb:ExternalPower or label (external power)",
              "CivilSocietyOrganisation", required=True, is_list=True),
        Field("label", "the one English name", "Northwind Institute", required=True),
        Field("alt_labels", "other names", "NWI; Northwind", is_list=True),
        Field("description", "one line in your own words", "Fictional think tank used in the template."),
    ),
    "sources": (
        Field("id", "IRI, prefixed name or slug; default: a slug of the label", "example-field-notes"),
        Field("class", "Document, CitedWork or Survey", "Document", required=True, is_list=True),
        Field("label", "short English name", "Example field notes", required=True),
        Field("title", "full title", "Field notes from an imaginary visit"),
        Field("date", "YYYY, YYYY-MM or YYYY-MM-DD", "2024-05"),
        Field("url", "web address", "https://example.org/field-notes"),
        Field("file_name", "the text file the line numbers refer to (required for a Document)",
              "field-notes.txt"),
        Field("line_count", "number of lines in that file (line numbers are checked against it)", "120"),
        Field("cited_in", "for a CitedWork: the document that cites it (" + _NAME + ")"),
        Field("footnote", "for a CitedWork: the footnote number"),
        Field("reliability", "A (completely reliable) to F (cannot be judged); default: the publisher's, else F"),
    ),
    "claims": (
        Field("id", "IRI, prefixed name or slug; default: a stable slug from subject, predicate, object, "
              "source and lines"),
        Field("subject", "who or what the claim is about: " + _NAME, "Northwind Institute", required=True),
        Field("predicate", "relation: local name (exertsInfluenceOn), wb:exertsInfluenceOn or label "
              "(exerts influence on)", "exertsInfluenceOn", required=True),
        Field("object", _NAME, "Western Balkans", required=True),
        Field("confidence", "stated, alleged or implied", "alleged", required=True),
        Field("source", "the source document: " + _NAME, "Example field notes", required=True),
        Field("line_start", "first cited line of the source (give lines or a locator)", "3"),
        Field("line_end", "last cited line", "4"),
        Field("locator", "where in the source, when there are no line numbers (page 12, section 3)"),
        Field("mechanisms", "mechanism concepts (" + _NAME + ")", "disinformation", is_list=True),
        Field("sectors", "sector concepts", "information", is_list=True),
        Field("targets", "actors a threat or exploited vulnerability is aimed at", is_list=True),
        Field("threats", "threat-vector concepts", is_list=True),
        Field("vulnerabilities", "vulnerability concepts", is_list=True),
        Field("further_sources", "cited works the claim also rests on", is_list=True),
        Field("valid_from", "YYYY, YYYY-MM or YYYY-MM-DD", "2021"),
        Field("valid_until", "YYYY, YYYY-MM or YYYY-MM-DD"),
        Field("negated", "true when the source says the relation does not hold", "false"),
        Field("mandate", "a mission's task, in your own words"),
        Field("credibility", "1 (confirmed by other sources) to 6 (cannot be judged); default: from the "
              "confidence (stated 2, alleged 3, implied 4)"),
        Field("comment", "one line in your own words", "The notes report that the institute spreads "
              "slanted stories in the region."),
    ),
}

#: Other names accepted for a column: the columns of ``wbgraph export csv`` (``<stem>-edges.csv``)
#: and a few spellings people use. ``*_label`` columns name an entity when its IRI column is empty.
ALIASES: dict[str, dict[str, str]] = {
    "actors": {"iri": "id", "classes": "class", "alt_label": "alt_labels", "altlabel": "alt_labels",
               "altlabels": "alt_labels", "comment": "description"},
    "sources": {"iri": "id", "classes": "class"},
    "claims": {
        "claim": "id", "iri": "id",
        "source_iri": "subject", "source_label": "subject_label",
        "target_iri": "object", "target_label": "object_label",
        "claim_source": "source", "source_name": "claim_source_label",
        "lines": "lines", "mechanism": "mechanisms", "sector": "sectors", "target": "targets",
        "threat": "threats", "vulnerability": "vulnerabilities", "further_source": "further_sources",
    },
}

#: Columns that name an entity by label when its IRI column is empty (the names of the export's CSV).
LABEL_COLUMNS = {"subject": "subject_label", "object": "object_label", "source": "claim_source_label"}
#: Columns that are read but are not fields of the model: the label columns, and ``lines`` ("3-4").
EXTRA = {"claims": (*LABEL_COLUMNS.values(), "lines")}


#: Columns of the review files that ``wbgraph extract`` writes: ``accept`` decides whether a row is
#: imported; the others are there for reading and are never imported.
REVIEW_COLUMNS = ("accept", "sentence", "why", "mentions", "found_on")


def fields_of(kind: str) -> dict[str, Field]:
    """The fields of ``kind`` by name.

    >>> [f.name for f in fields_of("actors").values() if f.required]
    ['class', 'label']
    """
    return {f.name: f for f in FIELDS[kind]}


def canonical_name(kind: str, name: str) -> str | None:
    """The field a column heading stands for (case, spaces and hyphens do not matter), or None.

    >>> canonical_name("claims", "Line Start"), canonical_name("claims", "target_iri"), canonical_name("claims", "x")
    ('line_start', 'object', None)
    """
    key = "_".join(str(name).strip().casefold().replace("-", " ").split())
    if key in fields_of(kind) or key in EXTRA.get(kind, ()) or key in REVIEW_COLUMNS:
        return key
    return ALIASES[kind].get(key)
