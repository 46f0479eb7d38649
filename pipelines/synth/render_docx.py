"""DOCX files: WordprocessingML written directly into python-docx's own default template.

Building paragraphs and merged tables through python-docx's object API costs tens of milliseconds
a file; writing `word/document.xml` as text and appending it to a prebuilt skeleton ZIP costs about
one. Fixed member timestamps make the same seed give the same bytes.
"""

from __future__ import annotations

import io
import zipfile
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

import docx

from .document import Block, Cell, Document

_TEMPLATE = Path(docx.__file__).parent / "templates" / "default.docx"
_FIXED_TIME = (2000, 1, 1, 0, 0, 0)
_VARIABLE = ("word/document.xml", "docProps/core.xml")
_STYLE_IDS = {"title": "Title", "heading": "Heading2"}


@cache
def _skeleton() -> tuple[bytes, str, str, str]:
    """The template ZIP without its variable members, and the document/core XML to fill in."""
    source = zipfile.ZipFile(_TEMPLATE)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename not in _VARIABLE:
                target.writestr(zipfile.ZipInfo(info.filename, _FIXED_TIME), source.read(info.filename),
                                compress_type=zipfile.ZIP_DEFLATED)
    document = source.read("word/document.xml").decode("utf-8")
    head, _, rest = document.partition("<w:body>")
    section = rest[rest.index("<w:sectPr"):]
    return buffer.getvalue(), head + "<w:body>", section, source.read("docProps/core.xml").decode("utf-8")


def render_docx(document: Document, when: tuple[int, int, int] | None) -> bytes:
    """The report as DOCX bytes; `when` (a publication date) becomes the core created/modified date."""
    skeleton, head, section, core = _skeleton()
    body = "".join(_table_xml(b) if b.kind == "table" else _paragraph_xml(b) for b in document.blocks)
    stamp = "{:04d}-{:02d}-{:02d}T09:00:00Z".format(*(when or _FIXED_TIME[:3]))
    core = core.replace("2013-12-23T23:15:00Z", stamp).replace("<dc:title/>",
                                                                f"<dc:title>{escape(document.blocks[0].text)}</dc:title>")
    buffer = io.BytesIO(skeleton)
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as package:
        package.writestr(zipfile.ZipInfo(_VARIABLE[0], _FIXED_TIME), head + body + section,
                         compress_type=zipfile.ZIP_DEFLATED)
        package.writestr(zipfile.ZipInfo(_VARIABLE[1], _FIXED_TIME), core, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def _paragraph_xml(block: Block) -> str:
    style = _STYLE_IDS.get(block.kind)
    props = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    return f'<w:p>{props}<w:r><w:t xml:space="preserve">{escape(block.text)}</w:t></w:r></w:p>'


def _grid(rows: tuple[tuple[Cell, ...], ...]) -> list[list[tuple[Cell, bool] | None]]:
    """Each slot: (cell, starts here) at a cell's left edge; None where a colspan covers it."""
    slots: dict[tuple[int, int], tuple[Cell, bool] | None] = {}
    for r, row in enumerate(rows):
        c = 0
        for cell in row:
            while (r, c) in slots:
                c += 1
            for dr in range(cell.rowspan):
                slots[(r + dr, c)] = (cell, dr == 0)
                for dc in range(1, cell.colspan):
                    slots[(r + dr, c + dc)] = None
            c += cell.colspan
    width = max(c for _, c in slots) + 1
    return [[slots.get((r, c), (Cell(""), True)) for c in range(width)] for r in range(len(rows))]


def _table_xml(block: Block) -> str:
    """A bordered table; row spans become vMerge runs, column spans gridSpan."""
    grid = _grid(block.rows)
    xml = ['<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/></w:tblPr>'
           "<w:tblGrid>" + "<w:gridCol/>" * len(grid[0]) + "</w:tblGrid>"]
    for row in grid:
        xml.append("<w:tr>")
        for slot in row:
            if slot is None:
                continue
            cell, starts = slot
            props = f'<w:gridSpan w:val="{cell.colspan}"/>' if cell.colspan > 1 else ""
            if cell.rowspan > 1:
                props += '<w:vMerge w:val="restart"/>' if starts else "<w:vMerge/>"
            text = f"<w:r><w:t>{escape(cell.text)}</w:t></w:r>" if starts else ""
            xml.append(f"<w:tc><w:tcPr>{props}</w:tcPr><w:p>{text}</w:p></w:tc>")
        xml.append("</w:tr>")
    return "".join(xml) + "</w:tbl>"
