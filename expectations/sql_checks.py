"""Checks GX cannot express on one DataFrame, run as SQL in DuckDB and recorded like GX results.

GX's pandas expectations compare values within a row or a column; they cannot join a report to
the next year's report, or one table to another. `UnexpectedRowsExpectation` would, but it runs
only on SQL data sources, and GX cannot read DuckDB through SQLAlchemy here.

These checks compare reports with each other, so each run applies them to the whole lake
(a few milliseconds at 10,000 reports), whatever batch it audits: a new report can break a rule
for a report audited long before, and audit.dq_latest replaces their rows for every report.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from expectations.spec import BLOCKING, WARNING, DqResult

SUITE = "sql"


@dataclass(frozen=True)
class SqlCheck:
    """A query returning one row per finding: report_id, region, report_year, scope, observed."""

    name: str
    severity: str
    sql: str
    expected: str
    message: str


# A region's carried_forward in year t is its applications_carried_in in t + 1. Reports of the same
# body are paired by region code (or name when uncoded), level and scope; bodies with several
# current reports in one year (departments sharing their city's code) are ambiguous and skipped.
CARRY_OVER = SqlCheck(
    "cross_year.carry_over", WARNING,
    """
    WITH stated AS (
        SELECT r.report_id, r.region, r.report_year, r.level, m.scope, m.metric, m.value,
               coalesce(r.region_code, r.region) AS body
        FROM silver.report_metrics AS m JOIN silver.reports AS r USING (report_id)
        WHERE r.is_current AND m.metric IN (?, ?)
    ),
    cur AS (
        SELECT * FROM stated
        QUALIFY count(*) OVER (PARTITION BY body, level, scope, report_year, metric) = 1
    )
    SELECT a.report_id, a.region, a.report_year, a.scope,
           'carried_forward ' || a.value::BIGINT || ' (' || a.report_year || ') vs '
           || 'applications_carried_in ' || b.value::BIGINT || ' (' || b.report_year || ', '
           || b.report_id || ')' AS observed
    FROM cur AS a JOIN cur AS b
      ON a.body = b.body AND a.level IS NOT DISTINCT FROM b.level AND a.scope = b.scope
     AND b.report_year = a.report_year + 1
    WHERE a.metric = ? AND b.metric = ? AND a.value <> b.value
    ORDER BY a.report_id, a.scope
    """,
    "carried_forward (t) = applications_carried_in (t + 1)",
    "结转下年度 does not match next year's 上年结转",
)

ORPHAN_METRICS = SqlCheck(
    "metrics.report_exists", BLOCKING,
    """
    SELECT m.report_id, NULL AS region, NULL AS report_year, NULL AS scope,
           count(*) || ' metric rows' AS observed
    FROM silver.report_metrics AS m ANTI JOIN silver.reports AS r USING (report_id)
    GROUP BY m.report_id ORDER BY m.report_id
    """,
    "a silver.reports row for every report_id",
    "metrics of a report that silver.reports does not hold",
)

# Superseded versions are history; among current ones each identity must appear once.
ONE_CURRENT_VERSION = SqlCheck(
    "reports.one_current_version", BLOCKING,
    """
    SELECT report_id, region, report_year, NULL AS scope, 'identity_key=' || identity_key AS observed
    FROM silver.reports WHERE is_current
    QUALIFY count(*) OVER (PARTITION BY identity_key) > 1
    ORDER BY report_id
    """,
    "one current version per identity_key",
    "two current versions of the same report",
)
CARRY_OVER_ARGS = ["carried_forward", "applications_carried_in"] * 2
CHECKS = {CARRY_OVER: CARRY_OVER_ARGS, ORPHAN_METRICS: [], ONE_CURRENT_VERSION: []}
GLOBAL_CHECKS = frozenset(check.name for check in CHECKS)


def run_sql_checks(con: duckdb.DuckDBPyConnection) -> list[DqResult]:
    """Run every SQL check over the whole lake; a passed summary row for each check
    without findings."""
    results = []
    for check, args in CHECKS.items():
        rows = con.execute(check.sql, args).fetchall()
        results.extend(
            DqResult(SUITE, check.name, check.severity, "failed", report_id, region,
                     None if year is None else int(year), scope, observed, check.expected,
                     check.message)
            for report_id, region, year, scope, observed in rows
        )
        if not rows:
            results.append(DqResult(SUITE, check.name, check.severity, "passed",
                                    observed="no mismatches", expected=check.expected))
    return results
