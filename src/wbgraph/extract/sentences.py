"""Sentences from numbered lines: lines are joined (words hyphenated across a line break are mended),
cut at sentence ends, and every sentence keeps the range of lines, and pages, its words stand on."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from .text import Line

__all__ = ["Sentence", "sentences"]

#: A sentence that runs on longer than this (a table, a list without stops) is cut here.
MAX_CHARS = 1500
_END = re.compile(r"[.!?][\"'”’)\]]*(?:\d{1,3})?\s+[“\"‘(]?(?=\w)")
#: A footnote ("58  NATO, (10 January 2023), ...") or a web address starts a paragraph of its own.
_FOOTNOTE = re.compile(r"^\s*\d{1,3}\s{2,}\S")
_URL = re.compile(r"^\s*(?:https?://|www\.)")
_ABBREVIATIONS = {"mr", "ms", "mrs", "dr", "prof", "e.g", "i.e", "etc", "vs", "no", "st", "art", "para", "fig",
                  "u.s", "u.k", "jr", "sr", "gen", "col", "capt", "lt", "op", "cf", "al"}


@dataclass(frozen=True)
class Sentence:
    """A sentence with the first and last line (and page, for a PDF) its words stand on."""

    text: str
    line_start: int
    line_end: int
    page_start: int | None = None
    page_end: int | None = None
    #: the column of an interleaved two-column text the sentence was read from
    stream: int = 0


class _Buffer:
    def __init__(self) -> None:
        self.text = ""
        self.marks: list[tuple[int, Line]] = []

    def add(self, line: Line) -> None:
        words = " ".join(line.text.split())
        if not words:
            return
        if self.text.endswith("-") and len(self.text) > 1 and self.text[-2].isalpha():
            if words[0].islower():
                self.text = self.text[:-1]
        elif self.text:
            self.text += " "
        self.marks.append((len(self.text), line))
        self.text += words

    def _sentence(self, end: int) -> Sentence | None:
        text = self.text[:end].strip()
        lines = [line for offset, line in self.marks if offset < end] or [self.marks[0][1]]
        if not text:
            return None
        return Sentence(text, lines[0].number, lines[-1].number, lines[0].page, lines[-1].page, lines[0].stream)

    def _cut(self, end: int) -> Sentence | None:
        sentence = self._sentence(end)
        rest = len(self.text) - len(self.text[end:].lstrip())
        keep = [(offset - rest, line) for offset, line in self.marks if offset >= rest]
        last_before = [line for offset, line in self.marks if offset < rest]
        if (not keep or keep[0][0] > 0) and last_before and self.text[rest:]:
            keep.insert(0, (0, last_before[-1]))
        self.text, self.marks = self.text[rest:], keep
        return sentence

    def complete(self) -> Iterator[Sentence]:
        start = 0
        while True:
            match = next((m for m in _END.finditer(self.text, start)
                          if self.text[m.end()].isupper() and not self._abbreviation(m.start())), None)
            if match is None:
                break
            sentence = self._cut(match.end() - len(match.group(0)) + len(match.group(0).rstrip("“\"‘(")))
            if sentence is not None:
                yield sentence
        while len(self.text) > MAX_CHARS:
            cut = self.text.rfind(" ", 0, MAX_CHARS)
            sentence = self._cut(cut if cut > 0 else MAX_CHARS)
            if sentence is not None:
                yield sentence

    def _abbreviation(self, at: int) -> bool:
        word = self.text[:at].rsplit(" ", 1)[-1].lower().lstrip("(")
        return word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())

    def flush(self) -> Iterator[Sentence]:
        if self.text.strip():
            sentence = self._sentence(len(self.text))
            if sentence is not None:
                yield sentence
        self.text, self.marks = "", []


def sentences(lines: Iterable[Line]) -> Iterator[Sentence]:
    """The sentences of a stream of lines; a blank line ends a paragraph (except in interleaved
    columns, where each column is its own stream), and a footnote or a web address starts one.

    >>> from wbgraph.extract.text import Line
    >>> lines = [Line("Dr. Ana wrote that the EU sup-", 1), Line("ports Serbia. Russia", 2),
    ...          Line("does not.", 3), Line("", 4), Line("A heading", 5)]
    >>> [(s.text, s.line_start, s.line_end) for s in sentences(lines)]
    [('Dr. Ana wrote that the EU supports Serbia.', 1, 2), ('Russia does not.', 2, 3), ('A heading', 5, 5)]
    """
    buffers: dict[int, _Buffer] = {}
    for line in lines:
        buffer = buffers.setdefault(line.stream, _Buffer())
        if not line.text.strip():
            yield from buffer.flush()
            continue
        if _FOOTNOTE.match(line.text) or _URL.match(line.text):
            yield from buffer.flush()
        buffer.add(line)
        yield from buffer.complete()
        if _URL.match(line.text) and len(line.text.split()) == 1:
            yield from buffer.flush()
    for buffer in buffers.values():
        yield from buffer.flush()
