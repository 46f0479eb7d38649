"""The warehouse: one DuckDB file holding bronze, silver, gold and audit, plus its shared plumbing.

Everything that opens the warehouse, loads the bundled DuckDB extensions, points DuckDB at the
S3 endpoint or builds a dlt pipeline goes through here, so those details live in one place.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlparse

import dlt
import duckdb
import duckdb_extension_ducklake
import duckdb_extension_httpfs

from environment.settings import Settings

os.environ.setdefault("RUNTIME__DLTHUB_TELEMETRY", "false")

SCHEMAS = ("bronze", "silver", "gold", "audit", "seed")

# dlt owns bronze.objects and the silver tables, but gold models and the data-quality suites must
# find them in an empty warehouse too. dlt accepts tables created beforehand only when they
# already carry its two bookkeeping columns (it cannot add NOT NULL columns to DuckDB tables).
_DLT_COLUMNS = "_dlt_load_id VARCHAR NOT NULL, _dlt_id VARCHAR NOT NULL"

CONTRACT_DDL = (
    "CREATE TABLE IF NOT EXISTS audit.dq_results (run_id VARCHAR, checked_at TIMESTAMP, "
    "suite VARCHAR, expectation VARCHAR, severity VARCHAR, status VARCHAR, report_id VARCHAR, "
    "region VARCHAR, report_year BIGINT, scope VARCHAR, observed VARCHAR, expected VARCHAR, "
    "message VARCHAR)",
    "CREATE TABLE IF NOT EXISTS bronze.objects (bucket VARCHAR, key VARCHAR, etag VARCHAR, "
    "sha256 VARCHAR, size BIGINT, content_type VARCHAR, received_at TIMESTAMP WITH TIME ZONE, "
    f"outcome VARCHAR, reason VARCHAR, parser_version VARCHAR, {_DLT_COLUMNS})",
    "CREATE TABLE IF NOT EXISTS silver.reports (report_id VARCHAR, identity_key VARCHAR, "
    "source_key VARCHAR, source_sha256 VARCHAR, region VARCHAR, region_code VARCHAR, "
    "province VARCHAR, province_code VARCHAR, level VARCHAR, report_year BIGINT, "
    "publication_date VARCHAR, template VARCHAR, issuer VARCHAR, parser_version VARCHAR, "
    f"loaded_at TIMESTAMP WITH TIME ZONE, is_current BOOLEAN, superseded_by VARCHAR, {_DLT_COLUMNS})",
    "CREATE TABLE IF NOT EXISTS silver.report_metrics (report_id VARCHAR, scope VARCHAR, "
    "metric VARCHAR, value DOUBLE, unit VARCHAR, evidence VARCHAR, confidence VARCHAR, "
    f"check_rule VARCHAR, {_DLT_COLUMNS})",
    "CREATE TABLE IF NOT EXISTS silver.report_findings (report_id VARCHAR, code VARCHAR, "
    f"message VARCHAR, evidence VARCHAR, {_DLT_COLUMNS})",
)

# Columns added since a lake may have been created: a lake of an earlier release gains them.
_ADDED_COLUMNS = (
    "ALTER TABLE silver.report_metrics ADD COLUMN IF NOT EXISTS confidence VARCHAR",
    "ALTER TABLE silver.report_metrics ADD COLUMN IF NOT EXISTS check_rule VARCHAR",
)

_EXTENSIONS = (duckdb_extension_httpfs, duckdb_extension_ducklake)


def connect(settings: Settings, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the warehouse file (DuckDB allows one writing process per file)."""
    settings.warehouse_path.parent.mkdir(parents=True, exist_ok=True)
    return duckdb.connect(str(settings.warehouse_path), read_only=read_only)


def create_contract_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create the schemas and the tables other components rely on, unless they exist."""
    for schema in SCHEMAS:
        con.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
    for ddl in CONTRACT_DDL:
        con.execute(ddl)
    for ddl in _ADDED_COLUMNS:
        con.execute(ddl)


def init_warehouse(settings: Settings) -> None:
    """Create schemas bronze, silver, gold, audit (and seed) and the contract tables; idempotent."""
    with connect(settings) as con:
        create_contract_tables(con)


def extension_path(module) -> Path:
    """The extension binary shipped inside a duckdb-extension-* wheel (DuckDB cannot download here)."""
    found = sorted(Path(module.__file__).parent.glob(f"extensions/v{duckdb.__version__}/*.duckdb_extension"))
    if not found:
        raise RuntimeError(f"{module.__name__} ships no extension for DuckDB {duckdb.__version__}")
    return found[0]


def use_s3(con: duckdb.DuckDBPyConnection, settings: Settings) -> None:
    """Load httpfs and ducklake from their wheels and give DuckDB the S3 endpoint and credentials."""
    for module in _EXTENSIONS:
        con.execute(f"LOAD {sql_literal(extension_path(module))}")
    endpoint = urlparse(settings.endpoint_url)
    con.execute(
        "CREATE OR REPLACE SECRET nianbao_s3 (TYPE s3, KEY_ID ?, SECRET ?, REGION ?, ENDPOINT ?, "
        "USE_SSL ?, URL_STYLE 'path')",
        [settings.s3_access_key, settings.s3_secret_key, settings.s3_region, endpoint.netloc,
         endpoint.scheme == "https"],
    )


def fetch_dicts(cursor: duckdb.DuckDBPyConnection) -> list[dict]:
    """The rows of an executed query as dicts keyed by column name."""
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def sql_literal(text: str | Path) -> str:
    """A quoted SQL string literal, for the few statements (ATTACH, COPY) that take no parameters."""
    return "'" + str(text).replace("'", "''") + "'"


def dlt_pipeline(settings: Settings, dataset: str) -> dlt.Pipeline:
    """A dlt pipeline loading into one schema of the warehouse, with its state under the lake."""
    return dlt.pipeline(
        pipeline_name=f"nianbao_{dataset}",
        destination=dlt.destinations.duckdb(str(settings.warehouse_path)),
        dataset_name=dataset,
        pipelines_dir=str(settings.lake_dir / "dlt"),
    )


def finish_pending_loads(settings: Settings, dataset: str) -> None:
    """Finish a load that a killed process left pending, before new rows are worked out.

    dlt keeps an interrupted load as a pending package, and `Pipeline.run(data)` would load that
    package *instead of* `data`: the new rows would be dropped with only a warning."""
    pipeline = dlt_pipeline(settings, dataset)
    if pipeline.has_pending_data:
        pipeline.run()
