"""A one-page brief on an actor, an economy, a threat or a document, generated from its claims.

Every line of a brief is a sentence put together from claims (subject, relation, object and their
qualifiers) or from the graph's own records (figures, events, recommendations), followed by the
sources and lines it rests on. Claim summaries are the curators' words, never the documents'.
:mod:`wbgraph.brief_page` renders a :class:`Brief` as Markdown or as an HTML page.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from rdflib import URIRef

from .grading import CONFIDENCE_CREDIBILITY, claim_credibility, source_reliability
from .lookup import english_labels, entity_kinds
from .namespaces import WB_IRI, WBR_IRI, shorten
from .store import GraphStore

__all__ = ["Brief", "Line", "Section", "build_brief", "cite"]

THREAT_RELATIONS = ("facesThreat", "posesThreat", "facilitatesThreat", "countersThreat", "hasVulnerability",
                    "exploitsVulnerability")

# verbs for sentences; headings keep the ontology's labels
VERBS = {"alignedWith": "is aligned with", "involvedIn": "is involved in", "memberOf": "is a member of",
         "partOf": "is part of", "candidateFor": "is a candidate for membership of", "establishedBy":
         "was established by", "inDisputeWith": "is in dispute with", "partyTo": "is party to", "usesMechanism":
         "uses", "posesThreat": "poses the threat of", "facesThreat": "faces the threat of", "facilitatesThreat":
         "facilitates the threat of", "countersThreat": "counters the threat of", "hasVulnerability":
         "is weakened by", "exploitsVulnerability": "exploits", "occurredIn": "took place in", "seeksMembershipOf":
         "seeks membership of", "partnerOf": "is a partner of", "actsThroughProxy": "acts through the proxy"}

_CLAIMS = """
SELECT ?claim ?role ?s ?p ?o ?conf ?neg ?source ?start ?end ?comment ?from ?until
       (GROUP_CONCAT(DISTINCT ?q; separator="\\u001f") AS ?qualifiers)
