"""Refresh the SQL models for the reports that changed since the last build, key by key.

The dirty reports come from state (`pipelines.gold_state`: fingerprints of silver and
audit.dq_latest at the last build), never from parameters. A model declaring `-- Key: k` gets
the keys of its changed input rows: for a silver or audit input (rows per report) the dirty
report ids, for an upstream model the key values of the rows that model deleted or inserted.
Its rows for those keys are deleted and recomputed by the model's own SELECT, with each input
narrowed to the rows of those keys, so the model's SQL stays the single source of truth.
"""

from __future__ import annotations

import re

import duckdb

from pipelines import gold_state
from pipelines.gold_models import Model, ModelFailed, run_models, run_order

# Inputs holding rows per report, whose changes the fingerprints of gold_state capture.
REPORT_SOURCES = frozenset({"silver.reports", "silver.report_metrics", "audit.dq_latest"})
REPORT_KEY = ("report_id",)


def refresh(con: duckdb.DuckDBPyConnection, models: list[Model], full: bool) -> list[str]:
    """Bring the models up to date on an open transaction; returns the models in run order."""
    hashes = {model.table: model.sql_hash for model in models}
    dirty = gold_state.mark_dirty_reports(con)
    if full or gold_state.needs_full_build(con, hashes):
        built = run_models(con, models)
        for model in models:
            if model.schema == "gold":
                gold_state.mark_full(con, model.name)
    else:
        built = [model.table for model in run_order(models)]
        if dirty:
            _refresh_keys(con, models)
    gold_state.save_build(con, hashes)
    return built


def _refresh_keys(con: duckdb.DuckDBPyConnection, models: list[Model]) -> None:
    """Recompute each model's rows for the keys its changed inputs touch, in dependency order."""
    changed: dict[str, str] = {}  # model table -> temp table of its deleted and inserted rows
    whole: set[str] = set()  # models rebuilt whole: everything downstream is rebuilt too
    for model in run_order(models):
        keys = _dirty_keys(con, model, changed, whole)
        try:
            if keys is None:
                run_models(con, [model])
                whole.add(model.table)
                if model.schema == "gold":
                    gold_state.mark_full(con, model.name)
            else:
                changed[model.table] = _recompute(con, model, keys, _tracked(model, models))
        except duckdb.Error as error:
            raise ModelFailed(f"model {model.path.name} ({model.table}) failed: {error}") from error


def _tracked(model: Model, models: list[Model]) -> tuple[str, ...]:
    """The columns of a model's changed rows worth keeping: its own key (what the publish's audit
    needs) and the keys of the models reading it, not the wide rows themselves."""
    readers = [m.key for m in models if model.table in m.inputs]
    return tuple(dict.fromkeys(c for key in (model.key, *readers) for c in key))


def _columns(con: duckdb.DuckDBPyConnection, relation: str) -> set[str]:
    return {row[0] for row in con.execute(f"DESCRIBE {relation}").fetchall()}


def _dirty_keys(con: duckdb.DuckDBPyConnection, model: Model, changed: dict[str, str],
                whole: set[str]) -> str | None:
    """A temp table of the model's keys to recompute; None when it must be rebuilt whole."""
    if not model.key or model.inputs & whole:
        return None
    parts = []
    for table in sorted(model.inputs):
        if table in changed:
            if not set(model.key) <= _columns(con, changed[table]):
                return None
            parts.append(f"SELECT DISTINCT {_select(model.key)} FROM {changed[table]}")
        elif table in REPORT_SOURCES:
            if model.key != REPORT_KEY:
                return None
            parts.append(f"SELECT report_id FROM {gold_state.DIRTY_TABLE}")
    keys = f"_keys_{model.schema}_{model.name}"
    con.execute(f"CREATE OR REPLACE TEMP TABLE {keys} AS "
                + (" UNION ".join(parts) or f"SELECT {_select(model.key)} FROM {model.table} LIMIT 0"))
    return keys


def _select(columns: tuple[str, ...]) -> str:
    return ", ".join(f'"{c}"' for c in columns)


def _recompute(con: duckdb.DuckDBPyConnection, model: Model, keys: str,
               tracked: tuple[str, ...]) -> str:
    """Delete the model's rows for `keys`, insert them recomputed; returns a table of the
    deleted and inserted rows' `tracked` columns (those the model has)."""
    match = gold_state.in_keys("t", keys, model.key)
    present = _columns(con, model.table)
    kept = tuple(c for c in tracked if c in present)
    changed = f"_changed_{model.schema}_{model.name}"
    con.execute(f"CREATE OR REPLACE TEMP TABLE {changed} AS "
                f"SELECT {_select(kept)} FROM {model.table} AS t WHERE {match}")
    con.execute(f"DELETE FROM {model.table} AS t WHERE {match}")
    # Filtered again: an input the narrowing missed (say, one read through a JOIN) must not
    # bring in rows of keys that were not deleted.
    con.execute(f"INSERT INTO {model.table} BY NAME "
                f"SELECT * FROM ({narrowed_sql(con, model, keys)}) AS t WHERE {match}")
    con.execute(f"INSERT INTO {changed} SELECT {_select(kept)} FROM {model.table} AS t WHERE {match}")
    if model.schema == "gold":
        gold_state.add_pending(con, model.name, changed, tuple(c for c in model.key if c in kept))
    return changed


def narrowed_sql(con: duckdb.DuckDBPyConnection, model: Model, keys: str) -> str:
    """The model's SELECT with every input that has the key columns read only for `keys`."""
    sql = model.sql
    for table in sorted(model.inputs):
        if not set(model.key) <= _columns(con, table):
            continue  # e.g. a seed table: joined to the narrowed rows as it is
        short = table.rsplit(".", 1)[-1]
        narrowed = (f"(SELECT * FROM {table} AS _i WHERE "
                    f"{gold_state.in_keys('_i', keys, model.key)}) AS {short}")
        sql = re.sub(rf"(?i)\bfrom\s+{re.escape(table)}\b(?!\.)", lambda _, n=narrowed: f"from {n}", sql)
    return sql
