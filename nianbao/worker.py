"""A warm worker process of `nianbao up`: imports everything once, then runs flow runs one by one.

The executor (nianbao/executor.py) starts a few of these before the first event. Each imports
Prefect, the flows, dlt and Great Expectations and opens the lake once, so a flow run it is handed
starts at once instead of paying seconds of imports. A run executes here exactly as a Prefect
runner would execute it (`run_flow` with the server's flow run: states, logs and events go to the
server). Cancelling a run is killing its worker: every write of nianbao is one lake transaction,
so a killed run leaves nothing half-written. The worker dies with `up`, even when `up` is killed.
"""

from __future__ import annotations

import logging
from multiprocessing.connection import Connection
from uuid import UUID

log = logging.getLogger("nianbao.worker")

READY = "ready"


def _flows_by_deployment() -> dict[str, object]:
    from nianbao.deployments import build_deployments

    return {deployment.name: flow for flow, deployment in build_deployments()}


def _warm_up() -> None:
    """Pay the first-use costs here, not in the first run: imports, the lake's extensions."""
    import expectations.gated_publish  # noqa: F401
    from environment.settings import load_settings
    from expectations.gx_runner import preload
    from pipelines.lake import connect

    preload()  # Great Expectations: seconds to import and to make its context
    connect(load_settings()).close()


def run_one(flows: dict[str, object], deployment: str, run_id: UUID) -> tuple[str, str]:
    """Run one flow run to a final state; returns (state type, message)."""
    from prefect.client.orchestration import get_client
    from prefect.flow_engine import run_flow

    from environment.runtime import runs_in_this_process

    with get_client(sync_client=True) as client:
        flow_run = client.read_flow_run(run_id)
    with runs_in_this_process():  # a heartbeat would add up to a second to each event
        state = run_flow(flows[deployment], flow_run=flow_run, return_type="state")
    return state.type.value, state.message or ""


def serve(conn: Connection) -> None:
    """The worker's whole life: warm up, say so, then run what it is sent until told to stop."""
    from infra.processes import die_with_parent

    die_with_parent()
    flows = _flows_by_deployment()
    _warm_up()
    conn.send(READY)
    while True:
        message = conn.recv()
        if message is None:
            return
        deployment, run_id = message
        try:
            conn.send(run_one(flows, deployment, UUID(run_id)))
        except Exception as error:  # the engine failed outside the flow: report, stay alive
            log.exception("flow run %s could not be run", run_id)
            conn.send(("CRASHED", f"{type(error).__name__}: {error}"))