WHERE {
  { ?claim rdf:subject ?x BIND("subject" AS ?role) } UNION { ?claim rdf:object ?x BIND("object" AS ?role) }
  UNION { ?claim wb:target|wb:mechanism|wb:threat|wb:sector ?x BIND("qualifier" AS ?role) }
  ?claim a wb:Claim ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; wb:confidence ?conf .
  OPTIONAL { ?claim prov:wasDerivedFrom ?source }
  OPTIONAL { ?claim wb:lineStart ?start ; wb:lineEnd ?end }
  OPTIONAL { ?claim rdfs:comment ?comment }
  OPTIONAL { ?claim wb:validFrom ?from }
  OPTIONAL { ?claim wb:validUntil ?until }
  OPTIONAL { ?claim wb:negated ?n }
  BIND(COALESCE(?n, false) AS ?neg)
  OPTIONAL { ?claim ?qp ?q0 VALUES ?qp { wb:mechanism wb:threat wb:target wb:sector } }
  BIND(COALESCE(CONCAT(STRAFTER(STR(?qp), "#"), "=", STR(?q0)), "") AS ?q)
}
GROUP BY ?claim ?role ?s ?p ?o ?conf ?neg ?source ?start ?end ?comment ?from ?until
ORDER BY ?source ?start ?claim
"""

# the same columns for every claim taken from one source
_CLAIMS_FROM = _CLAIMS.replace(
    '{ ?claim rdf:subject ?x BIND("subject" AS ?role) } UNION { ?claim rdf:object ?x BIND("object" AS ?role) }\n'
    '  UNION { ?claim wb:target|wb:mechanism|wb:threat|wb:sector ?x BIND("qualifier" AS ?role) }',
    '?claim prov:wasDerivedFrom ?x BIND("source" AS ?role)')

# every claim on a subject, predicate and object that one source also claims (to find disagreements)
_CLAIMS_SAME_EDGE = _CLAIMS.replace(
    '{ ?claim rdf:subject ?x BIND("subject" AS ?role) } UNION { ?claim rdf:object ?x BIND("object" AS ?role) }\n'
    '  UNION { ?claim wb:target|wb:mechanism|wb:threat|wb:sector ?x BIND("qualifier" AS ?role) }',
    '?mine prov:wasDerivedFrom ?x ; rdf:subject ?s0 ; rdf:predicate ?p0 ; rdf:object ?o0 .\n'
    '  ?claim rdf:subject ?s0 ; rdf:predicate ?p0 ; rdf:object ?o0 . BIND("edge" AS ?role)')

_FIGURES = """
SELECT ?ind ?label ?value ?unit ?year ?population ?source ?start ?end WHERE {
  { ?ind wb:refersTo ?x } UNION { ?ind wb:topic ?x } UNION { ?ind prov:wasDerivedFrom ?x }
  ?ind a wb:Indicator ; rdfs:label ?label ; wb:value ?value ; wb:unit ?unit ; wb:year ?year ;
       prov:wasDerivedFrom ?source ; wb:lineStart ?start ; wb:lineEnd ?end .
  OPTIONAL { ?ind wb:population ?population }
} ORDER BY ?year ?label
"""

_RECOMMENDATIONS = """
SELECT DISTINCT ?rec ?how ?label ?source ?start ?end WHERE {
  { ?rec wb:addressedTo ?x BIND("addressed to" AS ?how) } UNION { ?rec wb:about ?x BIND("about" AS ?how) }
  UNION { ?rec prov:wasDerivedFrom ?x BIND("made in" AS ?how) }
  ?rec a wb:Recommendation ; rdfs:label ?label ; prov:wasDerivedFrom ?source ; wb:lineStart ?start ; wb:lineEnd ?end .
} ORDER BY ?how ?source ?start ?label
"""

_EVENT_DATES = "SELECT ?e ?date WHERE { ?e a wb:Event ; wb:date ?date }"

_DOCUMENT = """
SELECT ?title ?date ?file ?count (GROUP_CONCAT(DISTINCT ?who; separator="\\u001f") AS ?creators) WHERE {
  OPTIONAL { ?x dcterms:title ?title }
  OPTIONAL { ?x dcterms:date ?date }
  OPTIONAL { ?x wb:fileName ?file }
  OPTIONAL { ?x wb:lineCount ?count }
  OPTIONAL { ?x dcterms:creator ?c . OPTIONAL { ?c rdfs:label ?cl } BIND(STR(COALESCE(?cl, ?c)) AS ?who) }
} GROUP BY ?title ?date ?file ?count
"""

_OWN_RECORD = "SELECT ?comment ?source ?start ?end WHERE { ?x prov:wasDerivedFrom ?source ; wb:lineStart ?start ; " \
              "wb:lineEnd ?end . OPTIONAL { ?x rdfs:comment ?comment FILTER(LANGMATCHES(LANG(?comment), 'en')) } }"


@dataclass
class Line:
    """One sentence with the sources it rests on: (source IRI, first line, last line, confidence), and for
    a claim its grade as a fifth item (source reliability and credibility, such as "F2": docs/grading.md)."""

    text: str
    sources: list[tuple[str, int | None, int | None, str]] = field(default_factory=list)
    notes: list["Line"] = field(default_factory=list)
    #: the claimed relation the sentence states, as (subject, predicate, object, negated) IRIs
    relation: tuple[str, str, str, bool] | None = None


@dataclass
class Section:
    """A heading and its lines (``group`` subheadings are kept in order)."""

    title: str
    lines: list[tuple[str, Line]] = field(default_factory=list)


@dataclass
class Brief:
    """What a brief says: the thing, what it is, and its sections."""

    iri: str
    label: str
    kind: str
    summary: list[Line]
    sections: list[Section]


def cite(sources: list[tuple]) -> str:
    """Sources as "(001, lines 5-7, alleged, graded F3; 002, line 9)"; stated claims carry no confidence
    word, and a claim's grade (source reliability A-F, credibility 1-6) follows when the tuple has one.

    >>> cite([("https://w3id.org/wbgraph/id/doc-002", 9, 9, "stated"),
    ...       ("https://w3id.org/wbgraph/id/doc-001", 718, 720, "alleged", "F3")])
    '(001, lines 718-720, alleged, graded F3; 002, line 9)'
    """
    if not sources:
        return "(no source)"
    parts = []
    for source, start, end, confidence, *grade in sorted(set(sources), key=lambda s: (s[0], s[1] or 0, s[2] or 0)):
        name = source.removeprefix(WBR_IRI).removeprefix("doc-") if source else "no source"
        where = "" if start is None else (f", line {start}" if start == end else f", lines {start}-{end}")
        parts.append(name + where + ("" if confidence in ("stated", "") else f", {confidence}")
                     + (f", graded {grade[0]}" if grade and grade[0] else ""))
    return "(" + "; ".join(parts) + ")"


def _local(iri: str) -> str:
    return iri[len(WB_IRI):] if iri.startswith(WB_IRI) else shorten(iri)


def _claims(store: GraphStore, iri: str, text: str = _CLAIMS) -> list[dict]:
    reliability, credibility = source_reliability(store), claim_credibility(store)
    out = []
    for row in store.query_text(text, {"x": URIRef(iri)}):
        claim, role, s, p, o, conf, neg, source, start, end, comment, vfrom, vuntil, quals = row
        qualifiers: dict[str, list[str]] = defaultdict(list)
        for item in (quals or "").split("\u001f"):
            if "=" in item:
                key, value = item.split("=", 1)
                qualifiers[key].append(value)
        out.append({"claim": claim, "role": role, "s": s, "p": _local(p), "o": o, "confidence": _local(conf),
                    "negated": neg in ("true", "1"), "source": source or "", "start": int(start) if start else None,
                    "end": int(end) if end else None, "comment": comment or "", "from": vfrom or "",
                    "until": vuntil or "", "qualifiers": dict(qualifiers),
                    "grade": f"{reliability.get(source, 'F')}"
                             f"{credibility.get(claim, CONFIDENCE_CREDIBILITY.get(_local(conf), 6))}"})
    return out


class _Names:
    """The label of an IRI; in a sentence, an event's label (itself a sentence, "Bosnia and Herzegovina
    applies for EU membership") is quoted so that the sentence around it still reads."""

    def __init__(self, labels: dict[str, str], kinds: dict[str, str]) -> None:
        self.labels, self.kinds = labels, kinds

    def __call__(self, x: str) -> str:
        return self.labels.get(x, shorten(x))

    def phrase(self, x: str) -> str:
        return f"“{self(x)}”" if self.kinds.get(x) == "event" else self(x)


