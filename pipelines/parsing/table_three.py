"""Table 三 (收到和处理政府信息公开申请情况) read as rows that must add up.

Each row has seven columns: 自然人, five kinds of 法人或其他组织, and 总计, which is their sum.
A reading of a row is accepted as confirmed when its 总计 equals the sum of the others; when the
plain reading breaks that, other readings are tried (a window of seven cells, glued digits split,
blank cells kept in place), and the one that adds up wins. A row no reading makes add up is kept
as unconfirmed when its seven cells are clear, and left out when even its 总计 is unclear.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .cells import BLANK, LABEL, NUMBER, TEXT, Cell, table_cells
from .findings import SHORT_TABLE_ROW, TABLE_ARITHMETIC
from .metrics import Values, put
from .model import CONFIRMED, STATED, UNCONFIRMED, Finding
from .row_splits import glued_readings
from .vocabulary import APPLICANT_COLUMNS, APPLICATION_ROWS, CATEGORY_ROWS

_ROW_PATTERNS = [(metric, re.compile(pattern)) for metric, pattern in APPLICATION_ROWS]
_ANY_ROW = re.compile("|".join(f"(?:{pattern})" for _, pattern in APPLICATION_ROWS))
COLUMNS = len(APPLICANT_COLUMNS)
ROW_SUM = "row_sum"


@dataclass
class Reading:
    """What one row says: the cells by column (None where unknown) and how far it is trusted."""

    cells: list[float | int | None]
    confidence: str
    check: str | None = None
    note: str | None = None


def row_label(text: str) -> str | None:
    """The most specific table-三 row a piece of text names (the rightmost label)."""
    if not _ANY_ROW.search(text):
        return None
    hits = [(m.start(), metric) for metric, pattern in _ROW_PATTERNS
            for m in [pattern.search(text)] if m]
    if len(hits) > 1:
        hits = [hit for hit in hits if hit[1] not in CATEGORY_ROWS]
    return max(hits)[1] if hits else None


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


def _short_reading(numbers: list, group: list[Cell]) -> Reading | None:
    """Two to six numbers: the last is 总计 only when the others add up to it."""
    glued = glued_readings([cell.text for cell in group if cell.kind == NUMBER], COLUMNS, adds_up)
    if len(glued) == 1:
        return Reading(glued[0], CONFIRMED, "row_sum_of_glued_cells")
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
        glued = glued_readings([group[0].text], COLUMNS, adds_up)
        if len(glued) == 1:
            return Reading(glued[0], CONFIRMED, "row_sum_of_glued_cells")
        return Reading(_total_only(numbers[0]), STATED)  # one figure for the row: a merged cell
    return _positional(group) or _short_reading(numbers, group)


def _groups(cells: list[Cell]) -> tuple[list[tuple[int, str]], list[tuple[int, list[Cell]]]]:
    """Row labels and runs of value cells, in reading order (by cell index)."""
    labels: list[tuple[int, str]] = []
    groups: list[tuple[int, list[Cell]]] = []
    pending: list[Cell] = []
    pending_at, groups_at_label = 0, -1
    for index, cell in enumerate(cells):
        if cell.kind in (LABEL, TEXT) and pending:
            groups.append((pending_at, pending))
            pending = []
        if cell.kind == LABEL:
            # A label wrapped over two pieces is one row unless numbers came in between.
            repeated = bool(labels) and labels[-1][1] == cell.label
            if not (repeated and groups_at_label == len(groups)):
                labels.append((index, cell.label))
                groups_at_label = len(groups)
        elif cell.kind == NUMBER or (cell.kind == BLANK and pending):
            pending_at = index if not pending else pending_at
            pending.append(cell)
            if sum(1 for c in pending if c.kind == NUMBER) == COLUMNS:
                groups.append((pending_at, pending))
                pending = []
    if pending:
        groups.append((pending_at, pending))
    return labels, groups


def _pairs(cells: list[Cell]) -> list[tuple[int, str, list[Cell]]]:
    """(label index, row, cells): in order when every run is a full row and the counts agree
    (PDF text prints some numbers before their labels), else each label takes what follows."""
    labels, groups = _groups(cells)
    full = all(sum(1 for c in g if c.kind == NUMBER) == COLUMNS for _, g in groups)
    if full and len(labels) == len(groups):
        return [(at, label, group) for (at, label), (_, group) in zip(labels, groups, strict=True)]
    pairs = []
    bounds = [index for index, _ in labels[1:]] + [len(cells)]
    for (start, label), stop in zip(labels, bounds, strict=True):
        group = next((g for at, g in groups if start <= at < stop), None)
        if group:
            pairs.append((start, label, group))
    return pairs


def _evidence(label_cell: Cell, group: list[Cell]) -> str:
    shown = " ".join(cell.text if cell.kind == NUMBER else "_" for cell in group)
    return f"{label_cell.text.strip()[:60]} {shown}"


def _put_reading(values: Values, scope: str, label: str, reading: Reading, evidence: str) -> None:
    for suffix, value in zip(APPLICANT_COLUMNS, reading.cells, strict=True):
        if value is not None:
            put(values, scope, label + suffix, value, evidence, reading.confidence, reading.check)


def application_table(lines: list[str], values: Values, scope: str, ends_text: bool,
                      found: list[Finding]) -> None:
    """Add table 三's rows (`lines` run from its header to table 四) to `values`.

    `ends_text`: the lines end where the text ends, so a short last row may be cut off.
    """
    cells = table_cells(lines, row_label)
    pairs = _pairs(cells)
    for position, (at, label, group) in enumerate(pairs):
        evidence = _evidence(cells[at], group)
        numbers = sum(1 for cell in group if cell.kind == NUMBER)
        last = position == len(pairs) - 1 and ends_text and cells[-1] in group
        if last and numbers < COLUMNS:
            continue  # the text stops inside this row: its 总计 may be missing
        reading = read_row(group)
        if reading is None:
            found.append(Finding(SHORT_TABLE_ROW, f"{label} ({scope}): {numbers} numbers where "
                                 f"{COLUMNS} columns are expected and they do not add up to the "
                                 "last; not read", evidence))
            continue
        if reading.confidence == UNCONFIRMED:
            found.append(Finding(TABLE_ARITHMETIC, f"{label} ({scope}): {reading.note}; kept as "
                                 "unconfirmed", evidence))
        elif numbers < COLUMNS and reading.note:
            found.append(Finding(SHORT_TABLE_ROW, f"{label} ({scope}): {numbers} numbers where "
                                 f"{COLUMNS} columns are expected; {reading.note}", evidence))
        _put_reading(values, scope, label, reading, evidence)
    natural = values.get((scope, "applications_new__natural_person"))
    if natural is not None:
        put(values, scope, "applicant_natural_person", natural.value, natural.evidence,
            natural.confidence, natural.check)
