"""audit.dq_results: where every check result of every run is recorded."""

from __future__ import annotations

from dataclasses import asdict, fields
from datetime import datetime

import duckdb
import pandas as pd

from expectations.spec import DqResult

DDL = (
    "CREATE SCHEMA IF NOT EXISTS audit",
    "CREATE TABLE IF NOT EXISTS audit.dq_results (run_id VARCHAR, checked_at TIMESTAMP, "
    "suite VARCHAR, expectation VARCHAR, severity VARCHAR, status VARCHAR, report_id VARCHAR, "
    "region VARCHAR, report_year BIGINT, scope VARCHAR, observed VARCHAR, expected VARCHAR, "
    "message VARCHAR)",
)
COLUMNS = ["run_id", "checked_at", *(f.name for f in fields(DqResult))]


def ensure_table(con: duckdb.DuckDBPyConnection) -> None:
    """Create the audit schema and results table when missing."""
    for statement in DDL:
        con.execute(statement)


def record(con: duckdb.DuckDBPyConnection, run_id: str, checked_at: datetime,
           results: list[DqResult]) -> None:
    """Insert all results of one run in one statement (a DataFrame scan, not row by row)."""
    ensure_table(con)
    frame = pd.DataFrame([asdict(r) for r in results], columns=COLUMNS[2:])
    frame.insert(0, "checked_at", checked_at)
    frame.insert(0, "run_id", run_id)
    frame["report_year"] = frame["report_year"].astype("Int64")
    con.register("dq_results_batch", frame)
    try:
        con.execute(f"INSERT INTO audit.dq_results ({', '.join(COLUMNS)}) "
                    f"SELECT {', '.join(COLUMNS)} FROM dq_results_batch")
    finally:
        con.unregister("dq_results_batch")


def run_results(con: duckdb.DuckDBPyConnection, run_id: str) -> pd.DataFrame:
    """All recorded rows of one run, failures first, then by report."""
    return con.execute(
        """
        SELECT * FROM audit.dq_results WHERE run_id = ?
        ORDER BY status, severity, region NULLS LAST, report_year, report_id, scope, expectation
        """,
        [run_id],
    ).df()
