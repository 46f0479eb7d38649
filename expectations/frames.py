"""Read the batch under audit out of DuckDB as pandas DataFrames (GX validates DataFrames here).

Every query takes report content, metric names included, as parameters.
"""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

from expectations.suites import known_area_codes
from pipelines.gold_state import changed_grain_filter

IN_BATCH = "report_id IN (SELECT unnest(?::VARCHAR[]))"
# Table 二 (2019) "本年增/减" cells are signed; money (元, 万元) need not be whole.
SIGNED_SUFFIX = "_change"
MONEY_SUFFIX = "_yuan"


def table_exists(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    """True when `schema.table` exists in the lake."""
    row = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = ?",
        [schema, table],
    ).fetchone()
    return bool(row and row[0])


def reports_frame(con: duckdb.DuckDBPyConnection, ids: list[str]) -> pd.DataFrame:
    """silver.reports rows of the batch, plus derived date and code columns the suite compares.
    loaded_at is left out: no expectation reads it, and DuckDB's conversion of a TIMESTAMPTZ
    column calls a pandas API that pandas 3.1 deprecates (a warning on every audit)."""
    df = con.execute(f"SELECT * EXCLUDE (loaded_at) FROM silver.reports WHERE {IN_BATCH}", [ids]).df()
    df["report_year"] = pd.to_numeric(df["report_year"], errors="coerce").astype("Int64")
    df["publication_date"] = df["publication_date"].astype("string")
    df["publication_day"] = pd.to_datetime(df["publication_date"], format="%Y-%m-%d", errors="coerce")
    df["year_end"] = _dec31(df["report_year"], 0)
    df["publication_deadline"] = _dec31(df["report_year"], 2)
    codes = df["region_code"].astype("string")
    df["region_code_province"] = codes.str.slice(0, 2) + "0000"
    # GX copies a value set at every read of an expectation's configuration (half a second a run
    # for the 3,500 codes), so membership is looked up here; GX checks the flag, NA where no code.
    known = list(known_area_codes())
    for column in ("province_code", "region_code"):
        df[f"{column}_listed"] = df[column].isin(known).astype("boolean").where(df[column].notna())
    return df


def _dec31(years: pd.Series, offset: int) -> pd.Series:
    """31 December of `year + offset`; NaT where the year is missing or implausible."""
    def day(year) -> pd.Timestamp:
        if pd.isna(year) or not 1 <= int(year) + offset <= 9999:
            return pd.NaT
        return pd.Timestamp(date(int(year) + offset, 12, 31))

    return pd.Series([day(y) for y in years], index=years.index, dtype="datetime64[ns]")


def metrics_frame(con: duckdb.DuckDBPyConnection, ids: list[str]) -> pd.DataFrame:
    """silver.report_metrics rows of the batch (long), with region and year for the findings."""
    return con.execute(
        f"""
        SELECT m.report_id, r.region, r.report_year, m.scope, m.metric, m.value,
               CASE WHEN NOT signed THEN m.value END AS unsigned_value,
               CASE WHEN NOT signed AND NOT money THEN m.value - floor(m.value) END
                   AS count_fraction
        FROM (
            SELECT *, suffix(metric, ?) AS signed, suffix(metric, ?) AS money
            FROM silver.report_metrics
        ) AS m
        LEFT JOIN silver.reports AS r USING (report_id)
        WHERE m.{IN_BATCH}
        """,
        [SIGNED_SUFFIX, MONEY_SUFFIX, ids],
    ).df()


def wide_frame(con: duckdb.DuckDBPyConnection, ids: list[str], metrics: list[str]) -> pd.DataFrame:
    """One row per (report, scope) with one column per metric (NaN where not stated).

    Pivoted in polars: eight times faster here than DuckDB's per-metric FILTER aggregates.
    """
    long = con.execute(
        f"SELECT report_id, scope, metric, value FROM silver.report_metrics "
        f"WHERE metric IN (SELECT unnest(?::VARCHAR[])) AND {IN_BATCH}",
        [metrics, ids],
    ).pl()
    keys = con.execute(
        f"""
        SELECT DISTINCT m.report_id, r.region, r.report_year, m.scope
        FROM silver.report_metrics AS m LEFT JOIN silver.reports AS r USING (report_id)
        WHERE m.{IN_BATCH}
        ORDER BY m.report_id, m.scope
        """,
        [ids],
    ).pl()
    wide = long.pivot(on="metric", index=["report_id", "scope"], values="value",
                      aggregate_function="max") if long.height else long.drop("metric", "value")
    joined = keys.join(wide, on=["report_id", "scope"], how="left", maintain_order="left")
    return joined.to_pandas().reindex(columns=[*keys.columns, *metrics])


def gold_columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str] | None:
    """The columns of a gold table, or None when the gold models have not been built yet."""
    if not table_exists(con, "gold", table):
        return None
    return [row[0] for row in con.execute(f'DESCRIBE gold."{table}"').fetchall()]


def gold_frame(con: duckdb.DuckDBPyConnection, table: str,
               grain: tuple[str, ...] | None = None) -> pd.DataFrame:
    """A gold table; with its grain given, only the rows sharing a grain key with a row changed
    since the last publish (so uniqueness of the grain is still checked against all of gold)."""
    where = "true" if grain is None else changed_grain_filter(con, table, grain)
    return con.execute(f'SELECT * FROM gold."{table}" AS t WHERE {where}').df()
