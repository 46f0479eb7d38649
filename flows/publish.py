"""Flow `publish`: write–audit–publish; gold reaches analysts only when no blocking check failed.

One lake transaction refreshes gold from silver, audits the reports no run has checked yet and
the gold rows the refresh changed, and commits only when no blocking check failed
(expectations/gated_publish.py); then the dashboard follows the new gold.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from prefect import flow, get_run_logger

from environment.settings import load_settings
from expectations.outcome import PublishBlocked
from infra import disk
from pipelines.dashboard.publish_hook import publish_dashboard

if TYPE_CHECKING:
    from expectations.gated_publish import PublishResult

__all__ = ["PublishBlocked", "PublishOutcome", "publish", "publish_gold"]


class PublishOutcome:
    """What a publish committed, what its audit found, and where the dashboard is.

    Opaque to Prefect, which would otherwise walk the audit's findings (they grow with the lake)
    when the flow returns; see `AuditOutcome`."""

    __slots__ = ("result", "dashboard_path", "dashboard_uri")

    def __init__(self, result: PublishResult, dashboard_path: Path, dashboard_uri: str):
        self.result = result
        self.dashboard_path = dashboard_path
        self.dashboard_uri = dashboard_uri

    @property
    def audit(self):
        """The audit that let this publish through."""
        return self.result.audit


def _announce_blocked(bucket: str, blocked: PublishBlocked) -> None:
    """The `nianbao.publish.blocked` event, for the UI's Event Feed and the automation that tells
    the operator (nianbao/alerts.py)."""
    from prefect.events import emit_event

    emit_event(event="nianbao.publish.blocked",
               resource={"prefect.resource.id": f"nianbao.lake.{bucket}", "prefect.resource.name": bucket},
               payload={"message": str(blocked), "report": str(blocked.outcome.html_path),
                        "blocking_failures": len(blocked.outcome.blocking_failures)})


@flow(name="publish", description="Refresh gold, audit it and publish it as one lake snapshot "
      "(every model and every report when `full`); blocked by any blocking data-quality failure.")
def publish(full: bool = False) -> PublishOutcome:
    """Refresh, audit and publish gold; PublishBlocked (gold unchanged) on a blocking failure."""
    return publish_gold(full)


def publish_gold(full: bool = False) -> PublishOutcome:
    """What the `publish` flow does, in the calling flow (`ingest-report` publishes without a
    subflow run of its own)."""
    from expectations.gated_publish import publish as gated_publish  # imports Great Expectations

    settings = load_settings()
    logger = get_run_logger()
    try:
        result = gated_publish(settings, full)
        kept = (f"gold is published as snapshot {result.snapshot_id}, but the dashboard still shows "
                "the one before")
        disk.ensure_room(settings, "publish", kept)  # a page of a few KB may still fit: refuse it early
        with disk.explain_full(settings, "publish", kept):
            page, uri = publish_dashboard(settings)
    except PublishBlocked as blocked:
        for failure in blocked.outcome.blocking_failures:
            logger.error("blocking: %s", failure)
        _announce_blocked(settings.bucket, blocked)
        raise
    except disk.DiskFull as full_disk:
        logger.error("%s", full_disk.strerror)
        raise
    logger.info("published snapshot %s (%d checks, %d warnings); dashboard %s (%s)", result.snapshot_id,
                result.audit.n_checks, len(result.audit.warnings), page, uri)
    return PublishOutcome(result, page, uri)
