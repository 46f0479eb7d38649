"""Publish the current gold for BI: a read-only DuckDB file, Parquet by year, and a DuckLake snapshot.

Each publish commits the gold tables to a DuckLake catalog (`<lake>/lakehouse.ducklake`, data as
Parquet under `s3://<bucket>/lakehouse/`), so every publish stays queryable "as of" its
snapshot id with `query_as_of`. Analysts can also do it by hand:

    ATTACH 'ducklake:<lake>/lakehouse.ducklake' AS lakehouse (READ_ONLY, SNAPSHOT_VERSION 3);
    SELECT * FROM lakehouse.gold.province_year_metrics;

A publish copies only what changed since the last one (`pipelines.gold_state` keeps the changed
keys): in the DuckLake snapshot it deletes and re-inserts those keys' rows in one transaction (so
each snapshot is still a complete gold), and it rewrites only the changed Parquet partitions
(by year and province). Tables rebuilt whole are copied whole. The published DuckDB file is a
copy of the previous one with the same changes applied, swapped in atomically.

Publishes are serialised by an exclusive lock on `<lake>/publish.lock`: a second publish waits
for the first (up to PUBLISH_LOCK_TIMEOUT_S) instead of failing on DuckDB's file lock. The
kernel drops the lock when its holder dies, even by SIGKILL, so a crash never leaves it stuck.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

from environment.settings import Settings
from expectations.results import ensure_table as ensure_audit_tables
from infra import s3
from pipelines import gold_state
from pipelines.dictionary import write_dictionary
from pipelines.lake import connect, fetch_dicts, sql_literal, use_s3
from pipelines.publish_parquet import write_parquet

PUBLISHED_DB_KEY = "published/nianbao.duckdb"
DICTIONARY_KEY = "published/data_dictionary.md"
# A publish takes seconds to a few minutes; waiting longer means the holder is stuck.
PUBLISH_LOCK_TIMEOUT_S = 900.0


class NothingToPublish(RuntimeError):
    """The warehouse holds no gold tables yet."""


class PublishLocked(RuntimeError):
    """Another publish held the publish lock for longer than we were willing to wait."""


@dataclass
class PublishResult:
    """What one publish wrote, and the DuckLake snapshot that keeps it queryable later."""

    snapshot_id: int
    published_db_path: Path
    parquet_written: list[str]  # the Parquet objects this publish wrote (the changed partitions)
    dictionary_path: Path
    tables: list[str]


def catalog_path(settings: Settings) -> Path:
    """The DuckLake catalog file recording every publish."""
    return settings.lake_dir / "lakehouse.ducklake"


@contextmanager
def publish_lock(settings: Settings, timeout_s: float = PUBLISH_LOCK_TIMEOUT_S) -> Iterator[None]:
    """Hold the lake's publish lock for the block, waiting up to timeout_s for another publish."""
    path = settings.lake_dir / "publish.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + timeout_s
    with open(path, "a") as handle:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise PublishLocked(
                        f"another publish has held {path} for over {timeout_s:.0f} s: nothing was "
                        "published; retry when it finishes (its process holds the lock)"
                    ) from None
                time.sleep(0.2)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _attach_lakehouse(con: duckdb.DuckDBPyConnection, settings: Settings, options: str = "") -> None:
    use_s3(con, settings)
    data_path = s3.s3_uri(settings, "lakehouse/")
    # Inlining would keep small tables inside the catalog file; analysts expect them on the bucket.
    con.execute(
        f"ATTACH {sql_literal('ducklake:' + str(catalog_path(settings)))} AS lakehouse "
        f"(DATA_PATH {sql_literal(data_path)}, DATA_INLINING_ROW_LIMIT 0{options})"
    )


def _gold_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    rows = con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() "
        "AND schema_name = 'gold' ORDER BY table_name"
    ).fetchall()
    return [name for (name,) in rows]


def _sync_table(con: duckdb.DuckDBPyConnection, catalog: str, table: str, known: set[str]) -> None:
    """Make `catalog`.gold.<table> equal gold.<table>: replaced whole when it changed whole or is
    new there, else the changed keys' rows deleted and inserted again."""
    changes = gold_state.changes_since_publish(con, table)
    if changes.whole or table not in known:
        con.execute(f"CREATE OR REPLACE TABLE {catalog}.gold.{table} AS FROM gold.{table}")
    elif changes.keys:
        changed = changes.condition("t")
        con.execute(f"DELETE FROM {catalog}.gold.{table} AS t WHERE {changed}")
        con.execute(f"INSERT INTO {catalog}.gold.{table} FROM gold.{table} AS t WHERE {changed}")


def _tables_in(con: duckdb.DuckDBPyConnection, catalog: str) -> set[str]:
    return {name for (name,) in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = ? AND schema_name = 'gold'",
        [catalog]).fetchall()}


def _commit_snapshot(con: duckdb.DuckDBPyConnection, tables: list[str]) -> int:
    """Bring every gold table of the lakehouse up to date as one DuckLake snapshot; returns its id."""
    con.execute("BEGIN TRANSACTION")
    con.execute("CREATE SCHEMA IF NOT EXISTS lakehouse.gold")
    known = _tables_in(con, "lakehouse")
    for table in tables:
        _sync_table(con, "lakehouse", table, known)
    con.execute("CALL lakehouse.set_commit_message('nianbao', ?)", [f"publish {', '.join(tables)}"])
    con.execute("COMMIT")
    return con.execute("SELECT id FROM lakehouse.current_snapshot()").fetchone()[0]


