"""Audit a batch of reports (write–audit–publish): validate, record every result, gate publishing.

    outcome = run_audit(settings)                 # every current report, plus all of gold
    outcome = run_audit(settings, pending=True)   # reports not audited yet, gold rows not published yet
    if outcome.publishable: publish(...)

A batch is publishable when audit.dq_latest holds no blocking failure of a current report (nor of
a check not tied to a report): a report that failed in an earlier run keeps blocking until a
newer version replaces it, exactly as when every run audited every report.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path

import duckdb
from pandas.api.types import is_numeric_dtype

from environment.settings import Settings
from expectations import frames
from expectations.balance import add_rule_sums, balance_metrics, balance_suite
from expectations.frames import SIGNED_SUFFIX
from expectations.gx_runner import validate
from expectations.parser_findings import run_finding_checks
from expectations.report_html import render_html
from expectations.results import outstanding_blocking, record, unaudited_or_current
from expectations.spec import BLOCKING, DqResult
from expectations.sql_checks import GLOBAL_CHECKS, run_sql_checks
from expectations.suites import RATE_COLUMNS, gold_suite, metrics_suite, reports_suite

# Gold grain: place, year, scope; a body with two current reports in a year has a row per issuer.
# table: (column naming the place in findings, key columns besides year and scope)
GOLD_TABLES = {"region_year_metrics": ("region", ("region_code", "region", "issuer")),
               "province_year_metrics": ("province", ("province_code", "province"))}
YEAR_COLUMNS = ("report_year", "year")


class AuditOutcome:
    """What one audit run found; `publishable` is False when any blocking check failed.

    A plain class rather than a dataclass, so that Prefect does not descend into it: a flow's
    return value is walked item by item looking for futures, and the warnings grow with the lake
    (every failure of the checks run over the whole warehouse)."""

    __slots__ = ("run_id", "n_checks", "blocking_failures", "warnings", "html_path")

    def __init__(self, run_id: str, n_checks: int, blocking_failures: list[DqResult],
                 warnings: list[DqResult], html_path: Path | None):
        self.run_id = run_id
        self.n_checks = n_checks
        self.blocking_failures = blocking_failures
        self.warnings = warnings
        self.html_path = html_path

    @property
    def publishable(self) -> bool:
        """True when no blocking check failed: the batch may be published."""
        return not self.blocking_failures


def run_audit(settings: Settings, report_ids: list[str] | None = None,
              con: duckdb.DuckDBPyConnection | None = None, pending: bool = False) -> AuditOutcome:
    """Validate the batch (None: all current reports; `pending`: those no run has checked yet,
    and only the gold rows changed since the last publish), record results, write the HTML report."""
    if con is None:
        settings.warehouse_path.parent.mkdir(parents=True, exist_ok=True)
        with duckdb.connect(str(settings.warehouse_path)) as own:
            return run_audit(settings, report_ids, own, pending)
    run_id = f"{datetime.now(UTC):%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"
    ids, whole = _batch(con, report_ids, pending)
    results = collect_results(con, ids, changed_gold_only=pending)
    record(con, run_id, datetime.now(UTC).replace(tzinfo=None), results,
           None if whole else (ids or []), GLOBAL_CHECKS)
    failed = [r for r in results if r.status == "failed"]
    # Without silver there is no report whose earlier findings could still stand.
    blocking = ([r for r in failed if r.severity == BLOCKING] if ids is None
                else outstanding_blocking(con))
    return AuditOutcome(
        run_id=run_id,
        n_checks=len({(r.suite, r.expectation) for r in results}),
        blocking_failures=blocking,
        warnings=[r for r in failed if r.severity != BLOCKING],
        html_path=render_html(settings, run_id, con=con),
    )


def _batch(con: duckdb.DuckDBPyConnection, report_ids: list[str] | None,
           pending: bool) -> tuple[list[str] | None, bool]:
    """The reports to check (None when silver is missing) and whether that is every current one."""
    if not _silver_present(con):
        return None, False
    if pending:
        return unaudited_or_current(con), False
    if report_ids is None:
        return unaudited_or_current(con, every=True), True
    return list(report_ids), False


def _silver_present(con: duckdb.DuckDBPyConnection) -> bool:
    return all(frames.table_exists(con, "silver", t) for t in ("reports", "report_metrics"))


def collect_results(con: duckdb.DuckDBPyConnection, ids: list[str] | None,
                    changed_gold_only: bool = False) -> list[DqResult]:
    """Every suite's results for the batch (None: silver is missing); gold tables are checked
    whenever they exist, only their rows changed since the last publish when `changed_gold_only`."""
    if ids is None:
        return [DqResult("audit", "audit.silver_present", BLOCKING, "failed",
                         observed="silver.reports or silver.report_metrics missing",
                         expected="both silver tables loaded",
                         message="nothing to audit yet: run the load before the audit")]
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
