"""Finding the actors and concepts a text names: every label and alternate name in the graph, in any
language it holds, matched case- and accent-insensitively in Latin or Cyrillic script.

One Aho-Corasick automaton (pyahocorasick) holds every folded name, so a document is scanned once
whatever the number of names. Where names overlap, the longest wins ("Republika Srpska" over
"Srpska"). Short acronyms written in capitals in the graph ("EU", "RS", "AL") must also be written in
capitals in the text, or every "al" of "et al." would be Albania. Country adjectives ("Russian",
"Chinese", see :data:`DEMONYMS`) name their country.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import ahocorasick

from ..store import GraphStore

__all__ = ["DEMONYMS", "Entity", "Mention", "MentionIndex", "fold_text", "mention_index"]

# Serbian Cyrillic (and the Macedonian letters) to Serbian Latin, already folded to ASCII where the
# Latin letter carries a diacritic, so "Србија", "Srbija" and "SRBIJA" fold alike.
_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "ђ": "dj", "е": "e", "ж": "z", "з": "z", "и": "i",
    "ј": "j", "к": "k", "л": "l", "љ": "lj", "м": "m", "н": "n", "њ": "nj", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "ћ": "c", "у": "u", "ф": "f", "х": "h", "ц": "c", "ч": "c", "џ": "dz", "ш": "s",
    "ѓ": "gj", "ќ": "kj", "ѕ": "dz", "й": "j", "ы": "y", "э": "e", "ю": "ju", "я": "ja", "ё": "e", "ь": "",
    "ъ": "",
}
# Latin letters that do not decompose into a base letter and a combining mark.
_LATIN = {"đ": "dj", "ß": "ss", "ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "ı": "i", "’": "'", "‘": "'",
          "‐": " ", "‑": " ", "–": " ", "—": " "}


def _fold_char(ch: str) -> str:
    low = ch.casefold()
    if low in _CYRILLIC:
        return _CYRILLIC[low]
    if low in _LATIN:
        return _LATIN[low]
    base = "".join(c for c in unicodedata.normalize("NFKD", low) if not unicodedata.combining(c))
    return _CYRILLIC.get(base, _LATIN.get(base, base))


def fold_text(text: str) -> tuple[str, list[int]]:
    """The folded text (lower case, no accents, Latin script) and, for each folded character, the
    index of the original character it comes from.

    >>> fold_text("Србија")[0], fold_text("Türkiye")[0], fold_text("Đukanović")[0], fold_text("cyber-attack")[0]
    ('srbija', 'turkiye', 'djukanovic', 'cyber attack')
    >>> fold_text("Љ-x")[1]
    [0, 0, 1, 2]
    """
    out: list[str] = []
    where: list[int] = []
    for index, ch in enumerate(text):
        folded = _fold_char(ch) if not ch.isascii() else (" " if ch == "-" else ch.lower())
        out.append(folded)
        where.extend([index] * len(folded))
    return "".join(out), where


@dataclass(frozen=True)
class Entity:
    """Something a text can name: its IRI, English label and kind (``actor``, ``threat``,
    ``vulnerability``, ``mechanism``, ``sector``, ``event`` or ``other`` for policies and agreements)."""

    iri: str
    label: str
    kind: str


@dataclass(frozen=True)
class Mention:
    """One place where a text names an entity: character offsets into the text and the name as written."""

    entity: Entity
    start: int
    end: int
    text: str


#: Adjectives that name a country or group in these texts ("Russian influence"), matched as names of
#: the entity with that English label when the graph has exactly one.
DEMONYMS = {
    "Russian": "Russia", "Chinese": "China", "Turkish": "Türkiye", "Serbian": "Serbia", "Albanian": "Albania",
    "Montenegrin": "Montenegro", "Bosnian": "Bosnia and Herzegovina", "Macedonian": "North Macedonia",
    "Croatian": "Croatia", "Hungarian": "Hungary", "Iranian": "Iran", "Saudi": "Saudi Arabia",
    "Emirati": "United Arab Emirates", "American": "United States", "Ukrainian": "Ukraine", "Italian": "Italy",
    "German": "Germany", "French": "France", "Israeli": "Israel", "Greek": "Greece", "Bulgarian": "Bulgaria",
    "Romanian": "Romania", "Slovenian": "Slovenia", "Moldovan": "Moldova", "Qatari": "Qatar",
}
_KINDS = {"ThreatVector": "threat", "Vulnerability": "vulnerability", "Mechanism": "mechanism", "Sector": "sector",
          "Event": "event"}
_LEFT_OUT = ("Recommendation", "CitedWork", "Indicator", "Document", "Survey", "Claim", "Source")
_ENTITIES = """
SELECT ?x ?type ?actor ?label WHERE {
  ?x a ?type . FILTER(STRSTARTS(STR(?x), "https://w3id.org/wbgraph/id/"))
  OPTIONAL { ?x a/rdfs:subClassOf* wb:Actor . BIND(true AS ?actor) }
  OPTIONAL { ?x rdfs:label ?label FILTER(LANGMATCHES(LANG(?label), "en")) }
}
"""
_NAMES = """
SELECT ?x ?name WHERE { ?x rdfs:label|skos:altLabel|skos:prefLabel ?name . FILTER(isIRI(?x)) }
"""


def _is_acronym(name: str) -> bool:
    return len(name) <= 4 and name.isupper()


class MentionIndex:
    """The names of the graph's actors and concepts, ready to be found in text (see :func:`mention_index`)."""

    def __init__(self, entities: dict[str, Entity], names: list[tuple[str, str]]) -> None:
        self.entities = entities
        self.automaton = ahocorasick.Automaton()
        by_key: dict[str, set[tuple[str, str | None]]] = {}
        variants: dict[str, set[tuple[str, str | None]]] = {}
        plural: list[tuple[str, str]] = []
        for iri, name in names:
            if iri not in entities or not name.strip():
                continue
            key = fold_text(name.strip())[0]
            if len(key) < 2:
                continue
            by_key.setdefault(key, set()).add((iri, name.strip() if _is_acronym(name.strip()) else None))
            if not _is_acronym(name.strip()) and len(key) > 4:
                plural.append((key, iri))
        # a name also matches in the plural or singular ("criminal network(s)") unless that form is
        # itself a name of something
        for key, iri in plural:
            other = key[:-1] if key.endswith("s") and not key.endswith("ss") else key + "s"
            if other not in by_key:
                variants.setdefault(other, set()).add((iri, None))
        for key, values in variants.items():
            by_key.setdefault(key, values)
        #: folded names that stand for more than one entity ("disinformation", a threat and a mechanism):
        #: each of them is proposed, and the analyst keeps the right one
        self.ambiguous = sorted(k for k, v in by_key.items() if len({iri for iri, _ in v}) > 1)
        for key, values in by_key.items():
            found = tuple(entities[iri] for iri in sorted({iri for iri, _ in values}))
            exact = {name for _, name in values}
            self.automaton.add_word(key, (len(key), found, None if None in exact else exact))
        self.known = set(by_key)
        if by_key:
            self.automaton.make_automaton()

    def find(self, text: str, nested: list[tuple[Mention, Mention]] | None = None) -> list[Mention]:
        """The mentions in ``text``, longest first where names overlap, in text order.

        ``nested``, when given, receives the (outer, inner) pairs of names inside a longer name
        ("Albania" in "Ministry of Interior of Albania"), which the longer name hides.

        >>> index = MentionIndex({"x:rs": Entity("x:rs", "Republika Srpska", "actor"),
        ...                       "x:s": Entity("x:s", "Serbia", "actor")},
        ...                      [("x:rs", "Republika Srpska"), ("x:rs", "RS"), ("x:s", "Србија")])
        >>> [(m.entity.label, m.text) for m in index.find("Republika Srpska (RS) and SRBIJA, not rs.")]
        [('Republika Srpska', 'Republika Srpska'), ('Republika Srpska', 'RS'), ('Serbia', 'SRBIJA')]
        """
        if not self.known:
            return []
        folded, where = fold_text(text)
        found = []
        for end, (length, entities, exact) in self.automaton.iter(folded):
            start = end - length + 1
            if (start > 0 and folded[start - 1].isalnum()) or (end + 1 < len(folded) and folded[end + 1].isalnum()):
                continue
            first, last = where[start], where[end] + 1
            if exact is not None and text[first:last] not in exact:
                continue
            found += [Mention(entity, first, last, text[first:last]) for entity in entities]
        chosen: list[Mention] = []
        for mention in sorted(found, key=lambda m: (-(m.end - m.start), m.start)):
            if all(mention.end <= c.start or mention.start >= c.end or (mention.start, mention.end) == (c.start, c.end)
                   for c in chosen):
                chosen.append(mention)
        if nested is not None:
            nested += [(outer, m) for m in found for outer in chosen
                       if outer.start <= m.start and m.end <= outer.end and m.entity.iri != outer.entity.iri
                       and (m.start, m.end) != (outer.start, outer.end)]
        return sorted(chosen, key=lambda m: m.start)


