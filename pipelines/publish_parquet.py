"""Gold as Parquet on the bucket, `gold/<table>/year=<y>/province=<p>/` (hive partitions, values
percent-encoded as DuckDB writes them): a publish rewrites only the partitions that changed, and
lists only their years' folders (listing a whole table's folder grows with the lake)."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import unquote

import duckdb

from environment.settings import Settings
from infra import s3
from pipelines import gold_state
from pipelines.lake import sql_literal

NULL_PARTITION = "__HIVE_DEFAULT_PARTITION__"  # DuckDB's folder name for a NULL value
Partition = tuple[str | None, ...]


def write_parquet(
    con: duckdb.DuckDBPyConnection, settings: Settings, table: str, workdir: Path
) -> list[str]:
    """Upload one gold table as Parquet partitioned by PARTITION_COLUMNS (only the changed
    partitions when known), and delete the objects of earlier publishes in the partitions it
    rewrote (every other object under the table's folder on a whole rewrite, which a folder of
    another layout forces). Returns the URIs written."""
    local, prefix = workdir / table, f"gold/{table}"
    columns = [row[0] for row in con.execute(f"DESCRIBE gold.{table}").fetchall()]
    by = tuple(c for c in gold_state.PARTITION_COLUMNS if c in columns)
    if not by:
        con.execute(f"COPY gold.{table} TO {sql_literal(local)} (FORMAT parquet)")
        return replace_objects(settings, local, prefix, lambda key: True, _listed(settings, [prefix]))
    changed = _changed_partitions(con, table, by)
    stored = _listed(settings, _folders(prefix, by, changed))
    if changed is not None and any(partition_of(key, prefix, by) is None for key in stored):
        changed, stored = None, _listed(settings, [prefix])  # another layout: write it all anew
    names = ", ".join(f'"{c}"' for c in by)
    where = "true" if changed is None else f"({names}) IN (SELECT ({names}) FROM _changed_partitions)"
    con.execute(f"COPY (SELECT * FROM gold.{table} WHERE {where}) TO {sql_literal(local)} "
                f"(FORMAT parquet, PARTITION_BY ({names}))")
    return replace_objects(settings, local, prefix,
                           lambda key: changed is None or partition_of(key, prefix, by) in changed,
                           stored)


def _changed_partitions(con: duckdb.DuckDBPyConnection, table: str,
                        by: tuple[str, ...]) -> set[Partition] | None:
    """The partitions holding rows changed since the last publish, before or after the change
    (None: all of them), also kept in temp table _changed_partitions for the COPY."""
    changes = gold_state.changes_since_publish(con, table)
    if changes.whole or (changes.keys and not set(by) <= set(changes.columns)):
        return None
    names = ", ".join(f'"{c}"' for c in by)
    source = f"SELECT DISTINCT {names} FROM {changes.keys}" if changes.keys else \
        f"SELECT {names} FROM gold.{table} LIMIT 0"
    con.execute(f"CREATE OR REPLACE TEMP TABLE _changed_partitions AS {source}")
    return {tuple(None if v is None else str(v) for v in row)
            for row in con.execute("FROM _changed_partitions").fetchall()}


def _folders(prefix: str, by: tuple[str, ...], changed: set[Partition] | None) -> list[str]:
    """The folders to list for the changed partitions: those of their years (years are whole
    numbers, so their folder names need no encoding), or the table's whole folder."""
    if changed is None or by[0] != "year":
        return [prefix]
    return sorted({f"{prefix}/year={NULL_PARTITION if year is None else year}"
                   for year, *_ in changed})


def _listed(settings: Settings, folders: list[str]) -> list[str]:
    return [info.key for folder in folders for info in s3.list_objects(settings, folder + "/")]


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
                    stored: list[str]) -> list[str]:
    """Upload the files under `local` to prefix (8 at a time), then delete the `stored` objects
    not written again that `rewritten` says this publish replaced. Returns the URIs written."""
    files = sorted(path for path in local.rglob("*") if path.is_file()) if local.exists() else []
    keys = [f"{prefix}/{path.relative_to(local).as_posix()}" for path in files]
    with ThreadPoolExecutor(s3.CONCURRENT_REQUESTS) as pool:
        list(pool.map(lambda key, path: s3.put_file(settings, key, path), keys, files))
    for key in set(stored) - set(keys):
        if rewritten(key):
            s3.delete(settings, key)
    return [s3.s3_uri(settings, key) for key in keys]
