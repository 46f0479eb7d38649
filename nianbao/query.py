"""Read-only SQL over the published gold database (what analysts and `nianbao query` see)."""

from __future__ import annotations

from pathlib import Path

import duckdb

from nianbao.settings import Settings


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
