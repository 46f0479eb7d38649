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
from .vocabulary import REVIEW_BLOCKS, REVIEW_COLUMNS, REVIEW_OUTCOMES

_START = re.compile(r"行政复议")
_END = re.compile(r"^\s*[五六][、.]|存在的(?:主要)?问题")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_YEAR = re.compile(r"(?:19|20)\d{2}\s*年")
# Header and value lines hold few words; a prose line's numbers are not cells.
_MAX_WORDS = 12
_BLOCK = len(REVIEW_OUTCOMES)


def _numbers(lines: list[str]) -> list[float | int]:
    numbers: list[float | int] = []
    for line in lines:
        if len(_CJK.findall(line)) <= _MAX_WORDS:
            numbers += cell_numbers(_YEAR.sub(" ", line), signed=False)
    return numbers


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
    numbers = _numbers(lines[start:end])
    if len(numbers) != len(REVIEW_COLUMNS):
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
                CONFIRMED if confirmed else UNCONFIRMED, "block_sum" if confirmed else None)
    add_litigation_sums(values)
