"""Tables on a scanned page: ruling lines found in the image, cells filled from the OCR boxes.

The printed borders are long thin runs of dark pixels: a morphological opening with a long flat
(or tall) kernel keeps them and drops the text. They go through the same geometry as a text
PDF's borders (`ruling.py`), in points, so the tolerances mean the same. Each cell takes the OCR
boxes whose centre falls inside it; a cell with ink but no box (a lone "0" that detection
missed, which table cells often are) is read on its own as one line.
"""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image

from .layout import rows
from .ocr import Engine, TextBox
from .ruling import Line, Table, find_tables
from .separator import CELL_SEPARATOR

_DARK = 150  # a pixel darker than this is ink
_MIN_INK = 12  # dark pixels inside a cell's margins before it is worth reading
_MARGIN = 4  # pixels inside the borders, so the border itself is not ink
# Letters OCR reads for digits; a cell is changed only when the change makes it wholly a number.
_DIGIT_LOOKALIKES = str.maketrans({"O": "0", "o": "0", "D": "0", "〇": "0", "l": "1", "I": "1", "|": "1"})
# A cell reading shorter than this and less sure than that is read again on its own.
_SHORT, _SURE = 8, 0.9
_ERASE = 2.5  # in kernel lengths: a ruling line this long is painted out before OCR
_OVERHANG = 0.25  # of a box's width: how far it may stick out of its cell and still be the cell's


@dataclass(frozen=True)
class TableRows:
    """A table read from a scan: where it is (pixels), and its rows' text and lowest confidence."""

    top: float
    bottom: float
    rows: list[tuple[float, str, float]]
    boxes: set[int]  # the ids of the OCR boxes the table took


@dataclass
class Grid:
    """The ruling lines found on a page image: as lines (points), and as a mask of their pixels."""

    horizontal: list[Line]
    vertical: list[Line]
    mask: object  # numpy array, 255 on the lines' pixels
    ink: object  # numpy array, 255 on any ink


def rulings(ink, points_per_pixel: float) -> Grid:
    """Horizontal and vertical borders of a binary ink image (numpy, 255 = ink)."""
    import cv2
    import numpy as np

    height, width = ink.shape
    grid = Grid([], [], np.zeros_like(ink), ink)
    for which, kernel in enumerate(((max(20, width // 25), 1), (1, max(20, height // 60)))):
        kept = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, kernel))
        count, labels, stats, _ = cv2.connectedComponentsWithStats(kept, connectivity=8)
        for label, (left, top, w, h, _) in enumerate(stats[1:count], start=1):
            if which == 0:
                grid.horizontal.append(Line((top + h / 2) * points_per_pixel, left * points_per_pixel,
                                            (left + w) * points_per_pixel))
            else:
                grid.vertical.append(Line((left + w / 2) * points_per_pixel, top * points_per_pixel,
                                          (top + h) * points_per_pixel))
            # Only long lines are painted out: a character's stroke can be as long as the kernel.
            if max(w, h) >= _ERASE * max(kernel):
                grid.mask[labels == label] = 255
    # A pixel more around each line: the grey edge of a scanned line would still read as a 1 or |.
    grid.mask = cv2.dilate(grid.mask, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3)))
    return grid


def find_grid(image: Image.Image, dpi: int) -> Grid:
    """The ruling lines of an upright page image rendered at `dpi`."""
    return rulings(ink_mask(image), 72 / dpi)


def without_rulings(image: Image.Image, grid: Grid) -> Image.Image:
    """The page with its ruling lines painted white, so OCR does not read them as 1, l or |."""
    import numpy as np

    pixels = np.array(image.convert("RGB"))
    pixels[grid.mask > 0] = 255
    return Image.fromarray(pixels)


def ink_mask(image: Image.Image):
    """255 where the (upright, seal-free) page image has ink."""
    import numpy as np

    gray = np.asarray(image.convert("L"))
    return np.where(gray < _DARK, 255, 0).astype(np.uint8)


def _inside(box: TextBox, cell, scale: float) -> bool:
    x, y = (box.x0 + box.x1) / 2 * scale, (box.y0 + box.y1) / 2 * scale
    return cell.x0 <= x <= cell.x1 and cell.y0 <= y <= cell.y1


