"""Synthetic graphs shaped like the curated one, of any size, for scale tests and benchmarks.

A synthetic graph has the curated graph's parts in similar proportions: actors of the ontology's
classes with English labels, other names and descriptions; SKOS concepts (threat vectors, mechanisms,
sectors, vulnerabilities) with their schemes and broader concepts; source documents; and, for most
of its triples, sourced claims with a confidence, a line range and qualifiers. Claim endpoints are
drawn from Zipf distributions, so a few hub actors take many claims, as Russia or Serbia do in the
curated graph.

Every IRI lies under :data:`SYNTH_IRI`, so synthetic data never collides with curated data. The same
size and seed give the same bytes, and the output has exactly the number of triples asked for.
"""

from __future__ import annotations

import os
import random
import tempfile
from bisect import bisect
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path

from rdflib.namespace import PROV, RDF, RDFS, SKOS, XSD

from .errors import OutputError, WbgraphError
from .namespaces import PREFIXES, WBR_IRI
from .vocab import WB

__all__ = ["MIN_TRIPLES", "SYNTH_FORMATS", "SYNTH_IRI", "synthesize", "write_synthetic"]

#: The base of every synthetic IRI.
SYNTH_IRI = WBR_IRI + "synth/"
#: The smallest graph that still has every part (actors, concepts, sources, claims).
MIN_TRIPLES = 1000
#: File extensions :func:`write_synthetic` can write.
SYNTH_FORMATS = (".nt", ".ttl")

Record = tuple[str, list[tuple[str, str]]]  # a subject and its (predicate, object), all in N-Triples form


def _iri(term: str) -> str:
    return f"<{term}>"


def _text(value: str, lang: str | None = "en") -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"@{lang}' if lang else f'"{escaped}"'


def _typed(value: object, datatype: str) -> str:
    return f'"{value}"^^<{datatype}>'


TYPE, LABEL, COMMENT = _iri(RDF.type), _iri(RDFS.label), _iri(RDFS.comment)
ALT, PREF = _iri(SKOS.altLabel), _iri(SKOS.prefLabel)
CLAIM, CONFIDENCE = _iri(WB.Claim), _iri(WB.confidence)
INTEGER = str(XSD.integer)

# -- what the graph is made of -----------------------------------------------------------------------

#: Actor classes with a label pattern and a weight: the curated graph's mix, a little more crime.
_ACTOR_CLASSES = [
    (WB.StateInstitution, "{} Ministry of Interior", 30), (WB.Instrument, "{} Partnership Facility", 12),
    (WB.ActorGroup, "{} group of states", 12), (WB.Agency, "{} Border Agency", 14),
    (WB.CivilSocietyOrganisation, "{} Policy Institute", 14), (WB.State, "Republic of {}", 13),
    (WB.RegionalInitiative, "{} Process", 12), (WB.ExternalPower, "{} Federation", 10),
    (WB.InternationalOrganisation, "{} Treaty Organisation", 7), (WB.EUMemberState, "Kingdom of {}", 7),
    (WB.WesternBalkanEconomy, "{}", 6), (WB.ExtremistGroup, "{} militant milieu", 6),
    (WB.Person, "High Envoy {}", 6), (WB.Mission, "{} Stabilisation Mission", 4),
    (WB.TerroristGroup, "{} armed cell", 4), (WB.Region, "{} region", 4),
    (WB.RegionalOrganisation, "{} Regional Council", 3), (WB.CriminalNetwork, "{} smuggling network", 7),
    (WB.NonStateActor, "{} movement", 3), (WB.MediaOutlet, "{} Broadcasting", 4),
    (WB.Company, "{} Energy Holding", 4), (WB.ReligiousOrganisation, "{} Faith Foundation", 2),
    (WB.PoliticalActor, "{} People's Party", 2), (WB.SubStateEntity, "{} autonomous entity", 1),
    (WB.CyberActor, "{} hacker collective", 2),
]
# Hubs: influence flows from external powers and international bodies to states of the region.
_SOURCE_HUBS = {WB.ExternalPower: 0, WB.InternationalOrganisation: 1, WB.State: 2}
_TARGET_HUBS = {WB.WesternBalkanEconomy: 0, WB.Region: 1, WB.State: 2, WB.SubStateEntity: 2}
_ORGANISATIONS = {WB.InternationalOrganisation, WB.RegionalOrganisation, WB.RegionalInitiative, WB.ActorGroup}
_PLACES = {WB.State, WB.WesternBalkanEconomy, WB.EUMemberState, WB.Region, WB.SubStateEntity}

