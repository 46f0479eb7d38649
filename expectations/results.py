"""audit.dq_results: every check result of every run; audit.dq_latest: what is true now.

Runs may check only a batch of reports, so "the latest run" no longer describes every report.
`audit.dq_latest` (same columns as dq_results) holds, for each report, the rows of the latest
run that checked it, and for checks not tied to a report, the latest run's rows. Checks run over
the whole lake in every run ("global" ones, such as one current version per identity)
replace their earlier rows for every report. `audit.audited_reports` records which run last
checked each report, so "not yet audited" is read from state rather than passed in. The tables
are part of the lake's contract (pipelines/lake_tables.py).
"""

from __future__ import annotations

from dataclasses import asdict, fields
from datetime import datetime

import duckdb
import pandas as pd

from expectations.spec import BLOCKING, DqResult

COLUMNS = ["run_id", "checked_at", *(f.name for f in fields(DqResult))]

UNAUDITED_SQL = """
    SELECT report_id FROM silver.reports AS r
    WHERE is_current AND NOT EXISTS (
        SELECT 1 FROM audit.audited_reports AS a WHERE a.report_id = r.report_id)
    ORDER BY report_id
"""
# Superseded reports are history: their old findings no longer gate anything.
OUTSTANDING_BLOCKING_SQL = f"""
    SELECT {', '.join(COLUMNS[2:])} FROM audit.dq_latest AS l
    WHERE status = 'failed' AND severity = '{BLOCKING}' AND NOT EXISTS (
        SELECT 1 FROM silver.reports AS r WHERE r.report_id = l.report_id AND NOT r.is_current)
    ORDER BY report_id, expectation, region, report_year, scope
"""


def record(con: duckdb.DuckDBPyConnection, run_id: str, checked_at: datetime,
           results: list[DqResult], batch: list[str] | None = None,
           global_checks: frozenset[str] = frozenset()) -> None:
    """Insert all results of one run in one statement (a DataFrame scan, not row by row), and
    bring dq_latest up to date: `batch` None means the run checked every current report."""
    frame = pd.DataFrame([asdict(r) for r in results], columns=COLUMNS[2:])
    frame.insert(0, "checked_at", checked_at)
    frame.insert(0, "run_id", run_id)
    frame["report_year"] = frame["report_year"].astype("Int64")
    con.register("dq_results_batch", frame)
    try:
        names = ", ".join(COLUMNS)
        con.execute(f"INSERT INTO audit.dq_results ({names}) SELECT {names} FROM dq_results_batch")
        _update_latest(con, batch, sorted(global_checks))
        con.execute(f"INSERT INTO audit.dq_latest ({names}) SELECT {names} FROM dq_results_batch")
    finally:
        con.unregister("dq_results_batch")
    # The lake has no key constraints: the batch's older rows go, then its new ones come in.
    checked = batch if batch is not None else unaudited_or_current(con, every=True)
    con.execute("DELETE FROM audit.audited_reports WHERE report_id IN (SELECT unnest(?::VARCHAR[]))",
                [checked])
    con.execute("INSERT INTO audit.audited_reports SELECT unnest(?::VARCHAR[]), ?, ?",
                [checked, run_id, checked_at])


def _update_latest(con: duckdb.DuckDBPyConnection, batch: list[str] | None,
                   global_checks: list[str]) -> None:
    """Drop the dq_latest rows this run supersedes (all of them when it checked everything)."""
    if batch is None:
        con.execute("DELETE FROM audit.dq_latest")
        return
    con.execute(
        "DELETE FROM audit.dq_latest WHERE report_id IS NULL "
        "OR report_id IN (SELECT unnest(?::VARCHAR[])) OR expectation IN (SELECT unnest(?::VARCHAR[]))",
        [batch, global_checks],
    )


def unaudited_or_current(con: duckdb.DuckDBPyConnection, every: bool = False) -> list[str]:
    """Current reports no run has checked yet (every current report when `every`)."""
    sql = "SELECT report_id FROM silver.reports WHERE is_current ORDER BY report_id" if every \
        else UNAUDITED_SQL
    return [row[0] for row in con.execute(sql).fetchall()]


def outstanding_blocking(con: duckdb.DuckDBPyConnection) -> list[DqResult]:
    """Blocking failures still standing in dq_latest (this run's and earlier runs' alike)."""
    rows = con.execute(OUTSTANDING_BLOCKING_SQL).fetchall()
    return [DqResult(*row) for row in rows]