def _spans_cells(box: TextBox, cell, scale: float) -> bool:
    """Whether the box reaches well into the next cell: with the borders painted out, detection
    may take a row's "1 0 1" as one piece of text, which belongs to no single cell."""
    overhang = (box.x1 - box.x0) * scale * _OVERHANG
    return box.x0 * scale < cell.x0 - overhang or box.x1 * scale > cell.x1 + overhang


def _cell(engine: Engine, image: Image.Image, ink, cell, pixels: float,
          boxes: list[tuple[int, TextBox]], taken: set[int]) -> tuple[str, float]:
    """A cell's text and confidence: its OCR boxes, or the cell read on its own when it has ink.

    A short, unsure reading (a figure) is read again from the cell alone, tightly cropped, and
    the surer of the two is kept.
    """
    scale = 1 / pixels
    mine = [(i, box) for i, box in boxes if i not in taken and _inside(box, cell, scale)]
    taken.update(i for i, _ in mine)
    # Lines of the cell top to bottom, each left to right; all of one cell, so no separator.
    text = "".join("".join(box.text for box in line) for line in rows(box for _, box in mine))
    found = (text, min((box.confidence for _, box in mine), default=0.0))
    if any(_spans_cells(box, cell, scale) for _, box in mine):
        mine = []  # each cell it covers is read on its own
    elif mine and (found[1] >= _SURE or len(found[0]) > _SHORT):
        return found
    alone = _read_alone(engine, image, ink, cell, pixels)
    return max(found, alone, key=lambda reading: reading[1]) if mine else alone


def _read_alone(engine: Engine, image: Image.Image, ink, cell, pixels: float) -> tuple[str, float]:
    """The cell's ink, cropped tightly with a little white around it, read as one line."""
    left, top = int(cell.x0 * pixels) + _MARGIN, int(cell.y0 * pixels) + _MARGIN
    right, bottom = int(cell.x1 * pixels) - _MARGIN, int(cell.y1 * pixels) - _MARGIN
    if right - left < 4 or bottom - top < 4:
        return "", 1.0
    tight = _ink_box(ink[top:bottom, left:right])
    if tight is None:
        return "", 1.0
    x0, y0, x1, y1 = tight
    pad = max(4, (y1 - y0) // 3)
    return engine.line(image.crop((left + x0 - pad, top + y0 - pad, left + x1 + pad, top + y1 + pad)))


def _ink_box(ink) -> tuple[int, int, int, int] | None:
    """The bounding box of the ink in a cell's interior, or None when there is too little."""
    import numpy as np

    if int(ink.sum() // 255) < _MIN_INK:
        return None
    rows, columns = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    return int(columns[0]), int(rows[0]), int(columns[-1]) + 1, int(rows[-1]) + 1


def _as_number(text: str) -> str:
    """A cell that is a number but for a letter OCR mistook for a digit (O for 0), as that number."""
    fixed = text.translate(_DIGIT_LOOKALIKES)
    return fixed if fixed.isdigit() else text


def _rows(engine: Engine, image: Image.Image, ink, table: Table, pixels: float,
          boxes: list[tuple[int, TextBox]], taken: set[int]) -> list[tuple[float, str, float]]:
    rows = []
    for row in table.rows:
        read = [_cell(engine, image, ink, cell, pixels, boxes, taken) for cell in row]
        texts = [(_as_number("".join(text.split())), conf) for text, conf in read]
        texts = [(text, conf) for text, conf in texts if text]
        if texts:
            rows.append((row[0].y0 * pixels, CELL_SEPARATOR.join(text for text, _ in texts),
                         min(conf for _, conf in texts)))
    return rows


def read_tables(engine: Engine, image: Image.Image, grid: Grid, boxes: list[TextBox],
                dpi: int) -> list[TableRows]:
    """The ruled tables of the grid, each with its rows rebuilt from the boxes (on `image`, the
    page without its rulings)."""
    pixels = dpi / 72
    numbered = list(enumerate(boxes))
    found = []
    for table in find_tables(grid.horizontal, grid.vertical):
        taken: set[int] = set()
        rows = _rows(engine, image, grid.ink, table, pixels, numbered, taken)
        found.append(TableRows(table.y0 * pixels, table.y1 * pixels, rows, taken))
    return found
