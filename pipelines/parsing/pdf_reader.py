"""PDF to text: checks made on the bytes, then the pages read in the PDF worker process.

The limits come from the settings (NIANBAO_MAX_PAGES, NIANBAO_PARSE_SECONDS, NIANBAO_OCR_ENGINE);
whether the OCR engine is installed is checked here, cheaply, so the answer follows this
process's environment rather than the worker's.
"""

from __future__ import annotations

import time

from .errors import UnreadableFile
from .ocr import missing_engine
from .pdf_pages import Limits
from .pdf_worker import read_in_worker

# A complete PDF ends with %%EOF; writers may add a little padding after it.
_EOF_MARKER = b"%%EOF"
_TAIL = 1024


def current_limits() -> Limits:
    """The limits from the settings (environment or .env), and whether OCR can run."""
    from environment.settings import load_settings

    settings = load_settings()
    engine = settings.ocr_engine
    return Limits(settings.max_pages, settings.parse_seconds, engine, missing_engine(engine))


def pdf_text(data: bytes, limits: Limits | None = None) -> str:
    """All text of a PDF; raises UnreadableFile for truncated, encrypted, broken, unreadable
    (scanned without OCR) or over-limit files."""
    started = time.monotonic()
    if _EOF_MARKER not in data[-_TAIL:]:
        raise UnreadableFile("the PDF is truncated: it stops before its end-of-file marker "
                             "(%%EOF), so part of it is missing; download it again")
    return read_in_worker(data, limits or current_limits(), started)