#: Concept schemes: class, scheme, IRI stem, and top concepts with their narrower concepts.
_SCHEMES = [
    (WB.ThreatVector, WB.ThreatVectorScheme, "threat", {
        "hybrid threats": ["disinformation campaigns", "election interference", "energy coercion",
                           "malign economic influence"],
        "organised crime": ["arms trafficking", "drug trafficking", "human trafficking", "migrant smuggling",
                            "money laundering", "cigarette smuggling"],
        "violent extremism": ["terrorism", "foreign fighters", "online radicalisation", "ethno-nationalist extremism"],
        "cyber threats": ["ransomware attacks", "attacks on critical infrastructure", "cyber espionage"],
    }),
    (WB.Mechanism, WB.MechanismScheme, "mech", {
        "proxies": ["political parties as proxies", "private security firms", "diaspora networks"],
        "information operations": ["state-owned media", "social media networks", "historical narratives"],
        "economic leverage": ["opaque investment deals", "energy projects", "loans and credit lines",
                              "arms sales", "corruption as an entry point"],
        "identity politics": ["religious institutions", "cultural diplomacy", "vaccine diplomacy", "lobbying"],
    }),
    (WB.Sector, WB.SectorScheme, "sector", {
        "security": ["defence", "policing", "intelligence"],
        "economy": ["energy", "infrastructure", "finance", "telecommunications"],
        "information": ["media", "education"],
        "governance": ["justice", "diplomacy", "religion"],
    }),
    (WB.Vulnerability, WB.VulnerabilityScheme, "vuln", {
        "weak institutions": ["corruption", "weak rule of law", "state capture", "porous borders"],
        "social divisions": ["ethnic tensions", "unresolved disputes", "low media literacy"],
        "economic fragility": ["youth unemployment", "brain drain", "energy dependence"],
    }),
]

#: Relations: predicate, phrase, weight, subject pool, object pool, chance of a mechanism qualifier.
_RELATIONS = [
    (WB.exertsInfluenceOn, "exerts influence on", 12, "source", "target", 0.6),
    (WB.supports, "supports", 8, "source", "target", 0.4),
    (WB.actsThroughProxy, "acts through", 3, "source", "any", 0.6),
    (WB.targets, "targets", 3, "source", "target", 0.4),
    (WB.undermines, "undermines", 4, "source", "target", 0.4),
    (WB.cooperatesWith, "cooperates with", 5, "any", "any", 0.05),
    (WB.coordinatesWith, "coordinates with", 1, "any", "any", 0.05),
    (WB.alignedWith, "is aligned with", 1, "any", "any", 0.05),
    (WB.inDisputeWith, "is in dispute with", 1, "target", "target", 0.0),
    (WB.memberOf, "is a member of", 6, "any", "organisation", 0.0),
    (WB.seeksMembershipOf, "seeks membership of", 2, "target", "organisation", 0.0),
    (WB.candidateFor, "is a candidate for membership of", 1, "target", "organisation", 0.0),
    (WB.partnerOf, "is a partner of", 1, "any", "organisation", 0.0),
    (WB.partOf, "is part of", 4, "any", "organisation", 0.0),
    (WB.establishedBy, "was established by", 2, "any", "source", 0.0),
    (WB.operatesIn, "operates in", 6, "source", "place", 0.1),
    (WB.hosts, "hosts", 1, "place", "any", 0.0),
    (WB.contributesTo, "contributes to", 2, "source", "organisation", 0.0),
    (WB.recognises, "recognises", 1, "any", "place", 0.0),
    (WB.posesThreat, "poses the threat of", 8, "source", WB.ThreatVector, 0.2),
    (WB.facilitatesThreat, "facilitates", 2, "any", WB.ThreatVector, 0.1),
    (WB.countersThreat, "counters", 7, "any", WB.ThreatVector, 0.0),
    (WB.facesThreat, "faces", 10, "target", WB.ThreatVector, 0.0),
    (WB.hasVulnerability, "suffers from", 7, "target", WB.Vulnerability, 0.0),
    (WB.exploitsVulnerability, "exploits", 3, "source", WB.Vulnerability, 0.3),
    (WB.usesMechanism, "uses", 3, "source", WB.Mechanism, 0.0),
]
_CONFIDENCE = [(WB.stated, 75), (WB.alleged, 17), (WB.implied, 8)]
_MIN_CLAIM = 8  # type, subject, predicate, object, confidence, source, first and last line


# -- drawing ---------------------------------------------------------------------------------------

