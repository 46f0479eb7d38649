"""SQL is never built from report content: a static check, and a hostile report end to end."""

from __future__ import annotations

import ast
from pathlib import Path

from environment.settings import PROJECT_ROOT
from flows.ingest import ingest
from infra import s3
from pipelines.gold import build_gold
from pipelines.publish import publish

from .lakes import SAMPLES, gold_counts, warehouse_rows

INJECTION = "'); DROP TABLE silver.reports; --"
SQL_CALLS = {"execute", "executemany", "sql", "query"}
# Every non-literal piece of SQL text in the code, and why it cannot carry report content.
ALLOWED = {
    ("expectations/frames.py", "IN_BATCH"): "module constant; values go as parameters",
    ("expectations/frames.py", "table"): "gold table names from the suites' code",
    ("expectations/frames.py", "where"): "key conditions built by pipelines.gold_state from catalog names",
    ("expectations/parser_findings.py", "FINDINGS_SQL"): "module constant; batch ids go as parameters",
    ("expectations/report_html.py", "RUN_ROWS_SQL"): "module constant; the run id goes as a parameter",
    ("expectations/results.py", "OUTSTANDING_BLOCKING_SQL"): "module constant",
    ("expectations/results.py", "names"): "DqResult field names",
    ("expectations/results.py", "sql"): "one of two module constants",
    ("expectations/results.py", "statement"): "DDL constants",
    ("expectations/sql_checks.py", "check.sql"): "checks written in code",
    ("pipelines/dashboard/data.py", "sql"): "SELECT constants of the dashboard",
    ("pipelines/gold.py", "model.sql"): "model files in dbt_like_sql/",
    ("pipelines/gold.py", "model.table"): "model file paths",
    ("pipelines/gold_incremental.py", "' UNION '.join(parts) or f'SELECT {_select(model.key)} FROM "
     "{model.table} LIMIT 0'"): "key columns from model headers, temp table names from model paths",
    ("pipelines/gold_incremental.py", "_select(kept)"): "column names read with DESCRIBE",
    ("pipelines/gold_incremental.py", "changed"): "temp table name from a model path",
    ("pipelines/gold_incremental.py", "keys"): "temp table name from a model path",
    ("pipelines/gold_incremental.py", "match"): "key condition over model header columns",
    ("pipelines/gold_incremental.py", "model.table"): "model file paths",
    ("pipelines/gold_incremental.py", "narrowed_sql(con, model, keys)"): "a model file's SELECT, "
     "inputs wrapped in key filters",
    ("pipelines/gold_incremental.py", "relation"): "table names from model files",
    ("pipelines/gold_state.py", "DIRTY_TABLE"): "module constant",
    ("pipelines/gold_state.py", "FINGERPRINT_SQL"): "module constant",
    ("pipelines/gold_state.py", "SCHEMA"): "module constant",
    ("pipelines/gold_state.py", "changed"): "temp table name from a model path",
    ("pipelines/gold_state.py", "dirty"): "condition over the module's temp table name",
    ("pipelines/gold_state.py", "pending_table(table)"): "gold table names read from the catalog",
    ("pipelines/gold_state.py", "select"): "column names read with DESCRIBE",
    ("pipelines/gold_state.py", "statement"): "DDL constants",
    ("pipelines/lake.py", "ddl"): "CONTRACT_DDL constants",
    ("pipelines/lake.py", "schema"): "SCHEMAS constant",
    ("pipelines/lake.py", "sql_literal(extension_path(module))"): "wheel file path, quoted",
    ("pipelines/publish.py", "catalog"): "the constant names lakehouse / published",
    ("pipelines/publish.py", "changed"): "key condition built by pipelines.gold_state",
    ("pipelines/publish.py", "options"): "READ_ONLY / SNAPSHOT_VERSION int(...) from code",
    ("pipelines/publish.py", "sql"): "query_as_of: the analyst's own read-only query",
    ("pipelines/publish.py", "sql_literal('ducklake:' + str(catalog_path(settings)))"): "lake path",
    ("pipelines/publish.py", "sql_literal(data_path)"): "bucket URI from settings, quoted",
    ("pipelines/publish.py", "sql_literal(staging)"): "temporary path, quoted",
    ("pipelines/publish.py", "stale"): "gold table names read from the catalog",
    ("pipelines/publish.py", "table"): "gold table names read from the catalog",
    ("pipelines/publish_parquet.py", "names"): "partition column names from gold_state.PARTITION_COLUMNS",
    ("pipelines/publish_parquet.py", "source"): "pending-keys table named by pipelines.gold_state, "
     "partition column names from code",
    ("pipelines/publish_parquet.py", "sql_literal(local)"): "temporary path, quoted",
    ("pipelines/publish_parquet.py", "table"): "gold table names read from the catalog",
    ("pipelines/publish_parquet.py", "where"): "clause over partition column names from code and a "
     "temp table of partition values",
    ("pipelines/silver.py", "where"): "filter constants; values go as parameters",
}


def _dynamic_parts(node: ast.expr) -> list[str]:
    """The source of every non-constant piece of a SQL argument (f-string, +, %, .format)."""
    if isinstance(node, ast.Constant):
        return []
    if isinstance(node, ast.JoinedStr):
        return [ast.unparse(part.value) for part in node.values if isinstance(part, ast.FormattedValue)]
    if isinstance(node, ast.BinOp):
        return _dynamic_parts(node.left) + _dynamic_parts(node.right)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        return [ast.unparse(arg) for arg in [*node.args, *(kw.value for kw in node.keywords)]]
    return [ast.unparse(node)]


def sql_text_sources(roots=("pipelines", "expectations", "flows")) -> set[tuple[str, str]]:
    """(file, expression) for every non-literal piece of SQL passed to execute/sql/query."""
    found = set()
    for path in sorted(p for root in roots for p in (PROJECT_ROOT / root).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in SQL_CALLS and node.args):
                name = path.relative_to(PROJECT_ROOT).as_posix()
                found |= {(name, part) for part in _dynamic_parts(node.args[0])}
    return found


def test_sql_text_comes_only_from_code():
    unknown = sql_text_sources() - set(ALLOWED)
    assert unknown == set(), f"SQL built from something new: pass values as parameters ({unknown})"


def test_a_report_carrying_sql_goes_through_harmlessly(prefect_harness, lake_env):
    text = SAMPLES[0].read_text(encoding="utf-8")
    hostile = text.replace("全市共收到", f"{INJECTION}全市共收到", 1).replace("\n", f"\n{INJECTION}\n", 3)
    key, junk = f"landing/保定市{INJECTION}.txt", f"landing/{INJECTION}.bin"
    s3.put_bytes(lake_env, key, hostile.encode("utf-8"))
    s3.put_bytes(lake_env, junk, bytes(range(256)) * 20)
    assert [r.outcome for r in ingest(key)] == ["loaded"]
    assert [r.outcome for r in ingest(junk)] == ["quarantined"]
    build_gold(lake_env)
    publish(lake_env)
    assert warehouse_rows(lake_env, "SELECT source_key, region FROM silver.reports") == [(key, "保定市")]
    ledger = warehouse_rows(lake_env, "SELECT key, outcome FROM bronze.objects ORDER BY outcome")
    assert ledger == [(key, "loaded"), (junk, "quarantined")]
    counts = gold_counts(lake_env.published_db_path)
    assert counts == gold_counts(Path(lake_env.warehouse_path)) and counts["metric_long"] > 0
