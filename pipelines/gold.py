"""Gold: run the SQL models of `dbt_like_sql/` in the warehouse, in an order derived from the SQL.

Each `dbt_like_sql/<schema>/<name>.sql` file is one SELECT, materialised as
`CREATE OR REPLACE TABLE <schema>.<name>`. The tables a model reads are found with sqlglot, so
the run order follows from the SQL itself. All models run in one transaction: if one fails,
every table keeps its previous content.
"""

from __future__ import annotations

from dataclasses import dataclass
from graphlib import TopologicalSorter
from pathlib import Path

import duckdb
import sqlglot
from sqlglot import exp

from nianbao.settings import PROJECT_ROOT, Settings
from pipelines.divisions import load_divisions
from pipelines.lake import connect, create_contract_tables

MODELS_DIR = PROJECT_ROOT / "dbt_like_sql"


class ModelFailed(RuntimeError):
    """A SQL model could not be built; the previous gold tables were left as they were."""


@dataclass(frozen=True)
class Model:
    """One SQL model file and the tables it reads."""

    schema: str
    name: str
    path: Path
    sql: str
    inputs: frozenset[str]

    @property
    def table(self) -> str:
        return f"{self.schema}.{self.name}"


def read_tables(sql: str) -> frozenset[str]:
    """The schema-qualified tables a SELECT reads (its own CTE names excluded)."""
    tree = sqlglot.parse_one(sql, read="duckdb")
    ctes = {cte.alias_or_name for cte in tree.find_all(exp.CTE)}
    return frozenset(
        f"{table.db}.{table.name}" if table.db else table.name
        for table in tree.find_all(exp.Table)
        if table.db or table.name not in ctes
    )


def discover_models(root: Path = MODELS_DIR) -> list[Model]:
    """Every `<schema>/<name>.sql` model under root, with its inputs parsed from the SQL."""
    models = []
    for path in sorted(root.glob("*/*.sql")):
        sql = path.read_text(encoding="utf-8").strip().rstrip(";")
        models.append(Model(path.parent.name, path.stem, path, sql, read_tables(sql)))
    return models


def run_order(models: list[Model]) -> list[Model]:
    """Models sorted so each runs after the models it reads (ties broken by name)."""
    by_table = {model.table: model for model in models}
    graph = {
        model.table: sorted(table for table in model.inputs if table in by_table and table != model.table)
        for model in models
    }
    sorter = TopologicalSorter(graph)
    sorter.prepare()
    ordered = []
    while sorter.is_active():
        ready = sorted(sorter.get_ready())
        ordered += ready
        sorter.done(*ready)
    return [by_table[table] for table in ordered]


def run_models(con: duckdb.DuckDBPyConnection, models: list[Model]) -> list[str]:
    """Materialise the models in dependency order on an open connection; returns the tables built."""
    built = []
    for model in run_order(models):
        try:
            con.execute(f"CREATE OR REPLACE TABLE {model.table} AS {model.sql}")
        except duckdb.Error as error:
            raise ModelFailed(f"model {model.path.name} ({model.table}) failed: {error}") from error
        built.append(model.table)
    return built


def build_gold(settings: Settings, models_dir: Path = MODELS_DIR) -> list[str]:
    """Rebuild every SQL model in one transaction; returns the tables built, in run order."""
    models = discover_models(models_dir)
    with connect(settings) as con:
        create_contract_tables(con)
        con.execute("BEGIN TRANSACTION")
        try:
            load_divisions(con)
            built = run_models(con, models)
        except BaseException:
            con.execute("ROLLBACK")
            raise
        con.execute("COMMIT")
    return built
