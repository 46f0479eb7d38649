"""Run a suite on a pandas DataFrame with Great Expectations and turn the result into DqResults.

One ephemeral GX context per process, created on first use; one dataframe asset per suite name,
reused by every run. GX's cost is per expectation, so families of alike row-wise checks run as
one expectation on a long frame (`expectations.families`); the other checks run together on the
DataFrame itself. Failing rows are mapped back through COMPLETE results' `unexpected_index_list`.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

import pandas as pd

from expectations.families import CHECK, ROW, Family, split
from expectations.spec import Check, DqResult, Suite

# Which DqResult field comes from which DataFrame column, per suite.
Fields = Mapping[str, str]
REPORT_FIELDS: Fields = {
    "report_id": "report_id", "region": "region", "report_year": "report_year", "scope": "scope",
}
# (GX expectation class name, its kwargs)
Spec = tuple[str, Mapping[str, Any]]

_lock = threading.Lock()


@dataclass(frozen=True)
class Verdict:
    """What GX said about one check on one DataFrame."""

    success: bool
    checked: int
    rows: Sequence[Any] | None = None  # labels of failing rows; None when no row can be named
    observed: str | None = None  # why it failed when no row can be named
    crashed: bool = False


def validate(suite: Suite, df: pd.DataFrame, fields: Fields = REPORT_FIELDS) -> list[DqResult]:
    """Validate `df` against every check of `suite`; one DqResult per finding, in suite order."""
    df = df.reset_index(drop=True)
    direct, families = split(suite, df)
    verdicts: dict[str, Verdict] = {}
    if direct:
        results = _run(suite.name, df, [(check.expectation, check.kwargs) for check in direct])
        verdicts.update((check.name, _read(result, len(df)))
                        for check, result in zip(direct, results, strict=True))
    for family in families:
        long = family.melt(df)
        (result,) = _run(suite.name, long, [(family.expectation, family.kwargs)])
        verdicts.update(_family_verdicts(family, _read(result, len(long)), long, len(df)))
    return [finding for check in suite.checks
            for finding in _to_results(suite.name, check, verdicts[check.name], df, fields)]


def _run(asset: str, df: pd.DataFrame, specs: list[Spec]) -> list[Any]:
    """One GX validation of `df` through the asset named `asset`; results in `specs` order."""
    with _lock:  # GX's context and its assets are not meant to be shared between threads
        return _gx().validate(asset, df, specs)


class _Gx:
    """The process's ephemeral GX context: a pandas source and one batch definition per asset."""

    def __init__(self) -> None:
        os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
        # GX takes seconds to import: only audits pay for it, not every importer of this package.
        import great_expectations as gx
        from great_expectations.data_context.types.base import ProgressBarsConfig

        # GX sets this logger to INFO at import; its line (a temporary folder for Data Docs,
        # which nianbao does not build) is not for users.
        logging.getLogger("great_expectations.data_context.types.base").setLevel(logging.WARNING)

        self._gx = gx
        context = gx.get_context(mode="ephemeral")
        context.variables.progress_bars = ProgressBarsConfig(globally=False)
        self._source = context.data_sources.add_pandas("nianbao_audit")
        self._batch_definitions: dict[str, Any] = {}

    def validate(self, asset: str, df: pd.DataFrame, specs: list[Spec]) -> list[Any]:
        """Validate `df` against `specs` as one suite; the GX results in `specs` order."""
        import great_expectations.expectations as gxe

        suite = self._gx.ExpectationSuite(name=asset)
        for position, (name, kwargs) in enumerate(specs):
            suite.add_expectation(getattr(gxe, name)(**kwargs, meta={"position": position}))
        if asset not in self._batch_definitions:
            self._batch_definitions[asset] = self._source.add_dataframe_asset(name=asset)\
                .add_batch_definition_whole_dataframe("whole")
        batch = self._batch_definitions[asset].get_batch(batch_parameters={"dataframe": df})
        outcome = batch.validate(suite, result_format={"result_format": "COMPLETE"})
        return sorted(outcome.results, key=lambda result: result.expectation_config.meta["position"])


@cache
def _gx() -> _Gx:
    """The shared GX state, created on first use."""
    return _Gx()


def preload() -> None:
    """Import GX and create its context now (seconds), for a caller with time to spare."""
    _gx()


def _read(result: Any, checked: int) -> Verdict:
    """A GX result as a Verdict; `checked` is used when GX does not count the rows."""
    details = result.result or {}
    error = _exception_message(result.exception_info)
    if result.success:
        return Verdict(True, details.get("element_count", checked))
    if error is not None or "unexpected_index_list" not in details:
        return Verdict(False, checked, observed=error or str(details.get("observed_value")),
                       crashed=error is not None)
    return Verdict(False, checked, rows=details["unexpected_index_list"])


def _family_verdicts(family: Family, verdict: Verdict, long: pd.DataFrame,
                     n_rows: int) -> Iterator[tuple[str, Verdict]]:
    """Each check's share of a family's verdict; every check was asked about all `n_rows` rows."""
    if verdict.rows is None:
        yield from ((check.name, replace(verdict, checked=n_rows)) for check in family.checks)
        return
    failing = long.loc[verdict.rows, [CHECK, ROW]].groupby(CHECK)[ROW].agg(list)
    for position, check in enumerate(family.checks):
        rows = failing.get(position)
        yield check.name, Verdict(rows is None, n_rows, rows=rows)


def _to_results(suite: str, check: Check, verdict: Verdict, df: pd.DataFrame,
                fields: Fields) -> Iterator[DqResult]:
    """Passed: one summary row. Failed: one row per failing DataFrame row (or one if none named)."""
    if verdict.success:
        yield DqResult(suite, check.name, check.severity, "passed",
                       observed=f"{verdict.checked} rows checked", expected=check.expected)
    elif verdict.rows is None:
        yield DqResult(suite, check.name, check.severity, "failed", observed=verdict.observed,
                       expected=check.expected,
                       message=f"{check.message} (the check could not run on the batch)"
                       if verdict.crashed else check.message)
    else:
        for row in df.loc[list(verdict.rows)].to_dict("records"):
            observed, expected = check.describe(row)
            yield DqResult(suite, check.name, check.severity, "failed",
                           observed=observed, expected=expected, message=check.message,
                           **_row_fields(row, fields))


def _row_fields(row: Mapping[str, Any], fields: Fields) -> dict[str, Any]:
    """The report_id / region / report_year / scope of a failing row, NaN turned into None."""
    values = {}
    for field, column in fields.items():
        value = row.get(column)
        values[field] = None if value is None or pd.isna(value) else value
    if values.get("report_year") is not None:
        values["report_year"] = int(values["report_year"])
    return values


def _exception_message(info: Any) -> str | None:
    """GX reports crashes either flat or keyed by metric; return the first message, if any."""
    if not isinstance(info, Mapping):
        return None
    candidates = [info, *(v for v in info.values() if isinstance(v, Mapping))]
    for candidate in candidates:
        if candidate.get("raised_exception"):
            return str(candidate.get("exception_message") or "GX raised an exception")
    return None
