"""Flow `reprocess`: rebuild silver from the bytes kept in bronze (e.g. after a parser upgrade), then gold."""

from __future__ import annotations

from prefect import flow, get_run_logger

from environment.settings import load_settings
from flows.audit import audit
from flows.ingest import parse_record
from flows.publish import PublishOutcome, publish
from flows.transform import transform
from pipelines.dashboard.publish_hook import local_dashboard_dir
from pipelines.dashboard.site import forget_manifest
from pipelines.silver import rebuild_from_bronze


@flow(name="reprocess", description="Re-parse every object kept in bronze, rebuild silver and gold, publish.")
def reprocess() -> PublishOutcome:
    """Rebuild silver from bronze with the current parser; nothing is uploaded again."""
    settings = load_settings()
    rebuilt = rebuild_from_bronze(settings, parse_record)
    logger = get_run_logger()
    logger.info("rebuilt silver from %d objects kept in bronze", rebuilt.reports)
    for key, reason in rebuilt.failed.items():
        logger.warning("%s no longer parses: %s", key, reason)
    audit()  # every report: the parser changed, so every finding may have
    transform(full=True)
    forget_manifest(local_dashboard_dir(settings))  # known reports' figures may have changed
    return publish()
