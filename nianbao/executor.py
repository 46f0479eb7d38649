"""Runs the deployments' flow runs in warm worker processes, each as soon as it exists.

`nianbao up` plays the part of a Prefect worker for its deployments. Runs reach it two ways: the
dispatcher hands over each `ingest-report` run it creates for a landed object (no scheduler poll
between the event and the run), and a poll of the server (every `poll_s`) finds the runs started
from the UI: quick runs, retries of failed runs, scheduled compactions. Each run is claimed on the
server (Pending), then sent to an idle warm worker (nianbao/worker.py), several at once.

What the UI promises holds here: cancelling a running run kills its worker, and the run ends
Cancelled (nothing it did is committed: every write is one lake transaction); a worker that dies
ends its run Crashed; runs left Running by an `up` that was killed are marked Crashed when `up`
starts again, and their objects are ingested by the start-up sweep.
"""

from __future__ import annotations

import logging
import multiprocessing
import queue
import threading
import time
from datetime import UTC, datetime
from uuid import UUID

from nianbao import worker as worker_process
from nianbao.deployments import Served

log = logging.getLogger("nianbao.executor")
DEFAULT_WORKERS = 2


class Worker:
    """One warm worker process and the run it is busy with."""

    def __init__(self, context):
        self.conn, child = context.Pipe()
        self.process = context.Process(target=worker_process.serve, args=(child,), name="nianbao-worker")
        self.process.start()
        self.ready = False
        self.run = None

    def idle(self) -> bool:
        """True when warmed up and not running anything."""
        if not self.ready and self.conn.poll():
            self.ready = self.conn.recv() == worker_process.READY
        return self.ready and self.run is None and self.process.is_alive()

    def start(self, run, deployment: str) -> None:
        self.run = run
        self.conn.send((deployment, str(run.id)))

    def result(self) -> tuple[str, str] | None:
        """(state type, message) of the finished run, None while it runs."""
        if self.run is not None and self.process.is_alive() and self.conn.poll():
            return self.conn.recv()
        return None

    def kill(self) -> None:
        self.process.kill()
        self.process.join(5)

    def stop(self) -> None:
        if self.process.is_alive():
            self.conn.send(None)
            self.process.join(10)
        if self.process.is_alive():
            self.kill()


def _propose(run_id: UUID, state, force: bool = True) -> None:
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        client.set_flow_run_state(run_id, state, force=force)


