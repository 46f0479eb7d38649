"""From a landed object to its running flow run without waiting for a scheduler.

The event sources of `up` (the filer webhook, the polling sensor) hand each landed (key, etag) to
`Dispatcher.announce`. As soon as a warm worker is free, the dispatcher creates an `ingest-report`
flow run on the Prefect server, gives it straight to the executor and posts each object's
`report.landed` event naming that run. A Prefect automation would do the same from the event,
but only after the server's trigger service and a scheduler poll: one to three seconds of a
drop's two-second budget.

A file dropped alone gets a run of its own. Files landing faster than the workers ingest them
wait here, and the next free worker takes all that waited (up to BATCH_MAX) in one run: every
Prefect flow run costs the server and the worker about a second of CPU whatever it ingests,
so a burst of 200 as 200 runs would take minutes on two cores. The run's logs list each object.
"""

from __future__ import annotations

import logging
import threading
from uuid import UUID

from infra.events import landed_event, post_events
from nianbao.executor import Executor

log = logging.getLogger("nianbao.dispatch")
BATCH_MAX = 100
RETRY_S = (1, 2, 5, 10, 30)


class Dispatcher:
    """Creates `ingest-report` runs for landed objects, one per object or one per burst."""

    def __init__(self, executor: Executor, ingest_deployment_id: UUID):
        self.executor = executor
        self.deployment_id = ingest_deployment_id
        self._pending: list[tuple[str, str, str, str]] = []  # bucket, key, etag, source
        self._wake = threading.Condition()
        self._stopped = False
        threading.Thread(target=self._dispatch, name="dispatcher", daemon=True).start()

    def announce(self, bucket: str, objects: list[tuple[str, str]], source: str) -> None:
        """Queue each (key, etag) for a run; the run starts as soon as a worker is free."""
        with self._wake:
            self._pending += [(bucket, key, etag, source) for key, etag in objects]
            self._wake.notify()

    def stop(self) -> None:
        """Stop creating runs; objects still waiting are found by the next start-up sweep."""
        with self._wake:
            self._stopped = True
            self._wake.notify()

    def _next_batch(self) -> list[tuple[str, str, str, str]] | None:
        """The objects the next run takes (of one bucket), once a worker is free; None at stop."""
        with self._wake:
            while not self._stopped and not (self._pending and self.executor.has_room()):
                self._wake.wait(0.02)
            if self._stopped:
                return None
            bucket = self._pending[0][0]
            batch = [item for item in self._pending if item[0] == bucket][:BATCH_MAX]
            self._pending = [item for item in self._pending if item not in batch]
            return batch

    def _dispatch(self) -> None:
        failures = 0
        while (batch := self._next_batch()) is not None:
            try:
                self._start_run(batch)
                failures = 0
            except Exception as error:  # the server briefly away: keep the objects, try again
                wait = RETRY_S[min(failures, len(RETRY_S) - 1)]
                failures += 1
                log.warning("could not start a run for %d landed objects (%s); trying again in %d s",
                            len(batch), error, wait)
                with self._wake:
                    self._pending = batch + self._pending
                    self._wake.wait(wait)

    def _start_run(self, batch: list[tuple[str, str, str, str]]) -> None:
        from prefect.client.orchestration import get_client

        (bucket, key, etag, _), rest = batch[0], batch[1:]
        parameters = {"bucket": bucket, "key": key, "etag": etag}
        if rest:
            parameters["landed_with"] = [item[1] for item in rest]
        with get_client(sync_client=True) as client:
            run = client.create_flow_run_from_deployment(
                self.deployment_id, parameters=parameters,
                tags=["nianbao", *sorted({f"source:{item[3]}" for item in batch})])
        self.executor.submit(run)
        try:
            post_events([landed_event(bucket, k, e, source, run.id) for _, k, e, source in batch])
        except Exception as error:  # the run exists; the events only say where it came from
            log.warning("could not post %d report.landed events (%s); their run is started",
                        len(batch), error)
