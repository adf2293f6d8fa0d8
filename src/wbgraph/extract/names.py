"""Names that look like actors but are not in the graph: runs of capitalised words ("Ministry of
Interior", "Ana Krstinovska") and acronyms ("IISG"), each with the lines where it stands, for the
analyst to review as new actors. Footnotes and reference lists are left out: their capitalised words
are the titles of works."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .mentions import MentionIndex, fold_text
from .sentences import Sentence

__all__ = ["NewName", "new_names"]

_WORD = r"(?:[A-ZŠČĆŽĐÇË][\w&.-]*\w|[A-Z]{2,}\d*)\b(?![’'])"
_RUN = re.compile(rf"{_WORD}(?:\s+(?:(?:of|for|the|on|in|de|di|del|da|za)\s+)*{_WORD})*")
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9&]{1,7}$")
_COMMON = {"the", "a", "an", "this", "that", "these", "those", "in", "on", "at", "for", "and", "but", "or", "as",
           "it", "its", "their", "they", "we", "our", "he", "she", "his", "her", "by", "with", "from", "to", "of",
           "however", "moreover", "furthermore", "while", "although", "since", "after", "before", "during",
           "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
           "figure", "table", "page", "section", "chapter", "annex", "panel", "thematic", "summary",
           "introduction", "conclusion", "conclusions", "recommendations", "executive", "mr", "ms", "mrs", "dr"}
_ROMAN = re.compile(r"^[IVXLC]+$")
_REFERENCE = re.compile(r"^\d{1,3}\s|https?://|www\.|available at", re.I)


@dataclass
class NewName:
    """A name not in the graph, how often it was found and where (the first sentence for context)."""

    name: str
    count: int = 0
    places: list[tuple[int | None, int, int]] = field(default_factory=list)
    sentence: str = ""


def _trim(words: list[str]) -> list[str]:
    while words and words[0].casefold() in _COMMON:
        words = words[1:]
    while words and words[-1].casefold() in _COMMON:
        words = words[:-1]
    return words


def new_names(sentence: Sentence, index: MentionIndex, found: dict[str, NewName]) -> None:
    """Add to ``found`` the actor-like names of ``sentence`` that the graph does not know.

    >>> from wbgraph.extract.mentions import Entity, MentionIndex
    >>> index = MentionIndex({"x:i": Entity("x:i", "Italy", "actor")}, [("x:i", "Italy")])
    >>> found = {}
    >>> new_names(Sentence("The Ministry of Interior of Italy met IISG and Italy in May.", 7, 7), index, found)
    >>> [(n.name, n.places) for n in found.values()]
    [('Ministry of Interior of Italy', [(None, 7, 7)]), ('IISG', [(None, 7, 7)])]
    """
    if _REFERENCE.search(sentence.text):
        return  # a footnote or a list of references: titles of works, not actors
    for match in _RUN.finditer(sentence.text):
        words = _trim(match.group(0).split())
        if words and re.fullmatch(r"[A-Z]{2,}\d{2,}", words[-1]):
            words[-1] = words[-1].rstrip("0123456789")  # a footnote number stuck to an acronym
        if not words:
            continue
        name = " ".join(words).rstrip(".")
        capitals = [w for w in words if w[0].isupper()]
        if len(capitals) < 2 and not _ACRONYM.match(name):
            continue
        if _ROMAN.match(name) or fold_text(name)[0] in index.known:
            continue
        if match.start() == 0 and len(capitals) < 2:
            continue
        entry = found.setdefault(fold_text(name)[0], NewName(name, sentence=sentence.text))
        entry.count += 1
        place = (sentence.page_start, sentence.line_start, sentence.line_end)
        if place not in entry.places:
            entry.places.append(place)
