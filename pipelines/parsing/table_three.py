"""Table 三 (收到和处理政府信息公开申请情况) read so that its rows and columns add up.

Each row has seven columns: 自然人, five kinds of 法人或其他组织, and 总计; each row is read so
its 总计 is the sum of the others (table_rows.py). Rows are tied to their labels in one of two
layouts: label then cells, or (PDF text printing numbers before their labels) labels and full
rows paired in order. The table's own arithmetic decides between layouts: 新收 + 上年结转 =
办理结果总计 + 结转下年度, and the outcome categories add up to 办理结果总计. A table that no
layout makes add up is kept with every value unconfirmed, and a finding says why.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .cells import BLANK, LABEL, NUMBER, TEXT, Cell, table_cells
from .checks import OUTCOMES
from .findings import SHORT_TABLE_ROW, TABLE_ARITHMETIC
from .metrics import Values, add_category_sums, put
from .model import UNCONFIRMED, Finding
from .table_rows import COLUMNS, Reading, read_row
from .vocabulary import APPLICANT_COLUMNS, APPLICATION_ROWS, CATEGORY_ROWS

# One pass finds every row label in a piece: group i is row i of the vocabulary.
_ROWS = re.compile("|".join(f"(?P<r{i}>{pattern})" for i, (_, pattern) in enumerate(APPLICATION_ROWS)))
_ROW_NAMES = {f"r{i}": metric for i, (metric, _) in enumerate(APPLICATION_ROWS)}
Pair = tuple[int, str, list[Cell]]


def row_label(text: str) -> str | None:
    """The most specific table-三 row a piece of text names (the rightmost label)."""
    hits = [(m.start(), _ROW_NAMES[m.lastgroup]) for m in _ROWS.finditer(text)]
    if len(hits) > 1:
        hits = [hit for hit in hits if hit[1] not in CATEGORY_ROWS]
    return max(hits)[1] if hits else None


def _groups(cells: list[Cell]) -> tuple[list[tuple[int, str]], list[tuple[int, list[Cell]]]]:
    """Row labels and runs of value cells, in reading order (by cell index)."""
    labels: list[tuple[int, str]] = []
    groups: list[tuple[int, list[Cell]]] = []
    pending: list[Cell] = []
    pending_at, groups_at_label, numbers = 0, -1, 0
    for index, cell in enumerate(cells):
        if cell.kind in (LABEL, TEXT) and pending:
            groups.append((pending_at, pending))
            pending, numbers = [], 0
        if cell.kind == LABEL:
            # A label wrapped over two pieces is one row unless numbers came in between.
            repeated = bool(labels) and labels[-1][1] == cell.label
            if not (repeated and groups_at_label == len(groups)):
                labels.append((index, cell.label))
                groups_at_label = len(groups)
        elif cell.kind == NUMBER or (cell.kind == BLANK and pending):
            pending_at = index if not pending else pending_at
            pending.append(cell)
            numbers += cell.kind == NUMBER
            if numbers == COLUMNS:
                groups.append((pending_at, pending))
                pending, numbers = [], 0
    if pending:
        groups.append((pending_at, pending))
    return labels, groups


def _layouts(cells: list[Cell]) -> Iterator[list[Pair]]:
    """The ways to tie rows to labels: in order (when every run is a full row and the counts
    agree), and each label taking the run that follows it (when that differs)."""
    labels, groups = _groups(cells)
    if not labels:
        return
    in_order = None
    full = all(sum(1 for c in g if c.kind == NUMBER) == COLUMNS for _, g in groups)
    if full and len(labels) == len(groups):
        in_order = [(at, label, group) for (at, label), (_, group) in zip(labels, groups, strict=True)]
        yield in_order
    following = []
    bounds = [index for index, _ in labels[1:]] + [len(cells)]
    for (start, label), stop in zip(labels, bounds, strict=True):
        group = next((g for at, g in groups if start <= at < stop), None)
        if group:
            following.append((start, label, group))
    if following != in_order:
        yield following


def _evidence(label_cell: Cell, group: list[Cell]) -> str:
    shown = " ".join(cell.text if cell.kind == NUMBER else "_" for cell in group)
    return f"{label_cell.text.strip()[:60]} {shown}"


def _read_layout(cells: list[Cell], pairs: list[Pair], scope: str, ends_text: bool
                 ) -> tuple[Values, list[Finding]]:
    """The values and findings of one layout's rows."""
    values: Values = {}
    found: list[Finding] = []
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
    add_category_sums(values, APPLICANT_COLUMNS)
    return values, found


def _put_reading(values: Values, scope: str, label: str, reading: Reading, evidence: str) -> None:
    for suffix, value in zip(APPLICANT_COLUMNS, reading.cells, strict=True):
        if value is not None:
            put(values, scope, label + suffix, value, evidence, reading.confidence, reading.check)


def table_failures(values: Values, scope: str) -> list[str]:
    """The table-wide rules the 总计 column breaks (rules with a missing figure are skipped)."""
    def get(name: str):
        metric = values.get((scope, name))
        return None if metric is None else metric.value

    new, carried = get("applications_new"), get("applications_carried_in")
    done, forward = get("processed_total"), get("carried_forward")
    failures = []
    if None not in (new, carried, done, forward) and new + carried != done + forward:
        failures.append(f"新收 {new} + 上年结转 {carried} is not 办理结果总计 {done} + 结转 {forward}")
    outcomes = [get(name) for name in OUTCOMES]
    if done is not None and None not in outcomes and sum(outcomes) != done:
        failures.append(f"the outcomes add up to {sum(outcomes)}, not to 办理结果总计 {done}")
    return failures


def application_table(lines: list[str], values: Values, scope: str, ends_text: bool,
                      found: list[Finding]) -> None:
    """Add table 三's rows (`lines` run from its header to table 四) to `values`.

    `ends_text`: the lines end where the text ends, so a short last row may be cut off.
    """
    cells = table_cells(lines, row_label)
    best = None
    for pairs in _layouts(cells):  # the first layout that adds up, else the one failing least
        reading = _read_layout(cells, pairs, scope, ends_text)
        failures = table_failures(reading[0], scope)
        if best is None or len(failures) < len(best[2]):
            best = (*reading, failures)
        if not failures:
            break
    if best is None:
        return
    table, table_found, failures = best
    if failures:
        for metric in table.values():
            metric.confidence, metric.check = UNCONFIRMED, None
        table_found.append(Finding(TABLE_ARITHMETIC, f"table 三 ({scope}): {'; '.join(failures)}; "
                                   "its values are kept as unconfirmed", ""))
    for key, metric in table.items():
        values.setdefault(key, metric)
    found += table_found
    natural = values.get((scope, "applications_new__natural_person"))
    if natural is not None:
        put(values, scope, "applicant_natural_person", natural.value, natural.evidence,
            natural.confidence, natural.check)