def _sentence(c: dict, name: _Names, relation: str) -> str:
    subject, obj = name.phrase(c["s"]), name.phrase(c["o"]) if c["o"].startswith("http") else c["o"]
    text = f"{'Denied: ' if c['negated'] else ''}{subject} {VERBS.get(c['p'], relation)} {obj}"
    quals = c["qualifiers"]
    if quals.get("mechanism"):
        text += ", through " + ", ".join(sorted(name(m) for m in quals["mechanism"]))
    if quals.get("target"):
        text += ", aimed at " + ", ".join(sorted(name(m) for m in quals["target"]))
    if quals.get("threat"):
        text += ", bearing on " + ", ".join(sorted(name(m) for m in quals["threat"]))
    if quals.get("sector"):
        text += ", in " + ", ".join(sorted(name(m) for m in quals["sector"]))
    if c["from"] or c["until"]:
        text += f" ({'from ' + c['from'] if c['from'] else ''}{' ' if c['from'] and c['until'] else ''}" \
                f"{'until ' + c['until'] if c['until'] else ''})"
    return text + "."


def _grouped(claims: list[dict], name, relations: dict[str, str]) -> list[tuple[str, Line]]:
    """One line per relation (subject, predicate, object, denial), with a note per claim summary."""
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for c in claims:
        groups[(c["p"], c["s"], c["o"], c["negated"])].append(c)
    lines = []
    for (p, s, o, negated), members in sorted(groups.items(), key=lambda kv: (relations.get(kv[0][0], kv[0][0]),
                                                                               name(kv[0][1]), name(kv[0][2]))):
        merged = dict(members[0])
        merged["qualifiers"] = defaultdict(list)
        for c in members:
            for key, values in c["qualifiers"].items():
                merged["qualifiers"][key] = sorted(set(merged["qualifiers"][key]) | set(values))
        line = Line(_sentence(merged, name, relations.get(p, p)),
                    [(c["source"], c["start"], c["end"], c["confidence"], c["grade"]) for c in members],
                    relation=(s, p, o, negated))
        line.notes = [Line(c["comment"], [(c["source"], c["start"], c["end"], c["confidence"], c["grade"])])
                      for c in members if c["comment"]]
        lines.append((relations.get(p, p), line))
    return lines


def _disagreements(claims: list[dict], name, relations: dict[str, str]) -> list[tuple[str, Line]]:
    by_edge: dict[tuple, list[dict]] = defaultdict(list)
    for c in claims:
        if c["role"] != "qualifier":
            by_edge[(c["s"], c["p"], c["o"])].append(c)
    lines = []
    for (s, p, o), members in sorted(by_edge.items()):
        denied = [c for c in members if c["negated"]]
        if not denied:
            continue
        held = [c for c in members if not c["negated"]]
        rel = relations.get(p, p)
        if held:
            text = f"Whether {name(s)} {VERBS.get(p, rel)} {name(o)}: asserted in some places, denied in others."
        else:
            text = f"That {name(s)} {VERBS.get(p, rel)} {name(o)} is denied, and nothing asserts it."
        line = Line(text, [(c["source"], c["start"], c["end"], c["confidence"], c["grade"]) for c in members])
        line.notes = [Line(("Denied: " if c["negated"] else "Asserted: ") + (c["comment"] or "no summary."),
                           [(c["source"], c["start"], c["end"], c["confidence"], c["grade"])]) for c in members]
        lines.append(("", line))
    return lines


