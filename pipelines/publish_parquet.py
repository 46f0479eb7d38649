"""Gold as Parquet on the bucket, `gold/<table>/year=<y>/`: only the years that changed are rewritten."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb

from infra import s3
from nianbao.settings import Settings
from pipelines import gold_state
from pipelines.lake import sql_literal


def write_parquet(
    con: duckdb.DuckDBPyConnection, settings: Settings, table: str, workdir: Path
) -> list[str]:
    """Upload one gold table as Parquet partitioned by year (only the changed years when known),
    then drop the files of earlier publishes there and of years gold no longer has."""
    local, prefix = workdir / table, f"gold/{table}"
    columns = [row[0] for row in con.execute(f"DESCRIBE gold.{table}").fetchall()]
    changes = gold_state.changes_since_publish(con, table)
    if "year" not in columns:
        con.execute(f"COPY gold.{table} TO {sql_literal(local)} (FORMAT parquet)")
        return replace_objects(settings, local, prefix, lambda key: True)
    years = None  # every year
    if not changes.whole and "year" in changes.columns:
        years = {y for (y,) in con.execute(f"SELECT DISTINCT year FROM {changes.keys}").fetchall()}
    elif not changes.whole and not changes.keys:
        years = set()
    where = "true" if years is None else "year IN (SELECT unnest(?::BIGINT[]))"
    params = [] if years is None else [sorted(y for y in years if y is not None)]
    con.execute(f"COPY (SELECT * FROM gold.{table} WHERE {where}) TO {sql_literal(local)} "
                "(FORMAT parquet, PARTITION_BY (year))", params)
    present = {f"year={y}" for (y,) in con.execute(f"SELECT DISTINCT year FROM gold.{table}").fetchall()}

    def rewritten(key: str) -> bool:
        partition = key.removeprefix(prefix + "/").split("/", 1)[0]
        return years is None or partition not in present or partition in {f"year={y}" for y in years}

    return replace_objects(settings, local, prefix, rewritten)


def replace_objects(settings: Settings, local: Path, prefix: str,
                    rewritten: Callable[[str], bool]) -> list[str]:
    """Upload the files under `local`; delete the other objects under prefix that `rewritten`
    says this publish replaced. Returns the URIs of every object under prefix afterwards."""
    written = s3.upload_tree(settings, local, prefix) if local.exists() else []
    kept = []
    for info in s3.list_objects(settings, prefix + "/"):
        if info.key in written or not rewritten(info.key):
            kept.append(info.key)
        else:
            s3.delete(settings, info.key)
    return [s3.s3_uri(settings, key) for key in kept]
