"""Finding an entity from what a person types: a label, an alternate name, a prefixed name or an IRI."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable

from rdflib import URIRef

from .bindings import values_block
from .errors import NotFoundError
from .namespaces import WBR_IRI, shorten
from .store import GraphStore, term_from_prefixed

__all__ = [
    "english_labels",
    "entity_kinds",
    "entity_labels",
    "fold_name",
    "label_of",
    "resolve_entity",
    "suggest_names",
]

_NAMES = """
SELECT ?x ?name ?label WHERE {
  ?x rdfs:label|skos:altLabel|skos:prefLabel ?name .
  FILTER(isIRI(?x))
  OPTIONAL { ?x rdfs:label ?label FILTER(LANGMATCHES(LANG(?label), "en")) }
}
"""


def fold_name(text: str) -> str:
    """Case-, accent- and script-insensitive form of a name: "Türkiye" and "turkiye" match, and so do
    Serbian Cyrillic and Latin ("Црна Гора" and "Crna Gora").

    >>> fold_name("Црна Гора") == fold_name("Crna Gora") == fold_name("CRNA GORA")
    True
    """
    from .languages import to_latin

    text = unicodedata.normalize("NFKD", to_latin(text))
    return "".join(ch for ch in text if not unicodedata.combining(ch)).casefold().strip()


_ENGLISH = 'SELECT ?x ?l WHERE { ?x rdfs:label ?l FILTER(LANGMATCHES(LANG(?l), "en")) }'


def english_labels(store: GraphStore, iris: Iterable[str] | None = None) -> dict[str, str]:
    """English labels: of every IRI (read once per state of the store and cached in ``store.cache``),
    or of the given ``iris`` only.

    With ``iris`` and no cached index, only those labels are read (a VALUES query per 1,000 IRIs), so
    labelling a small result stays cheap on a store of millions of triples.

    >>> from wbgraph.store import load_graph
    >>> english_labels(load_graph(), ["https://w3id.org/wbgraph/id/china", "urn:nothing"])
    {'https://w3id.org/wbgraph/id/china': 'China'}
    """
    if "english labels" in store.cache:
        every = store.cache["english labels"]
        return every if iris is None else {iri: every[iri] for iri in iris if iri in every}
    if iris is None:
        store.cache["english labels"] = {str(x): str(label) for x, label in store.query(_ENGLISH).rows}
        return store.cache["english labels"]
    wanted = sorted(set(iris))
    labels: dict[str, str] = {}
    for start in range(0, len(wanted), 1000):
        block = values_block("x", (URIRef(iri) for iri in wanted[start:start + 1000]))
        query = _ENGLISH.replace("WHERE {", "WHERE { " + block, 1)
        labels.update((str(x), str(label)) for x, label in store.query(query).rows)
    return labels


def entity_labels(store: GraphStore) -> dict[str, dict[str, str]]:
    """Every name in the graph, folded, mapped to the IRIs that carry it and their English labels."""
    if "names" in store.cache:
        return store.cache["names"]
    names: dict[str, dict[str, str]] = {}
    for node, name, label in store.query(_NAMES).rows:
        names.setdefault(fold_name(str(name)), {})[str(node)] = str(label) if label is not None else str(name)
    store.cache["names"] = names
    return names


def label_of(store: GraphStore, iri: str) -> str:
    """The English label of an IRI, or its short form.

    >>> from wbgraph.store import load_graph
    >>> label_of(load_graph(), "https://w3id.org/wbgraph/id/china")
    'China'
    """
    res = store.query(
        'SELECT ?l WHERE { ?x rdfs:label ?l FILTER(LANGMATCHES(LANG(?l), "en")) } LIMIT 1', {"x": URIRef(iri)}
    )
    return str(res.rows[0][0]) if res.rows else shorten(iri)


_LOOKUP_NAMES = """
SELECT ?x ?name ?label WHERE {
  ?x rdfs:label|skos:altLabel|skos:prefLabel|wb:fileName|dcterms:title ?name .
  FILTER(isIRI(?x))
  OPTIONAL { ?x rdfs:label ?label FILTER(LANGMATCHES(LANG(?label), "en")) }
}
"""

_KINDS = """
SELECT ?x ?top WHERE {
  ?x a ?class . ?class rdfs:subClassOf* ?top .
  VALUES ?top { wb:Actor wb:ThreatVector wb:Mechanism wb:Sector wb:Vulnerability wb:Source wb:Event
                wb:Agreement wb:Policy wb:Indicator wb:Recommendation wb:Claim }
}
"""
_KIND_NAMES = {"Actor": "actor", "ThreatVector": "threat", "Mechanism": "mechanism", "Sector": "sector",
               "Vulnerability": "vulnerability", "Source": "source", "Event": "event", "Agreement": "agreement",
               "Policy": "policy", "Indicator": "indicator", "Recommendation": "recommendation", "Claim": "claim"}
# Things a person names in a question; sources, figures and claims are matched by part of a name only
# when none of these fits.
_NAMED_KINDS = {"actor", "threat", "mechanism", "sector", "vulnerability", "event", "agreement", "policy"}
_STOPWORDS = {"of", "the", "and", "for", "in", "on", "to", "a", "an", "de", "i", "e"}


def _words(folded: str) -> tuple[str, ...]:
    return tuple(re.findall(r"\w+", folded))


def entity_kinds(store: GraphStore) -> dict[str, str]:
    """What kind of thing each IRI is: actor, threat, mechanism, sector, vulnerability, source, event,
    agreement, policy, indicator, recommendation or claim (cached per state of the store).

    >>> from wbgraph.store import load_graph
    >>> kinds = entity_kinds(load_graph())
    >>> kinds["https://w3id.org/wbgraph/id/russia"], kinds["https://w3id.org/wbgraph/id/doc-002"]
    ('actor', 'source')
    """
    if "kinds" not in store.cache:
        kinds: dict[str, str] = {}
        for x, top in store.query_text(_KINDS):
            kind = _KIND_NAMES[top.rsplit("#", 1)[-1]]
            # a threat vector is also a concept of another scheme; the narrower name wins
            if kinds.get(x) in (None, "actor") or kind == "threat":
                kinds[x] = kinds.get(x) if kinds.get(x) == "threat" else kind
        store.cache["kinds"] = kinds
    return store.cache["kinds"]


def _name_index(store: GraphStore) -> list[tuple[str, tuple[str, ...], str, str]]:
    """(folded name, its words, IRI, English label) for every name, file name and title."""
    if "name index" not in store.cache:
        index = set()
        for x, name, label in store.query(_LOOKUP_NAMES).rows:
            folded = fold_name(str(name))
            index.add((folded, _words(folded), str(x), str(label) if label is not None else str(name)))
        store.cache["name index"] = sorted(index)
    return store.cache["name index"]


def _initials(words: tuple[str, ...]) -> str:
    return "".join(w[0] for w in words if w not in _STOPWORDS and not w[0].isdigit())


def _tiers(words: tuple[str, ...], index) -> list[dict[str, tuple[int, str]]]:
    """Candidates by how well they fit, best tier first: the name starts with the words typed (the
    last one may be cut short), every word typed starts a word of the name, the letters typed are the
    initials of the name. Each tier maps IRI -> (words of the name not typed, label)."""
    starts: dict[str, tuple[int, str]] = {}
    inside: dict[str, tuple[int, str]] = {}
    initials: dict[str, tuple[int, str]] = {}
    acronym = len(words) == 1 and words[0].isalpha() and 2 <= len(words[0]) <= 8
    for folded, name_words, iri, label in index:
        extra = len(name_words) - len(words)
        if extra < 0:
            continue
        # words of the name not typed, leaving out "of", "and"...: "Bosnia Herzegovina" fits the country
        # exactly, and its ministries and missions with words to spare
        extra = sum(1 for nw in name_words if nw not in _STOPWORDS and not any(nw.startswith(w) for w in words))
        best = starts, inside
        if name_words[:len(words) - 1] == words[:-1] and name_words[len(words) - 1].startswith(words[-1]):
            tier = best[0]
        elif all(any(nw.startswith(w) for nw in name_words) for w in words):
            tier = best[1]
        elif acronym and len(name_words) > 1 and _initials(name_words) == words[0]:
            # for initials, "extra" counts the words the initials skip ("8th", "of"): the plain name fits best
            tier, extra = initials, len(name_words) - len(words[0])
        else:
            continue
        if iri not in tier or tier[iri][0] > extra:
            tier[iri] = (extra, label)
    return [starts, inside, initials]


def _pick(tier: dict[str, tuple[int, str]], kinds: dict[str, str]) -> list[str]:
    """The IRIs a tier points to: the one name that every word typed covers whole, or the closest-fitting
    one when all are of one kind, else all of them."""
    whole = [iri for iri, (extra, _) in tier.items() if extra == 0]
    if len(whole) == 1:
        return whole
    if len({kinds.get(iri, "") for iri in tier}) > 1:
        return sorted(tier)
    fewest = min(extra for extra, _ in tier.values())
    return sorted(iri for iri, (extra, _) in tier.items() if extra == fewest)


def _describe(iris, labels: dict[str, str], kinds: dict[str, str]) -> str:
    return "; ".join(f"{labels[iri]} ({kinds.get(iri, 'thing')}, {shorten(iri)})"
                     for iri in sorted(iris, key=lambda i: (labels[i].casefold(), i)))


def suggest_names(store: GraphStore, text: str, *, limit: int = 5, within: set[str] | None = None) -> list[tuple[str, str, str]]:
    """Names close to ``text`` as (label, kind, IRI), best first: more words typed that begin a word
    of the name, then closer spelling.

    >>> from wbgraph.store import load_graph
    >>> suggest_names(load_graph(), "Dayton", limit=1)
    [('Dayton Peace Agreement', 'agreement', 'https://w3id.org/wbgraph/id/agreement-dayton-peace-agreement')]
    """
    folded = fold_name(text)
    words = _words(folded)
    kinds = entity_kinds(store)
    scored: dict[str, tuple[float, str]] = {}
    for name, name_words, iri, label in _name_index(store):
        if (within is not None and iri not in within) or iri not in kinds or not name_words:
            continue
        hits = sum(any(nw.startswith(w) for nw in name_words) for w in words)
        spelling = sum(max(difflib.SequenceMatcher(None, w, nw).ratio() for nw in name_words) for w in words)
        spelling /= max(len(words), 1)
        if not hits and spelling < 0.75:
            continue
        named = 0.5 if kinds[iri] in _NAMED_KINDS else 0.0
        score = hits * 2 + (1 if name.startswith(folded) else 0) + spelling + named
        if iri not in scored or scored[iri][0] < score:
            scored[iri] = (score, label)
    ranked = sorted(scored.items(), key=lambda item: (-item[1][0], item[1][1].casefold(), item[0]))
    return [(label, kinds.get(iri, "thing"), iri) for iri, (_, label) in ranked[:limit]]


def resolve_entity(store: GraphStore, text: str, *, within: set[str] | None = None) -> URIRef:
    """The IRI that ``text`` names: an English label or alternate name in any language (any case, any
    accents), the start of a name or some of its words ("Saudi", "Dayton"), initials ("RSCC"), a
    source's file name, short id ("002") or title words, a prefixed name such as ``wbr:serbia``, or
    a full IRI. Initials fit the name they spell without skipping words best: "RSCC" is the
    conference series, not its 8th edition.

    ``within`` limits the candidates (for example to actors). A name that fits several things, or
    things of two kinds, lists them all with their kinds; an unknown one suggests the closest names.

    >>> from wbgraph.store import load_graph
    >>> store = load_graph()
    >>> resolve_entity(store, "KSA")
    rdflib.term.URIRef('https://w3id.org/wbgraph/id/saudi-arabia')
    >>> resolve_entity(store, "wbr:serbia") == resolve_entity(store, "Србија")
    True
    >>> resolve_entity(store, "Saudi") == resolve_entity(store, "KSA")
    True
    >>> str(resolve_entity(store, "002"))
    'https://w3id.org/wbgraph/id/doc-002'
    """
    text = text.strip()
    if not text:
        raise NotFoundError("an empty name matches nothing", hint="give a label, a prefixed name or an IRI")
    if text.startswith("<") or text.startswith("http://") or text.startswith("https://") or (
        ":" in text and " " not in text and text.split(":", 1)[0].isidentifier()
    ):
        iri = term_from_prefixed(text)
        if store.query("ASK { { ?x ?p ?o } UNION { ?s ?p ?x } }", {"x": iri}).answer:
            if within is None or str(iri) in within:
                return iri
        raise NotFoundError(f"'{text}' is not in the graph", node=text, hint="check the IRI or use a label")
    kinds = entity_kinds(store)
    short = re.fullmatch(r"(?:doc-?)?(\d{1,3})", text.casefold())
    if short:
        doc = f"{WBR_IRI}doc-{int(short.group(1)):03d}"
        if kinds.get(doc) == "source" and (within is None or doc in within):
            return URIRef(doc)
    index = [e for e in _name_index(store) if within is None or e[2] in within]
    folded = fold_name(text)
    words = _words(folded)
    labels = {iri: label for _, _, iri, label in index}
    exact = sorted({iri for name, _, iri, _ in index if name == folded})
    found = exact
    if len(exact) == 1 and len(words) == 1 and text.isupper() and text.isalpha() and len(text) <= 6:
        # an abbreviation such as "TOC" that names a threat and starts an actor's name: say so, never pick one
        rivals = {iri for _, name_words, iri, _ in index
                  if name_words[:1] == words and len(name_words) > 1 and iri != exact[0]
                  and {kinds.get(iri), kinds.get(exact[0])} == {"actor", "threat"}}
        found = exact + sorted(rivals)
    elif not exact and words:
        for named in (True, False):
            pool = [e for e in index if (kinds.get(e[2]) in _NAMED_KINDS) == named]
            tiers = _tiers(words, pool)
            tier = next((t for t in tiers if t), None)
            if tier is tiers[2]:
                fewest = min(extra for extra, _ in tier.values())
                tier = {iri: v for iri, v in tier.items() if v[0] == fewest}
            if tier:
                found = _pick(tier, kinds)
                break
    if len(found) == 1:
        return URIRef(found[0])
    if found:
        raise NotFoundError(f"'{text}' is ambiguous: it names {_describe(found, labels, kinds)}", node=text,
                            hint="use the full name or one of the prefixed names")
    close = suggest_names(store, text, within=within)
    hint = ("did you mean " + ", ".join(f"'{label}' ({kind})" for label, kind, _ in close) + "?") if close else (
        "`wbgraph query actor-list` lists the actors")
    raise NotFoundError(f"nothing in the graph is called '{text}'", node=text, hint=hint)


def readable_kind(kind: str) -> str:
    """A class's local name as words: ``ExternalPower`` reads "External power".

    >>> readable_kind("ExternalPower"), readable_kind("EUMemberState"), readable_kind("")
    ('External power', 'EU member state', '')
    """
    words = re.findall(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+", kind)
    return " ".join([words[0]] + [w if w.isupper() else w.lower() for w in words[1:]]) if words else kind
