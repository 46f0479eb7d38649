"""Flow `transform`: silver → gold by running the SQL models in `dbt_like_sql/`."""

from __future__ import annotations

from prefect import flow, get_run_logger

from environment.settings import load_settings
from pipelines.gold import build_gold


@flow(name="transform", description="Bring gold up to date with silver: the SQL models, in dependency "
      "order, for the reports changed since the last build (every report when `full`).")
def transform(full: bool = False) -> list[str]:
    """Refresh every gold model (rebuild it whole when `full`); returns the models in run order."""
    models = build_gold(load_settings(), full=full)
    get_run_logger().info("built %d models: %s", len(models), ", ".join(models))
    return models
