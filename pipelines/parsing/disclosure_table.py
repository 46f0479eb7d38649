"""Table 二 (主动公开政府信息情况): documents, licensing, penalties, coercion, fees, procurement."""

from __future__ import annotations

import re

from .metrics import Values, put
from .numbers import cell_numbers, to_number
from .vocabulary import DISCLOSURE_ROWS

_START = re.compile(r"第二十条")
_END = re.compile(r"勾稽|申请人情况|收到和处理政府信息公开申请|^\s*三[、.]")
_HEADER = re.compile(r"信息内容|第二十条|本年|数量|金额")
_ROWS = [(key, re.compile(rf"(?:^|\|)\s*(?:\d[.、])?\s*{label}"), names)
         for key, label, names in DISCLOSURE_ROWS]
_MONEY = re.compile(r"(?P<num>\d+(?:\.\d+)?)\s*(?P<unit>亿元|亿|万元|万|元)?")
_TEMPLATE_2021 = re.compile(r"本年制发件数|现行有效件数|本年处理决定数量")
_TO_WAN = {"亿元": 10_000, "亿": 10_000, "万元": 1, "万": 1, "元": 0.0001}


def _rows(lines: list[str]) -> list[tuple[str, dict, str]]:
    """(row key, metric names per template, row text with its cells) for each labelled row."""
    rows: list[tuple[str, dict, str]] = []
    for line in lines:
        match = next(((key, names) for key, pattern, names in _ROWS if pattern.search(line)), None)
        if match:
            rows.append((match[0], match[1], line))
        elif rows and not _HEADER.search(line) and rows[-1][2].count("\n") < 12:
            # Flattened tables put each cell on its own line under the row label.
            rows[-1] = (rows[-1][0], rows[-1][1], rows[-1][2] + "\n" + line)
        elif _HEADER.search(line):
            rows.append(("", {}, line))
    return [row for row in rows if row[0]]


def _procurement_amount(row_text: str, region_text: str) -> float | None:
    """Procurement money in 万元; a bare number only when the header says 万元."""
    amounts = list(_MONEY.finditer(row_text))
    if len(amounts) < 2:
        return None
    amount = amounts[-1]
    unit = amount["unit"] or ("万元" if "万元" in region_text else None)
    if unit is None:
        return None
    value = to_number(amount["num"])
    return None if value is None else round(value * _TO_WAN[unit], 6)


def disclosure_table(lines: list[str], values: Values) -> None:
    """Add table 二 metrics; a row is read only when its cell count fits a template."""
    start = next((i for i, line in enumerate(lines) if _START.search(line)), None)
    if start is None:
        return
    end = next((i for i in range(start + 1, len(lines)) if _END.search(lines[i])), len(lines))
    region = lines[start:end]
    preferred = "table-2021" if _TEMPLATE_2021.search("\n".join(region)) else "table-2019"
    for _, names_by_template, row_text in _rows(region):
        label_free = re.sub(r"\([^)]*\)", "", row_text)
        numbers = cell_numbers(label_free)
        options = sorted(names_by_template.items(), key=lambda item: item[0] != preferred)
        names = next((n for _, n in options if len(n) == len(numbers)), None)
        if names is None:
            continue
        evidence = " ".join(row_text.split())
        for name, value in zip(names, numbers, strict=True):
            if name == "procurement_amount_wan_yuan":
                value = _procurement_amount(label_free, "\n".join(region))
            # Only a change column is signed; '-54' under a count is a dash and a number.
            if value is not None and (value >= 0 or name.endswith("_change")):
                put(values, "whole", name, value, evidence)
