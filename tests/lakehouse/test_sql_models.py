"""SQL model tests kept beside the models: `dbt_like_sql/<layer>/<model>.tests.yml`.

Each case gives input rows for base tables and the rows one model must produce. The case runs
every model, in the derived order, on an in-memory DuckDB holding only those rows.
"""

from __future__ import annotations

import duckdb
import pytest
import yaml

from pipelines import gold_models
from pipelines.divisions import load_divisions
from pipelines.lake_tables import create_contract_tables

# Columns a test row may leave out, filled as silver would fill them.
_DEFAULTS = {
    "silver.reports": {"is_current": True},
    "audit.dq_latest": {"severity": "blocking", "suite": "test"},
}


def _cases():
    for path in sorted(gold_models.MODELS_DIR.glob("*/*.tests.yml")):
        table = f"{path.parent.name}.{path.name.removesuffix('.tests.yml')}"
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            yield pytest.param(table, case, id=f"{table}: {case['name']}")


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict]) -> None:
    for row in rows:
        row = _DEFAULTS.get(table, {}) | row
        names = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        con.execute(f"INSERT INTO {table} ({names}) VALUES ({marks})", list(row.values()))


@pytest.fixture(scope="module")
def divisions_con():
    """One in-memory database with the contract tables and the division seed, reused per case."""
    con = duckdb.connect()
    create_contract_tables(con)
    load_divisions(con)
    yield con
    con.close()


@pytest.mark.parametrize(("table", "case"), list(_cases()))
def test_model_case(divisions_con, table, case):
    con = divisions_con.cursor()
    con.execute("BEGIN TRANSACTION")
    try:
        for name, rows in case["given"].items():
            _insert(con, name, rows)
        gold_models.run_models(con, gold_models.discover_models())
        columns = list(case["expect"][0])
        got = con.execute(f"SELECT {', '.join(columns)} FROM {table}").fetchall()
    finally:
        con.execute("ROLLBACK")
    expected = [tuple(row[column] for column in columns) for row in case["expect"]]
    assert sorted(got, key=repr) == sorted(expected, key=repr)


def test_every_model_has_cases():
    tested = {param.values[0] for param in _cases()}
    gold_tables = {model.table for model in gold_models.discover_models() if model.schema == "gold"}
    assert gold_tables <= tested