class Executor:
    """Claims the served deployments' runs and runs them on `workers` warm processes."""

    def __init__(self, served: list[Served], workers: int = DEFAULT_WORKERS, poll_s: float = 0.5):
        self.deployments = {s.deployment_id: s.name for s in served}
        self.poll_s = poll_s
        self._queue: queue.Queue = queue.Queue()
        self._known: set[UUID] = set()
        self._lock = threading.Lock()
        self._context = multiprocessing.get_context("spawn")
        self.workers = [Worker(self._context) for _ in range(workers)]

    def submit(self, run) -> None:
        """Queue a run of a served deployment (once, however often it is submitted)."""
        with self._lock:
            if run.id in self._known:
                return
            self._known.add(run.id)
        self._queue.put(run)

    def has_room(self) -> bool:
        """True when nothing is queued and a worker is free: a run created now starts at once."""
        return self._queue.empty() and any(w.run is None for w in self.workers)

    def _forget(self, run_id: UUID) -> None:
        with self._lock:
            self._known.discard(run_id)

    def _due_runs(self) -> list:
        from prefect.client.orchestration import get_client

        with get_client(sync_client=True) as client:
            runs = client.get_scheduled_flow_runs_for_deployments(
                list(self.deployments), scheduled_before=datetime.now(UTC))
        return sorted(runs, key=lambda run: (run.expected_start_time or run.created, run.created))

    def _poll_server(self, stop: threading.Event) -> None:
        """Find runs started from the UI or a schedule; a server hiccup backs off, then retries."""
        wait = self.poll_s
        while not stop.wait(wait):
            try:
                for run in self._due_runs():
                    self.submit(run)
                wait = self.poll_s
            except Exception as error:  # the API briefly away must not stop the stack
                wait = min(30.0, wait * 2)
                log.warning("could not reach the Prefect server (%s); trying again in %.0f s", error, wait)

    def _claim(self, run) -> bool:
        """Move the run to Pending; False when it was cancelled or taken meanwhile."""
        from prefect.exceptions import Abort
        from prefect.states import Pending

        try:
            from prefect.client.orchestration import get_client
            from prefect.utilities.engine import propose_state_sync

            with get_client(sync_client=True) as client:
                return propose_state_sync(client, Pending(), flow_run_id=run.id).is_pending()
        except Abort:
            return False

    def _dispatch_one(self) -> bool:
        """Send the next queued run to an idle worker; False when there was nothing to do."""
        idle = next((w for w in self.workers if w.idle()), None)
        if idle is None:
            return False
        try:
            run = self._queue.get(timeout=0.05)
        except queue.Empty:
            return False
        idle.run = run  # taken while it is claimed: has_room must not count this worker free
        if self._claim(run):
            idle.start(run, self.deployments[run.deployment_id])
        else:
            idle.run = None
            self._forget(run.id)
        return True

    def _reap(self) -> None:
        """Collect finished runs; a worker that died takes its run down as Crashed."""
        from prefect.states import Crashed

        for index, worker in enumerate(self.workers):
            finished = worker.result()
            if finished is not None:
                log.info("flow run %s: %s %s", worker.run.name, *finished)
                self._forget(worker.run.id)
                worker.run = None
            elif not worker.process.is_alive():
                if worker.run is not None:
                    _propose(worker.run.id, Crashed(message="its worker process died; run it again"))
                    self._forget(worker.run.id)
                self.workers[index] = Worker(self._context)

    def _watch_cancellations(self) -> None:
        """Kill the worker of every run the UI asked to cancel; the run ends Cancelled."""
        from prefect.client.orchestration import get_client
        from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId
        from prefect.states import Cancelled

        busy = {w.run.id: w for w in self.workers if w.run is not None}
        if not busy:
            return
        with get_client(sync_client=True) as client:
            runs = client.read_flow_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=list(busy))))
        for run in runs:
            if run.state is not None and run.state.type.value == "CANCELLING":
                worker = busy[run.id]
                worker.kill()
                _propose(run.id, Cancelled(message="cancelled from the UI: its work was not committed"))
                log.info("flow run %s cancelled", run.name)
                self._forget(run.id)
                worker.run = None

    def serve(self, stop: threading.Event) -> None:
        """Run until `stop` is set, then let running runs finish and stop the workers."""
        mark_orphans(list(self.deployments))
        threading.Thread(target=self._poll_server, args=(stop,), name="run-poller", daemon=True).start()
        watched = 0.0
        while not stop.is_set():
            self._reap()
            if time.monotonic() - watched > self.poll_s:
                self._guarded(self._watch_cancellations)
                watched = time.monotonic()
            if not self._guarded(self._dispatch_one):
                time.sleep(0.02)
        self.drain()

    def _guarded(self, step) -> bool:
        try:
            return bool(step())
        except Exception as error:  # the API briefly away must not stop the stack
            log.warning("the Prefect server did not answer (%s); carrying on", error)
            time.sleep(0.5)
            return False

    def drain(self, timeout_s: float = 600.0) -> None:
        """Wait for running runs to end (up to timeout_s), then stop every worker."""
        deadline = time.monotonic() + timeout_s
        while any(w.run is not None for w in self.workers) and time.monotonic() < deadline:
            self._reap()
            time.sleep(0.05)
        for worker in self.workers:
            worker.stop()


def mark_orphans(deployment_ids: list[UUID]) -> int:
    """Runs of these deployments left Pending, Running or Cancelling by an `up` that was killed:
    each is ended Crashed (or Cancelled, when a cancel was asked for); returns how many."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        DeploymentFilter,
        DeploymentFilterId,
        FlowRunFilter,
        FlowRunFilterState,
        FlowRunFilterStateType,
    )
    from prefect.client.schemas.objects import StateType
    from prefect.states import Cancelled, Crashed

    open_states = FlowRunFilterStateType(any_=[StateType.PENDING, StateType.RUNNING, StateType.CANCELLING])
    with get_client(sync_client=True) as client:
        runs = client.read_flow_runs(
            flow_run_filter=FlowRunFilter(state=FlowRunFilterState(type=open_states)),
            deployment_filter=DeploymentFilter(id=DeploymentFilterId(any_=deployment_ids)))
    for run in runs:
        cancelling = run.state.type == StateType.CANCELLING
        _propose(run.id, Cancelled(message="cancelled while nianbao up was down") if cancelling
                 else Crashed(message="nianbao up stopped while this run was running; the start-up "
                              "sweep ingests its object again"))
    if runs:
        log.warning("%d runs left open by a previous nianbao up were ended as Crashed", len(runs))
    return len(runs)
