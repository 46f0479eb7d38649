"""Audit a batch of reports (write–audit–publish): validate, record every result, gate publishing.

    outcome = run_audit(settings)            # every current report, plus gold when built
    if outcome.publishable: publish(...)
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
from pandas.api.types import is_numeric_dtype

from expectations import frames
from expectations.balance import add_rule_sums, balance_metrics, balance_suite
from expectations.frames import SIGNED_SUFFIX
from expectations.gx_runner import validate
from expectations.parser_findings import run_finding_checks
from expectations.report_html import render_html
from expectations.results import record
from expectations.spec import BLOCKING, DqResult
from expectations.sql_checks import run_sql_checks
from expectations.suites import RATE_COLUMNS, gold_suite, metrics_suite, reports_suite
from nianbao.settings import Settings

# Gold grain: place, year, scope; a body with two current reports in a year has a row per issuer.
# table: (column naming the place in findings, key columns besides year and scope)
GOLD_TABLES = {"region_year_metrics": ("region", ("region_code", "region", "issuer")),
               "province_year_metrics": ("province", ("province_code", "province"))}
YEAR_COLUMNS = ("report_year", "year")


@dataclass(frozen=True)
class AuditOutcome:
    """What one audit run found; `publishable` is False when any blocking check failed."""

    run_id: str
    n_checks: int
    blocking_failures: list[DqResult]
    warnings: list[DqResult]
    html_path: Path | None

    @property
    def publishable(self) -> bool:
        """True when no blocking check failed: the batch may be published."""
        return not self.blocking_failures


def run_audit(settings: Settings, report_ids: list[str] | None = None,
              con: duckdb.DuckDBPyConnection | None = None) -> AuditOutcome:
    """Validate the batch (None: all current reports), record results, write the HTML report."""
    if con is None:
        settings.warehouse_path.parent.mkdir(parents=True, exist_ok=True)
        with duckdb.connect(str(settings.warehouse_path)) as own:
            return run_audit(settings, report_ids, own)
    run_id = f"{datetime.now(UTC):%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"
    results = collect_results(con, report_ids)
    record(con, run_id, datetime.now(UTC).replace(tzinfo=None), results)
    failed = [r for r in results if r.status == "failed"]
    return AuditOutcome(
        run_id=run_id,
        n_checks=len({(r.suite, r.expectation) for r in results}),
        blocking_failures=[r for r in failed if r.severity == BLOCKING],
        warnings=[r for r in failed if r.severity != BLOCKING],
        html_path=render_html(settings, run_id, con=con),
    )


def collect_results(con: duckdb.DuckDBPyConnection, report_ids: list[str] | None) -> list[DqResult]:
    """Every suite's results for the batch; gold tables are checked whenever they exist."""
    if not all(frames.table_exists(con, "silver", t) for t in ("reports", "report_metrics")):
        return [DqResult("audit", "audit.silver_present", BLOCKING, "failed",
                         observed="silver.reports or silver.report_metrics missing",
                         expected="both silver tables loaded",
                         message="nothing to audit yet: run the load before the audit")]
    ids = frames.batch_ids(con, report_ids)
    wide = add_rule_sums(frames.wide_frame(con, ids, balance_metrics()))
    results = [
        *validate(reports_suite(), frames.reports_frame(con, ids)),
        *validate(metrics_suite(), frames.metrics_frame(con, ids)),
        *validate(balance_suite(), wide),
        *run_sql_checks(con, ids, whole_warehouse=report_ids is None),
        *run_finding_checks(con, ids),
    ]
    for table, (name, places) in GOLD_TABLES.items():
        results.extend(_audit_gold(con, table, name, places))
    return results


def _audit_gold(con: duckdb.DuckDBPyConnection, table: str, name: str,
                places: tuple[str, ...]) -> list[DqResult]:
    """Validate one gold table when built; its grain is (place columns present, year, scope)."""
    df = frames.gold_frame(con, table)
    if df is None:
        return []
    columns = list(df.columns)
    year = next((c for c in YEAR_COLUMNS if c in columns), YEAR_COLUMNS[0])
    key = (*(c for c in places if c in columns), year, "scope")
    rates = [c for c in RATE_COLUMNS if c in columns]
    counts = [
        c for c in columns
        if is_numeric_dtype(df[c]) and c not in (*key, *rates) and not c.endswith(SIGNED_SUFFIX)
    ]
    fields = {"region": name, "report_year": year, "scope": "scope"}
    suite = gold_suite(table, key, year, counts, rates)
    return validate(suite, df, {k: v for k, v in fields.items() if v in columns})
