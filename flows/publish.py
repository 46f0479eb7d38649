"""Flow `publish`: write–audit–publish; gold reaches analysts only when no blocking check failed.

The audit covers the reports no run has checked yet and the gold rows changed since the last
publish; the checks comparing reports with each other run over the whole warehouse every time.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from prefect import flow, get_run_logger

from environment.settings import load_settings
from flows.audit import audit
from pipelines.dashboard.publish_hook import publish_dashboard
from pipelines.gold import build_gold
from pipelines.publish import PublishResult
from pipelines.publish import publish as publish_gold

if TYPE_CHECKING:
    from expectations.audit import AuditOutcome


class PublishOutcome:
    """What a publish wrote, what the audit found, and where the dashboard is.

    Opaque to Prefect, which would otherwise walk the audit's findings and every Parquet URI
    (both grow with the lake) when the flow returns; see `AuditOutcome`."""

    __slots__ = ("result", "audit", "dashboard_path", "dashboard_uri")

    def __init__(self, result: PublishResult, audit: AuditOutcome, dashboard_path: Path,
                 dashboard_uri: str):
        self.result = result
        self.audit = audit
        self.dashboard_path = dashboard_path
        self.dashboard_uri = dashboard_uri


class PublishBlocked(RuntimeError):
    """Blocking data-quality failures kept this batch from being published."""


@flow(name="publish", description="Audit gold, then publish it for BI (DuckDB file, Parquet, dashboard).")
def publish() -> PublishOutcome:
    """Audit, and publish gold when no blocking expectation failed; the previous gold stays otherwise."""
    outcome = audit(pending=True)
    if not outcome.publishable:
        raise PublishBlocked(
            f"{len(outcome.blocking_failures)} blocking data-quality failures; previous gold kept. "
            f"See {outcome.html_path}"
        )
    settings = load_settings()
    # The reports just audited may have new findings: their gold rows' dq_flags follow (a few keys).
    build_gold(settings)
    # The dashboard is built from the new file while that file is uploaded to the bucket.
    dashboard: list[tuple[Path, str]] = []
    result = publish_gold(settings, meanwhile=lambda: dashboard.append(publish_dashboard(settings)))
    [(page, uri)] = dashboard
    logger = get_run_logger()
    logger.info("published snapshot %s to %s", result.snapshot_id, result.published_db_path)
    logger.info("dashboard: %s (%s)", page, uri)
    return PublishOutcome(result, outcome, page, uri)