def _write_published_db(
    con: duckdb.DuckDBPyConnection, target: Path, tables: list[str], snapshot_id: int
) -> None:
    """Write gold to a new file beside target, then swap it in, so readers never see half a file.

    The new file starts as a copy of the last published one, brought up to date key by key (a
    file copy costs far less than writing every row again); a killed publish left its changes
    pending, so they are applied again."""
    target.parent.mkdir(parents=True, exist_ok=True)
    for stale in target.parent.glob(f".{target.name}.*.tmp*"):  # left by a publish that was killed
        stale.unlink()
    staging = target.with_name(f".{target.name}.{uuid.uuid4().hex}.tmp")
    if target.exists():
        shutil.copyfile(target, staging)
        staging.chmod(0o644)
    con.execute(f"ATTACH {sql_literal(staging)} AS published")
    try:
        con.execute("CREATE SCHEMA IF NOT EXISTS published.gold")
        known = _tables_in(con, "published")
        for table in tables:
            _sync_table(con, "published", table, known)
        for stale in known - set(tables) - {"_publish"}:
            con.execute(f"DROP TABLE published.gold.{stale}")
        # Analysts query the data-quality findings beside the figures they qualify.
        con.execute("CREATE SCHEMA IF NOT EXISTS published.audit")
        _copy_new_runs(con)
        con.execute("CREATE OR REPLACE TABLE published.audit.dq_latest AS FROM audit.dq_latest")
        con.execute(
            "CREATE OR REPLACE TABLE published.gold._publish AS SELECT ?::BIGINT AS snapshot_id, "
            "now() AS published_at", [snapshot_id],
        )
    finally:
        con.execute("DETACH published")
    staging.chmod(0o444)  # analysts read it; the next publish swaps in a new file
    os.replace(staging, target)


def _copy_new_runs(con: duckdb.DuckDBPyConnection) -> None:
    """Bring published.audit.dq_results up to date: audit runs only ever add rows, so only the
    runs the file lacks are copied (the table grows with every run)."""
    con.execute("CREATE TABLE IF NOT EXISTS published.audit.dq_results AS FROM audit.dq_results LIMIT 0")
    con.execute("INSERT INTO published.audit.dq_results FROM audit.dq_results WHERE run_id NOT IN "
                "(SELECT DISTINCT run_id FROM published.audit.dq_results)")


def publish(settings: Settings, lock_timeout_s: float = PUBLISH_LOCK_TIMEOUT_S,
            meanwhile: Callable[[], object] | None = None) -> PublishResult:
    """Publish the current gold: snapshot, DuckDB file (local and on the bucket), Parquet, dictionary.

    `meanwhile` runs once every local file is written, while the DuckDB file is still going up to
    the bucket (the upload grows with gold and mostly waits on the server), e.g. to build the
    dashboard from the new file. One publish at a time: a concurrent one waits for the lock
    (PublishLocked after lock_timeout_s)."""
    with publish_lock(settings, lock_timeout_s):
        return _publish(settings, meanwhile or (lambda: None))


def _publish(settings: Settings, meanwhile: Callable[[], object]) -> PublishResult:
    with connect(settings) as con:
        ensure_audit_tables(con)  # the published file carries audit.dq_latest
        tables = _gold_tables(con)
        if not tables:
            raise NothingToPublish("the warehouse has no gold tables yet: run build_gold first")
        _attach_lakehouse(con, settings)
        snapshot_id = _commit_snapshot(con, tables)
        _write_published_db(con, settings.published_db_path, tables, snapshot_id)
        # The whole file goes to the bucket while the rest is written: the upload mostly waits.
        with ThreadPoolExecutor(1) as uploader:
            upload = uploader.submit(s3.put_file, settings, PUBLISHED_DB_KEY, settings.published_db_path)
            with tempfile.TemporaryDirectory(dir=settings.lake_dir) as workdir:
                uris = [uri for table in tables for uri in write_parquet(con, settings, table, Path(workdir))]
            dictionary = write_dictionary(settings.published_dir / "data_dictionary.md")
            s3.put_file(settings, DICTIONARY_KEY, dictionary, "text/markdown")
            meanwhile()
            upload.result()
        # Only now is every change out; a publish killed before this redoes them next time.
        gold_state.clear_pending(con, tables)
    return PublishResult(snapshot_id, settings.published_db_path, uris, dictionary, tables)


def snapshots(settings: Settings) -> list[tuple[int, object, str | None]]:
    """Every DuckLake snapshot: (snapshot_id, snapshot_time, commit_message), oldest first."""
    with duckdb.connect() as con:
        _attach_lakehouse(con, settings, ", READ_ONLY")
        return con.execute(
            "SELECT snapshot_id, snapshot_time, commit_message FROM lakehouse.snapshots() ORDER BY 1"
        ).fetchall()


def query_as_of(settings: Settings, sql: str, snapshot_id: int, params: list | None = None) -> list[dict]:
    """Run a query over gold as it was at a publish's snapshot (`gold.<table>` names its tables)."""
    with duckdb.connect() as con:
        _attach_lakehouse(con, settings, f", READ_ONLY, SNAPSHOT_VERSION {int(snapshot_id)}")
        con.execute("USE lakehouse")
        return fetch_dicts(con.execute(sql, params or []))
