"""One PDF page's text with PDFium: running text between tables, each ruled table as ' | ' rows.

A page is PDFium's own text in reading order, one call, unless that text shows a table row
whose figures PDFium parted from their label. Then the page's drawn borders (path objects: thin
filled rectangles as Word prints them, or stroked lines and rectangles) give the tables
(`ruling.py`); each cell's text is PDFium's text inside the cell's box, and the text above,
between and below the tables is read band by band. Pages are raw FPDF_PAGE handles.
"""

from __future__ import annotations

import ctypes
import re
from dataclasses import dataclass

import pypdfium2.raw as pdfium_c

from .ruling import Line, Table, find_tables
from .separator import CELL_SEPARATOR

_THIN = 3.0  # points: a filled rectangle thinner than this is a drawn line
_FRAME = 0.5  # a stroked shape over half the page is a page frame, not a table's border
# A page with fewer characters than this and an image is a scan (a stamp or page number aside).
SCANNED_PAGE_CHARS = 20
# A line of figures and nothing else: a table row whose label PDFium put on other lines (a label
# wrapped in its cell, or printed after the figures), so the cells must come from the borders.
_FIGURES_ALONE = re.compile(r"^[ \t]*\d[\d.,]*(?:[ \t]+\d[\d.,]*)+[ \t]*$", re.M)


@dataclass
class PageObjects:
    """What a page draws, as far as reading it needs: borders and whether it holds an image."""

    horizontal: list[Line]
    vertical: list[Line]
    images: int = 0


class _Probe:
    """Reusable out-parameters for PDFium's per-object calls (made once per page, not per object)."""

    def __init__(self):
        self.box = [ctypes.c_float() for _ in range(4)]
        self.box_refs = [ctypes.byref(value) for value in self.box]
        self.fill, self.stroke = ctypes.c_int(), ctypes.c_int()

    def bounds(self, obj) -> tuple[float, float, float, float]:
        pdfium_c.FPDFPageObj_GetBounds(obj, *self.box_refs)
        left, bottom, right, top = self.box
        return left.value, bottom.value, right.value, top.value

    def stroked(self, obj) -> bool:
        pdfium_c.FPDFPath_GetDrawMode(obj, ctypes.byref(self.fill), ctypes.byref(self.stroke))
        return bool(self.stroke.value)


def _add_edge(found: PageObjects, x0: float, y0: float, x1: float, y1: float) -> None:
    """An axis-aligned edge (top-down coordinates) as a horizontal or vertical line."""
    if abs(y1 - y0) <= _THIN:
        found.horizontal.append(Line((y0 + y1) / 2, min(x0, x1), max(x0, x1)))
    elif abs(x1 - x0) <= _THIN:
        found.vertical.append(Line((x0 + x1) / 2, min(y0, y1), max(y0, y1)))


def _path_edges(obj, height: float, found: PageObjects) -> None:
    """The straight axis-aligned pieces of a path drawn with several segments."""
    matrix = pdfium_c.FS_MATRIX()
    pdfium_c.FPDFPageObj_GetMatrix(obj, ctypes.byref(matrix))
    x, y = ctypes.c_float(), ctypes.c_float()
    points, start = [], None
    for index in range(pdfium_c.FPDFPath_CountSegments(obj)):
        segment = pdfium_c.FPDFPath_GetPathSegment(obj, index)
        pdfium_c.FPDFPathSegment_GetPoint(segment, ctypes.byref(x), ctypes.byref(y))
        point = (matrix.a * x.value + matrix.c * y.value + matrix.e,
                 height - (matrix.b * x.value + matrix.d * y.value + matrix.f))
        if pdfium_c.FPDFPathSegment_GetType(segment) == pdfium_c.FPDF_SEGMENT_MOVETO:
            start = point
        elif points:
            _add_edge(found, *points[-1], *point)
        points.append(point)
        if pdfium_c.FPDFPathSegment_GetClose(segment) and start is not None:
            _add_edge(found, *point, *start)