class _Zipf:
    """Items drawn with probability proportional to 1 / rank**exponent."""

    def __init__(self, items: list, exponent: float = 1.0) -> None:
        self.items = items
        self.cumulative = list(accumulate(1.0 / (rank + 1) ** exponent for rank in range(len(items))))

    def draw(self, rng: random.Random):
        index = bisect(self.cumulative, rng.random() * self.cumulative[-1])
        return self.items[min(index, len(self.items) - 1)]


def _weighted(pairs: list[tuple[object, float]]) -> tuple[list, list[float]]:
    items = [item for item, _ in pairs]
    return items, list(accumulate(weight for _, weight in pairs))


_SYLLABLES = [c + v for c in "bdgklmnprstvz" for v in "aeiou"]


def _name(index: int) -> str:
    """A pronounceable name, different for every index (three syllables, four beyond 274,625)."""
    width = 3 if index < len(_SYLLABLES) ** 3 else 4
    space = len(_SYLLABLES) ** width
    code = (index * 7919) % space  # 7919 is prime to 5 and 13, so this permutes the names
    parts = []
    for _ in range(width):
        code, digit = divmod(code, len(_SYLLABLES))
        parts.append(_SYLLABLES[digit])
    return "".join(parts).capitalize()


@dataclass
class _Node:
    nt: str
    label: str
    cls: object = None


@dataclass
class _World:
    """The nodes claims are drawn from."""

    pools: dict[object, _Zipf]
    documents: list[tuple[str, int]]


# -- the parts of the graph ------------------------------------------------------------------------

def _concepts(extra: int, rng: random.Random, pools: dict) -> Iterator[Record]:
    for cls, scheme, stem, tree in _SCHEMES:
        nodes: list[_Node] = []
        narrower: list[tuple[str, str]] = [(child, top) for top, children in tree.items() for child in children]
        for j in range(extra):
            parent, _ = narrower[j % len(narrower)]
            narrower.append((f"{parent}, {_name(j)} variant", parent))
        for label in tree:
            nodes.append(_Node(_iri(f"{SYNTH_IRI}{stem}-{len(nodes) + 1:05d}"), label))
            yield nodes[-1].nt, [*_concept_props(cls, scheme, label), (_iri(SKOS.topConceptOf), _iri(scheme))]
        iris = {node.label: node.nt for node in nodes}
        for label, parent in narrower:
            nodes.append(_Node(_iri(f"{SYNTH_IRI}{stem}-{len(nodes) + 1:05d}"), label))
            iris[label] = nodes[-1].nt
            yield nodes[-1].nt, [*_concept_props(cls, scheme, label), (_iri(SKOS.broader), iris[parent])]
        order = nodes[len(tree):] + nodes[:len(tree)]  # narrower concepts are the ones claims name most
        rng.shuffle(order)
        pools[cls] = _Zipf(order, 0.8)


def _concept_props(cls, scheme, label: str) -> list[tuple[str, str]]:
    return [
        (TYPE, _iri(cls)), (_iri(SKOS.inScheme), _iri(scheme)), (LABEL, _text(label)), (PREF, _text(label)),
        (COMMENT, _text(f"Synthetic concept: {label}, generated for scale tests.")),
    ]


def _actors(count: int, rng: random.Random, pools: dict) -> Iterator[Record]:
    classes, cumulative = _weighted([(c, w) for c, _, w in _ACTOR_CLASSES])
    patterns = {c: p for c, p, _ in _ACTOR_CLASSES}
    actors: list[_Node] = []
    for i in range(count):
        # every class appears at least once, the rest follows the weights
        cls = classes[i] if i < len(classes) else classes[bisect(cumulative, rng.random() * cumulative[-1])]
        label = patterns[cls].format(_name(i))
        node = _Node(_iri(f"{SYNTH_IRI}actor-{i + 1:06d}"), label, cls)
        actors.append(node)
        props = [(TYPE, _iri(cls)), (LABEL, _text(label))]
        acronym = "".join(word[0] for word in label.replace("'", "").split() if word[0].isupper())
        if rng.random() < 0.6:
            props.append((ALT, _text(f"{acronym}-{i + 1}" if len(acronym) > 1 else label.upper())))
        if rng.random() < 0.2:
            props.append((ALT, _text(f"the {label}")))
        props.append((COMMENT, _text(f"Synthetic actor {_name(i)}, generated for scale tests.")))
        yield node.nt, props

    def ranked(hubs: dict, members: list[_Node]) -> _Zipf:
        keyed = [(hubs.get(n.cls, len(hubs) + 1), rng.random(), n) for n in members]
        return _Zipf([n for *_, n in sorted(keyed, key=lambda k: k[:2])], 1.0)

    pools["any"] = ranked({}, actors)
    pools["source"] = ranked(_SOURCE_HUBS, actors)
    pools["target"] = ranked(_TARGET_HUBS, actors)
    pools["organisation"] = ranked({}, [n for n in actors if n.cls in _ORGANISATIONS] or actors)
    pools["place"] = ranked(_TARGET_HUBS, [n for n in actors if n.cls in _PLACES] or actors)


