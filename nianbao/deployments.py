"""The nianbao deployments, as registered with the Prefect server that `nianbao up` serves.

`ingest-report` runs for every landed object (nianbao/dispatch.py starts it); `backfill`, `audit`,
`publish` and `compact` are started from the UI (compaction also daily). The runs execute in the
warm worker processes of nianbao/executor.py, which plays the part of a Prefect worker.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

TAGS = ["nianbao"]
# Compaction runs once a day, at night (UTC), when few reports land.
COMPACTION_CRON = "30 3 * * *"


@dataclass(frozen=True)
class Served:
    """A deployment registered with the server, and the flow its runs execute."""

    name: str
    deployment_id: UUID
    flow: Any


def build_deployments() -> list[tuple[Any, Any]]:
    """(flow, deployment) pairs, with descriptions and typed parameters as the UI shows them."""
    from flows.audit import audit
    from flows.compact import compact_lake
    from flows.events import ingest_report
    from flows.ingest import backfill
    from flows.publish import publish

    return [
        (ingest_report, ingest_report.to_deployment(
            "ingest-report", tags=TAGS,
            description="Started by `nianbao up` for every object landing under landing/ (with its "
            "`report.landed` event): ledger, parse and load one object (bad files go to quarantine/ "
            "with a reason), then refresh, audit and publish gold.",
        )),
        (backfill, backfill.to_deployment(
            "backfill", tags=TAGS, parameters={"prefix": "landing/"},
            description="Ingest every object under a prefix, in batches (`batch_size` keys each, "
            "sized from the count when empty); objects "
            "already in the ledger are skipped. Run `publish` afterwards.",
        )),
        (audit, audit.to_deployment(
            "audit", tags=TAGS,
            description="Run the data-quality suites on silver and gold (all current reports "
            "when `report_ids` is empty; with `pending`, only reports no run has checked) and "
            "record every result; publishing is left to `publish`.",
        )),
        (compact_lake, compact_lake.to_deployment(
            "compact", tags=TAGS, cron=COMPACTION_CRON,
            description="Daily upkeep of the lake: small files merged, snapshots older than "
            "NIANBAO_SNAPSHOT_DAYS expired, files no snapshot needs deleted.",
        )),
        (publish, publish.to_deployment(
            "publish", tags=TAGS,
            description="Refresh gold from silver, audit what changed and commit it as one lake "
            "snapshot, unless a blocking check failed (`full`: every model, every report).",
        )),
    ]


def register(pairs: list[tuple[Any, Any]]) -> list[Served]:
    """Create or update the deployments (and their triggers) on the Prefect server."""
    return [Served(deployment.name, deployment.apply(), flow) for flow, deployment in pairs]
