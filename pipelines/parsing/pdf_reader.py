"""PDF to text with pdfplumber: running text between tables, tables as ' | ' rows."""

from __future__ import annotations

import io
import logging

from .errors import UnreadableFile
from .readers import CELL_SEPARATOR

# pdfminer logs every malformed object; a broken file is reported through UnreadableFile.
logging.getLogger("pdfminer").setLevel(logging.ERROR)


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


def pdf_text(data: bytes) -> str:
    """All text of a PDF; raises UnreadableFile for encrypted, broken or image-only files."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages = [_page_text(page) for page in pdf.pages]
    except PDFPasswordIncorrect as exc:
        raise UnreadableFile("the PDF is encrypted with a password") from exc
    except UnreadableFile:
        raise
    except Exception as exc:  # pdfminer raises many unrelated types for damaged files
        raise UnreadableFile(f"the PDF is damaged or truncated ({type(exc).__name__})") from exc
    text = "\n".join(pages)
    if not text.strip():
        raise UnreadableFile("the PDF has no text layer (scanned images); it needs OCR first")
    return text