def page_objects(page, width: float, height: float) -> PageObjects:
    """The page's (a raw FPDF_PAGE) borders (as lines, top-down coordinates) and its image count."""
    found, probe = PageObjects([], []), _Probe()
    get_object, get_type = pdfium_c.FPDFPage_GetObject, pdfium_c.FPDFPageObj_GetType
    objects = [get_object(page, index) for index in range(pdfium_c.FPDFPage_CountObjects(page))]
    kinds = [get_type(obj) for obj in objects]
    found.images = kinds.count(pdfium_c.FPDF_PAGEOBJ_IMAGE)
    for obj, kind in zip(objects, kinds, strict=True):
        if kind != pdfium_c.FPDF_PAGEOBJ_PATH:
            continue
        left, bottom, right, top = probe.bounds(obj)
        if right - left <= _THIN or top - bottom <= _THIN:
            _add_edge(found, left, height - top, right, height - bottom)
        # A filled shape is a cell's shading (its borders are drawn apart); a stroked one is a border.
        elif (right - left) * (top - bottom) < _FRAME * width * height and probe.stroked(obj):
            _path_edges(obj, height, found)
    return found


def _utf16(buffer, units: int) -> str:
    """The text PDFium wrote into `buffer`: `units` UTF-16 code units, the last one a NUL."""
    return ctypes.string_at(buffer, max(0, units) * 2).decode("utf-16-le", "ignore").rstrip("\x00")


def plain_text(textpage) -> str:
    """All of a text page's text in PDFium's reading order, lines ending in \\n."""
    count = pdfium_c.FPDFText_CountChars(textpage)
    if count <= 0:
        return ""
    buffer = (ctypes.c_ushort * (count + 1))()
    return _utf16(buffer, pdfium_c.FPDFText_GetText(textpage, 0, count, buffer)).replace("\r\n", "\n")


class _Bounded:
    """PDFium's text inside a box, read into one reusable buffer (a table has hundreds of cells)."""

    _UNITS = 4096

    def __init__(self, textpage, height: float):
        self.textpage, self.height = textpage, height
        self.buffer = (ctypes.c_ushort * self._UNITS)()

    def text(self, x0: float, top: float, x1: float, bottom: float) -> str:
        """The text between x0 and x1, `top` and `bottom` (top-down coordinates)."""
        box = (self.textpage, x0, self.height - top, x1, self.height - bottom)
        units = pdfium_c.FPDFText_GetBoundedText(*box, self.buffer, self._UNITS)
        if units < self._UNITS:
            return _utf16(self.buffer, units)
        needed = pdfium_c.FPDFText_GetBoundedText(*box, None, 0)  # more than the buffer holds
        larger = (ctypes.c_ushort * (needed + 1))()
        return _utf16(larger, pdfium_c.FPDFText_GetBoundedText(*box, larger, needed + 1))


def _table_lines(bounded: _Bounded, table: Table) -> list[str]:
    lines, read = [], bounded.text
    for row in table.rows:
        cells = ["".join(read(cell.x0, cell.y0, cell.x1, cell.y1).split()) for cell in row]
        if any(cells):
            lines.append(CELL_SEPARATOR.join(cell for cell in cells if cell))
    return lines


def _with_tables(textpage, size: tuple[float, float], objects: PageObjects, plain: str) -> str:
    """The page's text with each ruled table's rows as ' | '-joined cells."""
    width, height = size
    tables = find_tables(objects.horizontal, objects.vertical) if objects.vertical else []
    if not tables:
        return plain
    bounded, parts, top = _Bounded(textpage, height), [], 0.0
    for table in tables:
        if table.y0 > top:
            parts.append(bounded.text(0, top, width, table.y0))
        parts.append("\n".join(_table_lines(bounded, table)))
        top = max(top, table.y1)
    if top < height:
        parts.append(bounded.text(0, top, width, height))
    return "\n".join(part.replace("\r\n", "\n") for part in parts if part)


def read_page(page) -> str | None:
    """The text of a page (PDFium's raw FPDF_PAGE; tables as ' | ' rows), or None for a scanned
    page that needs OCR."""
    textpage = pdfium_c.FPDFText_LoadPage(page)
    try:
        plain = plain_text(textpage)
        size = (pdfium_c.FPDF_GetPageWidthF(page), pdfium_c.FPDF_GetPageHeightF(page))
        if pdfium_c.FPDFText_CountChars(textpage) < SCANNED_PAGE_CHARS:
            return None if page_objects(page, *size).images else plain
        # Borders matter only where PDFium's lines part figures from their labels; elsewhere its
        # text is complete, and walking every object of a page would double the cost of reading it.
        if not _FIGURES_ALONE.search(plain):
            return plain
        return _with_tables(textpage, size, page_objects(page, *size), plain)
    finally:
        pdfium_c.FPDFText_ClosePage(textpage)
