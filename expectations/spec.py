"""The shapes shared by every suite: a check, a suite of checks, and one recorded result."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

BLOCKING = "blocking"
WARNING = "warning"

# Explains one failing row: (observed, expected) as short human-readable strings.
Explain = Callable[[Mapping[str, Any]], tuple[str, str]]


@dataclass(frozen=True)
class Check:
    """One expectation: a GX expectation class (by name, so GX is imported lazily) and its kwargs."""

    name: str
    severity: str
    expectation: str
    kwargs: Mapping[str, Any]
    expected: str
    message: str
    observed: tuple[str, ...] = ()
    explain: Explain | None = None

    def describe(self, row: Mapping[str, Any]) -> tuple[str, str]:
        """Observed and expected text for one failing row."""
        if self.explain is not None:
            return self.explain(row)
        shown = ", ".join(f"{col}={fmt(row.get(col))}" for col in self.observed)
        return shown, self.expected


@dataclass(frozen=True)
class Suite:
    """The checks run on one DataFrame in a single GX validation."""

    name: str
    checks: tuple[Check, ...]


@dataclass(frozen=True)
class DqResult:
    """One row of audit.dq_results (run_id and checked_at are added when recorded)."""

    suite: str
    expectation: str
    severity: str
    status: str
    report_id: str | None = None
    region: str | None = None
    report_year: int | None = None
    scope: str | None = None
    observed: str | None = None
    expected: str | None = None
    message: str | None = None


def fmt(value: Any) -> str:
    """Numbers without a trailing .0 (counts are stored as DOUBLE), missing as '—'."""
    if value is None or value != value:  # NaN is the only value unequal to itself
        return "—"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)

