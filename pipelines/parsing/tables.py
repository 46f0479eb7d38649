"""The template tables (二 主动公开, 三 申请, 四 复议诉讼), located by their row labels.

Table 三 is read as two streams in template order, row labels and 7-number rows: PDF text
prints some numbers before their labels, so when both streams have the same length they are
paired in order; otherwise each label takes the numbers that follow it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .disclosure_table import disclosure_table
from .metrics import Values, add_category_sums, add_litigation_sums, put
from .numbers import cell_numbers
from .scopes import segments
from .vocabulary import APPLICANT_COLUMNS, APPLICATION_ROWS, CATEGORY_ROWS, REVIEW_COLUMNS

_ROW_PATTERNS = [(metric, re.compile(pattern)) for metric, pattern in APPLICATION_ROWS]
# Any row label at all: one search rules out a line that names none (a number-only line).
_ANY_ROW = re.compile("|".join(f"(?:{pattern})" for _, pattern in APPLICATION_ROWS))
_TABLE3_START = re.compile(r"勾稽|申请人情况|本年新收[^|]{0,12}申请数量")
_TABLE4_START = re.compile(r"行政复议")
_TABLE4_END = re.compile(r"^\s*[五六][、.]|存在的(?:主要)?问题")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_ROW_END = re.compile(r"[\u4e00-\u9fff]|^\s*\|(?:\s*\|)+\s*$")


@dataclass
class Stream:
    """Row labels and number groups of table 三, in reading order."""

    labels: list[tuple[int, str]] = field(default_factory=list)
    groups: list[tuple[int, list]] = field(default_factory=list)
    numbered: set[int] = field(default_factory=set)  # lines holding any number


def _find(lines: list[str], pattern: re.Pattern, start: int = 0) -> int | None:
    return next((i for i in range(start, len(lines)) if pattern.search(lines[i])), None)


def _row_label(line: str) -> str | None:
    """The most specific table-三 row a line names (the rightmost label)."""
    if not _ANY_ROW.search(line):
        return None
    hits = [(m.start(), metric) for metric, pattern in _ROW_PATTERNS
            for m in [pattern.search(line)] if m]
    if len(hits) > 1:
        hits = [hit for hit in hits if hit[1] not in CATEGORY_ROWS]
    return max(hits)[1] if hits else None


def _stream(lines: list[str]) -> Stream:
    stream, pending, pending_at, groups_at_label = Stream(), [], 0, -1
    for index, line in enumerate(lines):
        label = _row_label(line)
        numbers = cell_numbers(line, signed=False)
        if numbers:
            stream.numbered.add(index)
        # Partial rows (flattened cells, empty cells dropped) end at any text or row rule.
        if pending and (label or _ROW_END.search(line)):
            stream.groups.append((pending_at, pending))
            pending = []
        # A label wrapped over two lines is one row unless numbers came in between.
        repeated = bool(stream.labels) and stream.labels[-1][1] == label
        if label and not (repeated and groups_at_label == len(stream.groups)):
            stream.labels.append((index, label))
            groups_at_label = len(stream.groups)
        if len(numbers) >= 7:
            stream.groups.append((index, numbers[-7:]))
        elif numbers:
            pending_at = index if not pending else pending_at
            pending = pending + numbers
            if len(pending) >= 7:
                stream.groups.append((pending_at, pending[:7]))
                pending = []
    if pending:
        stream.groups.append((pending_at, pending))
    return stream


def _pairs(stream: Stream) -> list[tuple[int, str, list]]:
    """(row, numbers) pairs: in order when the streams agree, else by what follows a label."""
    full = all(len(numbers) == 7 for _, numbers in stream.groups)
    if full and len(stream.labels) == len(stream.groups):
        rows = zip(stream.labels, stream.groups, strict=True)
        return [(at, label, numbers) for (at, label), (_, numbers) in rows]
    pairs = []
    bounds = [index for index, _ in stream.labels[1:]] + [10**9]
    for (start, label), stop in zip(stream.labels, bounds, strict=True):
        group = next((nums for at, nums in stream.groups if start <= at < stop), None)
        if group:
            pairs.append((start, label, group))
    return pairs


# A table-三 row read with fewer numbers than columns: (scope, row metric, numbers, evidence).
ShortRow = tuple[str, str, list, str]


def _application_table(lines: list[str], values: Values, scope: str,
                       short_rows: list[ShortRow]) -> None:
    start = _find(lines, _TABLE3_START)
    if start is None:
        return
    end = _find(lines, _TABLE4_START, start + 1) or len(lines)
    region = lines[start:end]
    stream = _stream(region)
    for at, label, numbers in _pairs(stream):
        row = region[at].strip()
        evidence = row if at in stream.numbered else f"{row[:60]} {' '.join(map(str, numbers))}"
        if len(numbers) == 7:
            for suffix, value in zip(APPLICANT_COLUMNS, numbers, strict=True):
                put(values, scope, label + suffix, value, evidence)
        else:
            put(values, scope, label, numbers[-1], evidence)
            if len(numbers) > 1:  # one number is the 总计 cell; several leave columns unknown
                short_rows.append((scope, label, numbers, evidence))
    if (scope, "applications_new__natural_person") in values:
        metric = values[(scope, "applications_new__natural_person")]
        put(values, scope, "applicant_natural_person", metric.value, metric.evidence)


def _review_table(lines: list[str], values: Values, scope: str) -> None:
    anchor = _find(lines, _TABLE3_START)
    start = _find(lines, _TABLE4_START, anchor or 0)
    if start is None or (anchor is None and not re.search("尚未审结", "".join(lines[start:start + 20]))):
        return
    end = _find(lines, _TABLE4_END, start + 1) or len(lines)
    numbers = []
    for line in lines[start:end]:
        if len(_CJK.findall(line)) <= 12:
            numbers += cell_numbers(line, signed=False)
    if len(numbers) != len(REVIEW_COLUMNS):
        return
    for metric, value in zip(REVIEW_COLUMNS, numbers, strict=True):
        put(values, scope, metric, value, f"行政复议/行政诉讼表: {metric}={value}")
    add_litigation_sums(values)


def extract_tables(text: str, short_rows: list[ShortRow] | None = None) -> Values:
    """Metrics of the template tables found in `text` (rows as lines, cells split by '|').

    A report giving both scopes has a table 三 and 四 under each scope heading; each run of
    one scope is read on its own. Table-三 rows with 2–6 numbers are added to `short_rows`.
    """
    lines = text.split("\n")
    values: Values = {}
    short_rows = [] if short_rows is None else short_rows
    for scope, run in segments(lines):
        _application_table(run, values, scope, short_rows)
        _review_table(run, values, scope)
    add_category_sums(values, APPLICANT_COLUMNS)
    disclosure_table(lines, values)
    return values