def _documents(count: int, rng: random.Random, documents: list) -> Iterator[Record]:
    for i in range(count):
        nt = _iri(f"{SYNTH_IRI}doc-{i + 1:05d}")
        lines = rng.randint(150, 4000)
        documents.append((nt, lines))
        yield nt, [
            (TYPE, _iri(WB.Document)), (LABEL, _text(f"Synthetic report {i + 1}: {_name(i)} security review")),
            (_iri(WB.fileName), _text(f"synth_{i + 1:05d}.txt", None)), (_iri(WB.lineCount), _typed(lines, INTEGER)),
            (COMMENT, _text("A source document that exists only in synthetic data.")),
        ]


def _date(rng: random.Random, year: int) -> str:
    kind = rng.random()
    if kind < 0.5:
        return _typed(year, XSD.gYear)
    month = rng.randint(1, 12)
    if kind < 0.8:
        return _typed(f"{year}-{month:02d}", XSD.gYearMonth)
    return _typed(f"{year}-{month:02d}-{rng.randint(1, 28):02d}", XSD.date)


def _claim(index: int, world: _World, rng: random.Random, relations, confidences) -> list[tuple[str, str]]:
    predicate, phrase, _, subject_pool, object_pool, mechanism = relations[0][
        bisect(relations[1], rng.random() * relations[1][-1])]
    subject = world.pools[subject_pool].draw(rng)
    obj = world.pools[object_pool].draw(rng)
    while obj is subject:
        obj = world.pools[object_pool].draw(rng)
    confidence = confidences[0][bisect(confidences[1], rng.random() * confidences[1][-1])]
    document, lines = world.documents[rng.randrange(len(world.documents))]
    start = rng.randint(1, lines)
    props = [
        (TYPE, CLAIM), (_iri(RDF.subject), subject.nt), (_iri(RDF.predicate), _iri(predicate)),
        (_iri(RDF.object), obj.nt), (CONFIDENCE, _iri(confidence)), (_iri(PROV.wasDerivedFrom), document),
        (_iri(WB.lineStart), _typed(start, INTEGER)),
        (_iri(WB.lineEnd), _typed(min(lines, start + rng.randint(0, 6)), INTEGER)),
        (COMMENT, _text(f"Synthetic claim {index}: {subject.label} {phrase} {obj.label}.")),
    ]
    if rng.random() < mechanism:
        props.append((_iri(WB.mechanism), world.pools[WB.Mechanism].draw(rng).nt))
    if rng.random() < (0.3 if mechanism else 0.1):
        props.append((_iri(WB.sector), world.pools[WB.Sector].draw(rng).nt))
    if obj.cls is None and rng.random() < 0.3:
        props.append((_iri(WB.target), world.pools["target"].draw(rng).nt))
    if rng.random() < 0.1:
        year = rng.randint(1995, 2024)
        props.append((_iri(WB.validFrom), _date(rng, year)))
        if rng.random() < 0.2:
            props.append((_iri(WB.validUntil), _typed(rng.randint(year + 1, 2025), XSD.gYear)))
    if rng.random() < 0.005:
        props.append((_iri(WB.negated), _typed("true", XSD.boolean)))
    return props


def _fit(props: list[tuple[str, str]], size: int, world: _World) -> list[tuple[str, str]]:
    """The last claim, trimmed of its comment and qualifiers or given more mechanisms, to ``size`` triples."""
    props = props[:size]
    mechanisms = [m.nt for m in world.pools[WB.Mechanism].items]
    taken = {o for p, o in props}
    for nt in mechanisms:
        if len(props) >= size:
            break
        if nt not in taken:
            props.append((_iri(WB.mechanism), nt))
    return props


