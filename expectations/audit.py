"""Audit a batch of reports (write–audit–publish): validate, record every result, gate publishing.

    outcome = run_audit(settings)                 # every current report, plus all of gold
    outcome = run_audit(settings, pending=True)   # reports not audited yet

The publish (expectations/gated_publish.py) runs `check` and `record_run` inside its own
transaction, after refreshing gold, and commits only a publishable outcome.

A batch is publishable when audit.dq_latest holds no blocking failure of a current report (nor of
a check not tied to a report): a report that failed in an earlier run keeps blocking until a
newer version replaces it, exactly as when every run audited every report.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import duckdb
from pandas.api.types import is_numeric_dtype

from environment.settings import Settings
from expectations import frames
from expectations.balance import add_rule_sums, balance_metrics, balance_suite
from expectations.frames import SIGNED_SUFFIX
from expectations.gx_runner import validate
from expectations.outcome import AuditOutcome
from expectations.parser_findings import run_finding_checks
from expectations.report_html import render_html
from expectations.results import outstanding_blocking, record, unaudited_or_current
from expectations.spec import BLOCKING, DqResult
from expectations.sql_checks import GLOBAL_CHECKS, run_sql_checks
from expectations.suites import RATE_COLUMNS, gold_suite, metrics_suite, reports_suite
from pipelines.lake import connect
from pipelines.lake_commit import in_transaction

# Gold grain: place, year, scope; a body with two current reports in a year has a row per issuer.
# table: (column naming the place in findings, key columns besides year and scope)
GOLD_TABLES = {"region_year_metrics": ("region", ("region_code", "region", "issuer")),
               "province_year_metrics": ("province", ("province_code", "province"))}
YEAR_COLUMNS = ("report_year", "year")


class AuditRun:
    """The results of one run, not yet recorded: what `record_run` writes and judges."""

    __slots__ = ("run_id", "checked_at", "results", "batch")

    def __init__(self, results: list[DqResult], batch: list[str] | None):
        self.run_id = f"{datetime.now(UTC):%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"
        self.checked_at = datetime.now(UTC).replace(tzinfo=None)
        self.results = results
        self.batch = batch  # the reports checked; None: every current one


def check(con: duckdb.DuckDBPyConnection, report_ids: list[str] | None = None,
          pending: bool = False) -> AuditRun:
    """Run every suite over the batch (None: all current reports; `pending`: those no run has
    checked yet, and only the gold rows the build on this connection changed)."""
    ids, whole = _batch(con, report_ids, pending)
    return AuditRun(collect_results(con, ids, changed_gold_only=pending), None if whole else ids)


def record_run(con: duckdb.DuckDBPyConnection, run: AuditRun) -> AuditOutcome:
    """Record a run's results (on an open transaction) and judge them: blocking failures standing
    after this run (this run's and earlier runs' alike) make the outcome not publishable."""
    record(con, run.run_id, run.checked_at, run.results, run.batch, GLOBAL_CHECKS)
    failed = [r for r in run.results if r.status == "failed"]
    return AuditOutcome(
        run_id=run.run_id,
        n_checks=len({(r.suite, r.expectation) for r in run.results}),
        blocking_failures=outstanding_blocking(con),
        warnings=[r for r in failed if r.severity != BLOCKING],
        html_path=None,
    )


def run_audit(settings: Settings, report_ids: list[str] | None = None, pending: bool = False) -> AuditOutcome:
    """Validate the batch and record the results in the lake (its own transaction), then write the
    HTML report; see `check` for the batch."""
    with connect(settings) as con:
        outcome = in_transaction(con, lambda c: record_run(c, check(c, report_ids, pending)), "audit")
        outcome.html_path = render_html(settings, outcome.run_id, con=con)
    return outcome


def _batch(con: duckdb.DuckDBPyConnection, report_ids: list[str] | None,
           pending: bool) -> tuple[list[str], bool]:
    """The reports to check and whether that is every current one."""
    if pending:
        return unaudited_or_current(con), False
    if report_ids is None:
        return unaudited_or_current(con, every=True), True
    return list(report_ids), False


def collect_results(con: duckdb.DuckDBPyConnection, ids: list[str],
                    changed_gold_only: bool = False) -> list[DqResult]:
    """Every suite's results for the batch; gold tables are checked whenever they exist, only the
    rows the build on this connection changed when `changed_gold_only`."""
    wide = add_rule_sums(frames.wide_frame(con, ids, balance_metrics()))
    results = [
        *validate(reports_suite(), frames.reports_frame(con, ids)),
        *validate(metrics_suite(), frames.metrics_frame(con, ids)),
        *validate(balance_suite(), wide),
        *run_sql_checks(con),
        *run_finding_checks(con, ids),
    ]
    for table, (name, places) in GOLD_TABLES.items():
        results.extend(_audit_gold(con, table, name, places, changed_gold_only))
    return results


def _audit_gold(con: duckdb.DuckDBPyConnection, table: str, name: str,
                places: tuple[str, ...], changed_only: bool) -> list[DqResult]:
    """Validate one gold table when built; its grain is (place columns present, year, scope)."""
    columns = frames.gold_columns(con, table)
    if columns is None:
        return []
    year = next((c for c in YEAR_COLUMNS if c in columns), YEAR_COLUMNS[0])
    key = (*(c for c in places if c in columns), year, "scope")
    df = frames.gold_frame(con, table, key if changed_only else None)
    rates = [c for c in RATE_COLUMNS if c in columns]
    counts = [
        c for c in columns
        if is_numeric_dtype(df[c]) and c not in (*key, *rates) and not c.endswith(SIGNED_SUFFIX)
    ]
    fields = {"region": name, "report_year": year, "scope": "scope"}
    suite = gold_suite(table, key, year, counts, rates)
    return validate(suite, df, {k: v for k, v in fields.items() if v in columns})
