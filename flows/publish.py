"""Flow `publish`: write–audit–publish; gold reaches analysts only when no blocking check failed."""

from __future__ import annotations

from pipelines.publish import publish as publish_gold
from prefect import flow, get_run_logger

from flows.audit import audit
from nianbao.settings import load_settings


class PublishBlocked(RuntimeError):
    """Blocking data-quality failures kept this batch from being published."""


@flow(name="publish", description="Audit gold, then publish it for BI (DuckDB file + Parquet).")
def publish():
    """Audit, and publish gold when no blocking expectation failed; the previous gold stays otherwise."""
    outcome = audit()
    if not outcome.publishable:
        raise PublishBlocked(
            f"{len(outcome.blocking_failures)} blocking data-quality failures; previous gold kept. "
            f"See {outcome.html_path}"
        )
    result = publish_gold(load_settings())
    get_run_logger().info("published snapshot %s to %s", result.snapshot_id, result.published_db_path)
    return result, outcome
