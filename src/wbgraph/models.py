"""pydantic models of wbgraph's records (Actor, Source, Claim, Indicator, Event, Recommendation)
and their mapping to and from RDF.

Each field names the RDF property it maps to, so one generic pair of functions, :func:`to_rdf` and
:func:`from_rdf`, serves every model, and a test checks the fields against the ontology.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from typing import Annotated, Any, ClassVar, Literal as TypingLiteral

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator
from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS
from rdflib.term import Node

from .namespaces import WB_IRI
from .vocab import WB

__all__ = [
    "Actor",
    "Claim",
    "Confidence",
    "Event",
    "Indicator",
    "MODELS",
    "Recommendation",
    "Source",
    "check_date",
    "date_literal",
    "from_rdf",
    "to_rdf",
]

Confidence = TypingLiteral["stated", "alleged", "implied"]
Bound = TypingLiteral["exactly", "approximately", "atLeast", "moreThan", "atMost", "lessThan"]

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def check_date(text: str) -> str:
    """Accept ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` that name a real day, month or year.

    >>> check_date("2023-11-14")
    '2023-11-14'
    >>> check_date("2023-13-45")
    Traceback (most recent call last):
    ...
    ValueError: '2023-13-45' is not a valid date: write YYYY, YYYY-MM or YYYY-MM-DD
    """
    text = str(text).strip()
    match = _DATE.match(text)
    try:
        if not match:
            raise ValueError
        year, month, day = match.groups()
        date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        raise ValueError(f"{text!r} is not a valid date: write YYYY, YYYY-MM or YYYY-MM-DD") from None
    return text


def date_literal(text: str) -> Literal:
    """The typed literal for a date: xsd:gYear, xsd:gYearMonth or xsd:date by its length.

    >>> date_literal("2014").datatype == XSD.gYear
    True
    """
    text = check_date(text)
    datatype = {4: XSD.gYear, 7: XSD.gYearMonth}.get(len(text), XSD.date)
    return Literal(text, datatype=datatype)


DateText = Annotated[str, AfterValidator(check_date)]


def _rdf(predicate: URIRef, **kw: Any) -> Any:
    """Field metadata: the RDF property a field maps to."""
    return {"predicate": predicate, **kw}


class _Record(BaseModel):
    """Common base: an IRI and a mapping of fields to RDF properties."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    rdf_class: ClassVar[URIRef]

    iri: str = Field(description="The record's IRI.", min_length=1)


class Actor(_Record):
    """An actor with its classes, English label, other names and a description."""

    rdf_class: ClassVar[URIRef] = WB.Actor
    classes: list[str] = Field(min_length=1, json_schema_extra=_rdf(RDF.type, iri=True, ns=WB_IRI))
    label: str = Field(min_length=1, json_schema_extra=_rdf(RDFS.label, lang="en"))
    alt_labels: list[str] = Field(default_factory=list, json_schema_extra=_rdf(SKOS.altLabel, lang="en"))
    description: str | None = Field(default=None, json_schema_extra=_rdf(RDFS.comment, lang="en"))


class Source(_Record):
    """A source document, cited work or survey."""

    rdf_class: ClassVar[URIRef] = WB.Source
    classes: list[str] = Field(min_length=1, json_schema_extra=_rdf(RDF.type, iri=True, ns=WB_IRI))
    label: str = Field(min_length=1, json_schema_extra=_rdf(RDFS.label, lang="en"))
    title: str | None = Field(default=None, json_schema_extra=_rdf(DCTERMS.title))
    date: DateText | None = Field(default=None, json_schema_extra=_rdf(DCTERMS.date, date=True))
    file_name: str | None = Field(default=None, json_schema_extra=_rdf(WB.fileName))
    line_count: int | None = Field(default=None, ge=0, json_schema_extra=_rdf(WB.lineCount))
    url: str | None = Field(default=None, json_schema_extra=_rdf(WB.url, datatype=XSD.anyURI))
    cited_in: str | None = Field(default=None, json_schema_extra=_rdf(WB.citedIn, iri=True))
    footnote: int | None = Field(default=None, ge=1, json_schema_extra=_rdf(WB.footnote))
    reliability: str | None = Field(default=None, pattern="^[A-F]$", json_schema_extra=_rdf(WB.reliability))


class _Located(_Record):
    """A record taken from a source at a place in it."""

    source: str = Field(min_length=1, json_schema_extra=_rdf(PROV.wasDerivedFrom, iri=True))
    line_start: int | None = Field(default=None, ge=1, json_schema_extra=_rdf(WB.lineStart))
    line_end: int | None = Field(default=None, ge=1, json_schema_extra=_rdf(WB.lineEnd))
    locator: str | None = Field(default=None, json_schema_extra=_rdf(WB.locator))

    @model_validator(mode="after")
    def _has_locator(self) -> _Located:
        if self.line_start is None and self.locator is None:
            raise ValueError("needs a locator: line_start and line_end, or locator")
        if (self.line_start is None) != (self.line_end is None):
            raise ValueError("line_start and line_end go together")
        if self.line_start is not None and self.line_end < self.line_start:
            raise ValueError(f"line range {self.line_start}-{self.line_end} runs backwards")
        return self


class Claim(_Located):
    """One sourced statement: subject, predicate, object and qualifiers."""

    rdf_class: ClassVar[URIRef] = WB.Claim
    subject: str = Field(min_length=1, json_schema_extra=_rdf(RDF.subject, iri=True))
    predicate: str = Field(min_length=1, json_schema_extra=_rdf(RDF.predicate, iri=True))
    object: str = Field(min_length=1, json_schema_extra=_rdf(RDF.object, iri=True))
    confidence: Confidence = Field(json_schema_extra=_rdf(WB.confidence, iri=True, ns=WB_IRI))
    mechanisms: list[str] = Field(default_factory=list, json_schema_extra=_rdf(WB.mechanism, iri=True))
    sectors: list[str] = Field(default_factory=list, json_schema_extra=_rdf(WB.sector, iri=True))
    targets: list[str] = Field(default_factory=list, json_schema_extra=_rdf(WB.target, iri=True))
    threats: list[str] = Field(default_factory=list, json_schema_extra=_rdf(WB.threat, iri=True))
    vulnerabilities: list[str] = Field(default_factory=list, json_schema_extra=_rdf(WB.vulnerability, iri=True))
    further_sources: list[str] = Field(default_factory=list, json_schema_extra=_rdf(WB.furtherSource, iri=True))
    valid_from: DateText | None = Field(default=None, json_schema_extra=_rdf(WB.validFrom, date=True))
    valid_until: DateText | None = Field(default=None, json_schema_extra=_rdf(WB.validUntil, date=True))
    negated: bool = Field(default=False, json_schema_extra=_rdf(WB.negated))
    mandate: str | None = Field(default=None, json_schema_extra=_rdf(WB.mandate))
    role: str | None = Field(default=None, json_schema_extra=_rdf(WB.role))
    reported_on: DateText | None = Field(default=None, json_schema_extra=_rdf(WB.reportedOn, date=True))
    credibility: int | None = Field(default=None, ge=1, le=6, json_schema_extra=_rdf(WB.credibility))
    comment: str | None = Field(default=None, json_schema_extra=_rdf(RDFS.comment, lang="en"))

    @model_validator(mode="after")
    def _dates_in_order(self) -> Claim:
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValueError(f"valid_until {self.valid_until} is before valid_from {self.valid_from}")
        return self


class Indicator(_Located):
    """A reported number with unit, year and population."""

    rdf_class: ClassVar[URIRef] = WB.Indicator
    label: str = Field(min_length=1, json_schema_extra=_rdf(RDFS.label, lang="en"))
    measure: str | None = Field(default=None, json_schema_extra=_rdf(WB.measure, lang="en"))
    value: float = Field(json_schema_extra=_rdf(WB.value, datatype=XSD.decimal))
    bound: Bound | None = Field(default=None, json_schema_extra=_rdf(WB.bound, iri=True, ns=WB_IRI))
    unit: str = Field(min_length=1, json_schema_extra=_rdf(WB.unit))
    year: DateText = Field(json_schema_extra=_rdf(WB.year, date=True))
    population: str = Field(min_length=1, json_schema_extra=_rdf(WB.population))
    refers_to: list[str] = Field(default_factory=list, json_schema_extra=_rdf(WB.refersTo, iri=True))
    topics: list[str] = Field(default_factory=list, json_schema_extra=_rdf(WB.topic, iri=True))
    survey: str | None = Field(default=None, json_schema_extra=_rdf(WB.survey, iri=True))


class Event(_Located):
    """Something that happened at a known time."""

    rdf_class: ClassVar[URIRef] = WB.Event
    label: str = Field(min_length=1, json_schema_extra=_rdf(RDFS.label, lang="en"))
    description: str | None = Field(default=None, json_schema_extra=_rdf(RDFS.comment, lang="en"))
    date: DateText | None = Field(default=None, json_schema_extra=_rdf(WB.date, date=True))
    end_date: DateText | None = Field(default=None, json_schema_extra=_rdf(WB.endDate, date=True))


class Recommendation(_Located):
    """Advice from a source to named addressees."""

    rdf_class: ClassVar[URIRef] = WB.Recommendation
    label: str = Field(min_length=1, json_schema_extra=_rdf(RDFS.label, lang="en"))
    addressed_to: list[str] = Field(min_length=1, json_schema_extra=_rdf(WB.addressedTo, iri=True))
    recommended_by: str | None = Field(default=None, json_schema_extra=_rdf(WB.recommendedBy, iri=True))
    about: list[str] = Field(default_factory=list, json_schema_extra=_rdf(WB.about, iri=True))
    topics: list[str] = Field(default_factory=list, json_schema_extra=_rdf(WB.topic, iri=True))


MODELS: tuple[type[_Record], ...] = (Actor, Source, Claim, Indicator, Event, Recommendation)


def _meta(field: Any) -> dict[str, Any]:
    return field.json_schema_extra or {}


@lru_cache(maxsize=None)
def _is_list(model: type[_Record], name: str) -> bool:
    return str(model.model_fields[name].annotation).startswith("list")


def to_rdf(record: _Record) -> Graph:
    """The triples of one record.

    >>> claim = Claim(iri="urn:c1", subject="urn:a", predicate=str(WB.supports), object="urn:b",
    ...               confidence="stated", source="urn:doc", line_start=3, line_end=4)
    >>> g = to_rdf(claim)
    >>> (URIRef("urn:c1"), RDF.type, WB.Claim) in g, len(g)
    (True, 8)
    """
    graph = Graph()
    subject = URIRef(record.iri)
    model = type(record)
    if model not in (Actor, Source):
        graph.add((subject, RDF.type, model.rdf_class))
    for name, field in model.model_fields.items():
        meta = _meta(field)
        if "predicate" not in meta:
            continue
        value = getattr(record, name)
        if value is None or value == [] or (name == "negated" and value is False):
            continue
        for item in value if isinstance(value, list) else [value]:
            graph.add((subject, meta["predicate"], _to_term(item, meta)))
    return graph


def _to_term(value: Any, meta: dict[str, Any]) -> Node:
    if meta.get("iri"):
        ns = meta.get("ns")
        return URIRef(ns + value if ns and ":" not in value else value)
    if meta.get("date"):
        return date_literal(value)
    if "lang" in meta:
        return Literal(value, lang=meta["lang"])
    if "datatype" in meta:
        return Literal(value, datatype=meta["datatype"])
    return Literal(value)


def from_rdf(model: type[_Record], graph: Graph, iri: str | URIRef) -> _Record:
    """Read one record of ``model`` from ``graph``; raises pydantic's ValidationError on bad data.

    >>> claim = Claim(iri="urn:c1", subject="urn:a", predicate=str(WB.supports), object="urn:b",
    ...               confidence="alleged", source="urn:doc", line_start=3, line_end=4, valid_from="2014")
    >>> from_rdf(Claim, to_rdf(claim), "urn:c1") == claim
    True
    """
    subject = URIRef(iri)
    data: dict[str, Any] = {"iri": str(iri)}
    for name, field in model.model_fields.items():
        meta = _meta(field)
        if "predicate" not in meta:
            continue
        values = [_from_term(v, meta) for v in graph.objects(subject, meta["predicate"]) if _keep(v, meta)]
        values = sorted(v for v in values if v is not None)
        if _is_list(model, name):
            data[name] = values
        elif values:
            data[name] = values[0] if len(values) == 1 else values
    return model.model_validate(data)


def _keep(term: Node, meta: dict[str, Any]) -> bool:
    if "lang" in meta and isinstance(term, Literal):
        return term.language in (None, meta["lang"])
    ns = meta.get("ns")
    return not (ns and isinstance(term, URIRef) and not str(term).startswith(ns))


def _from_term(term: Node, meta: dict[str, Any]) -> Any:
    if isinstance(term, URIRef):
        ns = meta.get("ns")
        return str(term)[len(ns):] if ns and str(term).startswith(ns) else str(term)
    if isinstance(term, Literal):
        if meta.get("date"):
            return str(term)
        value = term.toPython()
        if isinstance(value, Literal) or "lang" in meta or meta.get("datatype") == XSD.anyURI:
            return str(term)
        return value
    return str(term)