def build_brief(store: GraphStore, iri: str) -> Brief:
    """Gather what the graph says about one thing into a :class:`Brief`.

    >>> from wbgraph.store import load_graph
    >>> brief = build_brief(load_graph(), "https://w3id.org/wbgraph/id/kfor")
    >>> brief.label, brief.kind, [s.title for s in brief.sections][:2]
    ('KFOR', 'actor', ['What it does', 'What others do to it'])
    """
    iri = str(iri)
    labels = english_labels(store)
    kinds = entity_kinds(store)
    relations = {_local(k): v for k, v in labels.items() if k.startswith(WB_IRI)}

    name = _Names(labels, kinds)
    label, kind = name(iri), kinds.get(iri, "thing")
    claims = _claims(store, iri) if kind != "source" else _claims(store, iri, _CLAIMS_SAME_EDGE)
    summary = _summary(store, iri, label, kind, claims, labels)
    own = [c for c in claims if c["role"] != "qualifier"]
    sections = []
    if kind == "source":
        sections += _document_sections(store, iri, claims, name, relations)
    else:
        out_claims = [c for c in own if c["s"] == iri and c["p"] not in THREAT_RELATIONS]
        in_claims = [c for c in own if c["o"] == iri and c["s"] != iri]
        threat_claims = [c for c in own if c["s"] == iri and c["p"] in THREAT_RELATIONS]
        sections.append(Section("What it does", _grouped(out_claims, name, relations)))
        sections.append(Section("What others do to it", _grouped(in_claims, name, relations)))
        sections.append(Section("Threats and vulnerabilities", _grouped(threat_claims, name, relations)))
        qualified = [c for c in claims if c["role"] == "qualifier"]
        sections.append(Section("Where others' relations name it (as target, channel, threat or sector)",
                                _grouped(qualified, name, relations)))
    sections.append(Section("Figures", _figures(store, iri)))
    sections.append(Section("Dated events", _events(store, [c for c in own if not c["negated"]], iri, name,
                                                   relations)))
    sections.append(Section("Recommendations", _recommendations(store, iri, name)))
    sections.append(Section("Where the sources disagree", _disagreements(claims, name, relations)))
    return Brief(iri, label, kind, summary, sections)


def _summary(store, iri, label, kind, claims, labels) -> list[Line]:
    lines = []
    classes = store.query_text("SELECT ?c WHERE { ?x a ?c FILTER NOT EXISTS { ?x a ?n . ?n rdfs:subClassOf+ ?c "
                               "FILTER(?n != ?c) } }", {"x": URIRef(iri)})
    what = ", ".join(sorted(labels.get(c, _local(c)) for (c,) in classes)) or kind
    if kind == "source":
        own = [c for c in claims if c["source"] == iri]
        count = len({c["claim"] for c in own})
        starts = [c["start"] for c in own if c["start"]]
        where = [(iri, min(starts), max(c["end"] for c in own if c["end"]), "")] if starts else [(iri, None, None, "")]
        return [Line(f"{label} is a {what}; the graph holds {count} claim{'s' if count != 1 else ''} taken from it.",
                     where)] + [Line(comment, [(source, int(start), int(end), "")]) for comment, source, start, end
                                in store.query_text(_OWN_RECORD, {"x": URIRef(iri)}) if comment]
    first: dict[str, tuple[int | None, int | None, str]] = {}
    for c in claims:
        if c["source"] and (c["source"] not in first or (c["start"] or 0) < (first[c["source"]][0] or 0)):
            first[c["source"]] = (c["start"], c["end"], "")
    count = len({c["claim"] for c in claims})
    docs = len(first)
    own_record = store.query_text(_OWN_RECORD, {"x": URIRef(iri)})
    if not count and not own_record:
        return [Line(f"{label} is in the graph, but no claim names it.", [])]
    article = "an" if what[:1].lower() in "aeiou" else "a"
    lines.append(Line(f"{label} is {article} {what}, named in {count} claim{'s' if count != 1 else ''} of {docs} "
                      f"source{'s' if docs != 1 else ''}; the first mention in each is cited.",
                      [(s, a, b, "") for s, (a, b, _) in first.items()]))
    if not count:
        lines.pop()
    for comment, source, start, end in own_record:
        if comment:
            lines.append(Line(comment, [(source, int(start), int(end), "")]))
    return lines


