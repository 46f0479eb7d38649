"""From a landed object to its running flow run without waiting for anything.

The event sources of `up` (the filer webhook, the polling sensor) hand each landed (key, etag) to
`Dispatcher.announce`: it creates the object's `ingest-report` flow run on the Prefect server and
gives it straight to the executor, then posts the `report.landed` event naming that run. A
Prefect automation would do the same from the event, but only after the server's trigger service
and a scheduler poll, one to three seconds of a drop's two-second budget.
"""

from __future__ import annotations

import logging
from uuid import UUID

from infra.events import landed_event, post_events
from nianbao.executor import Executor

log = logging.getLogger("nianbao.dispatch")


class Dispatcher:
    """Creates and hands over one `ingest-report` run per landed object."""

    def __init__(self, executor: Executor, ingest_deployment_id: UUID):
        self.executor = executor
        self.deployment_id = ingest_deployment_id

    def announce(self, bucket: str, objects: list[tuple[str, str]], source: str) -> None:
        """Start a run for each (key, etag); raises when the server did not take them (the
        source then keeps them for its next delivery)."""
        from prefect.client.orchestration import get_client

        events = []
        with get_client(sync_client=True) as client:
            for key, etag in objects:
                run = client.create_flow_run_from_deployment(
                    self.deployment_id, parameters={"bucket": bucket, "key": key, "etag": etag},
                    tags=["nianbao", f"source:{source}"])
                self.executor.submit(run)
                events.append(landed_event(bucket, key, etag, source, run.id))
        try:
            post_events(events)
        except Exception as error:  # the runs exist; the events only say where they came from
            log.warning("could not post %d report.landed events (%s); their runs are started",
                        len(events), error)
