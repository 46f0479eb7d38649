"""Table 二 (主动公开政府信息情况): documents, licensing, penalties, coercion, fees, procurement.

The table is read as a cell stream (cells.py) like table 三, so a table flattened onto one line
reads as well as one row per line. A row is read only when its cell count fits a template's
columns; a blank cell (行政处罚 | | +239 | 239) keeps its column and gives no value.
"""

from __future__ import annotations

import re

from .cells import BLANK, LABEL, NUMBER, Cell, table_cells
from .metrics import Values, put
from .vocabulary import DISCLOSURE_ROWS

_START = re.compile(r"第二十条")
_END = re.compile(r"勾稽|申请人情况|收到和处理政府信息公开申请|^\s*三[、.]")
_ROWS = [(key, re.compile(rf"^\s*(?:\d[.、])?\s*{label}"), names) for key, label, names in DISCLOSURE_ROWS]
# Where a row starts inside a line that lost its separators (…数量行政许可4529第二十条…).
_ROW_START = re.compile(r"(?=第二十条|规章|(?<!行政)规范性文件|行政规范性文件|行政许可|其他对外管理服务事项"
                        r"|行政处罚|行政强制|行政事业性收费|政府集中采购)")
_TEMPLATE_2021 = re.compile(r"本年制发件数|现行有效件数|本年处理决定数量")
# Cell values already carry a bare 万/亿 multiplier, so those convert like 元.
_TO_WAN = {"元": 0.0001, "万元": 1, "万": 0.0001, "亿": 0.0001}
# Table 二 rows hold at most three cells; a fourth belongs to no row.
_MAX_CELLS = 3


def _row_key(text: str) -> str | None:
    return next((key for key, pattern, _ in _ROWS if pattern.search(text)), None)


def _rows(cells: list[Cell]) -> list[tuple[Cell, list[Cell]]]:
    """Each row label with the number and blank cells after it (trailing blanks dropped)."""
    rows: list[tuple[Cell, list[Cell]]] = []
    for cell in cells:
        if cell.kind == LABEL:
            rows.append((cell, []))
        elif rows and cell.kind in (NUMBER, BLANK) and len(rows[-1][1]) <= _MAX_CELLS:
            rows[-1][1].append(cell)
        elif rows and cell.kind not in (NUMBER, BLANK):
            rows.append((cell, []))  # other text closes the row
    result = []
    for label, row in rows:
        while row and row[-1].kind == BLANK:
            row.pop()
        if label.kind == LABEL and row:
            result.append((label, row))
    return result


def _amount(cell: Cell, header: str) -> float | int | None:
    """Procurement money in 万元: a stated unit, the header's 万元, or zero (any unit)."""
    if cell.value == 0:
        return 0
    unit = cell.unit or ("万元" if "万元" in header else None)
    if unit is None:
        return None  # a bare number is ambiguous (元 or 万元)
    value = round(cell.value * _TO_WAN[unit], 6)
    return int(value) if float(value).is_integer() else value


def _names(label: Cell, row: list[Cell], preferred: str) -> list[str] | None:
    """The metric names for the row's cells under the template whose columns fit."""
    names_by_template = next(names for key, _, names in _ROWS if key == label.label)
    options = sorted(names_by_template.items(), key=lambda item: item[0] != preferred)
    return next((names for _, names in options if len(names) == len(row)), None)


def disclosure_table(lines: list[str], values: Values) -> None:
    """Add table 二 metrics; a row is read only when its cell count fits a template."""
    start = next((i for i, line in enumerate(lines) if _START.search(line)), None)
    if start is None:
        return
    end = next((i for i in range(start + 1, len(lines)) if _END.search(lines[i])), len(lines))
    region = [part for line in lines[start:end]
              for part in (_ROW_START.split(line) if "|" not in line else [line]) if part]
    header = "\n".join(region)
    preferred = "table-2021" if _TEMPLATE_2021.search(header) else "table-2019"
    for label, row in _rows(table_cells(region, _row_key)):
        names = _names(label, row, preferred)
        if names is None:
            continue
        evidence = f"{label.text.strip()[:40]} " + " ".join(c.text if c.kind == NUMBER else "_" for c in row)
        for name, cell in zip(names, row, strict=True):
            if cell.kind != NUMBER:
                continue
            value = _amount(cell, header) if name == "procurement_amount_wan_yuan" else cell.value
            # Only a change column is signed; '-54' under a count is a dash and a number.
            if value is not None and (value >= 0 or name.endswith("_change")):
                put(values, "whole", name, value, evidence)
