"""Events, policies, agreements and sources in a STIX 2.1 bundle, where STIX has no object of their own.

STIX 2.1 has no event, policy or agreement object, and a custom one fails the OASIS validator in strict
mode. So these become the two container objects that STIX defines and OpenCTI imports as containers:

- an event becomes a ``grouping`` (``context: unspecified``) of the actors involved in it and of the
  relationships of its claims;
- a policy, an agreement, a source document and a cited work become a ``report`` of the parties and
  authors named with it and of the relationships of its claims; for a source, also the relationships of
  every claim that rests on it, so OpenCTI shows a document with its claims.

Claims about them stay ``relationship`` objects (``related-to``, with the exact wbgraph predicate in an
external reference), like every other claim. docs/stix.md has the table.
"""

from __future__ import annotations

from collections import defaultdict

__all__ = ["CONTAINER_CLASSES", "container_fields", "container_members", "container_type"]

#: The wbgraph classes (and their subclasses) exported as containers, with the STIX type each becomes.
CONTAINER_CLASSES = {"Event": "grouping", "Policy": "report", "Agreement": "report", "Source": "report"}

_KINDS = (("Event", "event"), ("Agreement", "agreement"), ("Policy", "policy or strategy"),
          ("CitedWork", "cited work"), ("Document", "source document"), ("Survey", "survey"), ("Source", "source"))


def container_type(classes: set[str]) -> str | None:
    """The STIX type of a node of ``classes`` (local names, superclasses included), if it is a container.

    >>> container_type({"Event"}), container_type({"CitedWork", "Source", "Policy"}), container_type({"State"})
    ('grouping', 'report', None)
    """
    if "Event" in classes:
        return "grouping"
    return "report" if classes & set(CONTAINER_CLASSES) else None


def container_members(claims: list, claim_ids: dict[str, str], end_ids: dict[str, str]) -> dict[str, list[str]]:
    """``{container IRI: sorted STIX ids}``: for each claim, its object and its ends go into the container
    it is about (either end) and into the containers of its sources.

    ``claim_ids`` maps a claim IRI to its STIX object id, ``end_ids`` an actor, concept or container IRI
    to its primary STIX id.

    >>> from types import SimpleNamespace as Claim
    >>> c = Claim(iri="c1", subject="a", object="ev", source="doc", further_sources=["work"])
    >>> members = container_members([c], {"c1": "relationship--1"}, {"a": "identity--a", "ev": "grouping--e"})
    >>> members["ev"], members["work"]
    (['identity--a', 'relationship--1'], ['grouping--e', 'identity--a', 'relationship--1'])
    """
    members: dict[str, set[str]] = defaultdict(set)
    for claim in claims:
        ends = {end_ids[claim.subject], end_ids[claim.object]}
        for end in (claim.subject, claim.object):
            members[end] |= {claim_ids[claim.iri]} | (ends - {end_ids[end]})
        for source in (claim.source, *claim.further_sources):
            members[source] |= {claim_ids[claim.iri]} | ends
    return {iri: sorted(ids) for iri, ids in members.items() if ids}


def container_fields(stix_type: str, info: dict, date: str | None, object_refs: list[str]) -> dict:
    """The properties of the ``grouping`` or ``report`` of one node, besides the common ones.

    ``published`` is the day the curators published the report object (the bundle's fixed timestamp),
    not the date of the work: that goes into the description.

    >>> info = {"label": "Dayton Agreement", "description": "Ended the war.", "classes": {"Agreement"}}
    >>> fields = container_fields("report", info, "1995-12-14", ["identity--a"])
    >>> fields["description"]
    'An agreement, dated 1995-12-14. Ended the war.'
    """
    from .stix import STIX_TIMESTAMP

    kind = next((word for cls, word in _KINDS if cls in info["classes"]), "item")
    said = f"{'An' if kind[0] in 'aeiou' else 'A'} {kind}" + (f", dated {date}" if date else "") + "."
    fields = {"name": info["label"], "description": f"{said} {info['description']}".strip(),
              "object_refs": object_refs}
    if stix_type == "grouping":
        fields["context"] = "unspecified"
    else:
        fields["published"] = STIX_TIMESTAMP
    return fields
