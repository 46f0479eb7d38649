"""Text lines from positioned pieces of text (OCR boxes): rows by vertical overlap, cells by gaps.

A table row read by OCR comes back as one box per cell, a paragraph line as one or a few boxes.
A box whose vertical extent overlaps a row's first box by half the smaller height joins that row;
within a row, a gap wider than the text height separates two cells (joined by the readers' cell
separator), a narrower one is the same run of text. A box much taller than the text (a label
written downwards in a merged cell) is a line of its own, so it cannot glue rows together.
"""

from __future__ import annotations

from collections.abc import Iterable
from statistics import median

from .ocr import TextBox
from .separator import CELL_SEPARATOR

_ROW_OVERLAP = 0.5
_CELL_GAP = 1.0  # in text heights
# Rows are built top to bottom; a box is compared with the rows still within this many recent ones.
_OPEN_ROWS = 6
_TALL = 1.8  # in median text heights


def _overlap(row: list[TextBox], box: TextBox) -> float:
    anchor = row[0]
    shared = min(anchor.y1, box.y1) - max(anchor.y0, box.y0)
    return shared / max(1.0, min(anchor.height, box.height))


def rows(boxes: Iterable[TextBox]) -> list[list[TextBox]]:
    """Boxes grouped into rows, top to bottom, each row left to right."""
    boxes = list(boxes)
    if not boxes:
        return []
    tall = _TALL * median(box.height for box in boxes)
    found: list[list[TextBox]] = []
    for box in sorted(boxes, key=lambda b: (b.y0 + b.y1) / 2):
        recent = [row for row in found[-_OPEN_ROWS:] if row[0].height <= tall]
        best = max(recent, key=lambda row: _overlap(row, box), default=None)
        if box.height <= tall and best is not None and _overlap(best, box) >= _ROW_OVERLAP:
            best.append(box)
        else:
            found.append([box])
    return [sorted(row, key=lambda b: b.x0) for row in found]


def _joiner(left: TextBox, right: TextBox, height: float) -> str:
    if right.x0 - left.x1 > _CELL_GAP * height:
        return CELL_SEPARATOR
    # Latin words and numbers keep a space between them; Chinese text runs on.
    return " " if left.text[-1:].isascii() and right.text[:1].isascii() else ""


def row_text(row: list[TextBox]) -> str:
    """One row as a line: cells joined by the cell separator, pieces of one cell run together."""
    height = median(box.height for box in row)
    parts = [row[0].text]
    for left, right in zip(row, row[1:], strict=False):
        parts += [_joiner(left, right, height), right.text]
    return "".join(parts)


def lines(boxes: Iterable[TextBox]) -> list[tuple[float, str, float]]:
    """The lines top to bottom: each line's top, its text, and its lowest box confidence."""
    placed = [(min(box.y0 for box in row), row_text(row), min(box.confidence for box in row))
              for row in rows(boxes)]
    return sorted(placed, key=lambda line: line[0])
