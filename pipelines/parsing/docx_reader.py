"""DOCX to text with python-docx: paragraphs and tables in document order."""

from __future__ import annotations

import io

from .errors import UnreadableFile
from .readers import CELL_SEPARATOR


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


def docx_text(data: bytes) -> str:
    """All paragraphs and table rows of a Word document."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises KeyError/BadZipFile/ValueError on damage
        raise UnreadableFile(f"the Word document is damaged ({type(exc).__name__})") from exc
    lines = []
    for block in document.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(block, document).text)
        elif tag == "tbl":
            lines.extend(_row_line(row) for row in Table(block, document).rows)
    return "\n".join(line for line in lines if line.strip())
