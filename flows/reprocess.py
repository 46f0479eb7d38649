"""Flow `reprocess`: rebuild silver from the bytes kept in bronze (e.g. after a parser upgrade), then
publish gold rebuilt whole, every report checked again."""

from __future__ import annotations

from prefect import flow, get_run_logger

from environment.settings import load_settings
from flows.parsed import parse_record
from flows.publish import PublishOutcome, publish
from pipelines.dashboard.publish_hook import local_dashboard_dir
from pipelines.dashboard.site import forget_manifest
from pipelines.writer import rebuild_silver


@flow(name="reprocess", description="Re-parse every object kept in bronze, rebuild silver and gold, publish.")
def reprocess() -> PublishOutcome:
    """Rebuild silver from bronze with the current parser; nothing is uploaded again."""
    settings = load_settings()
    rebuilt = rebuild_silver(settings, parse_record)
    logger = get_run_logger()
    logger.info("rebuilt silver from %d objects kept in bronze", rebuilt.reports)
    for key, reason in rebuilt.failed.items():
        logger.warning("%s no longer parses: %s", key, reason)
    forget_manifest(local_dashboard_dir(settings))  # known reports' figures may have changed
    return publish(full=True)  # the parser changed, so every finding may have
