"""The template tables (二 主动公开, 三 申请, 四 复议诉讼), located by their row labels.

A report giving both scopes has a table 三 and 四 under each scope heading; each run of one
scope is read on its own (scopes.py). Table 三 is read row by row against its arithmetic
(table_three.py), table 四 block by block (table_four.py), table 二 by its row labels.
"""

from __future__ import annotations

import re

from .disclosure_table import disclosure_table
from .metrics import Values
from .model import Finding
from .scopes import segments
from .table_four import review_table
from .table_three import application_table

_TABLE3_START = re.compile(r"勾稽|申请人情况|本年新收[^|]{0,12}申请数量")
_TABLE3_END = re.compile(r"行政复议")


def _find(lines: list[str], pattern: re.Pattern, start: int = 0) -> int | None:
    return next((i for i in range(start, len(lines)) if pattern.search(lines[i])), None)


def _read_run(run: list[str], scope: str, ends_text: bool, values: Values,
              found: list[Finding]) -> None:
    start = _find(run, _TABLE3_START)
    if start is not None:
        end = _find(run, _TABLE3_END, start + 1)
        application_table(run[start:end], values, scope, ends_text and end is None, found)
    review_table(run, values, scope, start, found)


def extract_tables(text: str, found: list[Finding] | None = None) -> Values:
    """Metrics of the template tables found in `text`; what the readers saw wrong goes to `found`."""
    lines = text.split("\n")
    values: Values = {}
    found = [] if found is None else found
    runs = segments(lines)
    for index, (scope, run) in enumerate(runs):
        _read_run(run, scope, index == len(runs) - 1, values, found)
    disclosure_table(lines, values)
    return values
