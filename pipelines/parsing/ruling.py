"""Table cells from ruling lines: the drawn borders of a page, as pure geometry.

Coordinates are points with y growing downwards. Segments at one height (or x) are merged into
lines; lines that cross form a table; each band between two horizontal lines is cut into cells by
the vertical lines that cross it, and a cell with no border above it continues the cell above
(a label spanning rows), so each cell appears once, in the row where it starts.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

_TOL = 2.0  # points: borders drawn as thin rectangles are off by about their width
_MIN_LENGTH = 4.0


@dataclass(frozen=True)
class Line:
    """An axis-aligned ruling: `at` is its y (horizontal) or x (vertical), from `start` to `end`."""

    at: float
    start: float
    end: float

    def covers(self, value: float) -> bool:
        return self.start - _TOL <= value <= self.end + _TOL


@dataclass(eq=False)
class Cell:
    """A table cell's box: left, top, right, bottom (the bottom grows while a label spans rows)."""

    x0: float
    y0: float
    x1: float
    y1: float


@dataclass(frozen=True)
class Table:
    """A ruled table: its box and its rows, each a list of cells left to right."""

    x0: float
    y0: float
    x1: float
    y1: float
    rows: list[list[Cell]]


def merge(lines: list[Line]) -> list[Line]:
    """Collinear, touching or overlapping pieces joined into single lines."""
    merged: list[Line] = []
    for level in _clusters(lines):
        at = sum(line.at for line in level) / len(level)
        run: Line | None = None
        for line in sorted(level, key=lambda item: item.start):
            if run and line.start <= run.end + _TOL:
                run = Line(at, run.start, max(run.end, line.end))
                continue
            if run:
                merged.append(run)
            run = Line(at, line.start, line.end)
        merged.append(run)
    return [line for line in merged if line.end - line.start >= _MIN_LENGTH]


def _clusters(lines: list[Line]) -> list[list[Line]]:
    """Lines grouped by position: neighbours within the tolerance are one level."""
    clusters: list[list[Line]] = []
    for line in sorted(lines, key=lambda item: item.at):
        if clusters and line.at - clusters[-1][-1].at <= _TOL:
            clusters[-1].append(line)
        else:
            clusters.append([line])
    return clusters


def _groups(horizontal: list[Line], vertical: list[Line]) -> list[tuple[list[Line], list[Line]]]:
    """Sets of crossing lines (connected components), each a candidate table."""
    parent = list(range(len(horizontal) + len(vertical)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for h, hline in enumerate(horizontal):
        low, high = hline.start - _TOL, hline.end + _TOL
        for v, vline in enumerate(vertical):
            if low <= vline.at <= high and vline.start - _TOL <= hline.at <= vline.end + _TOL:
                parent[root(h)] = root(len(horizontal) + v)
    groups: dict[int, tuple[list[Line], list[Line]]] = {}
    for h, hline in enumerate(horizontal):
        groups.setdefault(root(h), ([], []))[0].append(hline)
    for v, vline in enumerate(vertical):
        groups.setdefault(root(len(horizontal) + v), ([], []))[1].append(vline)
    return [group for group in groups.values() if len(group[0]) >= 2 and len(group[1]) >= 2]


def _levels(lines: list[Line]) -> list[float]:
    return [cluster[0].at for cluster in _clusters(lines)]


def _band_cells(vertical: list[Line], ys: list[float]) -> list[list[tuple[float, float]]]:
    """For each band between consecutive ys, its cells' (left, right) from the lines crossing it."""
    crossing: list[set[float]] = [set() for _ in ys[1:]]
    for line in vertical:
        first = bisect.bisect_left(ys, line.start - _TOL)
        last = bisect.bisect_right(ys, line.end + _TOL) - 1
        for band in range(first, last):
            crossing[band].add(line.at)
    cells = []
    for xs in crossing:
        ordered = sorted(xs)
        cells.append(list(zip(ordered, ordered[1:], strict=False)))
    return cells


def _ruled(by_level: dict[float, list[Line]], top: float, middle: float) -> bool:
    """Whether a horizontal line at `top` passes over x = `middle`."""
    for line in by_level.get(top, ()):
        if line.start - _TOL <= middle <= line.end + _TOL:
            return True
    return False


def _table(horizontal: list[Line], vertical: list[Line]) -> Table | None:
    ys = _levels(horizontal)
    by_level: dict[float, list[Line]] = {}
    for cluster in _clusters(horizontal):
        by_level[cluster[0].at] = cluster
    rows: list[list[Cell]] = []
    open_cells: dict[tuple[float, float], Cell] = {}  # by (left, right): the cell reaching this band
    for top, bottom, cells in zip(ys, ys[1:], _band_cells(vertical, ys), strict=False):
        row, still_open = [], {}
        for left, right in cells:
            cell = open_cells.get((left, right))
            if cell is not None and not _ruled(by_level, top, (left + right) / 2):
                cell.y1 = bottom
            else:
                cell = Cell(left, top, right, bottom)
                row.append(cell)
            still_open[(left, right)] = cell
        open_cells = still_open
        if row:
            rows.append(row)
    if sum(len(row) for row in rows) < 2:  # a box around a paragraph, not a table
        return None
    return Table(min(line.start for line in horizontal), ys[0],
                 max(line.end for line in horizontal), ys[-1], rows)


def find_tables(horizontal: list[Line], vertical: list[Line]) -> list[Table]:
    """The ruled tables among these lines, top to bottom."""
    tables = [_table(h, v) for h, v in _groups(merge(horizontal), merge(vertical))]
    return sorted((table for table in tables if table), key=lambda table: table.y0)
