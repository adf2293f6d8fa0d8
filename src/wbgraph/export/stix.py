"""The graph as a STIX 2.1 bundle for OpenCTI, MISP and other threat-intelligence tools.

Actors become ``identity``, ``threat-actor`` or ``intrusion-set`` objects by their class; states and
economies also get a ``location`` that their identity is ``located-at``. Mechanisms and threat vectors
become ``attack-pattern`` objects (with the DISARM technique ids of ``ontology/disarm.ttl`` as external
references), vulnerabilities ``vulnerability`` objects. Events become ``grouping`` objects, policies,
agreements, source documents and cited works ``report`` objects (:mod:`wbgraph.export.stix_containers`).
Every claim becomes one ``relationship``; a denied claim becomes a ``note`` that says so, never a
relationship. Tables: :data:`CONFIDENCE_SCORE`,
:data:`RELATIONSHIP_TYPES`; docs/stix.md explains the choices.

Ids are UUIDs derived from the IRIs (same IRI, same id), so a re-export updates objects in OpenCTI
instead of duplicating them, and the same graph always gives the same bytes.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections import defaultdict
from collections.abc import Iterable

from ..errors import WbgraphError
from ..grading import (CONFIDENCE_CREDIBILITY, CREDIBILITY_SCORE, check_grading, claim_credibility, passes_grading,
                       source_reliability)
from ..namespaces import WB_IRI, shorten
from .network_formats import gexf_date
from .stix_containers import container_fields, container_members, container_type

__all__ = [
    "CONFIDENCE_SCORE",
    "CURATORS",
    "RELATIONSHIP_TYPES",
    "STIX_TIMESTAMP",
    "predicate_reference",
    "stix_bundle",
    "stix_id",
    "stix_text",
]

#: ``created`` and ``modified`` of every object: fixed, so that the same graph gives the same bundle.
STIX_TIMESTAMP = "2026-01-01T00:00:00.000Z"

#: STIX ``confidence`` (0-100) of a claim's confidence level, when the claim has no credibility of its
#: own: the score STIX 2.1 (appendix A, Admiralty credibility) gives to the credibility the level is
#: graded as (stated 2 "probably true", alleged 3 "possibly true", implied 4 "doubtful"), so a
#: consumer that reads the score on that scale gets the level back. A claim's own credibility wins.
CONFIDENCE_SCORE = {level: CREDIBILITY_SCORE[grade] for level, grade in CONFIDENCE_CREDIBILITY.items()}

#: The STIX ``relationship_type`` of a wbgraph predicate, by the STIX type of the claim's subject.
#: Only the pairs the STIX 2.1 specification suggests are used; every other claim is ``related-to``,
#: and the exact predicate travels in an external reference (:func:`predicate_reference`).
RELATIONSHIP_TYPES = {
    ("threat-actor", "targets"): "targets",
    ("threat-actor", "undermines"): "targets",
    ("threat-actor", "exploitsVulnerability"): "targets",
    ("threat-actor", "usesMechanism"): "uses",
    ("threat-actor", "posesThreat"): "uses",
    ("threat-actor", "facilitatesThreat"): "uses",
    ("intrusion-set", "targets"): "targets",
    ("intrusion-set", "undermines"): "targets",
    ("intrusion-set", "exploitsVulnerability"): "targets",
    ("intrusion-set", "usesMechanism"): "uses",
    ("intrusion-set", "posesThreat"): "uses",
    ("intrusion-set", "facilitatesThreat"): "uses",
}

#: Which target types each suggested relationship allows (STIX 2.1, section 4 of each object).
_ALLOWED_TARGETS = {
    "targets": {"identity", "location", "vulnerability"},
    "uses": {"attack-pattern"},
}

#: The identity that every object is ``created_by_ref``.
CURATORS = "https://w3id.org/wbgraph/id/wbgraph-curators"
_LICENCE = "https://w3id.org/wbgraph/id/licence-cc-by-4.0"
_PREDICATE_SOURCE = "wbgraph predicate"
_WBGRAPH_SOURCE = "wbgraph"

_THREAT_ACTOR_TYPES = {"TerroristGroup": "terrorist", "ExtremistGroup": "activist",
                       "CriminalNetwork": "crime-syndicate"}
#: Places with no ISO 3166-1 code, written as a location in their STIX region instead.
_NO_ISO_CODE = {"kosovo": "southern-europe"}

_NODES = """
SELECT ?x ?class ?label ?comment WHERE {
  ?x a ?class .
  ?class rdfs:subClassOf* ?top .
  VALUES ?top { wb:Actor wb:Mechanism wb:ThreatVector wb:Vulnerability
                wb:Event wb:Policy wb:Agreement wb:Source }
  FILTER(STRSTARTS(STR(?class), STR(wb:)))
  OPTIONAL { ?x rdfs:label ?label FILTER(LANGMATCHES(LANG(?label), "en")) }
  OPTIONAL { ?x rdfs:comment ?comment FILTER(LANGMATCHES(LANG(?comment), "en")) }
}
"""
_ALTS = "SELECT ?x ?alt WHERE { ?x skos:altLabel ?alt FILTER(LANGMATCHES(LANG(?alt), 'en')) }"
_SUPERCLASSES = "SELECT ?c ?sup WHERE { ?c rdfs:subClassOf* ?sup FILTER(STRSTARTS(STR(?sup), STR(wb:))) }"
_LABELS = "SELECT ?x ?label WHERE { ?x rdfs:label ?label FILTER(LANGMATCHES(LANG(?label), 'en')) }"
_DATES = "SELECT ?x ?date WHERE { { ?x wb:date ?date } UNION { ?x dcterms:date ?date } }"


def stix_id(stix_type: str, iri: str) -> str:
    """The STIX id of the object of type ``stix_type`` made from ``iri``: always the same.

    The UUID is a hash of type and IRI with the version bits of a UUIDv4, the form STIX 2.1 asks of
    domain objects.

    >>> stix_id("identity", "https://w3id.org/wbgraph/id/serbia")
    'identity--a2cee3f7-73e3-4d02-9fd1-1731e20c7860'
    >>> stix_id("identity", "https://w3id.org/wbgraph/id/serbia") == stix_id("location", "https://w3id.org/wbgraph/id/serbia")
    False
    """
    digest = hashlib.sha256(f"{stix_type}|{iri}".encode()).digest()
    return f"{stix_type}--{uuid.UUID(bytes=digest[:16], version=4)}"


def predicate_reference(predicate_iri: str) -> dict:
    """The external reference that carries a claim's exact wbgraph predicate.

    >>> predicate_reference("https://w3id.org/wbgraph/ontology#supports")
    {'source_name': 'wbgraph predicate', 'external_id': 'https://w3id.org/wbgraph/ontology#supports'}
    """
    return {"source_name": _PREDICATE_SOURCE, "external_id": predicate_iri}


def _stamp(stix_type: str, iri: str) -> dict:
    return {"type": stix_type, "spec_version": "2.1", "id": stix_id(stix_type, iri),
            "created": STIX_TIMESTAMP, "modified": STIX_TIMESTAMP}


def _common(stix_type: str, iri: str) -> dict:
    return {**_stamp(stix_type, iri), "created_by_ref": stix_id("identity", CURATORS),
            "object_marking_refs": [stix_id("marking-definition", _LICENCE)]}


def _wbgraph_ref(iri: str, classes: Iterable[str] = ()) -> dict:
    ref = {"source_name": _WBGRAPH_SOURCE, "external_id": iri}
    if classes:  # lets `wbgraph ingest` give an exported actor back its class
        ref["description"] = "class: " + " ".join(sorted(classes))
    return ref


def _timestamp(text: str | None, *, end: bool = False) -> str | None:
    day = gexf_date(text, end=end) if text else None
    if day is None:
        return None
    return f"{day}T23:59:59.000Z" if end else f"{day}T00:00:00.000Z"


def _country_code(label: str) -> str | None:
    try:
        import pycountry
    except ModuleNotFoundError:  # locations then carry no country code, and are left out
        return None
    try:
        found = pycountry.countries.lookup(label)
    except LookupError:
        found = None
        for country in pycountry.countries:
            if label in (getattr(country, "common_name", None), getattr(country, "official_name", None)):
                found = country
    return found.alpha_2 if found else None


def _node_objects(iri: str, info: dict) -> list[dict]:
    """The STIX objects of one actor or concept (its primary object first)."""
    classes, label = info["classes"], info["label"]
    base = {"name": label}
    if info["description"]:
        base["description"] = info["description"]
    refs = [_wbgraph_ref(iri, info["direct"])]
    if "Mechanism" in classes or "ThreatVector" in classes:
        from ..disarm import DISARM_SOURCE, technique

        refs += [{"source_name": "DISARM", "external_id": t.id, "description": f"{t.name}. From the {DISARM_SOURCE}"}
                 for t in (technique(i) for i in info.get("disarm", []))]
        return [{**_common("attack-pattern", iri), **base, "external_references": refs}]
    if "Vulnerability" in classes:
        return [{**_common("vulnerability", iri), **base, "external_references": refs}]
    if info["alt_labels"]:
        base["aliases"] = info["alt_labels"]
    if "CyberActor" in classes:
        return [{**_common("intrusion-set", iri), **base, "external_references": refs}]
    kinds = [v for k, v in _THREAT_ACTOR_TYPES.items() if k in classes]
    if kinds:
        return [{**_common("threat-actor", iri), **base, "threat_actor_types": sorted(set(kinds)),
                 "external_references": refs}]
    identity_class = ("individual" if "Person" in classes else
                      "group" if classes & {"ActorGroup", "NonStateActor"} else
                      "class" if "Region" in classes else "organization")
    base.pop("aliases", None)
    objects = [{**_common("identity", iri), **base, "identity_class": identity_class, "external_references": refs}]
    if "State" in classes:
        slug = iri.rsplit("/", 1)[-1]
        where = {"region": _NO_ISO_CODE[slug]} if slug in _NO_ISO_CODE else {"country": _country_code(label)}
        if all(where.values()):
            objects.append({**_common("location", iri), "name": label, **where,
                            "external_references": [_wbgraph_ref(iri, info["direct"])]})
            objects.append(_relationship(f"{iri}#located-at", objects[0]["id"], "located-at", objects[1]["id"],
                                         description=f"{label} (the state) is located at {label} (the country)"))
    return objects


def _relationship(key: str, source_ref: str, rel_type: str, target_ref: str, **extra) -> dict:
    return {**_common("relationship", key), "relationship_type": rel_type, "source_ref": source_ref,
            "target_ref": target_ref, **{k: v for k, v in extra.items() if v not in (None, [], "")}}


def _read_nodes(store) -> dict[str, dict]:
    supers: dict[str, set[str]] = defaultdict(set)
    for c, sup in store.query_text(_SUPERCLASSES):
        supers[c].add(sup[len(WB_IRI):])
    nodes: dict[str, dict] = {}
    for x, cls, label, comment in store.query_text(_NODES):
        info = nodes.setdefault(x, {"label": label or shorten(x), "description": comment or "",
                                    "classes": set(), "direct": set(), "alt_labels": []})
        info["classes"] |= supers.get(cls, {cls[len(WB_IRI):]})
        info["direct"].add(cls[len(WB_IRI):])
    for x, alt in store.query_text(_ALTS):
        if x in nodes:
            nodes[x]["alt_labels"].append(alt)
    for info in nodes.values():
        info["alt_labels"] = sorted(set(info["alt_labels"]))
    return nodes


def _neighbourhood(claims: list, focus: str, depth: int) -> set[str]:
    neighbours: dict[str, set[str]] = defaultdict(set)
    for claim in claims:
        neighbours[claim.subject].add(claim.object)
        neighbours[claim.object].add(claim.subject)
    seen, frontier = {focus}, {focus}
    for _ in range(depth):
        frontier = {n for f in frontier for n in neighbours[f]} - seen
        seen |= frontier
    return seen


def stix_bundle(store, *, min_confidence: str = "implied", focus: str | None = None, depth: int = 1,
                min_reliability: str = "F", min_credibility: int = 6) -> dict:
    """The claims of ``store`` (at least ``min_confidence``; around ``focus`` if given) as a STIX 2.1 bundle.

    Date filters are applied to the store beforehand (:func:`wbgraph.period.restrict_to_period`).
    ``focus`` is an IRI; only claims between actors at most ``depth`` claims away from it are kept.
    ``min_reliability`` (A-F) and ``min_credibility`` (1-6) keep the claims graded at least that well.

    >>> from wbgraph.store import load_graph
    >>> bundle = stix_bundle(load_graph(), min_confidence="stated", focus="https://w3id.org/wbgraph/id/kosovo")
    >>> kosovo = [o for o in bundle["objects"] if o["type"] == "location" and o["name"] == "Kosovo"]
    >>> kosovo[0]["region"]  # Kosovo has no ISO 3166-1 code: its own location, in its region
    'southern-europe'
    """
    from ..disarm import concept_techniques
    from .claims_table import claim_records
    from ..network import CONFIDENCE_RANK

    if min_confidence not in CONFIDENCE_RANK:
        raise WbgraphError(f"unknown confidence level '{min_confidence}'", hint="use stated, alleged or implied")
    check_grading(min_reliability, min_credibility)
    nodes = _read_nodes(store)
    for concept, techniques in concept_techniques(store).items():
        if concept in nodes:
            nodes[concept]["disarm"] = techniques
    labels = dict(store.query_text(_LABELS))
    claims = claim_records(store)
    reliability, credibility = source_reliability(store), claim_credibility(store)
    grades = {c.iri: (reliability.get(c.source, "F"), credibility.get(c.iri, CONFIDENCE_CREDIBILITY[c.confidence]))
              for c in claims}
    claims = [c for c in claims if c.subject in nodes and c.object in nodes
              and CONFIDENCE_RANK[c.confidence] >= CONFIDENCE_RANK[min_confidence]
              and passes_grading(*grades[c.iri], min_reliability, min_credibility)]
    if focus is not None:
        if focus not in nodes:
            raise WbgraphError(f"'{shorten(focus)}' has no claim that STIX can hold", node=focus,
                               hint="focus on an actor")
        keep = _neighbourhood(claims, focus, depth)
        claims = [c for c in claims if c.subject in keep and c.object in keep]
    # mechanisms named as a claim's qualifier are exported too, so that their DISARM ids travel
    qualifiers = {m for c in claims for m in c.mechanisms if m in nodes}
    # the sources of the claims become reports of their claims, so OpenCTI shows a document with them
    sources = {s for c in claims for s in (c.source, *c.further_sources) if s in nodes}
    used = sorted({n for c in claims for n in (c.subject, c.object)} | qualifiers | sources
                  | ({focus} if focus else set()))
    objects = [_curators(), _licence()]
    primary: dict[str, dict] = {}
    containers: list[str] = []
    for iri in used:
        kind = container_type(nodes[iri]["classes"])
        if kind:  # written once its members are known
            primary[iri] = {"type": kind, "id": stix_id(kind, iri)}
            containers.append(iri)
            continue
        node_objects = _node_objects(iri, nodes[iri])
        primary[iri] = node_objects[0]
        objects += node_objects
    claim_ids = {}
    for claim in claims:
        objects.append(_claim_object(claim, primary, labels, nodes, grades[claim.iri]))
        claim_ids[claim.iri] = objects[-1]["id"]
    members = container_members(claims, claim_ids, {iri: o["id"] for iri, o in primary.items()})
    dates = dict(store.query_text(_DATES))
    for iri in containers:
        kind = primary[iri]["type"]
        objects.append({**_common(kind, iri), **container_fields(kind, nodes[iri], dates.get(iri), members[iri]),
                        "external_references": [_wbgraph_ref(iri, nodes[iri]["direct"])]})
    objects.sort(key=lambda o: (o["type"] != "identity" or o["id"] != stix_id("identity", CURATORS), o["id"]))
    digest = hashlib.sha256(json.dumps(objects, sort_keys=True).encode()).digest()
    return {"type": "bundle", "id": f"bundle--{uuid.UUID(bytes=digest[:16], version=4)}", "objects": objects}


def _curators() -> dict:
    return {**_stamp("identity", CURATORS), "name": "wbgraph curators", "identity_class": "group",
            "description": "The people who curate the wbgraph knowledge graph of Western Balkans security.",
            "external_references": [_wbgraph_ref(CURATORS)],
            "object_marking_refs": [stix_id("marking-definition", _LICENCE)]}


def _licence() -> dict:
    return {"type": "marking-definition", "spec_version": "2.1", "id": stix_id("marking-definition", _LICENCE),
            "created": STIX_TIMESTAMP, "name": "wbgraph data: CC BY 4.0", "definition_type": "statement",
            "definition": {"statement": "wbgraph data, licensed under CC BY 4.0 "
                                        "(https://creativecommons.org/licenses/by/4.0/): credit wbgraph and "
                                        "the source documents cited in each relationship."}}


def _source_refs(claim, labels: dict[str, str], reliability: str) -> list[dict]:
    where = (f"lines {claim.line_start}-{claim.line_end}" if claim.line_start is not None else claim.locator)
    where += f"; source reliability {reliability}"
    refs = [{"source_name": labels.get(claim.source, shorten(claim.source)), "external_id": claim.source,
             "description": where}]
    refs += [{"source_name": labels.get(s, shorten(s)), "external_id": s, "description": "further source"}
             for s in claim.further_sources]
    return refs


def _claim_object(claim, primary: dict[str, dict], labels: dict[str, str], nodes: dict[str, dict],
                  grade: tuple[str, int]) -> dict:
    subject, target = primary[claim.subject], primary[claim.object]
    predicate = claim.predicate[len(WB_IRI):] if claim.predicate.startswith(WB_IRI) else shorten(claim.predicate)
    said = f"{nodes[claim.subject]['label']} {labels.get(claim.predicate, predicate)} {nodes[claim.object]['label']}"
    details = _qualifiers(claim, labels, nodes, grade)
    refs = [_wbgraph_ref(claim.iri), predicate_reference(claim.predicate), *_source_refs(claim, labels, grade[0])]
    if claim.negated:
        return {**_common("note", claim.iri), "abstract": f"Denied: {said}",
                "content": f"The source denies that {said}." + (f" {details}" if details else ""),
                # subject first: `wbgraph ingest` reads the denial back in that order
                "object_refs": [subject["id"], target["id"]], "external_references": refs}
    rel_type = RELATIONSHIP_TYPES.get((subject["type"], predicate), "related-to")
    if target["type"] not in _ALLOWED_TARGETS.get(rel_type, {target["type"]}):
        rel_type = "related-to"
    start = _timestamp(claim.valid_from)
    stop = _timestamp(claim.valid_until, end=True)
    return _relationship(claim.iri, subject["id"], rel_type, target["id"],
                         description=f"{said}." + (f" {details}" if details else ""),
                         confidence=CREDIBILITY_SCORE.get(grade[1]), start_time=start, stop_time=stop,
                         external_references=refs)


def _qualifiers(claim, labels: dict[str, str], nodes: dict[str, dict], grade: tuple[str, int]) -> str:
    parts = []
    for name, values in (("mechanism", claim.mechanisms), ("threat", claim.threats), ("sector", claim.sectors),
                         ("target", claim.targets), ("vulnerability", claim.vulnerabilities)):
        shown = []
        for value in values:
            text = labels.get(value, shorten(value))
            disarm = nodes.get(value, {}).get("disarm")
            shown.append(f"{text} (DISARM {', '.join(disarm)})" if disarm else text)
        if shown:
            parts.append(f"{name}: {'; '.join(shown)}")
    parts.append(f"confidence: {claim.confidence}, graded {grade[0]}{grade[1]} (source reliability, credibility)")
    if claim.comment:
        parts.append(claim.comment.rstrip("."))
    return ". ".join(parts) + "."


def stix_text(store, **options) -> str:
    """:func:`stix_bundle` as JSON text, keys sorted, ready to write."""
    return json.dumps(stix_bundle(store, **options), indent=2, sort_keys=True, ensure_ascii=False) + "\n"

