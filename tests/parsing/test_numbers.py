"""Number forms: 万 multipliers, 余, Chinese numerals, signed changes, enumerators."""

from __future__ import annotations

import re

import pytest

from pipelines.parsing.numbers import NUM, cell_numbers, to_number


@pytest.mark.parametrize(("text", "expected"), [
    ("18.77万", 187700), ("5500余", 5500), ("一百零三", 103), ("3.5", 3.5), ("2亿", 200_000_000),
])
def test_running_text_numbers(text, expected):
    match = re.fullmatch(NUM, text)
    assert to_number(match["num"], match["mult"]) == expected


def test_table_cells_keep_signs_and_drop_row_enumerators():
    assert cell_numbers("2.其他法律行政法规禁止公开 | 3 | 减5 | +2 | -4") == [3, -5, 2, -4]
    assert cell_numbers("3.危及“三安全一稳定”0 | 1") == [0, 1]


def test_integral_values_are_ints():
    assert isinstance(to_number("12"), int)
    assert to_number("不是数字") is None
