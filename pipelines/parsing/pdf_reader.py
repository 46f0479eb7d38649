"""PDF to text with PDFium (pypdfium2), page by page; scanned pages read by OCR.

Text pages are read in this process (`pdf_page.py`). Pages without a text layer are sent, all
at once, to an OCR worker process (`ocr_worker.py`) and come back as lines in their place, so a
partly scanned PDF reads in page order. Two limits protect the pipeline (settings
NIANBAO_MAX_PAGES and NIANBAO_PARSE_SECONDS): a PDF with more pages is refused before any page
is read, and the time budget is checked before every text page and enforced on OCR by killing
the worker. One text page is C code that cannot be interrupted; docs/extraction.md says why
that bound is enough.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from . import reading
from .errors import UnreadableFile
from .ocr_worker import OcrStopped, OcrTimedOut, ocr_pages
from .pdf_page import read_page
from .scan import OCR_DPI

# A complete PDF ends with %%EOF; writers may add a little padding after it.
_EOF_MARKER = b"%%EOF"
_TAIL = 1024
# PDFium's load errors (FPDF_GetLastError) that mean something other than damage.
_PASSWORD, _SECURITY = 4, 5


@dataclass(frozen=True)
class Limits:
    """How much one PDF may cost: pages, seconds, and the OCR engine ('off' for none)."""

    max_pages: int
    seconds: float
    ocr_engine: str

    @classmethod
    def current(cls) -> Limits:
        """The limits from the settings (environment or .env)."""
        from nianbao.settings import load_settings

        settings = load_settings()
        return cls(settings.max_pages, settings.parse_seconds, settings.ocr_engine)


def _open(data: bytes):
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code == _PASSWORD:
            raise UnreadableFile("the PDF is encrypted and needs a password to open; it cannot be "
                                 "read without one") from exc
        if code == _SECURITY:
            raise UnreadableFile("the PDF is encrypted with a method the reader does not support") from exc
        raise UnreadableFile(f"the PDF is damaged and cannot be read ({exc})") from exc


def _over_budget(limits: Limits, done: int, total: int) -> UnreadableFile:
    return UnreadableFile(f"reading stopped after {done} of {total} page(s): the file took longer than "
                          f"the {limits.seconds:g}-second budget per file (NIANBAO_PARSE_SECONDS)")


def _text_pages(pdf, limits: Limits, deadline: float) -> tuple[list[str], list[int]]:
    """Each page's text ('' for a scanned page) and the numbers of the scanned pages."""
    texts, scanned = [], []
    for index in range(len(pdf)):
        if time.monotonic() > deadline:
            raise _over_budget(limits, index, len(pdf))
        page = pdf[index]
        text = read_page(page)
        page.close()
        if text is None:
            scanned.append(index + 1)
        texts.append(text or "")
    return texts, scanned


def _ocr(data: bytes, texts: list[str], scanned: list[int], limits: Limits, deadline: float) -> None:
    """Fill the scanned pages' texts by OCR, noting confidence; raises when nothing else is readable."""
    only_scans = len(scanned) == len(texts)
    read = []
    try:
        if limits.ocr_engine == "off":
            raise OcrStopped("OCR is turned off (NIANBAO_OCR_ENGINE=off)")
        for result in ocr_pages(data, limits.ocr_engine, OCR_DPI, scanned, deadline):
            if "error" in result:
                raise OcrStopped(result["error"])
            lines = [(text, conf) for text, conf in result["lines"]]
            texts[result["page"] - 1] = "\n".join(text for text, _ in lines)
            read.append((result["page"], lines))
            reading.progress(f"OCR page {len(read)} of {len(scanned)}")
    except OcrTimedOut:
        raise _over_budget(limits, len(texts) - len(scanned) + len(read), len(texts)) from None
    except OcrStopped as stopped:
        if only_scans:
            raise UnreadableFile(f"the PDF has no text layer (its {len(texts)} page(s) are scanned "
                                 f"images) and could not be read by OCR: {stopped.reason}") from None
        reading.note(reading.not_read_finding(scanned, len(texts), stopped.reason))
    reading.note(*reading.ocr_findings(limits.ocr_engine, len(texts), read))


def pdf_text(data: bytes, limits: Limits | None = None) -> str:
    """All text of a PDF; raises UnreadableFile for truncated, encrypted, broken, unreadable
    (scanned without OCR) or over-limit files."""
    if _EOF_MARKER not in data[-_TAIL:]:
        raise UnreadableFile("the PDF is truncated: it stops before its end-of-file marker "
                             "(%%EOF), so part of it is missing; download it again")
    limits = limits or Limits.current()
    deadline = time.monotonic() + limits.seconds
    pdf = _open(data)
    try:
        if len(pdf) > limits.max_pages:
            raise UnreadableFile(f"the PDF has {len(pdf):,} pages, over the limit of {limits.max_pages:,} "
                                 "(NIANBAO_MAX_PAGES); it was not read")
        if len(pdf) == 0:
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
