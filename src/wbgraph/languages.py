"""The region's languages: labels in Serbian (both scripts), Albanian, Macedonian, Bosnian, Croatian and
Montenegrin, Serbian transliteration, and labels in the language a user asks for.

Country names come from the ISO 3166-1 translations that pycountry ships (``graph/labels-pycountry.ttl``,
written by ``python -m wbgraph.languages``); what pycountry lacks (Kosovo, Montenegrin, the organisations
and missions) is curated in ``graph/labels-curated.ttl``. docs/languages.md says which is which.
"""

from __future__ import annotations

import gettext
from pathlib import Path

from .errors import WbgraphError

__all__ = [
    "ISO_CODES",
    "LANGUAGES",
    "check_language",
    "localised_labels",
    "pycountry_labels_turtle",
    "to_cyrillic",
    "to_latin",
]

#: The languages wbgraph labels in: BCP 47 tag -> (name, pycountry locale or None).
LANGUAGES = {
    "en": ("English", None),
    "sr-Cyrl": ("Serbian, Cyrillic script", "sr"),
    "sr-Latn": ("Serbian, Latin script", "sr@latin"),
    "sq": ("Albanian", "sq"),
    "mk": ("Macedonian", "mk"),
    "bs": ("Bosnian", "bs"),
    "hr": ("Croatian", "hr"),
    "cnr": ("Montenegrin", None),
}

#: The language tags a label may carry for each language, best first ("sr" alone is Cyrillic here).
_TAGS = {"sr-Cyrl": ("sr-cyrl", "sr"), "sr-Latn": ("sr-latn",)}

#: ISO 3166-1 codes of the states in the graph (Kosovo has none: its labels are curated).
ISO_CODES = {
    "albania": "AL", "austria": "AT", "bosnia-and-herzegovina": "BA", "bulgaria": "BG", "china": "CN",
    "croatia": "HR", "france": "FR", "iran": "IR", "israel": "IL", "italy": "IT", "moldova": "MD",
    "montenegro": "ME", "north-korea": "KP", "north-macedonia": "MK", "qatar": "QA", "romania": "RO",
    "russia": "RU", "saudi-arabia": "SA", "serbia": "RS", "slovenia": "SI", "turkiye": "TR", "ukraine": "UA",
    "united-arab-emirates": "AE", "united-kingdom": "GB", "united-states": "US",
}

_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "ђ": "đ", "е": "e", "ж": "ž", "з": "z", "и": "i",
    "ј": "j", "к": "k", "л": "l", "љ": "lj", "м": "m", "н": "n", "њ": "nj", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "ћ": "ć", "у": "u", "ф": "f", "х": "h", "ц": "c", "ч": "č", "џ": "dž", "ш": "š",
    # Macedonian letters, by its romanisation
    "ѓ": "ǵ", "ќ": "ḱ", "ѕ": "dz",
}
_LATIN = {latin: cyr for cyr, latin in _CYRILLIC.items() if cyr not in "ѓќѕ"}


def to_latin(text: str) -> str:
    """Serbian (and Macedonian) Cyrillic in Latin script; other characters unchanged.

    >>> to_latin("Босна и Херцеговина"), to_latin("Љубљана"), to_latin("Његош")
    ('Bosna i Hercegovina', 'Ljubljana', 'Njegoš')
    """
    out = []
    for ch in text:
        latin = _CYRILLIC.get(ch.lower())
        out.append(ch if latin is None else latin if ch.islower() else latin.capitalize())
    return "".join(out)


def to_cyrillic(text: str) -> str:
    """Serbian Latin script in Cyrillic (digraphs lj, nj, dž first); other characters unchanged.

    >>> to_cyrillic("Crna Gora"), to_cyrillic("Njegoš"), to_cyrillic("Srbija")
    ('Црна Гора', 'Његош', 'Србија')
    """
    out, i = [], 0
    while i < len(text):
        pair = text[i:i + 2]
        if pair.lower() in ("lj", "nj", "dž"):
            cyr = _LATIN[pair.lower()]
            out.append(cyr.upper() if pair[0].isupper() else cyr)
            i += 2
            continue
        ch = text[i]
        cyr = _LATIN.get(ch.lower())
        out.append(cyr.upper() if cyr and ch.isupper() else cyr or ch)
        i += 1
    return "".join(out)


def check_language(lang: str) -> str:
    """The canonical tag of ``lang`` (any case), or a clear error listing the languages.

    >>> check_language("SR-cyrl")
    'sr-Cyrl'
    >>> check_language("de")
    Traceback (most recent call last):
    ...
    wbgraph.errors.WbgraphError: no labels in language 'de'. use one of en, sr-Cyrl, sr-Latn, sq, mk, bs, hr, cnr
    """
    for tag in LANGUAGES:
        if tag.lower() == str(lang).strip().lower():
            return tag
    raise WbgraphError(f"no labels in language '{lang}'", hint=f"use one of {', '.join(LANGUAGES)}")


