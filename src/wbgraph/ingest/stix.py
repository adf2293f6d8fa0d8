"""A STIX 2.1 bundle (an OpenCTI or MISP export, or wbgraph's own) as rows of actors, a source and claims.

The bundle itself is the source of every claim; a claim's locator is the id of the STIX relationship it
comes from. Identities, threat actors, intrusion sets and locations become actors (or the actors they
already are, when the store knows them by their wbgraph IRI or name); attack patterns become the
mechanisms they already are (by wbgraph IRI, DISARM id or name), vulnerabilities the vulnerability
concepts they already are. Claims of a wbgraph export that the store already holds are left out. Relationships become claims:
:data:`PREDICATES` gives the predicate (a wbgraph export carries the exact one), :func:`confidence_level`
the confidence and :func:`credibility_of` a credibility where the score says more. Objects of other types, and relationships that no predicate fits, are reported as
warnings; they are never silently dropped. Denials (notes of a wbgraph export) are read back as
negated claims.
"""

from __future__ import annotations

from pathlib import Path

from ..export.stix import CURATORS
from ..lookup import entity_kinds, resolve_entity
from ..namespaces import WB_IRI
from ..validate import Issue
from .reader import Row

__all__ = ["ACTOR_CLASSES", "PREDICATES", "confidence_level", "credibility_of", "is_bundle", "stix_rows"]

#: wbgraph predicate of a STIX relationship type (and the STIX type of its target, where it matters).
PREDICATES = {
    ("targets", None): "targets",
    ("uses", "attack-pattern"): "usesMechanism",
    ("located-at", None): "operatesIn",
    ("part-of", None): "partOf",
    ("cooperates-with", None): "cooperatesWith",
}

#: wbgraph class of an actor-like STIX object, by type and, for some, its open vocabulary value.
ACTOR_CLASSES = {
    ("identity", "individual"): "Person",
    ("identity", "group"): "ActorGroup",
    ("identity", "class"): "ActorGroup",
    ("identity", "organization"): "Organisation",
    ("identity", None): "Organisation",
    ("threat-actor", "terrorist"): "TerroristGroup",
    ("threat-actor", "crime-syndicate"): "CriminalNetwork",
    ("threat-actor", "criminal"): "CriminalNetwork",
    ("threat-actor", "activist"): "ExtremistGroup",
    ("threat-actor", None): "NonStateActor",
    ("intrusion-set", None): "CyberActor",
    ("location", "country"): "State",
    ("location", None): "Region",
}

_ACTOR_TYPES = {"identity", "threat-actor", "intrusion-set", "location"}
_QUIET = {"marking-definition", "extension-definition", "language-content"}


def is_bundle(data: object) -> bool:
    """True for a parsed STIX bundle.

    >>> is_bundle({"type": "bundle", "id": "bundle--1", "objects": []}), is_bundle({"claims": []})
    (True, False)
    """
    return isinstance(data, dict) and data.get("type") == "bundle" and isinstance(data.get("objects"), list)


def confidence_level(score: object) -> str:
    """The confidence level of a STIX ``confidence`` (0-100), by the Admiralty credibility bands of STIX 2.1.

    60 and above (credibility 1 or 2) is stated, 40 to 59 (3) alleged, anything lower or absent implied.

    >>> [confidence_level(s) for s in (70, 50, 30, None)]
    ['stated', 'alleged', 'implied', 'implied']
    """
    if not isinstance(score, int | float) or isinstance(score, bool):
        return "implied"
    return "stated" if score >= 60 else "alleged" if score >= 40 else "implied"


def credibility_of(score: object) -> int | None:
    """The Admiralty credibility of a STIX ``confidence`` when it says more than the confidence level does.

    STIX 2.1 (appendix A) reads 80-100 as 1 "confirmed" and 0-19 as 5 "improbable"; the bands between are
    what stated, alleged and implied already give (2, 3, 4), so they return None.

    >>> [credibility_of(s) for s in (95, 75, 50, 10, None)]
    [1, None, None, 5, None]
    """
    if not isinstance(score, int | float) or isinstance(score, bool):
        return None
    return 1 if score >= 80 else 5 if score < 20 else None


def _ref(obj: dict, source_name: str) -> dict | None:
    for ref in obj.get("external_references") or []:
        if isinstance(ref, dict) and ref.get("source_name") == source_name and ref.get("external_id"):
            return ref
    return None


