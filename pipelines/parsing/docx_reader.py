"""DOCX to text with python-docx: paragraphs and tables in document order.

The ZIP directory is checked before anything is unpacked: its declared sizes bound what
`zipfile` will ever inflate, so refusing oversized or implausibly compressed parts there
keeps a zip bomb from filling memory.
"""

from __future__ import annotations

import io
import zipfile

from .errors import NotAReport, UnreadableFile
from .readers import CELL_SEPARATOR

MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_RATIO = 100
# Small parts may compress very well (a blank header); only large ones are worth a ratio check.
_RATIO_FLOOR_BYTES = 1024 * 1024
_MB = 1024 * 1024
_DETAIL = 200  # characters of a library's error message worth showing the user
_DOCUMENT_PART = "word/document.xml"
_OTHER_OFFICE = {"xl/workbook.xml": "an Excel workbook", "ppt/presentation.xml": "a PowerPoint deck"}


def _check_archive(archive: zipfile.ZipFile) -> None:
    """Raise unless the archive holds a Word document of a safe unpacked size."""
    names = set(archive.namelist())
    if _DOCUMENT_PART not in names:
        kind = next((kind for part, kind in _OTHER_OFFICE.items() if part in names), "a ZIP archive")
        raise NotAReport(f"it is {kind}, not a Word document or another report format "
                         "(TXT, HTML, PDF or DOCX)")
    members = archive.infolist()
    unpacked = sum(member.file_size for member in members)
    if unpacked > MAX_UNPACKED_BYTES:
        raise UnreadableFile(
            f"the Word document would unpack to {unpacked / _MB:,.0f} MB (the limit is "
            f"{MAX_UNPACKED_BYTES // _MB} MB); it looks like a zip bomb, so it was not opened")
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > _RATIO_FLOOR_BYTES and ratio > MAX_RATIO:
            raise UnreadableFile(
                f"the Word document part {member.filename} is compressed {ratio:,.0f} to 1 (the "
                f"limit is {MAX_RATIO} to 1); it looks like a zip bomb, so it was not opened")


def _row_line(row) -> str:
    cells, previous = [], None
    for cell in row.cells:
        # Horizontally merged cells come back once per grid column; keep one copy.
        if cell._tc is not previous:
            text = " ".join(cell.text.split())
            if text:
                cells.append(text)
        previous = cell._tc
    return CELL_SEPARATOR.join(cells)


def _open(data: bytes):
    """The python-docx Document, after the archive passed its checks."""
    import docx

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            _check_archive(archive)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise UnreadableFile("the Word/ZIP file is damaged or truncated: its ZIP directory "
                             f"cannot be read ({str(exc)[:_DETAIL]})") from exc
    try:
        return docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises KeyError/BadZipFile/ValueError/XMLSyntaxError
        raise UnreadableFile("the Word document is damaged "
                             f"({type(exc).__name__}: {str(exc)[:_DETAIL]})") from exc


def docx_text(data: bytes) -> str:
    """All paragraphs and table rows of a Word document."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = _open(data)
    lines = []
    for block in document.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(block, document).text)
        elif tag == "tbl":
            lines.extend(_row_line(row) for row in Table(block, document).rows)
    return "\n".join(line for line in lines if line.strip())
