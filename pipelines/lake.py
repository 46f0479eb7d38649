"""The lake: every layer (bronze, silver, gold, audit) as DuckLake tables with one catalog.

Data files are Parquet under `s3://<bucket>/lakehouse/`; the catalog is a SQLite file under the lake
directory by default (SQLite lets several local processes commit, each waiting its turn) or a
PostgreSQL database (`NIANBAO_CATALOG=postgresql://…`) that several machines share. Every
connection is an in-memory DuckDB with the lake attached as `lake` and in use, so SQL names
tables as `silver.reports`, `gold.region_year_metrics`. Loading the bundled DuckDB extensions,
the S3 secret and the dlt destination live here too, so those details are in one place.
"""

from __future__ import annotations

import os
import threading
import time
from collections import OrderedDict
from pathlib import Path
from urllib.parse import urlparse

import duckdb
import duckdb_extension_ducklake
import duckdb_extension_httpfs
import duckdb_extension_postgres_scanner
import duckdb_extension_sqlite_scanner

from environment.settings import Settings
from pipelines.lake_commit import in_transaction
from pipelines.lake_tables import create_contract_tables

os.environ.setdefault("RUNTIME__DLTHUB_TELEMETRY", "false")

LAKE = "lake"
DATA_PREFIX = "lakehouse/"
# The schema a PostgreSQL catalog keeps the lake's metadata in (a SQLite file holds one lake).
METADATA_SCHEMA = "nianbao_lake"
_EXTENSIONS = (duckdb_extension_httpfs, duckdb_extension_ducklake, duckdb_extension_sqlite_scanner,
               duckdb_extension_postgres_scanner)


def extension_path(module) -> Path:
    """The extension binary shipped inside a duckdb-extension-* wheel (DuckDB cannot download here)."""
    found = sorted(Path(module.__file__).parent.glob(f"extensions/v{duckdb.__version__}/*.duckdb_extension"))
    if not found:
        raise RuntimeError(f"{module.__name__} ships no extension for DuckDB {duckdb.__version__}")
    return found[0]


def extension_loads() -> list[str]:
    """The LOAD targets of the bundled extensions (quoted paths), for any DuckDB connection."""
    return [sql_literal(extension_path(module)) for module in _EXTENSIONS]


def setup_statements(settings: Settings) -> list[str]:
    """The SQL that loads the bundled extensions and gives DuckDB the S3 endpoint and keys."""
    endpoint = urlparse(settings.endpoint_url)
    secret = ", ".join([
        "TYPE s3", f"KEY_ID {sql_literal(settings.s3_access_key)}",
        f"SECRET {sql_literal(settings.s3_secret_key)}", f"REGION {sql_literal(settings.s3_region)}",
        f"ENDPOINT {sql_literal(endpoint.netloc)}",
        f"USE_SSL {str(endpoint.scheme == 'https').lower()}", "URL_STYLE 'path'"])
    return [*(f"LOAD {target}" for target in extension_loads()),
            f"CREATE OR REPLACE SECRET nianbao_s3 ({secret})"]


def use_s3(con: duckdb.DuckDBPyConnection, settings: Settings) -> None:
    """Load the bundled extensions and give DuckDB the S3 endpoint and credentials."""
    for statement in setup_statements(settings):
        con.execute(statement)


def data_path(settings: Settings) -> str:
    """Where the lake's Parquet files live."""
    return f"s3://{settings.bucket}/{DATA_PREFIX}"


def catalog_target(settings: Settings) -> tuple[str, str]:
    """The DuckLake catalog as ATTACH names it, and the options its kind needs."""
    if settings.catalog_is_postgres:
        url = settings.catalog.replace("postgres://", "postgresql://", 1)
        return f"ducklake:postgres:{url}", f", METADATA_SCHEMA {sql_literal(METADATA_SCHEMA)}"
    path = settings.sqlite_catalog_path
    path.parent.mkdir(parents=True, exist_ok=True)
    # WAL lets readers go on while a writer commits; writers wait for each other up to the timeout.
    return f"ducklake:sqlite:{path}", ", META_JOURNAL_MODE 'WAL', META_BUSY_TIMEOUT 30000"


