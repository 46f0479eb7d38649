"""Start, wait for and stop the Prefect server (API and UI) that `nianbao up` runs against.

The server runs as a subprocess of this Python (`python -m prefect server start`) with its state
(SQLite database, logs) under `<lake>/prefect/`, listening on 127.0.0.1 only. When a server
already answers on the port, or PREFECT_API_URL points elsewhere, that one is used instead.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from environment.settings import Settings
from infra import prefect_template
from infra.processes import die_with_parent, port_open, stop_process_group

DEFAULT_PORT = 4200
STARTUP_TIMEOUT_S = 90.0


class PrefectServerError(RuntimeError):
    """The Prefect server could not be started or reached."""


def api_url(port: int) -> str:
    """The API address of a local Prefect server on this port."""
    return f"http://127.0.0.1:{port}/api"


def healthy(url: str) -> bool:
    """True when the Prefect API at url answers its health check."""
    try:
        with urllib.request.urlopen(f"{url}/health", timeout=2) as reply:
            return reply.status == 200 and json.loads(reply.read()) is True
    except (OSError, ValueError):
        return False

IDLE_SERVICES = ("LATE_RUNS", "FOREMAN", "PAUSE_EXPIRATIONS", "REPOSSESSOR")


def _wait_until_healthy(url: str, process: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise PrefectServerError(
                f"the Prefect server exited with code {process.returncode}; see {log_path}"
            )
        if healthy(url):
            return
        time.sleep(0.3)
    raise PrefectServerError(f"the Prefect server did not answer at {url} in time; see {log_path}")


def _server_env(settings: Settings) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("PREFECT_HOME", str(settings.lake_dir / "prefect"))
    env["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
    env["DO_NOT_TRACK"] = "1"
    # Services for work pools, pauses and concurrency leases nianbao does not use; the late-runs
    # service would also relabel the runs `up` queued in a burst as Late, writes that contend with
    # the runs' own state changes for SQLite's one writer ("database is locked").
    for service in IDLE_SERVICES:
        env[f"PREFECT_SERVER_SERVICES_{service}_ENABLED"] = "false"
    # The server must not point at itself through an inherited client setting.
    env.pop("PREFECT_API_URL", None)
    return env


def _home(settings: Settings) -> Path:
    return Path(_server_env(settings)["PREFECT_HOME"])


def _use_api(url: str | None) -> None:
    """Point this process's Prefect client at url (None: back to the default)."""
    if url is None:
        os.environ.pop("PREFECT_API_URL", None)
    else:
        os.environ["PREFECT_API_URL"] = url
    if "prefect.context" in sys.modules:
        # Prefect snapshots its settings at import: make every thread see the new address.
        sys.modules["prefect.context"].refresh_global_settings_context()


def _start(settings: Settings, port: int) -> tuple[subprocess.Popen, Path, bool]:
    """Spawn the server on its home, a new home seeded from the template when there is one;
    the flag says the server is migrating a new database (the template-to-be)."""
    home = _home(settings)
    home.mkdir(parents=True, exist_ok=True)
    migrating = not (home / prefect_template.DATABASE).exists() and not prefect_template.seed(home)
    log_path = home / "server.log"
    command = [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1",
               "--port", str(port)]
    with open(log_path, "ab") as log:
        process = subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT, env=_server_env(settings),
            start_new_session=True, preexec_fn=die_with_parent,
        )
    return process, log_path, migrating


@contextmanager
def prefect_server_starting(settings: Settings, port: int = DEFAULT_PORT,
                            on_start: Callable[[str, subprocess.Popen, int], None] | None = None,
                            ) -> Iterator[Callable[[], str]]:
    """`prefect_server` that yields at once, while the server starts: other work can overlap its
    few seconds of start-up. Call the yielded function to wait until it answers; it points the
    client at it and returns its API URL. `on_start` is told of a server started here as soon
    as it is spawned."""
    previous = os.environ.get("PREFECT_API_URL")
    url = previous or api_url(port)
    process = None
    migrating = False
    if previous and not healthy(url):
        raise PrefectServerError(f"PREFECT_API_URL={url} does not answer its health check")
    if not healthy(url):
        if port_open(port):
            raise PrefectServerError(f"port {port} is in use by something that is not a Prefect server: "
                                     "stop it, or choose another port with --prefect-port")
        process, log_path, migrating = _start(settings, port)
        if on_start is not None:
            on_start("Prefect server", process, port)

    def ready() -> str:
        if process is not None:
            _wait_until_healthy(url, process, log_path)
            if migrating:
                prefect_template.keep(_home(settings))
        _use_api(url)
        return url

    try:
        yield ready
    finally:
        if process is not None:
            flush_client()
        _use_api(previous)
        if process is not None:
            stop_process_group(process, grace_s=20)


def flush_client() -> None:
    """Send this process's buffered run logs and events while the server still answers;
    otherwise Prefect retries them at exit against a stopped server, for up to a minute."""
    if "prefect.logging.handlers" not in sys.modules:
        return  # no flow ran here: nothing buffered
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker

    for worker in (APILogWorker, EventsWorker):
        worker.drain_all(timeout=5)


@contextmanager
def prefect_server(settings: Settings, port: int = DEFAULT_PORT,
                   on_start: Callable[[str, subprocess.Popen, int], None] | None = None) -> Iterator[str]:
    """Run (or reuse) a Prefect server for the block; yields its API URL, the client's for the block.

    PREFECT_API_URL, when set, names a server to use as is. Otherwise a server already healthy
    on 127.0.0.1:port is reused, and only a server started here is stopped on exit (`on_start`
    is told of it as soon as it is spawned).
    """
    with prefect_server_starting(settings, port, on_start) as ready:
        yield ready()
