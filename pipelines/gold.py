"""Gold: run the SQL models of `dbt_like_sql/` in the warehouse, in an order derived from the SQL.

Each `dbt_like_sql/<schema>/<name>.sql` file is one SELECT, materialised as table
`<schema>.<name>`. The tables a model reads are found with sqlglot, so the run order follows from
the SQL itself. All models run in one transaction: if one fails, every table keeps its previous
content.

A model whose header declares `-- Key: <columns>` is refreshed incrementally: its rows for a key
depend only on input rows with that key. After a few reports change, only their keys are
recomputed (`pipelines.gold_incremental`); the first build, a changed model and `full=True`
rebuild every table (`CREATE OR REPLACE`).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from graphlib import TopologicalSorter
from pathlib import Path

import duckdb
import sqlglot
from sqlglot import exp

from environment.settings import PROJECT_ROOT, Settings
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
    key: tuple[str, ...] = ()

    @property
    def table(self) -> str:
        return f"{self.schema}.{self.name}"

    @property
    def sql_hash(self) -> str:
        """Changes whenever the model's SQL does (its table is then rebuilt whole)."""
        return hashlib.sha256(self.sql.encode("utf-8")).hexdigest()


_KEY_HEADER = re.compile(r"^--\s*Key:\s*([\w\s,]+)", re.MULTILINE)


def declared_key(sql: str) -> tuple[str, ...]:
    """The key columns a model's header declares (`-- Key: province_code, year`), if any."""
    found = _KEY_HEADER.search(sql)
    return tuple(c.strip() for c in found.group(1).split(",")) if found else ()


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
        models.append(Model(path.parent.name, path.stem, path, sql, read_tables(sql), declared_key(sql)))
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


def build_gold(settings: Settings, models_dir: Path = MODELS_DIR, full: bool = False) -> list[str]:
    """Bring every SQL model up to date in one transaction (incrementally when it can; whole
    when `full`, on the first build or after a model changed); returns the models in run order."""
    from expectations.results import ensure_table as ensure_audit_tables
    from pipelines import gold_incremental, gold_state

    models = discover_models(models_dir)
    with connect(settings) as con:
        create_contract_tables(con)
        ensure_audit_tables(con)  # gold reads audit.dq_latest
        gold_state.ensure_state(con)
        con.execute("BEGIN TRANSACTION")
        try:
            load_divisions(con)
            built = gold_incremental.refresh(con, models, full)
        except BaseException:
            con.execute("ROLLBACK")
            raise
        con.execute("COMMIT")
    return built
