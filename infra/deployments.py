"""The five nianbao deployments, registered with the Prefect server and run by one warm process.

`ingest-report` runs on every `report.landed` event; `backfill`, `rebuild-gold`, `audit` and
`publish` are started from the UI. `WarmExecutor` plays the part of `prefect serve`: it polls the
server for due runs of these deployments and runs them one at a time *in this process*, because
(1) DuckDB allows one writer per file, so a single serial writer rules out lock errors by design,
and (2) a fresh process per run (what `serve` does) would pay Prefect, dlt and Great Expectations
imports, several seconds, on every landed file.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from infra.events import LANDED_EVENT, RESOURCE_PREFIX

log = logging.getLogger("nianbao.deployments")

TAGS = ["nianbao"]


@dataclass(frozen=True)
class Served:
    """A deployment registered with the server, and the flow its runs execute."""

    name: str
    deployment_id: UUID
    flow: Any


def landed_trigger():
    """Run `ingest-report` for each `report.landed` event, with the object from its payload."""
    from prefect.events import DeploymentEventTrigger

    return DeploymentEventTrigger(
        name="report landed",
        description="An object was created under landing/ in the bucket.",
        expect={LANDED_EVENT},
        match={"prefect.resource.id": f"{RESOURCE_PREFIX}*"},
        parameters={
            "bucket": "{{ event.payload.bucket }}",
            "key": "{{ event.payload.key }}",
            "etag": "{{ event.payload.etag }}",
        },
    )


def build_deployments() -> list[tuple[Any, Any]]:
    """(flow, deployment) pairs, with descriptions and typed parameters as the UI shows them."""
    from flows.audit import audit
    from flows.events import ingest_report
    from flows.ingest import backfill
    from flows.publish import publish
    from flows.transform import transform

    return [
        (ingest_report, ingest_report.to_deployment(
            "ingest-report", triggers=[landed_trigger()], tags=TAGS,
            description="Runs on every `report.landed` event: ledger, parse and load one object "
            "(bad files go to quarantine/ with a reason), then rebuild, audit and publish gold.",
        )),
        (backfill, backfill.to_deployment(
            "backfill", tags=TAGS, parameters={"prefix": "landing/"},
            description="Ingest every object under a prefix, in batches (`batch_size` keys each, "
            "sized from the count when empty); objects "
            "already in the ledger are skipped. Run `rebuild-gold` and `publish` afterwards.",
        )),
        (transform, transform.to_deployment(
            "rebuild-gold", tags=TAGS,
            description="Bring gold up to date with silver: the reports changed since the last build, "
            "or every model when `full` (not published).",
        )),
        (audit, audit.to_deployment(
            "audit", tags=TAGS,
            description="Run the data-quality suites on silver and gold (all current reports "
            "when `report_ids` is empty; with `pending`, only reports no run has checked and gold "
            "rows changed since the last publish) and record every result.",
        )),
        (publish, publish.to_deployment(
            "publish", tags=TAGS,
            description="Audit what changed, then publish gold for BI unless a blocking check failed.",
        )),
    ]


def register(pairs: list[tuple[Any, Any]]) -> list[Served]:
    """Create or update the deployments (and their triggers) on the Prefect server."""
    return [Served(deployment.name, deployment.apply(), flow) for flow, deployment in pairs]


class WarmExecutor:
    """Runs due flow runs of the served deployments in this process, oldest first, one at a time."""

    def __init__(self, served: list[Served], poll_s: float = 0.25):
        self.flows = {s.deployment_id: s.flow for s in served}
        self.poll_s = poll_s

    def due_runs(self) -> list:
        """Scheduled runs of our deployments whose start time has come (also marks them ready)."""
        from prefect.client.orchestration import get_client

        with get_client(sync_client=True) as client:
            runs = client.get_scheduled_flow_runs_for_deployments(
                list(self.flows), scheduled_before=datetime.now(UTC)
            )
        return sorted(runs, key=lambda run: (run.expected_start_time or run.created, run.created))

    def _claim(self, run) -> bool:
        """Move the run to Pending; False when the server says someone else has it."""
        from prefect.client.orchestration import get_client
        from prefect.exceptions import Abort
        from prefect.states import Pending
        from prefect.utilities.engine import propose_state_sync

        try:
            with get_client(sync_client=True) as client:
                return propose_state_sync(client, Pending(), flow_run_id=run.id).is_pending()
        except Abort:
            return False

    def execute(self, run) -> None:
        """Run one claimed flow run to a final state; its logs and state go to the server."""
        from prefect.flow_engine import run_flow

        from environment.runtime import runs_in_this_process

        with runs_in_this_process():  # a heartbeat would add up to a second to each event
            state = run_flow(self.flows[run.deployment_id], flow_run=run, return_type="state")
        log.info("flow run %s (%s): %s %s", run.name, run.id, state.type.value, state.message or "")

    def run_due(self, stop: threading.Event) -> int:
        """Run everything due now; returns how many runs were executed."""
        done = 0
        for run in self.due_runs():
            if stop.is_set():
                break
            if self._claim(run):
                self.execute(run)
                done += 1
        return done

    def serve(self, stop: threading.Event) -> None:
        """Poll and run until `stop` is set; a server hiccup is logged and retried."""
        while not stop.is_set():
            try:
                if self.run_due(stop):
                    continue  # more may have arrived while running: look again at once
            except Exception as error:  # the API briefly away must not stop the stack
                log.warning("could not poll the Prefect server, retrying: %s", error)
            stop.wait(self.poll_s)
