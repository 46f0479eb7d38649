"""One table-三 row read so that it adds up: 总计 is the sum of the six applicant columns.

A reading of a row is confirmed when its 总计 equals the sum of the others; when the plain
reading breaks that, other readings are tried (a window of seven cells, glued digits split,
blank cells kept in place), and the one that adds up wins. A row whose seven cells are clear
but do not add up is kept as unconfirmed; one whose 总计 is unclear is not read at all.
"""

from __future__ import annotations

from dataclasses import dataclass

from .cells import BLANK, NUMBER, Cell
from .model import CONFIRMED, STATED, UNCONFIRMED
from .row_splits import glued_readings
from .vocabulary import APPLICANT_COLUMNS

COLUMNS = len(APPLICANT_COLUMNS)
ROW_SUM = "row_sum"


@dataclass
class Reading:
    """What one row says: the cells by column (None where unknown) and how far it is trusted."""

    cells: list[float | int | None]
    confidence: str
    check: str | None = None
    note: str | None = None


def adds_up(cells: list) -> bool:
    """总计 (the last cell) equals the sum of the applicant cells."""
    return cells[-1] == sum(cells[:-1])


def _total_only(value: float | int) -> list:
    return [None] * (COLUMNS - 1) + [value]


def _full_reading(numbers: list) -> Reading:
    """Seven or more numbers: the seven that add up, else the last seven as read."""
    windows = [numbers[i:i + COLUMNS] for i in range(len(numbers) - COLUMNS + 1)]
    balanced = [w for w in windows if adds_up(w)]
    if balanced and all(w == balanced[-1] for w in balanced):
        return Reading(balanced[-1], CONFIRMED, ROW_SUM)
    return Reading(numbers[-COLUMNS:], UNCONFIRMED,
                   note=f"its 总计 {numbers[-1]} is not the sum of the other cells")


def _positional(group: list[Cell]) -> Reading | None:
    """Seven cells with blanks among them: each cell in its column, a blank one unknown."""
    while len(group) > COLUMNS and group[-1].kind == BLANK:
        group = group[:-1]
    if len(group) != COLUMNS or group[0].kind == BLANK:
        return None
    cells = [cell.value if cell.kind == NUMBER else None for cell in group]
    if cells[-1] is None:
        return Reading(cells, STATED, note="its 总计 cell is empty; no total read")
    if cells[-1] == sum(value or 0 for value in cells[:-1]):
        return Reading(cells, CONFIRMED, ROW_SUM)
    return Reading(cells, UNCONFIRMED, note="its 总计 is not the sum of the other cells")


def _agreed(readings: list[list]) -> list | None:
    """The cells every adding-up split of glued digits agrees on (None where they differ);
    nothing when they differ even on 总计."""
    if not readings or any(r[-1] != readings[0][-1] for r in readings):
        return None
    return [cells[0] if all(c == cells[0] for c in cells) else None for cells in zip(*readings, strict=True)]


def _short_reading(numbers: list, group: list[Cell]) -> Reading | None:
    """Two to six numbers: the last is 总计 only when the others add up to it."""
    glued = _agreed(glued_readings([cell.text for cell in group if cell.kind == NUMBER], COLUMNS, adds_up))
    if glued:
        return Reading(glued, CONFIRMED, "row_sum_of_glued_cells")
    if sum(numbers[:-1]) == numbers[-1]:
        return Reading(_total_only(numbers[-1]), CONFIRMED, ROW_SUM,
                       note="the last is read as 总计: the others add up to it")
    return None


def read_row(group: list[Cell]) -> Reading | None:
    """The reading of one row's cells that the row's arithmetic supports, if any."""
    numbers = [cell.value for cell in group if cell.kind == NUMBER]
    if not numbers:
        return None
    if len(numbers) >= COLUMNS:
        return _full_reading(numbers)
    if len(numbers) == 1:
        glued = _agreed(glued_readings([group[0].text], COLUMNS, adds_up))
        if glued:
            return Reading(glued, CONFIRMED, "row_sum_of_glued_cells")
        if len(group[0].text) >= COLUMNS:
            return None  # seven or more glued digits that split no single way: unreadable
        return Reading(_total_only(numbers[0]), STATED)  # one figure for the row: a merged cell
    return _positional(group) or _short_reading(numbers, group)