def mention_index(store: GraphStore) -> MentionIndex:
    """The index of every actor, threat, vulnerability, mechanism, sector, event, policy and agreement
    in ``store`` by all its names (cached in ``store.cache``). Sources, cited works, indicators and
    recommendations are left out: they are not what a sentence relates.

    >>> from wbgraph.store import load_graph
    >>> index = mention_index(load_graph())
    >>> [m.entity.label for m in index.find("Србија and the PRC court Crna Gora.")]
    ['Serbia', 'China', 'Montenegro']
    """
    if "extract mentions" in store.cache:
        return store.cache["extract mentions"]
    types: dict[str, set[str]] = {}
    labels: dict[str, str] = {}
    actors: set[str] = set()
    for x, kind, actor, label in store.query(_ENTITIES).rows:
        types.setdefault(str(x), set()).add(str(kind).rsplit("#", 1)[-1])
        if actor is not None:
            actors.add(str(x))
        if label is not None:
            labels[str(x)] = str(label)
    entities = {}
    for iri, kinds in types.items():
        if kinds & set(_LEFT_OUT) and iri not in actors and not kinds & (set(_KINDS) | {"Policy", "Agreement"}):
            continue
        kind = "actor" if iri in actors else next((_KINDS[k] for k in sorted(kinds) if k in _KINDS), "other")
        entities[iri] = Entity(iri, labels.get(iri, iri.rsplit("/", 1)[-1]), kind)
    names = [(str(x), str(name)) for x, name in store.query(_NAMES).rows]
    by_label: dict[str, list[str]] = {}
    for iri, entity in entities.items():
        by_label.setdefault(entity.label, []).append(iri)
    names += [(by_label[label][0], adjective) for adjective, label in DEMONYMS.items()
              if len(by_label.get(label, ())) == 1]
    store.cache["extract mentions"] = index = MentionIndex(entities, names)
    return index