def _vocab(obj: dict) -> str | None:
    kind = obj.get("type")
    if kind == "identity":
        return obj.get("identity_class")
    if kind == "threat-actor":
        values = [v for v in obj.get("threat_actor_types") or [] if any((kind, v) == k for k in ACTOR_CLASSES)]
        return values[0] if values else None
    if kind == "location":
        return "country" if obj.get("country") else None
    return None


class _Reader:
    def __init__(self, store, path: Path) -> None:
        self.store, self.path = store, path
        self.rows: list[Row] = []
        self.problems: list[Issue] = []
        self.names: dict[str, str] = {}  # STIX id -> what a claim row names it by
        self.written: set[str] = set()  # the actors given a row
        self.already: list[str] = []  # relationships of a wbgraph export whose claim the store holds

    def known(self, iri: str) -> bool:
        """True when the store already holds ``iri``."""
        from rdflib import URIRef

        return bool(self.store.query("ASK { ?x ?p ?o }", {"x": URIRef(iri)}).answer)

    def warn(self, message: str, line: int | None, hint: str | None = None) -> None:
        self.problems.append(Issue("warning", "stix", message, file=str(self.path), line=line, hint=hint))

    def existing(self, obj: dict) -> str | None:
        """The IRI of the entity the store already has for ``obj``, if any."""
        ref = _ref(obj, "wbgraph")
        candidates = [ref["external_id"]] if ref else []
        if obj.get("type") == "attack-pattern":
            from ..disarm import concept_techniques

            disarm = _ref(obj, "DISARM")
            if disarm:
                mapped = [c for c, ids in concept_techniques(self.store).items() if disarm["external_id"] in ids]
                candidates += mapped[:1] if len(mapped) == 1 else []
        candidates += [obj["name"]] if isinstance(obj.get("name"), str) else []
        # an identity names an actor: its name must not settle on a concept that merely starts the same
        # way ("Europe" is not "European integration")
        within = ({iri for iri, kind in entity_kinds(self.store).items() if kind == "actor"}
                  if obj.get("type") in _ACTOR_TYPES else None)
        for candidate in candidates:
            try:
                return str(resolve_entity(self.store, candidate, within=within))
            except Exception:  # noqa: BLE001 - not found or ambiguous: try the next way of naming it
                continue
        return None

    def actor(self, obj: dict, line: int) -> None:
        found = self.existing(obj)
        if found:
            self.names[obj["id"]] = found
            return
        ref = _ref(obj, "wbgraph")
        if ref and ref["external_id"] in self.written:  # a state's identity and location are one actor
            self.names[obj["id"]] = ref["external_id"]
            return
        row = Row("actors", line)
        given = (ref or {}).get("description", "")
        if ref and given.startswith("class: "):
            row.values["class"] = given[len("class: "):].split()
        else:
            row.values["class"] = [ACTOR_CLASSES.get((obj["type"], _vocab(obj)), ACTOR_CLASSES[(obj["type"], None)])]
        if ref:
            row.values["id"] = ref["external_id"]
        for name, key in (("label", "name"), ("description", "description")):
            if isinstance(obj.get(key), str) and obj[key].strip():
                row.values[name] = obj[key].strip()
        aliases = [a for a in obj.get("aliases") or [] if isinstance(a, str) and a.strip()]
        if aliases:
            row.values["alt_labels"] = aliases
        self.rows.append(row)
        self.names[obj["id"]] = ref["external_id"] if ref else row.values.get("label", obj["id"])
        self.written.add(self.names[obj["id"]])

    def claim(self, obj: dict, line: int, kinds: dict[str, str], source: str, negated: bool = False) -> None:
        if negated:
            ends = obj.get("object_refs") or []
            source_ref, target_ref = (ends + [None, None])[:2]
        else:
            source_ref, target_ref = obj.get("source_ref"), obj.get("target_ref")
        missing = [r for r in (source_ref, target_ref) if r not in self.names]
        if missing:
            self.warn(f"{obj['id']} left out: {', '.join(map(str, missing))} is not an actor or mechanism "
                      "wbgraph can hold", line, hint="only identities, threat actors, intrusion sets, locations "
                      "and known attack patterns are imported")
            return
        exact = _ref(obj, "wbgraph predicate")
        if not exact and self.names[source_ref] == self.names[target_ref] and _ref(obj, "wbgraph") is None:
            return  # a wbgraph state's identity located at its own location: no claim behind it
        if exact:
            predicate = exact["external_id"]
        else:
            rel = obj.get("relationship_type")
            predicate = PREDICATES.get((rel, kinds.get(target_ref))) or PREDICATES.get((rel, None))
            if predicate is None:
                self.warn(f"{obj['id']} left out: relationship type '{rel}' has no wbgraph predicate", line,
                          hint=f"supported: {', '.join(sorted({k for k, _ in PREDICATES}))}")
                return
            predicate = WB_IRI + predicate
        row = Row("claims", line)
        own = _ref(obj, "wbgraph")
        if own and self.known(own["external_id"]):
            self.already.append(obj["id"])
            return
        if own:
            row.values["id"] = own["external_id"]
        row.values.update({"subject": self.names[source_ref], "predicate": predicate,
                           "object": self.names[target_ref], "source": source, "locator": obj["id"],
                           "confidence": confidence_level(obj.get("confidence"))})
        credibility = credibility_of(obj.get("confidence"))
        if credibility is not None:
            row.values["credibility"] = credibility
        for name, key in (("valid_from", "start_time"), ("valid_until", "stop_time")):
            if isinstance(obj.get(key), str) and len(obj[key]) >= 10:
                row.values[name] = obj[key][:10]
        if negated:
            row.values["negated"] = True
        text = obj.get("description") or obj.get("content")
        if isinstance(text, str) and text.strip():
            row.values["comment"] = text.strip()
        self.rows.append(row)


