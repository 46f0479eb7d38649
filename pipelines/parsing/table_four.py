"""Table 四 (行政复议、行政诉讼): fifteen cells in template order, each block adding up.

Three blocks of five cells (维持, 纠正, 其他, 尚未审结, 总计): 行政复议, 未经复议直接起诉, 复议后起诉.
A block whose 总计 equals the sum of its four outcomes is confirmed; one that does not is kept
as unconfirmed with a finding, since the cells are clear and the report itself disagrees.
"""

from __future__ import annotations

import re

from .findings import TABLE_ARITHMETIC
from .metrics import Values, add_litigation_sums, put
from .model import CONFIRMED, UNCONFIRMED, Finding
from .numbers import cell_numbers
from .row_splits import glued_blocks
from .vocabulary import REVIEW_BLOCKS, REVIEW_COLUMNS, REVIEW_OUTCOMES

_START = re.compile(r"行政复议")
_END = re.compile(r"^\s*[五六][、.]|存在的(?:主要)?问题")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_YEAR = re.compile(r"(?:19|20)\d{2}\s*年")
# Header and value lines hold few words; a prose line's numbers are not cells.
_MAX_WORDS = 12
# A line of headers with the fifteen cells at its end, glued or spaced (…总计21317000001324019).
_CELLS_AT_END = re.compile(r"(?<![\d.])(?:\d{15,60}|(?:\d{1,6}\s+){14,}\d{1,6})\s*$")
_DIGIT_RUN = re.compile(r"\d+")
_BLOCK = len(REVIEW_OUTCOMES)


def _numbers(lines: list[str]) -> tuple[list[float | int], str]:
    """The cells of the block's lines, and their digits when they come as one glued run."""
    numbers: list[float | int] = []
    runs: list[str] = []
    for line in lines:
        if len(_CJK.findall(line)) <= _MAX_WORDS:
            text = _YEAR.sub(" ", line)
        else:  # headers run together with the cells at the end of the line
            tail = _CELLS_AT_END.search(line)
            text = tail.group() if tail else ""
        numbers += cell_numbers(text, signed=False)
        runs += _DIGIT_RUN.findall(text)
    return numbers, runs[0] if len(runs) == 1 else ""


def _cells(lines: list[str]) -> tuple[list[float | int], str | None]:
    """Fifteen cells and how they were found ('glued' when split from one digit run)."""
    numbers, run = _numbers(lines)
    if len(numbers) == len(REVIEW_COLUMNS):
        return numbers, None
    readings = glued_blocks(run, len(REVIEW_BLOCKS), _BLOCK) if run else []
    return (readings[0], "glued") if len(readings) == 1 else ([], None)


def review_table(lines: list[str], values: Values, scope: str, after_table_three: int | None,
                 found: list[Finding]) -> None:
    """Add table 四's cells to `values` when exactly fifteen are found after its header."""
    start = next((i for i in range(after_table_three or 0, len(lines)) if _START.search(lines[i])), None)
    if start is None:
        return
    window = "".join(lines[start:start + 20])
    if after_table_three is None and "尚未审结" not in window:
        return
    end = next((i for i in range(start + 1, len(lines)) if _END.search(lines[i])), len(lines))
    numbers, how = _cells(lines[start:end])
    if not numbers:
        return
    for offset, block in enumerate(REVIEW_BLOCKS):
        cells = numbers[offset * _BLOCK:(offset + 1) * _BLOCK]
        confirmed = cells[-1] == sum(cells[:-1])
        if not confirmed:
            found.append(Finding(TABLE_ARITHMETIC, f"{block} ({scope}): 总计 {cells[-1]} is not the "
                                 f"sum of its outcomes {cells[:-1]}; kept as unconfirmed",
                                 " ".join(map(str, numbers))))
        for outcome, value in zip(REVIEW_OUTCOMES, cells, strict=True):
            put(values, scope, f"{block}_{outcome}", value, f"行政复议/行政诉讼表: {block}_{outcome}={value}",
                CONFIRMED if confirmed else UNCONFIRMED,
                ("block_sum_of_glued_cells" if how else "block_sum") if confirmed else None)
    add_litigation_sums(values)