_LABELS = "SELECT ?x ?l (LANG(?l) AS ?tag) WHERE { ?x rdfs:label ?l FILTER(isIRI(?x)) }"


def localised_labels(store, lang: str) -> dict[str, str]:
    """Labels of every IRI in ``lang`` where the graph has one, in English otherwise.

    >>> from wbgraph.store import load_graph
    >>> labels = localised_labels(load_graph(), "sr-Cyrl")
    >>> labels["https://w3id.org/wbgraph/id/kosovo"], labels["https://w3id.org/wbgraph/id/western-balkans"]
    ('Косово', 'Западни Балкан')
    >>> localised_labels(load_graph(), "sq")["https://w3id.org/wbgraph/id/kfor"]  # no Albanian label: English
    'KFOR'
    """
    lang = check_language(lang)
    key = f"labels:{lang}"
    if key not in store.cache:
        wanted = _TAGS.get(lang, (lang.lower(),)) + ("en",)
        best: dict[str, tuple[int, str]] = {}
        for x, label, tag in store.query_text(_LABELS):
            tag = (tag or "").lower()
            if tag in wanted:
                rank = (wanted.index(tag), label)
                if x not in best or rank < best[x]:
                    best[x] = rank
        store.cache[key] = {x: label for x, (_, label) in best.items()}
    return dict(store.cache[key])


def pycountry_labels_turtle(existing: dict[tuple[str, str], set[str]] | None = None) -> str:
    """``graph/labels-pycountry.ttl``: the states' names from pycountry's ISO 3166-1 translations.

    ``existing`` maps ``(slug, tag)`` to the labels the rest of the graph already gives: a name that
    differs from one of them becomes a ``skos:altLabel``, one that repeats it is left out.
    """
    import pycountry

    existing = existing or {}
    lines = [
        "@prefix wbr:     <https://w3id.org/wbgraph/id/> .",
        "@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .",
        "@prefix skos:    <http://www.w3.org/2004/02/skos/core#> .",
        "",
        f"# Generated by `python -m wbgraph.languages` from the ISO 3166-1 translations of pycountry "
        f"{_pycountry_version()}",
        "# (LGPL-2.1; names of countries are facts, not creative text). Do not edit: curated labels go in",
        "# labels-curated.ttl. A name the curated files already give differently is an altLabel here.",
        "",
    ]
    for slug, code in sorted(ISO_CODES.items()):
        country = pycountry.countries.get(alpha_2=code)
        english = getattr(country, "common_name", None) or country.name
        statements = []
        for tag, (_, locale) in LANGUAGES.items():
            if locale is None:
                continue
            name = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[locale]).gettext(english)
            if name == english:
                continue  # untranslated in that catalogue, or the same as in English
            have = existing.get((slug, tag), set())
            if name in have:
                continue
            prop = "skos:altLabel" if have else "rdfs:label"
            statements.append(f'{prop} "{name}"@{tag}')
        if statements:
            lines.append(f"wbr:{slug}\n    " + " ;\n    ".join(statements) + " .\n")
    return "\n".join(lines)


def _pycountry_version() -> str:
    from importlib.metadata import version

    return version("pycountry")


def _existing_labels() -> dict[tuple[str, str], set[str]]:
    from rdflib import Graph, Literal
    from rdflib.namespace import RDFS

    from .namespaces import WBR_IRI
    from .resources import data_dir

    graph = Graph()
    for path in sorted(data_dir("graph").glob("*.ttl")):
        if path.name != "labels-pycountry.ttl":
            graph.parse(path)
    found: dict[tuple[str, str], set[str]] = {}
    for s, o in graph.subject_objects(RDFS.label):
        if isinstance(o, Literal) and o.language and str(s).startswith(WBR_IRI):
            tag = {"sr": "sr-Cyrl"}.get(o.language.lower(), next(
                (t for t in LANGUAGES if t.lower() == o.language.lower()), o.language))
            found.setdefault((str(s)[len(WBR_IRI):], tag), set()).add(str(o))
    return found


def pycountry_labels_path() -> Path:
    """Where the generated labels live."""
    from .resources import data_dir

    return data_dir("graph") / "labels-pycountry.ttl"


if __name__ == "__main__":  # pragma: no cover - a maintenance command
    pycountry_labels_path().write_text(pycountry_labels_turtle(_existing_labels()), encoding="utf-8")
    print(f"wrote {pycountry_labels_path()}")
