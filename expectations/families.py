"""Group a suite's row-wise checks into families, and melt each family into one long frame.

GX's cost is per expectation, not per row. Checks that run the same row-wise expectation with the
same arguments on different columns of the same dtype (`≥ 0` on every gold count, `left = right`
for every balance rule) form a family: their columns are stacked into a long frame, one row per
(check, DataFrame row), and ONE expectation validates them all. The `check` and `row` columns map
each failing long row back to its check and to the DataFrame row the findings describe.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from expectations.spec import Check, Suite

# Expectations that judge each row on its own, so stacking columns does not change a verdict.
ROW_WISE = frozenset({
    "ExpectColumnValuesToBeBetween",
    "ExpectColumnValuesToBeInSet",
    "ExpectColumnValuesToMatchRegex",
    "ExpectColumnValuesToNotBeNull",
    "ExpectColumnPairValuesToBeEqual",
    "ExpectColumnPairValuesAToBeGreaterThanB",
})
# The arguments naming the columns a check reads; they name the long frame's columns too.
COLUMN_ARGS = ("column", "column_A", "column_B")
CHECK, ROW = "check", "row"


@dataclass(frozen=True)
class Family:
    """Checks sharing one expectation and its arguments, each reading its own columns."""

    expectation: str
    checks: tuple[Check, ...]

    @property
    def slots(self) -> tuple[str, ...]:
        """The column arguments every check of the family sets."""
        return tuple(arg for arg in COLUMN_ARGS if arg in self.checks[0].kwargs)

    @property
    def kwargs(self) -> dict[str, Any]:
        """The shared arguments, with each column argument naming its long-frame column."""
        shared = {k: v for k, v in self.checks[0].kwargs.items() if k not in COLUMN_ARGS}
        return {**shared, **{slot: slot for slot in self.slots}}

    def melt(self, df: pd.DataFrame) -> pd.DataFrame:
        """One row per (check, row of df): the check's position, the df row label, its values."""
        long: dict[str, Any] = {
            CHECK: np.repeat(np.arange(len(self.checks)), len(df)),
            ROW: np.tile(df.index.to_numpy(), len(self.checks)),
        }
        for slot in self.slots:
            long[slot] = pd.concat([df[check.kwargs[slot]] for check in self.checks],
                                   ignore_index=True)
        return pd.DataFrame(long)


def split(suite: Suite, df: pd.DataFrame) -> tuple[tuple[Check, ...], tuple[Family, ...]]:
    """The checks to run one by one on `df`, and the families of two or more to run melted."""
    groups: dict[Hashable, list[Check]] = {}
    for check in suite.checks:
        groups.setdefault(_family_key(check, df), []).append(check)
    single = {group[0].name for group in groups.values() if len(group) == 1}
    direct = tuple(check for check in suite.checks if check.name in single)
    families = tuple(Family(group[0].expectation, tuple(group))
                     for group in groups.values() if len(group) > 1)
    return direct, families


def _family_key(check: Check, df: pd.DataFrame) -> Hashable:
    """Checks with equal keys may share one expectation; any other check is keyed by its name."""
    columns = {arg: check.kwargs[arg] for arg in COLUMN_ARGS if arg in check.kwargs}
    if check.expectation not in ROW_WISE or not set(columns.values()) <= set(df.columns):
        return check.name
    dtypes = tuple((arg, _kind(df[column].dtype)) for arg, column in columns.items())
    return check.expectation, _frozen(check.kwargs), dtypes


def _kind(dtype: Any) -> str:
    """Columns stack when their kinds match, so GX compares stacked values as it did each column:
    numpy ints and floats stack into float64 (counts are far below 2**53); others need one dtype."""
    return "number" if isinstance(dtype, np.dtype) and dtype.kind in "iuf" else str(dtype)


def _frozen(kwargs: Mapping[str, Any]) -> str:
    """The non-column arguments as one comparable string."""
    return repr(sorted((k, v) for k, v in kwargs.items() if k not in COLUMN_ARGS))
