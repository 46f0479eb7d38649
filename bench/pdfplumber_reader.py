"""The PDF reader nianbao used before PDFium (pdfplumber, tables from `find_tables`), kept as the
baseline that `bench_pdf.py` measures and scores beside the PDFium reader in the same run.

`plumber_text(data)` gives the text the old reader gave; `parse_with_pdfplumber(data, name)` the
report the parser makes of it.
"""

from __future__ import annotations

import io
import logging

from pipelines.parsing.errors import UnreadableFile
from pipelines.parsing.separator import CELL_SEPARATOR

# pdfminer logs every malformed object; a broken file is reported through UnreadableFile.
logging.getLogger("pdfminer").setLevel(logging.ERROR)

# A complete PDF ends with %%EOF; writers may add a little padding after it.
_EOF_MARKER = b"%%EOF"
_TAIL = 1024
# A page with an image and fewer characters than this is a scan with a stamp or page number.
_SCANNED_PAGE_CHARS = 20


def _table_lines(rows: list[list[str | None]]) -> list[str]:
    lines = []
    for row in rows:
        cells = [(cell or "").replace("\n", "").strip() for cell in row]
        cells = [cell for cell in cells if cell]
        if cells:
            lines.append(CELL_SEPARATOR.join(cells))
    return lines


def _page_text(page) -> str:
    """Text of one page in reading order, each table replaced by its rows."""
    parts, top = [], 0.0
    tables = sorted(page.find_tables(), key=lambda t: t.bbox[1])
    for table in tables:
        x0, t_top, x1, t_bottom = table.bbox
        if t_top > top:
            parts.append(page.crop((0, top, page.width, t_top)).extract_text() or "")
        parts.append("\n".join(_table_lines(table.extract())))
        top = max(top, t_bottom)
    if top < page.height:
        parts.append(page.crop((0, top, page.width, page.height)).extract_text() or "")
    return "\n".join(part for part in parts if part)


def _is_scanned(page, text: str) -> bool:
    return len("".join(text.split())) < _SCANNED_PAGE_CHARS and bool(page.images)


def _chain(exc: BaseException) -> list[BaseException]:
    """The exception and those it wraps: pdfplumber raises PdfminerException(original)."""
    found: list[BaseException] = []
    current: object = exc
    while isinstance(current, BaseException) and current not in found:
        found.append(current)
        current = current.__cause__ or current.__context__ or next(iter(current.args), None)
    return found


def _failure(exc: Exception) -> UnreadableFile:
    """The user-facing error for an exception pdfplumber/pdfminer raised on open or read."""
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    chain = _chain(exc)
    if any(isinstance(e, PDFPasswordIncorrect) for e in chain):
        return UnreadableFile("the PDF is encrypted and needs a password to open; it cannot be "
                              "read without one")
    if any(isinstance(e, PDFEncryptionError) for e in chain):
        return UnreadableFile("the PDF is encrypted with a method the reader does not support "
                              f"({str(chain[-1])[:200]})")
    return UnreadableFile(f"the PDF is damaged and cannot be read ({type(chain[-1]).__name__})")


def plumber_text(data: bytes) -> str:
    """All text of a PDF; raises UnreadableFile for truncated, encrypted, broken or scanned files."""
    import pdfplumber

    if _EOF_MARKER not in data[-_TAIL:]:
        raise UnreadableFile("the PDF is truncated: it stops before its end-of-file marker "
                             "(%%EOF), so part of it is missing; download it again")
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages = [(page, _page_text(page)) for page in pdf.pages]
            scanned = sum(1 for page, text in pages if _is_scanned(page, text))
    except Exception as exc:  # pdfminer raises many unrelated types for damaged files
        raise _failure(exc) from exc
    text = "\n".join(text for _, text in pages)
    if not text.strip() or (pages and scanned == len(pages)):
        raise UnreadableFile(f"the PDF has no text layer (its {len(pages)} page(s) are scanned "
                             "images); it needs OCR before it can be read")
    return text


def parse_with_pdfplumber(data: bytes, name: str):
    """The Report the parser makes of this PDF as the pdfplumber reader read it."""
    from pipelines.parsing import parse_document

    return parse_document(plumber_text(data).encode("utf-8"), f"{name}.txt")
