"""Read-only SQL over the published gold database (what analysts and `nianbao query` see)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from environment.settings import Settings


class NothingPublished(RuntimeError):
    """No gold has been published yet."""


def open_published(settings: Settings) -> duckdb.DuckDBPyConnection:
    """Open the published gold file read-only, with no access to other files or the network."""
    path: Path = settings.published_db_path
    if not path.exists():
        raise NothingPublished(f"nothing is published yet at {path}: run `make demo` or `nianbao publish`")
    return duckdb.connect(str(path), read_only=True, config={"enable_external_access": False})


def run_query(settings: Settings, sql: str) -> tuple[list[str], list[tuple]]:
    """Run one SQL statement read-only; returns column names and rows."""
    with open_published(settings) as con:
        cursor = con.execute(sql)
        columns = [item[0] for item in cursor.description or []]
        return columns, cursor.fetchall()


@contextmanager
def _reachable_object_store(settings: Settings) -> Iterator[None]:
    """The snapshots' data lives on the bucket: start the embedded S3 server if it is not running."""
    from infra.seaweed import object_store, port_open

    if settings.embedded_s3 and not port_open(settings.s3_port):
        with object_store(settings):
            yield
    else:
        yield


def run_query_as_of(settings: Settings, sql: str, snapshot_id: int) -> tuple[list[str], list[tuple]]:
    """Run SQL over gold as it was at an earlier publish (a DuckLake snapshot), read-only."""
    from pipelines.publish import query_as_of

    with _reachable_object_store(settings):
        rows = query_as_of(settings, sql, snapshot_id)
    columns = list(rows[0]) if rows else []
    return columns, [tuple(row.values()) for row in rows]


def list_snapshots(settings: Settings) -> list[tuple]:
    """Every publish: (snapshot_id, time, commit message), oldest first."""
    from pipelines.publish import snapshots

    with _reachable_object_store(settings):
        return snapshots(settings)