def attach_statement(settings: Settings, read_only: bool = False, snapshot: int | None = None) -> str:
    """The ATTACH of the lake as `lake`, for writing, reading, or reading an earlier snapshot."""
    target, options = catalog_target(settings)
    options += f", DATA_PATH {sql_literal(data_path(settings))}"
    if read_only or snapshot is not None:
        options += ", READ_ONLY"
    else:
        options += f", DATA_INLINING_ROW_LIMIT {int(settings.inlining_rows)}"
    if snapshot is not None:
        options += f", SNAPSHOT_VERSION {int(snapshot)}"
    return f"ATTACH {sql_literal(target)} AS {LAKE} ({options.lstrip(', ')})"


# One in-memory DuckDB per lake attachment and process: loading the extensions and attaching
# the catalog cost a third of a second, a new connection to the same instance (its cursor) nothing.
_INSTANCES: OrderedDict[str, duckdb.DuckDBPyConnection] = OrderedDict()
_INSTANCES_KEPT = 4
_INSTANCES_LOCK = threading.Lock()


def _instance(settings: Settings, statement: str, writable: bool) -> duckdb.DuckDBPyConnection:
    key = f"{statement}|{settings.endpoint_url}|{settings.s3_access_key}"
    with _INSTANCES_LOCK:
        found = _INSTANCES.get(key)
        if found is not None:
            _INSTANCES.move_to_end(key)
            return found
        con = duckdb.connect()
        try:
            use_s3(con, settings)
            _attach(con, statement)
            if writable:
                _ensure_contract(con.cursor())
        except BaseException:
            con.close()
            raise
        _INSTANCES[key] = con
        while len(_INSTANCES) > _INSTANCES_KEPT:
            _INSTANCES.popitem(last=False)[1].close()
        return con


# A new catalog is created by the first ATTACH; two processes attaching a new one at once collide
# ("already exists") or wait on each other's lock, and the loser succeeds when it tries again.
_ATTACH_RACES = ("already exists", "database is locked", "could not serialize")
_ATTACH_ATTEMPTS = 10


def _attach(con: duckdb.DuckDBPyConnection, statement: str) -> None:
    for attempt in range(1, _ATTACH_ATTEMPTS + 1):
        try:
            con.execute(statement)
            return
        except duckdb.Error as error:
            if attempt == _ATTACH_ATTEMPTS or not any(part in str(error) for part in _ATTACH_RACES):
                raise
            time.sleep(0.1 * attempt)


def connect(settings: Settings, read_only: bool = False,
            snapshot: int | None = None) -> duckdb.DuckDBPyConnection:
    """A connection with the lake attached and in use (`silver.reports` names a lake table); close
    it when done (the process keeps the attached instance for the next one). The first writable
    connection of a process creates the lake's contract tables if the lake is new."""
    writable = not read_only and snapshot is None
    con = _instance(settings, attach_statement(settings, read_only, snapshot), writable).cursor()
    con.execute(f"USE {LAKE}")
    return con


def forget_instances() -> None:
    """Close every kept instance (a lake about to be removed, a process about to fork)."""
    with _INSTANCES_LOCK:
        while _INSTANCES:
            _INSTANCES.popitem()[1].close()


def _initialised(con: duckdb.DuckDBPyConnection) -> bool:
    return bool(con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE database_name = 'lake' AND schema_name = 'ops' "
        "AND table_name = 'writer_turn'").fetchone()[0])


def _create_lake(con: duckdb.DuckDBPyConnection) -> None:
    create_contract_tables(con)
    con.execute("INSERT INTO ops.writer_turn SELECT 0 WHERE NOT EXISTS (FROM ops.writer_turn)")
    con.execute("INSERT INTO ops.publish_turn SELECT 0 WHERE NOT EXISTS (FROM ops.publish_turn)")


def _ensure_contract(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"USE {LAKE}")
    if not _initialised(con):
        in_transaction(con, _create_lake, "create the lake's tables")


def init_lake(settings: Settings) -> None:
    """Create the lake's schemas and contract tables unless they exist (two processes creating
    them at once end with one set); any writable connection does it first anyway."""
    connect(settings).close()


def fetch_dicts(cursor: duckdb.DuckDBPyConnection) -> list[dict]:
    """The rows of an executed query as dicts keyed by column name."""
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def sql_literal(text: str | Path) -> str:
    """A quoted SQL string literal, for the few statements (ATTACH, COPY) that take no parameters."""
    return "'" + str(text).replace("'", "''") + "'"
