"""What reading a file tells its caller beside the text: findings about OCR, and progress.

`read_document` returns only the text, so what the PDF reader learns on the way (which pages
were read by OCR, how sure OCR was, pages it could not read) is noted here, in a context
variable that `parse_document` collects into the report's findings. A caller that wants to show
progress (OCR takes seconds per page) sets a callback with `progress_to`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from statistics import mean

from .model import Finding

OCR_PAGES = "ocr_pages"
OCR_LOW_CONFIDENCE = "ocr_low_confidence"
PAGES_NOT_READ = "pages_not_read"
CODES = (OCR_PAGES, OCR_LOW_CONFIDENCE, PAGES_NOT_READ)
# A line read by OCR below this confidence, holding a figure, is listed as its own finding.
LOW_CONFIDENCE = 0.85
_MAX_LOW_LINES = 20
_FIGURE = re.compile(r"\d")

Progress = Callable[[str], None]
_NOTES: ContextVar[list[Finding] | None] = ContextVar("nianbao_reading_notes", default=None)
_PROGRESS: ContextVar[Progress | None] = ContextVar("nianbao_reading_progress", default=None)


@contextmanager
def collecting() -> Iterator[list[Finding]]:
    """Collect the findings noted while reading one file (the list fills as it is read)."""
    token = _NOTES.set([])
    try:
        yield _NOTES.get()
    finally:
        _NOTES.reset(token)


@contextmanager
def progress_to(callback: Progress) -> Iterator[None]:
    """Send progress messages ('OCR page 3 of 12') to `callback` while the block runs."""
    token = _PROGRESS.set(callback)
    try:
        yield
    finally:
        _PROGRESS.reset(token)


def note(*found: Finding) -> None:
    """Record findings for the file being read (ignored when nobody collects)."""
    notes = _NOTES.get()
    if notes is not None:
        notes.extend(found)


def progress(message: str) -> None:
    """Tell the caller how reading goes, if it asked."""
    callback = _PROGRESS.get()
    if callback is not None:
        callback(message)


def _page_list(pages: list[int]) -> str:
    return ", ".join(str(page) for page in pages)


def ocr_findings(engine: str, total: int, read: list[tuple[int, list[tuple[str, float]]]]) -> list[Finding]:
    """The OCR summary (pages, mean and lowest confidence) and each low-confidence line with a figure.

    `read` holds (page number, [(line, confidence)]) for the pages OCR read.
    """
    confidences = [conf for _, lines in read for _, conf in lines]
    if not confidences:
        return []
    pages = [number for number, _ in read]
    summary = Finding(OCR_PAGES, f"page(s) {_page_list(pages)} of {total} read by OCR ({engine}): "
                      f"text confidence mean {mean(confidences):.2f}, lowest {min(confidences):.2f}",
                      f"{engine}; pages {_page_list(pages)}")
    low = [(number, text, conf) for number, lines in read for text, conf in lines
           if conf < LOW_CONFIDENCE and _FIGURE.search(text)]
    details = [Finding(OCR_LOW_CONFIDENCE, f"page {number}: a line with figures read by OCR at "
                       f"confidence {conf:.2f} (below {LOW_CONFIDENCE}); check it against the scan", text)
               for number, text, conf in sorted(low, key=lambda item: item[2])[:_MAX_LOW_LINES]]
    return [summary, *details]


def not_read_finding(pages: list[int], total: int, reason: str) -> Finding:
    """Scanned pages of a partly scanned PDF that could not be read by OCR."""
    return Finding(PAGES_NOT_READ, f"scanned page(s) {_page_list(pages)} of {total} were not read: {reason}",
                   f"pages {_page_list(pages)}")
