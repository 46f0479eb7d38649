"""Gold as Parquet on the bucket, `gold/<table>/year=<y>/province=<p>/` (hive partitions, values
percent-encoded as DuckDB writes them): a publish rewrites only the partitions that changed."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import unquote

import duckdb

from infra import s3
from nianbao.settings import Settings
from pipelines import gold_state
from pipelines.lake import sql_literal

NULL_PARTITION = "__HIVE_DEFAULT_PARTITION__"  # DuckDB's folder name for a NULL value
Partition = tuple[str | None, ...]


def write_parquet(
    con: duckdb.DuckDBPyConnection, settings: Settings, table: str, workdir: Path
) -> list[str]:
    """Upload one gold table as Parquet partitioned by PARTITION_COLUMNS (only the changed
    partitions when known), then drop the objects of earlier publishes there, of partitions gold
    no longer has and of any other layout. Returns the URIs of the table's objects."""
    local, prefix = workdir / table, f"gold/{table}"
    columns = [row[0] for row in con.execute(f"DESCRIBE gold.{table}").fetchall()]
    by = tuple(c for c in gold_state.PARTITION_COLUMNS if c in columns)
    if not by:
        con.execute(f"COPY gold.{table} TO {sql_literal(local)} (FORMAT parquet)")
        return replace_objects(settings, local, prefix, lambda key: True)
    stored = [info.key for info in s3.list_objects(settings, prefix + "/")]
    changed = _changed_partitions(con, table, by)
    if any(partition_of(key, prefix, by) is None for key in stored):
        changed = None  # written in another layout: every partition is written anew
    names = ", ".join(f'"{c}"' for c in by)
    where = "true" if changed is None else f"({names}) IN (SELECT ({names}) FROM _changed_partitions)"
    con.execute(f"COPY (SELECT * FROM gold.{table} WHERE {where}) TO {sql_literal(local)} "
                f"(FORMAT parquet, PARTITION_BY ({names}))")
    present = _partitions(con, f"SELECT DISTINCT {names} FROM gold.{table}")

    def rewritten(key: str) -> bool:
        partition = partition_of(key, prefix, by)
        return changed is None or partition not in present or partition in changed

    return replace_objects(settings, local, prefix, rewritten, stored)


def _changed_partitions(con: duckdb.DuckDBPyConnection, table: str,
                        by: tuple[str, ...]) -> set[Partition] | None:
    """The partitions holding rows changed since the last publish (None: all of them), also
    kept in temp table _changed_partitions for the COPY."""
    changes = gold_state.changes_since_publish(con, table)
    if changes.whole or (changes.keys and not set(by) <= set(changes.columns)):
        return None
    names = ", ".join(f'"{c}"' for c in by)
    source = f"SELECT DISTINCT {names} FROM {changes.keys}" if changes.keys else \
        f"SELECT {names} FROM gold.{table} LIMIT 0"
    con.execute(f"CREATE OR REPLACE TEMP TABLE _changed_partitions AS {source}")
    return _partitions(con, "FROM _changed_partitions")


def _partitions(con: duckdb.DuckDBPyConnection, sql: str) -> set[Partition]:
    """Partition values as the folder names spell them (text, None for NULL)."""
    return {tuple(None if v is None else str(v) for v in row) for row in con.execute(sql).fetchall()}


def partition_of(key: str, prefix: str, by: tuple[str, ...]) -> Partition | None:
    """The partition values an object key under prefix sits in; None when its folders are not
    `by`'s, in order (an object of another layout)."""
    folders = key.removeprefix(prefix + "/").split("/")[:-1]
    if len(folders) != len(by):
        return None
    values = []
    for column, folder in zip(by, folders, strict=True):
        name, equals, value = folder.partition("=")
        if name != column or not equals:
            return None
        value = unquote(value)
        values.append(None if value == NULL_PARTITION else value)
    return tuple(values)


def replace_objects(settings: Settings, local: Path, prefix: str, rewritten: Callable[[str], bool],
                    stored: list[str] | None = None) -> list[str]:
    """Upload the files under `local`; delete the other objects under prefix (`stored`, listed
    when not given) that `rewritten` says this publish replaced. Returns the URIs of every object
    under prefix afterwards."""
    files = sorted(path for path in local.rglob("*") if path.is_file()) if local.exists() else []
    keys = [f"{prefix}/{path.relative_to(local).as_posix()}" for path in files]
    with ThreadPoolExecutor(s3.CONCURRENT_REQUESTS) as pool:
        list(pool.map(lambda key, path: s3.put_file(settings, key, path), keys, files))
    if stored is None:
        stored = [info.key for info in s3.list_objects(settings, prefix + "/")]
    written, kept = set(keys), list(keys)
    for key in stored:
        if key in written:
            continue
        if rewritten(key):
            s3.delete(settings, key)
        else:
            kept.append(key)
    return [s3.s3_uri(settings, key) for key in sorted(kept)]