def _source_row(path: Path, bundle: dict, text: str) -> Row:
    row = Row("sources", 1)
    row.values.update({"id": f"stix-{path.stem}", "class": ["Document"], "label": f"STIX bundle {path.name}",
                       "title": f"STIX 2.1 bundle {bundle.get('id', '')}".strip(), "file_name": path.name,
                       "line_count": text.count("\n") + (0 if text.endswith("\n") else 1)})
    return row


def stix_rows(store, bundle: dict, path: Path, text: str) -> tuple[list[Row], dict[str, str], list[Issue]]:
    """Rows of actors, the bundle as a source, and claims, plus warnings for what was left out.

    The rows then go through the same checks as any other ingested file.
    """
    reader = _Reader(store, path)
    source = _source_row(path, bundle, text)
    reader.rows.append(source)
    source_iri = source.values["id"]
    objects = [o for o in bundle["objects"] if isinstance(o, dict) and isinstance(o.get("id"), str)]
    kinds = {o["id"]: o.get("type") for o in objects}
    skipped: dict[str, int] = {}
    for obj in objects:
        line = getattr(obj, "line", None)
        kind = obj.get("type")
        if kind in _ACTOR_TYPES and (_ref(obj, "wbgraph") or {}).get("external_id") != CURATORS:
            reader.actor(obj, line)
        elif kind in ("attack-pattern", "vulnerability"):
            found = reader.existing(obj)
            if found:
                reader.names[obj["id"]] = found
            else:
                reader.warn(f"{kind} '{obj.get('name', obj['id'])}' matches no wbgraph concept; its "
                            "relationships are left out", line,
                            hint="add the concept, or (for an attack pattern) a DISARM mapping row")
        elif kind not in ("relationship", "note") and kind not in _QUIET:
            skipped[str(kind)] = skipped.get(str(kind), 0) + 1
    for obj in objects:
        line = getattr(obj, "line", None)
        if obj.get("type") == "relationship":
            reader.claim(obj, line, kinds, source_iri)
        elif obj.get("type") == "note" and _ref(obj, "wbgraph predicate"):
            reader.claim(obj, line, kinds, source_iri, negated=True)
        elif obj.get("type") == "note":
            skipped["note"] = skipped.get("note", 0) + 1
    if reader.already:
        reader.warn(f"{len(reader.already)} claim(s) left out: the graph already holds them (same wbgraph id)", 1)
    if skipped:
        listed = ", ".join(f"{n} {k}" for k, n in sorted(skipped.items()))
        reader.warn(f"not imported (wbgraph has no place for these STIX types): {listed}", 1)
    return reader.rows, {}, reader.problems
