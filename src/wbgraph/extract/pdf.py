"""The text layer of a PDF, page by page, with two-column pages read column by column.

pdfminer.six gives every text line with its box. A page whose lines fall clearly into a left and a
right half is read as a two-column page: lines that span both halves (titles, wide figures) cut it into
bands, and each band is read left column first, then right column, top to bottom. Lines are numbered
from 1 on each page in that reading order, so a locator is "page 3, line 12".
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from ..errors import InputFileError
from .text import Line

__all__ = ["pdf_info", "pdf_lines"]

_OCR = "it needs OCR first, for example `ocrmypdf in.pdf out.pdf`, then extract from out.pdf"


def _open(path: Path):
    from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFParser, PDFSyntaxError

    handle = path.open("rb")
    try:
        return handle, PDFDocument(PDFParser(handle))
    except (PDFPasswordIncorrect, PDFEncryptionError):
        handle.close()
        raise InputFileError("the PDF is encrypted and cannot be opened without its password", file=path,
                             hint="decrypt it first, for example `qpdf --decrypt --password=PASSWORD in.pdf "
                                  "out.pdf`, then extract from out.pdf") from None
    except (PDFSyntaxError, ValueError, KeyError, TypeError) as err:
        handle.close()
        raise InputFileError(f"not a readable PDF ({err or type(err).__name__})", file=path,
                             hint="check that the file is a complete PDF; open it in a PDF viewer") from None


def _decode(value) -> str:
    from pdfminer.utils import decode_text

    if isinstance(value, bytes):
        return decode_text(value).strip()
    return str(value).strip() if value is not None else ""


def pdf_info(path: Path) -> dict[str, str]:
    """The title and date that the PDF's properties give (empty when absent).

    >>> import tempfile
    >>> broken = Path(tempfile.mkdtemp()) / "broken.pdf"
    >>> _ = broken.write_bytes(b"%PDF-1.4 nothing else")
    >>> pdf_info(broken)
    Traceback (most recent call last):
    ...
    wbgraph.errors.InputFileError: ...: not a readable PDF (...). check that the file is a complete PDF; open it in a PDF viewer
    """
    from pdfminer.pdftypes import resolve1

    handle, document = _open(path)
    with handle:
        info = resolve1(document.info[0]) if document.info else {}
    title = _decode(resolve1(info.get("Title"))) if info else ""
    raw = _decode(resolve1(info.get("CreationDate"))) if info else ""
    digits = raw[2:] if raw.startswith("D:") else ""
    date = ""
    if len(digits) >= 8 and digits[:8].isdigit():
        date = f"{digits[:4]}-{digits[4:6]}-{digits[6:8]}"
    return {"title": title, "date": date}


def _reading_order(lines: list, width: float) -> list:
    middle = width / 2
    left = [x for x in lines if x.x1 <= middle + 5]
    right = [x for x in lines if x.x0 >= middle - 5 and x.x1 > middle + 5]
    if len(right) < 0.25 * len(lines) or len(left) < 0.25 * len(lines):
        return sorted(lines, key=lambda x: (-x.y1, x.x0))
    on_right = {id(x) for x in right}
    ordered, band_left, band_right = [], [], []
    for line in sorted(lines, key=lambda x: (-x.y1, x.x0)):
        if id(line) in on_right:
            band_right.append(line)
        elif line.x1 <= middle + 5:
            band_left.append(line)
        else:
            ordered += band_left + band_right + [line]
            band_left, band_right = [], []
    return ordered + band_left + band_right


def pdf_lines(path: Path, advance: Callable[[int], object] | None = None) -> Iterator[Line]:
    """The text lines of a PDF in reading order, a blank line after each page.

    Raises :class:`InputFileError` for an encrypted or damaged PDF and for one without a text layer
    (``tests/test_extract.py`` makes such files with fpdf2).

    >>> import tempfile
    >>> empty = Path(tempfile.mkdtemp()) / "empty.pdf"
    >>> _ = empty.write_bytes(b"")
    >>> list(pdf_lines(empty))
    Traceback (most recent call last):
    ...
    wbgraph.errors.InputFileError: ...: not a readable PDF (...). check that the file is a complete PDF; open it in a PDF viewer
    """
    from pdfminer.layout import LAParams, LTTextBox, LTTextLine
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.pdfpage import PDFPage

    handle, document = _open(path)
    size = path.stat().st_size
    with handle:
        manager = PDFResourceManager()
        device = PDFPageAggregator(manager, laparams=LAParams(boxes_flow=None))
        interpreter = PDFPageInterpreter(manager, device)
        pages = list(PDFPage.create_pages(document))
        text_seen = False
        for number, page in enumerate(pages, start=1):
            interpreter.process_page(page)
            layout = device.get_result()
            lines = [line for box in layout if isinstance(box, LTTextBox) for line in box
                     if isinstance(line, LTTextLine) and line.get_text().strip()]
            for index, line in enumerate(_reading_order(lines, layout.width), start=1):
                text_seen = True
                yield Line(line.get_text().rstrip("\n"), index, page=number)
            yield Line("", len(lines) + 1, page=number)
            if advance is not None:
                advance(size // max(len(pages), 1))
    if not pages:
        raise InputFileError("the PDF has no pages", file=path, hint="check that the file is a complete PDF")
    if not text_seen:
        raise InputFileError(f"the PDF has no text layer (its {len(pages)} page(s) are images)", file=path,
                             hint=_OCR)
