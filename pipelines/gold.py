"""Gold: bring the SQL models of `dbt_like_sql/` up to date with silver, inside a transaction.

Models run in the order their SQL implies (pipelines/gold_models.py). A model declaring a key is
refreshed only for the reports changed since the last build (pipelines/gold_incremental.py);
the first build, a changed model and `full=True` rebuild every table. The publish
(expectations/gated_publish.py) refreshes gold, audits it and commits in one transaction, so the
lake's gold only ever changes to a version that passed its checks.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from environment.settings import Settings
from pipelines import gold_incremental
from pipelines.divisions import load_divisions
from pipelines.gold_models import MODELS_DIR, discover_models
from pipelines.lake import connect
from pipelines.lake_commit import in_transaction


def refresh_gold(con: duckdb.DuckDBPyConnection, full: bool = False,
                 models_dir: Path = MODELS_DIR) -> list[str]:
    """Bring every model up to date on an open transaction (incrementally when it can, whole when
    `full`, on the first build or after a model changed); returns the models in run order."""
    load_divisions(con)
    return gold_incremental.refresh(con, discover_models(models_dir), full)


def build_gold(settings: Settings, models_dir: Path = MODELS_DIR, full: bool = False) -> list[str]:
    """Refresh gold and commit it without the data-quality gate: for tests and benchmarks of the
    models themselves; the publish is the gated way."""
    with connect(settings) as con:
        return in_transaction(con, lambda c: refresh_gold(c, full, models_dir), "build gold")
