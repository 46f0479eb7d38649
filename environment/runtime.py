"""Process-wide defaults that must be set before Prefect, dlt or Great Expectations are imported."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager

from environment.settings import Settings

_QUIET_DEFAULTS = {
    # No telemetry leaves this machine.
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "RUNTIME__DLTHUB_TELEMETRY": "false",
    "GX_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    # Cuts event-to-run latency for served deployments.
    "PREFECT_RUNNER_POLL_FREQUENCY": "1",
    "PREFECT_LOGGING_LEVEL": "WARNING",
}


def configure_environment(settings: Settings) -> None:
    """Turn telemetry off and keep Prefect's state under the lake directory (unless set)."""
    settings.lake_dir.mkdir(parents=True, exist_ok=True)
    for name, value in _QUIET_DEFAULTS.items():
        os.environ.setdefault(name, value)
    os.environ.setdefault("PREFECT_HOME", str(settings.lake_dir / "prefect"))
    os.environ.setdefault("DLT_DATA_DIR", str(settings.lake_dir / "dlt"))
    # Great Expectations announces its temporary docs directory at INFO on every run.
    logging.getLogger("great_expectations").setLevel(logging.WARNING)


@contextmanager
def runs_in_this_process() -> Iterator[None]:
    """For flows run inside this process: no Prefect heartbeat thread.

    Every flow and subflow run joins its heartbeat thread when it ends, and that thread sleeps in
    one-second steps: up to a second per run (the demo's main job has about ten). Heartbeats only
    tell the server that a runner's subprocess died; these runs live in the calling process."""
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        yield