def _figures(store, iri) -> list[tuple[str, Line]]:
    out = []
    for ind, label, value, unit, year, population, source, start, end in store.query_text(_FIGURES, {"x": URIRef(iri)}):
        who = f"; {population}" if population else ""
        out.append(("", Line(f"{label}: {value} {unit} ({year}{who}).", [(source, int(start), int(end), "")])))
    return out


def _events(store, claims, iri, name, relations) -> list[tuple[str, Line]]:
    dates = dict(store.query_text(_EVENT_DATES))
    out = []
    for c in claims:
        event = c["o"] if c["o"] in dates else c["s"] if c["s"] in dates else None
        if event is None:
            continue
        verb = VERBS.get(c["p"], relations.get(c["p"], c["p"]))
        other = c["s"] if event == c["o"] else c["o"]
        # the event is named once, at the head; the relation then refers to it
        if event == c["s"]:
            told = f"it {verb} {name.phrase(c['o'])}"
        elif c["p"] == "involvedIn":
            told = f"{name(other)} is involved"
        else:
            told = f"{name.phrase(c['s'])} {verb} it"
        line = Line(f"{dates[event]}: {name(event)}; {told}.",
                    [(c["source"], c["start"], c["end"], c["confidence"], c["grade"])])
        out.append((dates[event], line))
    if iri in dates:
        out.append((dates[iri], Line(f"{dates[iri]}: {name(iri)}.", [(s, int(a), int(b), "") for _, s, a, b in
                                     store.query_text(_OWN_RECORD, {"x": URIRef(iri)})])))
    seen, unique = set(), []
    for key, line in sorted(out, key=lambda kv: (kv[0], kv[1].text)):
        if line.text not in seen:
            seen.add(line.text)
            unique.append(("", line))
    return unique


def _recommendations(store, iri, name) -> list[tuple[str, Line]]:
    return [(f"Recommendations {how} it", Line(f"{label}.", [(source, int(start), int(end), "")]))
            for rec, how, label, source, start, end in store.query_text(_RECOMMENDATIONS, {"x": URIRef(iri)})]


def _document_sections(store, iri, claims, name, relations) -> list[Section]:
    rows = store.query_text(_DOCUMENT, {"x": URIRef(iri)})
    facts = []
    if rows:
        title, date, file, count, creators = rows[0]
        whole = [(iri, 1, int(count), "")] if count else [(iri, None, None, "")]
        if title:
            facts.append(("", Line(f"Title: {title}.", whole)))
        if date:
            facts.append(("", Line(f"Date: {date}.", whole)))
        if creators:
            facts.append(("", Line("Authors: " + ", ".join(sorted(creators.split("\u001f"))) + ".", whole)))
        if file:
            facts.append(("", Line(f"File: {file}.", whole)))
    mine = _claims(store, iri, _CLAIMS_FROM)
    counts: dict[str, list[dict]] = defaultdict(list)
    for c in mine:
        counts[c["s"]].append(c)
        if c["o"].startswith("http"):
            counts[c["o"]].append(c)
    top = sorted(counts.items(), key=lambda kv: (-len(kv[1]), name(kv[0])))[:12]
    def most_often(x: str, cs: list[dict]) -> str:
        """The commonest relation, written the way it runs: "NATO ... undermines" or "... undermines NATO"."""
        predicate, side = _most(x, cs)
        words = relations.get(predicate, predicate)
        return f"{name(x)} {words} …" if side == "subject" else f"… {words} {name(x)}"

    about = [("", Line(f"{name(x)}: {len(cs)} claim{'s' if len(cs) != 1 else ''}, most often "
                           f"\"{most_often(x, cs)}\".",
                       [(c["source"], c["start"], c["end"], "") for c in cs[:3]])) for x, cs in top]
    denied = _grouped([c for c in mine if c["negated"]], name, relations)
    return [Section("The document", facts), Section("Whom it speaks about most (first three places cited)", about),
            Section("What it denies", denied)]


def _most(node: str, claims: list[dict]) -> tuple[str, str]:
    """The commonest (predicate, side) of ``node`` in ``claims``: side is "subject" or "object"."""
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for c in claims:
        counts[(c["p"], "subject" if c["s"] == node else "object")] += 1
    return max(sorted(counts), key=lambda key: counts[key])
