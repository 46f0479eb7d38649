"""`nianbao export`: published gold as one read-only DuckDB file, for tools that open only a file.

The lake is the source of truth and any DuckDB reads it directly (`nianbao attach-sql`); a BI
tool that can only open a database file (Superset through duckdb-engine, say) gets this copy,
made when an analyst asks for it, never by the pipeline. The file is written beside its target
and swapped in, so a reader never sees half of it; `gold._publish` says which publish it holds.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import duckdb

from environment.settings import Settings
from nianbao.query import NothingPublished, open_gold
from pipelines.snapshots import last_publication

EXPORTED_SCHEMAS = ("gold", "audit")


def _tables(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    return con.execute(
        "SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = 'lake' "
        "AND schema_name IN (SELECT unnest(?)) ORDER BY ALL", [list(EXPORTED_SCHEMAS)]).fetchall()


def export(settings: Settings, target: Path, snapshot: int | None = None) -> tuple[Path, int]:
    """Write published gold and its findings (as of `snapshot`, else the latest publish) to
    `target`; returns the file and the publish snapshot it holds."""
    target = target.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.with_name(f".{target.name}.{uuid.uuid4().hex}.tmp")
    with open_gold(settings, snapshot) as lake:
        held = snapshot if snapshot is not None else last_publication(lake)
        tables = _tables(lake)
        if not tables:
            raise NothingPublished("the lake holds no gold tables yet")
        with duckdb.connect(str(staging)) as out:
            for schema in EXPORTED_SCHEMAS:
                out.execute(f"CREATE SCHEMA {schema}")
            for schema, table in tables:
                out.register("rows", lake.execute(f'FROM "{schema}"."{table}"').fetch_arrow_table())
                out.execute(f'CREATE TABLE "{schema}"."{table}" AS FROM rows')
                out.unregister("rows")
            out.execute("CREATE TABLE gold._publish AS SELECT ?::BIGINT AS snapshot_id, now() AS exported_at",
                        [held])
    staging.chmod(0o444)
    os.replace(staging, target)
    return target, held


def describe(target: Path, held: int) -> str:
    """The line `nianbao export` prints (the path relative to here when it is below here)."""
    shown = target.relative_to(Path.cwd()) if target.is_relative_to(Path.cwd()) else target
    return f"wrote {shown} (publish snapshot {held}); open it read-only (duckdb -readonly {shown})"
