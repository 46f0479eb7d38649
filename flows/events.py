"""Flow `ingest-report`: ingest one landed object, then rebuild, audit and publish gold.

It is what a `report.landed` event starts. Deliveries are at-least-once; the bronze
ledger behind `ingest` turns a repeated delivery into a no-op. When many objects land at once, a
run leaves the publish (gold refresh, audit, commit) to the next queued `ingest-report` run, so
gold is refreshed once per burst rather than once per file, and always after the last one. A
publish blocked by data-quality failures fails its own `publish` run and raises the
`nianbao.publish.blocked` event; the ingest itself stands.
"""

from __future__ import annotations

from prefect import flow, get_run_logger
from prefect.states import Completed, Failed, State

from environment.settings import load_settings
from flows.ingest import ingest
from flows.publish import PublishBlocked, publish
from infra import s3


def _ingest_runs_waiting() -> bool:
    """True when another run of this deployment is queued (it will publish after us)."""
    from prefect import runtime
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        DeploymentFilter,
        DeploymentFilterId,
        FlowRunFilter,
        FlowRunFilterId,
        FlowRunFilterState,
        FlowRunFilterStateType,
    )
    from prefect.client.schemas.objects import StateType

    deployment_id = runtime.deployment.id
    if not deployment_id:
        return False
    waiting = FlowRunFilter(
        id=FlowRunFilterId(not_any_=[runtime.flow_run.id]),
        state=FlowRunFilterState(
            type=FlowRunFilterStateType(any_=[StateType.SCHEDULED, StateType.PENDING])
        ),
    )
    with get_client(sync_client=True) as client:
        queued = client.read_flow_runs(
            flow_run_filter=waiting,
            deployment_filter=DeploymentFilter(id=DeploymentFilterId(any_=[deployment_id])),
            limit=1,
        )
    return bool(queued)


@flow(
    name="ingest-report",
    description="Ingest one object landed under landing/ (bronze ledger, parse, silver), "
    "then refresh and publish gold.",
)
def ingest_report(bucket: str, key: str, etag: str = "") -> State:
    """Ingest `key` of `bucket` (announced with `etag`) and refresh gold; Failed says why a file
    was quarantined."""
    settings = load_settings()
    logger = get_run_logger()
    if bucket != settings.bucket:
        return Failed(message=f"{key}: bucket {bucket!r} is not the one this stack serves "
                              f"({settings.bucket!r}); nothing ingested")
    current = s3.head(settings, key)
    if current is None:
        message = f"{key} is no longer in the bucket (already quarantined or deleted): nothing to do"
        logger.info(message)
        return Completed(message=message)
    if etag and current.etag != etag:
        logger.info("%s changed since the event (etag %s, now %s): ingesting the current bytes",
                    key, etag, current.etag)
    results = ingest(key)
    summary = "; ".join(f"{r.key}: {r.outcome} ({r.detail})" for r in results)
    if _ingest_runs_waiting():
        logger.info("gold refresh left to the next queued ingest-report run")
    else:
        try:
            publish()
        except PublishBlocked as blocked:  # the object is ingested; gold waits for a fix
            summary += f"; gold not published: {blocked}"
    if any(r.outcome == "quarantined" for r in results):
        return Failed(message=summary)
    return Completed(message=summary)
