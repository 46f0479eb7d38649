"""A PDF's pages to text with PDFium (pypdfium2); pages without a text layer read by OCR.

This runs inside the PDF worker process (`pdf_worker.py`). Text pages are read by `pdf_page.py`;
scanned pages are OCRed in page order afterwards (`scan.py`), so a partly scanned PDF keeps its
page order. A PDF with more than `max_pages` pages is refused before any page is read, and the
time budget is checked before each page (text or OCR): a file that merely runs long is stopped
with the page it reached. A single page that never returns is the worker's parent's to stop.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import pypdfium2.raw as pdfium_c

from . import reading
from .errors import UnreadableFile
from .pdf_page import read_page

# PDFium's load errors (FPDF_GetLastError) that mean something other than damage.
_PASSWORD, _SECURITY = 4, 5


@dataclass(frozen=True)
class Limits:
    """How much one PDF may cost (pages, seconds), and how scanned pages are read.

    `ocr_missing` is why OCR cannot run here (off, or not installed; None when it can), as the
    parent process found.
    """

    max_pages: int
    seconds: float
    ocr_engine: str
    ocr_missing: str | None = None


def over_budget(limits: Limits, done: int | None, total: int | None) -> UnreadableFile:
    """The error for a file that ran past its time budget (after `done` of `total` pages, if known)."""
    where = f"after {done} of {total} page(s)" if total is not None else "before it finished"
    return UnreadableFile(f"reading stopped {where}: the file took longer than the "
                          f"{limits.seconds:g}-second budget per file (NIANBAO_PARSE_SECONDS)")


class _Document:
    """A PDF opened with PDFium's own calls: in a loop over pages, pypdfium2's helper objects (a
    finalizer each) cost as much again as reading the text."""

    def __init__(self, data):
        import pypdfium2  # noqa: F401  (initialises the PDFium library)

        self.data = data  # PDFium reads from this buffer until the document is closed
        self.raw = pdfium_c.FPDF_LoadMemDocument64(data, len(data), None)
        if not self.raw:
            code = pdfium_c.FPDF_GetLastError()
            if code == _PASSWORD:
                raise UnreadableFile("the PDF is encrypted and needs a password to open; it cannot be "
                                     "read without one")
            if code == _SECURITY:
                raise UnreadableFile("the PDF is encrypted with a method the reader does not support")
            raise UnreadableFile(f"the PDF is damaged and cannot be read (PDFium error {code})")
        self.pages = pdfium_c.FPDF_GetPageCount(self.raw)

    def text(self, index: int) -> str | None:
        """Page `index`'s text, None for a scanned page."""
        page = pdfium_c.FPDF_LoadPage(self.raw, index)
        if not page:
            raise UnreadableFile(f"the PDF is damaged: page {index + 1} cannot be read")
        try:
            return read_page(page)
        finally:
            pdfium_c.FPDF_ClosePage(page)

    def close(self) -> None:
        pdfium_c.FPDF_CloseDocument(self.raw)


def _text_pages(pdf: _Document, limits: Limits, deadline: float) -> tuple[list[str], list[int]]:
    """Each page's text ('' for a scanned page) and the numbers of the scanned pages."""
    texts, scanned = [], []
    for index in range(pdf.pages):
        if time.monotonic() > deadline:
            raise over_budget(limits, index, pdf.pages)
        text = pdf.text(index)
        if text is None:
            scanned.append(index + 1)
        texts.append(text or "")
    return texts, scanned


def _ocr(data, texts: list[str], scanned: list[int], limits: Limits, deadline: float) -> None:
    """Fill the scanned pages' texts by OCR and note its confidence; raise when nothing is readable."""
    import pypdfium2 as pdfium

    from .ocr import OcrUnavailable, engine
    from .scan import read_page as read_scanned

    missing = limits.ocr_missing
    try:
        reader = None if missing else engine(limits.ocr_engine)
    except OcrUnavailable as exc:
        missing = exc.reason
    if missing:
        if len(scanned) == len(texts):
            raise UnreadableFile(f"the PDF has no text layer (its {len(texts)} page(s) are scanned "
                                 f"images) and could not be read by OCR: {missing}")
        reading.note(reading.not_read_finding(scanned, len(texts), missing))
        return
    read, pdf = [], pdfium.PdfDocument(bytes(data))  # a copy; beside OCR it costs nothing
    for count, number in enumerate(scanned, start=1):
        if time.monotonic() > deadline:
            raise over_budget(limits, len(texts) - len(scanned) + len(read), len(texts))
        reading.progress(f"OCR page {count} of {len(scanned)} (page {number} of {len(texts)})")
        page = read_scanned(pdf[number - 1], reader, number)
        texts[number - 1] = page.text
        read.append((number, page.lines))
    pdf.close()
    reading.note(*reading.ocr_findings(limits.ocr_engine, len(texts), read))


def read_pdf(data, limits: Limits, started: float) -> str:
    """All text of a PDF (tables as ' | ' rows, scans by OCR); UnreadableFile when it cannot be read.

    `data` is the file's bytes, or a ctypes array over them; `started` is when the budget began
    (time.monotonic()).
    """
    deadline = started + limits.seconds
    pdf = _Document(data)
    try:
        if pdf.pages > limits.max_pages:
            raise UnreadableFile(f"the PDF has {pdf.pages:,} pages, over the limit of {limits.max_pages:,} "
                                 "(NIANBAO_MAX_PAGES); it was not read")
        if pdf.pages <= 0:
            raise UnreadableFile("the PDF is damaged: it has no pages")
        texts, scanned = _text_pages(pdf, limits, deadline)
    finally:
        pdf.close()
    if scanned:
        _ocr(data, texts, scanned, limits, deadline)
    text = "\n".join(text for text in texts if text)
    if not text.strip():
        if scanned:
            raise UnreadableFile(f"the PDF's {len(texts)} page(s) are scanned images and OCR "
                                 f"({limits.ocr_engine}) found no text on them")
        raise UnreadableFile(f"the PDF shows no text on any of its {len(texts)} page(s)")
    return text