def _records(triples: int, seed: int) -> Iterator[Record]:
    if isinstance(triples, bool) or not isinstance(triples, int) or triples < MIN_TRIPLES:
        raise WbgraphError(f"cannot make a synthetic graph of {triples!r} triples",
                           hint=f"ask for a whole number of at least {MIN_TRIPLES}")
    rng = random.Random(seed)
    world = _World(pools={}, documents=[])
    left = triples
    parts = (_concepts(triples // 5000, rng, world.pools),
             _documents(max(3, triples // 2500), rng, world.documents),
             _actors(max(40, triples // 45), rng, world.pools))
    for part in parts:
        for subject, props in part:
            left -= len(props)
            yield subject, props
    relations = _weighted([(r, r[2]) for r in _RELATIONS])
    confidences = _weighted(_CONFIDENCE)
    index = 0
    while left > 0:
        index += 1
        props = _claim(index, world, rng, relations, confidences)
        if left - len(props) < _MIN_CLAIM:  # no room for another claim: this one takes what is left
            props = _fit(props, left, world)
        left -= len(props)
        yield _iri(f"{SYNTH_IRI}claim-{index:07d}"), props


# -- output ----------------------------------------------------------------------------------------

def synthesize(triples: int, seed: int = 0) -> Iterator[str]:
    """N-Triples lines (each ending in a newline) of a synthetic graph of exactly ``triples`` triples.

    Parameters
    ----------
    triples : int
        How many triples to make, at least :data:`MIN_TRIPLES`.
    seed : int
        Seed of the random generator: the same size and seed give the same lines.

    Returns
    -------
    Iterator[str]
        The lines, made as they are read: a graph of millions of triples is never held in memory.

    Raises
    ------
    WbgraphError
        When ``triples`` is not a whole number of at least :data:`MIN_TRIPLES` (on the first line read).

    Examples
    --------
    >>> lines = list(synthesize(2000, seed=1))
    >>> len(lines), lines == list(synthesize(2000, seed=1))
    (2000, True)
    >>> sum(" <https://w3id.org/wbgraph/ontology#Claim> ." in line for line in lines) > 100
    True
    """
    for subject, props in _records(triples, seed):
        for predicate, obj in props:
            yield f"{subject} {predicate} {obj} .\n"


_TURTLE_PREFIXES = {"wbs": SYNTH_IRI, **{p: PREFIXES[p] for p in ("wb", "rdf", "rdfs", "xsd", "skos", "prov")}}


def _turtle_term(nt: str) -> str:
    if nt.startswith("<"):
        iri = nt[1:-1]
        for prefix, ns in _TURTLE_PREFIXES.items():
            if iri.startswith(ns) and iri[len(ns):].replace("-", "").isalnum():
                return f"{prefix}:{iri[len(ns):]}"
        return nt
    if nt.endswith(f"^^<{INTEGER}>"):
        return nt[1:nt.index('"', 1)]
    if "^^<" in nt:
        text, datatype = nt.rsplit("^^", 1)
        return f"{text}^^{_turtle_term(datatype)}"
    return nt


def _turtle(triples: int, seed: int) -> Iterator[str]:
    for prefix, ns in _TURTLE_PREFIXES.items():
        yield f"@prefix {prefix}: <{ns}> .\n"
    for subject, props in _records(triples, seed):
        lines = [f"    {'a' if p == TYPE else _turtle_term(p)} {_turtle_term(o)}" for p, o in props]
        yield f"\n{_turtle_term(subject)}\n" + " ;\n".join(lines) + " .\n"


def write_synthetic(path: str | Path, triples: int, seed: int = 0) -> Path:
    """Write a synthetic graph to ``path``: N-Triples for ``.nt`` (the fast path), Turtle for ``.ttl``.

    The file is written under a temporary name and renamed, so a failure leaves nothing behind.

    Parameters
    ----------
    path : str or Path
        The file to write; its extension (one of :data:`SYNTH_FORMATS`) chooses the format.
    triples : int
        How many triples to write, at least :data:`MIN_TRIPLES`.
    seed : int
        Seed of the random generator: the same size and seed give the same bytes.

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    OutputError
        When the extension is not one of :data:`SYNTH_FORMATS` or the folder cannot be written.
    WbgraphError
        When ``triples`` is not a whole number of at least :data:`MIN_TRIPLES`.

    Examples
    --------
    >>> import tempfile
    >>> out = write_synthetic(Path(tempfile.mkdtemp()) / "synth.nt", 1000, seed=2)
    >>> len(out.read_text().splitlines())
    1000
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SYNTH_FORMATS:
        raise OutputError(f"cannot write synthetic data as '{path.suffix or '(no extension)'}'", file=path,
                          hint=f"name the file with one of {', '.join(SYNTH_FORMATS)}")
    lines = synthesize(triples, seed) if suffix == ".nt" else _turtle(triples, seed)
    first = next(lines)  # bad sizes fail here, before any file exists
    if not path.parent.is_dir():
        raise OutputError("the directory does not exist", file=path.parent,
                          hint="create it first or choose another path")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError as err:
        raise OutputError(f"cannot write here: {err.strerror}", file=path.parent) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n", buffering=1 << 20) as handle:
            handle.write(first)
            handle.writelines(lines)
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(tmp, 0o666 & ~mask)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
