"""Run a suite on a pandas DataFrame with Great Expectations and turn the result into DqResults.

One ephemeral GX context per audit run; one validation per suite (bulk, not per row). Failing
rows are mapped back through COMPLETE results' `unexpected_index_list`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from typing import Any

import pandas as pd

from expectations.spec import Check, DqResult, Suite

# Which DqResult field comes from which DataFrame column, per suite.
Fields = Mapping[str, str]
REPORT_FIELDS: Fields = {
    "report_id": "report_id", "region": "region", "report_year": "report_year", "scope": "scope",
}


class GxRunner:
    """Holds the ephemeral GX context and pandas data source for one audit run."""

    def __init__(self) -> None:
        os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
        # GX takes seconds to import: only audits pay for it, not every importer of this package.
        import great_expectations as gx
        from great_expectations.data_context.types.base import ProgressBarsConfig

        self._gx = gx
        self._context = gx.get_context(mode="ephemeral")
        self._context.variables.progress_bars = ProgressBarsConfig(globally=False)
        self._source = self._context.data_sources.add_pandas("nianbao_audit")

    def validate(self, suite: Suite, df: pd.DataFrame, fields: Fields = REPORT_FIELDS) -> list[DqResult]:
        """Validate `df` against every check of `suite` at once; one DqResult per finding."""
        import great_expectations.expectations as gxe

        df = df.reset_index(drop=True)
        gx_suite = self._gx.ExpectationSuite(name=suite.name)
        for check in suite.checks:
            expectation_class = getattr(gxe, check.expectation)
            gx_suite.add_expectation(expectation_class(**check.kwargs, meta={"check": check.name}))
        asset = self._source.add_dataframe_asset(name=suite.name)
        batch = asset.add_batch_definition_whole_dataframe("whole").get_batch(
            batch_parameters={"dataframe": df}
        )
        outcome = batch.validate(gx_suite, result_format={"result_format": "COMPLETE"})
        by_name = {check.name: check for check in suite.checks}
        results = []
        for result in outcome.results:
            check = by_name[result.expectation_config.meta["check"]]
            results.extend(_to_results(suite.name, check, result, df, fields))
        return results


def _to_results(
    suite: str, check: Check, result: Any, df: pd.DataFrame, fields: Fields
) -> Iterator[DqResult]:
    """Passed: one summary row. Failed: one row per failing DataFrame row (or one if it crashed)."""
    details = result.result or {}
    error = _exception_message(result.exception_info)
    if result.success:
        checked = details.get("element_count", len(df))
        yield DqResult(suite, check.name, check.severity, "passed",
                       observed=f"{checked} rows checked", expected=check.expected)
    elif error is not None or "unexpected_index_list" not in details:
        yield DqResult(suite, check.name, check.severity, "failed",
                       observed=error or str(details.get("observed_value")), expected=check.expected,
                       message=f"{check.message} (the check could not run on the batch)" if error
                       else check.message)
    else:
        rows = df.loc[details["unexpected_index_list"]].to_dict("records")
        for row in rows:
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
