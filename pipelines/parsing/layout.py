"""Text lines from positioned pieces of text (OCR boxes): rows by vertical overlap, cells by gaps.

A table row read by OCR comes back as one box per cell, a paragraph line as one or a few boxes.
Boxes whose vertical extents overlap by half the smaller height are one row; within a row, a gap
wider than the text height separates two cells (joined by the readers' cell separator), a
narrower one is the same run of text.
"""

from __future__ import annotations

from collections.abc import Iterable
from statistics import median

from .cells import CELL_SEPARATOR
from .ocr import TextBox

_ROW_OVERLAP = 0.5
_CELL_GAP = 1.0  # in text heights
# Rows are built top to bottom; a box is compared with the rows still within this many recent ones.
_OPEN_ROWS = 6


def _overlap(row: list[TextBox], box: TextBox) -> float:
    top, bottom = min(b.y0 for b in row), max(b.y1 for b in row)
    shared = min(bottom, box.y1) - max(top, box.y0)
    return shared / max(1.0, min(bottom - top, box.height))


def rows(boxes: Iterable[TextBox]) -> list[list[TextBox]]:
    """Boxes grouped into rows, top to bottom, each row left to right."""
    found: list[list[TextBox]] = []
    for box in sorted(boxes, key=lambda b: (b.y0 + b.y1) / 2):
        recent = found[-_OPEN_ROWS:]
        best = max(recent, key=lambda row: _overlap(row, box), default=None)
        if best is not None and _overlap(best, box) >= _ROW_OVERLAP:
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


def lines(boxes: Iterable[TextBox]) -> list[tuple[str, float]]:
    """The page's lines in reading order, each with its lowest box confidence."""
    return [(row_text(row), min(box.confidence for box in row)) for row in rows(boxes)]
