"""The lake's contract: the schemas and tables every component may rely on, even in an empty lake.

Gold models, promotion and the data-quality suites all find these tables from the first run on.
They are created once, when a lake is first opened for writing (pipelines/lake.py); tables of gold
are the SQL models' own (dbt_like_sql/).
"""

from __future__ import annotations

import duckdb

SCHEMAS = ("bronze", "silver", "gold", "audit", "seed", "ops")

_OBJECT_COLUMNS = ("bucket VARCHAR, key VARCHAR, etag VARCHAR, sha256 VARCHAR, size BIGINT, "
                   "content_type VARCHAR, received_at TIMESTAMP WITH TIME ZONE, outcome VARCHAR, "
                   "reason VARCHAR, parser_version VARCHAR")
_REPORT_COLUMNS = ("report_id VARCHAR, identity_key VARCHAR, source_key VARCHAR, source_sha256 VARCHAR, "
                   "region VARCHAR, region_code VARCHAR, province VARCHAR, province_code VARCHAR, "
                   "level VARCHAR, report_year BIGINT, publication_date VARCHAR, template VARCHAR, "
                   "issuer VARCHAR, parser_version VARCHAR, loaded_at TIMESTAMP WITH TIME ZONE, "
                   "is_current BOOLEAN, superseded_by VARCHAR")
_METRIC_COLUMNS = ("report_id VARCHAR, scope VARCHAR, metric VARCHAR, value DOUBLE, unit VARCHAR, "
                   "evidence VARCHAR, confidence VARCHAR, check_rule VARCHAR")
_FINDING_COLUMNS = "report_id VARCHAR, code VARCHAR, message VARCHAR, evidence VARCHAR"
_DQ_COLUMNS = ("run_id VARCHAR, checked_at TIMESTAMP, suite VARCHAR, expectation VARCHAR, "
               "severity VARCHAR, status VARCHAR, report_id VARCHAR, region VARCHAR, report_year BIGINT, "
               "scope VARCHAR, observed VARCHAR, expected VARCHAR, message VARCHAR")

CONTRACT_DDL = (
    f"CREATE TABLE IF NOT EXISTS bronze.objects ({_OBJECT_COLUMNS})",
    f"CREATE TABLE IF NOT EXISTS silver.reports ({_REPORT_COLUMNS})",
    f"CREATE TABLE IF NOT EXISTS silver.report_metrics ({_METRIC_COLUMNS})",
    f"CREATE TABLE IF NOT EXISTS silver.report_findings ({_FINDING_COLUMNS})",
    # Every check result of every run; what is true now; which run last checked each report
    # (expectations/results.py).
    f"CREATE TABLE IF NOT EXISTS audit.dq_results ({_DQ_COLUMNS})",
    f"CREATE TABLE IF NOT EXISTS audit.dq_latest ({_DQ_COLUMNS})",
    "CREATE TABLE IF NOT EXISTS audit.audited_reports (report_id VARCHAR, run_id VARCHAR, "
    "checked_at TIMESTAMP)",
    # What gold was built from (pipelines/gold_state.py).
    "CREATE TABLE IF NOT EXISTS ops.gold_watermark (report_id VARCHAR, fingerprint VARCHAR)",
    "CREATE TABLE IF NOT EXISTS ops.gold_models (model VARCHAR, sql_hash VARCHAR)",
    # One row every writer updates when it promotes, and one every publish updates: two at once
    # conflict on it and the later one runs again, so "once" holds across processes.
    "CREATE TABLE IF NOT EXISTS ops.writer_turn (turn BIGINT)",
    "CREATE TABLE IF NOT EXISTS ops.publish_turn (turn BIGINT)",
)


def create_contract_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create the schemas and the contract tables in the current database, unless they exist."""
    for schema in SCHEMAS:
        con.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
    for ddl in CONTRACT_DDL:
        con.execute(ddl)
