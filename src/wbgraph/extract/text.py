"""Reading a document into numbered lines: plain text, Markdown, HTML and Word (.docx); PDFs in
:mod:`wbgraph.extract.pdf`.

Every reader yields :class:`Line` objects in reading order. A blank line ends a paragraph. Line numbers
are what a reader can find again: the physical line of a text, Markdown or HTML file (as `grep -n`
counts), the paragraph of a Word file, the line on its page of a PDF. Text files are read line by
line, so a file of any size streams through.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from ..errors import InputFileError

__all__ = ["FORMATS", "Line", "document_format", "find_date", "interleaved", "read_lines"]

FORMATS = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown", ".html": "html",
           ".htm": "html", ".docx": "docx", ".pdf": "pdf"}


@dataclass(frozen=True)
class Line:
    """One line of a document: its text, its number (on its page for a PDF) and its page (PDF only).
    ``stream`` tells apart the columns of a text whose two columns were interleaved line by line."""

    text: str
    number: int
    page: int | None = None
    stream: int = 0


def document_format(path: Path) -> str:
    """The kind of document from its extension.

    >>> document_format(Path("report.PDF"))
    'pdf'
    """
    try:
        return FORMATS[path.suffix.lower()]
    except KeyError:
        raise InputFileError(f"cannot extract from '{path.suffix or '(no extension)'}' files", file=path,
                             hint=f"use one of {', '.join(sorted(FORMATS))}; save other formats as PDF or "
                                  "plain text first") from None


_MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|december")
_MONTH_NUMBER = {m: i for i, m in enumerate(_MONTHS.split("|"), start=1)}
_DATES = (
    (re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"), lambda m: f"{m[1]}-{m[2]}-{m[3]}"),
    (re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)? ({_MONTHS}),? (\d{{4}})\b", re.I),
     lambda m: f"{m[3]}-{_MONTH_NUMBER[m[2].lower()]:02d}-{int(m[1]):02d}"),
    (re.compile(rf"\b({_MONTHS}) (\d{{1,2}}),? (\d{{4}})\b", re.I),
     lambda m: f"{m[3]}-{_MONTH_NUMBER[m[1].lower()]:02d}-{int(m[2]):02d}"),
)


def find_date(text: str) -> str:
    """The first full date written in ``text``, as YYYY-MM-DD (empty when there is none).

    >>> find_date("06 May 2024"), find_date("Rome, November 14, 2023"), find_date("in 2023")
    ('2024-05-06', '2023-11-14', '')
    """
    for pattern, convert in _DATES:
        match = pattern.search(text)
        if match:
            return convert(match)
    return ""


def interleaved(lines: list[str]) -> bool:
    """Whether a text looks like a two-column page turned into text line by line: most of its lines
    stand alone between blank lines, are short, and stop mid-sentence.

    >>> left = ["the EU has", "long worked", "with the region", "on reform."]
    >>> right = ["a second text", "runs beside", "the first one", "in parallel."]
    >>> interleaved([x for pair in zip(left, right) for x in (pair[0], "", pair[1], "")])
    True
    >>> interleaved(["One paragraph, long enough to be a paragraph of its own.", "", "And another one."])
    False
    """
    text = [x.strip() for x in lines]
    alone = [x for i, x in enumerate(text) if x and (i == 0 or not text[i - 1]) and (i + 1 == len(text) or not text[i + 1])]
    filled = sum(1 for x in text if x)
    if len(alone) < 4 or len(alone) < 0.5 * filled:
        return False
    short = sorted(len(x) for x in alone)[len(alone) // 2] < 80
    open_ended = sum(1 for x in alone if not x.endswith((".", "!", "?", ":"))) >= 0.5 * len(alone)
    return short and open_ended


def _reads_on(previous: str, first: str) -> int:
    """How well a block starting with ``first`` continues a column that ended with ``previous``."""
    if not previous:
        return 0
    if previous.endswith("-") and first[:1].islower():
        return 3
    ends = previous.endswith((".", "!", "?", ":"))
    if first[:1].islower():
        return -2 if ends else 2
    return 1 if ends else 0


def _text_lines(path: Path, encoding: str, advance) -> Iterator[tuple[int, str]]:
    """Numbered lines of a text file, read one at a time. UTF-8 and one-byte encodings are read as
    bytes (so a bad byte is reported with its line); a file with a UTF-16 byte-order mark, or a
    UTF-16/32 encoding named with ``--encoding``, is read as text."""
    with path.open("rb") as handle:
        wide = handle.read(2) in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
    if wide or codecs.lookup(encoding).name.startswith(("utf-16", "utf-32")):
        try:
            with path.open(encoding="utf-16" if wide else encoding, newline=None) as handle:
                for number, text in enumerate(handle, start=1):
                    if advance is not None:
                        advance(2 * len(text))
                    yield number, text.removeprefix("\ufeff").rstrip("\r\n")
        except UnicodeDecodeError as err:
            raise InputFileError(f"the text is not {encoding}: {err.reason}", file=path,
                                 hint="convert it to UTF-8 or name its encoding with --encoding") from None
        return
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if advance is not None:
                advance(len(raw))
            try:
                text = raw.decode(encoding)
            except UnicodeDecodeError as err:
                raise InputFileError(f"the text is not {encoding} (byte 0x{raw[err.start]:02x})", file=path,
                                     line=number, column=err.start + 1,
                                     hint="convert it to UTF-8 or name its encoding with --encoding") from None
            if number == 1:
                text = text.removeprefix("\ufeff")
            yield number, text.rstrip("\r\n")


_MARKDOWN = [(re.compile(r"!?\[([^\]]*)\]\([^)]*\)"), r"\1"), (re.compile(r"^\s{0,3}(#{1,6}|>|[-*+]|\d+[.)])\s+"), ""),
             (re.compile(r"[*_`]{1,3}"), "")]


def _markdown(text: str) -> str:
    for pattern, replacement in _MARKDOWN:
        text = pattern.sub(replacement, text)
    return text


class _HtmlText(HTMLParser):
    """Text of an HTML file by physical line; block elements end a paragraph."""

    BLOCKS = {"p", "div", "br", "li", "ul", "ol", "tr", "td", "th", "table", "section", "article", "header",
              "footer", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "title", "pre", "hr", "dt", "dd"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[Line] = []
        self.skip = 0
        self.title: list[str] = []
        self.in_title = False
        self.date = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "style", "template", "noscript"):
            self.skip += 1
        if tag == "title":
            self.in_title = True
        if tag == "meta" and not self.date and (attrs.get("name") or attrs.get("property") or "").lower() in (
                "date", "dcterms.date", "dc.date", "article:published_time", "citation_publication_date"):
            self.date = find_date(attrs.get("content") or "") or (attrs.get("content") or "")[:10]
        if tag == "time" and not self.date:
            self.date = find_date(attrs.get("datetime") or "")
        if tag in self.BLOCKS:
            self.out.append(Line("", self.getpos()[0]))

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template", "noscript"):
            self.skip = max(0, self.skip - 1)
        if tag == "title":
            self.in_title = False
        if tag in self.BLOCKS:
            self.out.append(Line("", self.getpos()[0]))

    def handle_data(self, data):
        if self.skip:
            return
        if self.in_title:
            self.title.append(data.strip())
            return
        first = self.getpos()[0]
        for offset, part in enumerate(data.split("\n")):
            if part.strip():
                self.out.append(Line(" ".join(part.split()), first + offset))


def _html_lines(path: Path, encoding: str, advance, info: dict) -> Iterator[Line]:
    parser = _HtmlText()
    for _, text in _text_lines(path, encoding, advance):
        parser.feed(text + "\n")
        yield from parser.out
        parser.out = []
    parser.close()
    yield from parser.out
    info.setdefault("title", " ".join(parser.title).strip())
    info.setdefault("date", parser.date)


def _docx_lines(path: Path, info: dict) -> Iterator[Line]:
    import zipfile

    import docx
    from docx.opc.exceptions import OpcError

    try:
        document = docx.Document(str(path))
    except (zipfile.BadZipFile, OpcError, KeyError, ValueError) as err:
        raise InputFileError(f"not a readable Word document ({err})", file=path,
                             hint="open it in a word processor and save it again as .docx") from None
    props = document.core_properties
    title = props.title or next((p.text for p in document.paragraphs
                                 if p.style is not None and p.style.name in ("Title", "Heading 1") and p.text.strip()), "")
    info.setdefault("title", title.strip())
    info.setdefault("date", props.created.date().isoformat() if props.created else "")
    for number, paragraph in enumerate(document.paragraphs, start=1):
        for part in paragraph.text.split("\n"):
            yield Line(part, number)
        yield Line("", number)


def read_lines(path: Path, fmt: str, info: dict, *, columns: str = "auto", encoding: str = "utf-8",
               advance: Callable[[int], object] | None = None) -> Iterator[Line]:
    """The lines of a document in reading order; ``info`` receives its ``title`` and ``date``.

    ``columns`` applies to plain text: ``"2"`` reads a text whose two columns alternate line by line
    as two streams, ``"1"`` reads it as it stands, ``"auto"`` decides from its first 2,000 lines.

    >>> import tempfile
    >>> page = Path(tempfile.mkdtemp()) / "page.md"
    >>> _ = page.write_text("# Notes\\n\\n- **Russia** and [Serbia](https://example.org)\\n")
    >>> info = {}
    >>> [(line.number, line.text) for line in read_lines(page, "markdown", info) if line.text], info["title"]
    ([(1, 'Notes'), (3, 'Russia and Serbia')], 'Notes')
    """
    if fmt == "pdf":
        from .pdf import pdf_info, pdf_lines

        info.update({k: v for k, v in pdf_info(path).items() if v})
        yield from pdf_lines(path, advance)
        return
    if fmt == "docx":
        yield from _docx_lines(path, info)
        return
    if fmt == "html":
        yield from _html_lines(path, encoding, advance, info)
        return
    head = []
    for _, text in _text_lines(path, encoding, None):
        head.append(text)
        if len(head) >= 2000:
            break
    first = [x.strip() for x in head[:60] if x.strip()]
    if fmt == "markdown":
        headings = [x for x in first if x.startswith("# ")]
        info.setdefault("title", headings[0][2:].strip() if headings else "")
    elif first and len(first[0]) <= 120 and not find_date(first[0]):
        info.setdefault("title", first[0])
    info.setdefault("date", next((find_date(x) for x in first if find_date(x)), ""))
    two = columns == "2" or (columns == "auto" and fmt == "text" and interleaved(head))
    info["columns"] = 2 if two else 1
    # Two columns: each run of lines between blank lines stays in one column; a run goes to the column
    # it reads on from best, and to the other column than the last run when both read on as well.
    last = ["", ""]
    stream, previous_blank = 1, True
    for number, text in _text_lines(path, encoding, advance):
        if fmt == "markdown":
            text = _markdown(text)
        if not two:
            yield Line(text, number)
            continue
        if not text.strip():
            previous_blank = True
            continue
        if previous_blank:
            first = text.strip()
            scores = [_reads_on(last[0], first), _reads_on(last[1], first)]
            stream = (1 - stream) if scores[0] == scores[1] else scores.index(max(scores))
            previous_blank = False
        last[stream] = text.strip()
        yield Line(text, number, stream=stream)
