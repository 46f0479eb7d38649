"""Flow `transform`: silver → gold by running the SQL models in `dbt_like_sql/`."""

from __future__ import annotations

from pipelines.gold import build_gold
from prefect import flow, get_run_logger

from nianbao.settings import load_settings


@flow(name="transform", description="Rebuild gold from silver with the SQL models, in dependency order.")
def transform() -> list[str]:
    """Build every gold model; returns the models in the order they ran."""
    models = build_gold(load_settings())
    get_run_logger().info("built %d models: %s", len(models), ", ".join(models))
    return models
