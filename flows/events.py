"""Flow `ingest-report`: ingest a landed object (or a burst of them), then publish gold.

`nianbao up` starts it for what lands under landing/ (nianbao/dispatch.py): one run per object
dropped alone, one run for the objects that waited while the workers were busy (`landed_with`).
Deliveries are at-least-once; the bronze ledger turns a repeated delivery into a no-op. The
objects are ingested as tasks of this run, and gold is refreshed, audited and published in it
too, unless another `ingest-report` run is already queued: then that one publishes, so a burst
refreshes gold a few times rather than once per file, and always after the last object. A
blocked publish leaves the ingest standing, says so in the run's message and raises the
`nianbao.publish.blocked` event.
"""

from __future__ import annotations

from collections import Counter

from prefect import flow, get_run_logger
from prefect.states import Completed, Failed, State

from environment.settings import load_settings
from flows.ingest import ingest_keys
from flows.publish import PublishBlocked, publish_gold
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


def _skip(settings, key: str, etag: str) -> State | None:
    """Completed (nothing to do) when the object is gone; logs when it changed since the event."""
    current = s3.head(settings, key)
    if current is None:
        message = f"{key} is no longer in the bucket (already quarantined or deleted): nothing to do"
        get_run_logger().info(message)
        return Completed(message=message)
    if etag and current.etag != etag:
        get_run_logger().info("%s changed since the event (etag %s, now %s): ingesting the current "
                              "bytes", key, etag, current.etag)
    return None


def _summary(results: list) -> str:
    """Each object's outcome; for a burst, the counts and the quarantined ones."""
    if len(results) <= 3:
        return "; ".join(f"{r.key}: {r.outcome} ({r.detail})" for r in results)
    bad = [f"{r.key}: {r.detail}" for r in results if r.outcome == "quarantined"]
    counts = ", ".join(f"{n} {outcome}" for outcome, n in sorted(Counter(r.outcome for r in results).items()))
    return f"{len(results)} objects: {counts}" + (f"; quarantined: {'; '.join(bad)}" if bad else "")


@flow(
    name="ingest-report",
    description="Ingest one object landed under landing/ (bronze ledger, parse, silver), with the "
    "objects that landed with it in a burst (`landed_with`), then refresh and publish gold.",
)
def ingest_report(bucket: str, key: str, etag: str = "", landed_with: list[str] | None = None) -> State:
    """Ingest `key` of `bucket` (announced with `etag`) and any `landed_with` it, then refresh
    gold; Failed says why a file was quarantined."""
    settings = load_settings()
    if bucket != settings.bucket:
        return Failed(message=f"{key}: bucket {bucket!r} is not the one this stack serves "
                              f"({settings.bucket!r}); nothing ingested")
    if not landed_with and (skipped := _skip(settings, key, etag)) is not None:
        return skipped
    results = ingest_keys([key, *(landed_with or [])])
    summary = _summary(results)
    if _ingest_runs_waiting():
        get_run_logger().info("gold refresh left to the next queued ingest-report run")
    else:
        try:
            publish_gold()
        except PublishBlocked as blocked:  # the objects are ingested; gold waits for a fix
            summary += f"; gold not published: {blocked}"
    if any(r.outcome == "quarantined" for r in results):
        return Failed(message=summary)
    return Completed(message=summary)
