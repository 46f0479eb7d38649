"""The real stack for the end-to-end tests: `nianbao up` in a subprocess, driven like a user would.

One stack serves the whole module (starting the Prefect server costs ~10 s on 2 cores); the
tests reach it only from outside: boto3 uploads, the Prefect REST API, the lake read-only.
"""

from __future__ import annotations

import dataclasses
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import boto3
import httpx
import pytest
from prefect.client.base import PrefectHttpxSyncClient

from environment.settings import PROJECT_ROOT, Settings, load_settings
from infra.seaweed import free_port
from nianbao.query import NothingPublished, run_query

STARTUP_TIMEOUT_S = 150


def prefect_api(api: str) -> httpx.Client:
    """An HTTP client of the Prefect REST API at api that, like Prefect's own client (and unlike
    a bare httpx call), retries the 503 the SQLite-backed server answers when its one writer is
    busy ("database is locked"); any other error status raises."""
    return PrefectHttpxSyncClient(base_url=api, timeout=30)


@dataclasses.dataclass
class Stack:
    """A running `nianbao up`, and what a test needs to use it from outside."""

    settings: Settings
    api: str
    process: subprocess.Popen
    log_path: Path
    http: httpx.Client = dataclasses.field(init=False)

    def __post_init__(self):
        self.http = prefect_api(self.api)

    def s3(self):
        """A plain boto3 client, as any user's S3 tool would be."""
        return boto3.client(
            "s3", endpoint_url=self.settings.endpoint_url, region_name=self.settings.s3_region,
            aws_access_key_id=self.settings.s3_access_key,
            aws_secret_access_key=self.settings.s3_secret_key,
        )

    def published(self, sql: str) -> list[tuple]:
        """Rows from the published gold, as `nianbao query` reads them (empty before any publish)."""
        try:
            return run_query(self.settings, sql)[1]
        except NothingPublished:
            return []

    def published_report_ids(self) -> set[str]:
        """The reports visible in published gold."""
        return {row[0] for row in self.published(
            "SELECT DISTINCT report_id FROM gold.region_year_metrics")}

    def deployment_id(self, name: str) -> str:
        """The id of the deployment called name."""
        [found] = self.http.post("/deployments/filter",
                                 json={"deployments": {"name": {"any_": [name]}}}).json()
        return found["id"]

    def flow_runs(self, deployment: str = "ingest-report") -> list[dict]:
        """Every flow run of one deployment, from the Prefect REST API."""
        body = {"deployments": {"id": {"any_": [self.deployment_id(deployment)]}}, "limit": 200}
        return self.http.post("/flow_runs/filter", json=body).json()

    def start_run(self, deployment: str, parameters: dict | None = None) -> str:
        """What the UI's Quick run does: a flow run of the deployment; returns its id."""
        created = self.http.post(f"/deployments/{self.deployment_id(deployment)}/create_flow_run",
                                 json={"parameters": parameters or {}})
        return created.json()["id"]

    def run(self, run_id: str) -> dict:
        """A flow run as the API (and the UI) shows it."""
        return self.http.get(f"/flow_runs/{run_id}").json()

    def set_state(self, run_id: str, state: dict) -> None:
        """What the UI's Cancel and Retry buttons do: propose a state, forcing it."""
        self.http.post(f"/flow_runs/{run_id}/set_state", json={"state": state, "force": True})

    def wait_for(self, what: str, done: Callable[[], bool], timeout_s: float = 120) -> None:
        """Poll until done() is true; fail with the stack's log tail otherwise."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"nianbao up exited:\n{self.log_tail()}"
            if done():
                return
            time.sleep(0.3)
        pytest.fail(f"timed out waiting for {what}\n{self.log_tail()}")

    def log_tail(self, lines: int = 60) -> str:
        """The end of the stack's output."""
        return "\n".join(self.log_path.read_text("utf-8", "replace").splitlines()[-lines:])


def _wait_until_up(process: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        text = log_path.read_text("utf-8", "replace")
        if "nianbao is up." in text:
            return
        if process.poll() is not None:
            pytest.fail(f"nianbao up exited with {process.returncode}:\n{text[-4000:]}")
        time.sleep(0.3)
    pytest.fail(f"nianbao up did not come up in {STARTUP_TIMEOUT_S} s")


def _stop(process: subprocess.Popen, log_path: Path) -> None:
    process.send_signal(signal.SIGINT)  # Ctrl-C, as a user stops it
    try:
        process.wait(timeout=45)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        pytest.fail(f"nianbao up did not stop on Ctrl-C within 45 s:\n{log_path.read_text()[-3000:]}")


def start_up(settings: Settings, prefect_port: int) -> tuple[subprocess.Popen, Path]:
    """Start `nianbao up` for this lake, bucket and ports; wait until it says it is up."""
    env = {key: value for key, value in os.environ.items()
           if key not in ("NIANBAO_S3_ENDPOINT", "PREFECT_API_URL", "PREFECT_HOME")}
    env |= {"NIANBAO_LAKE_DIR": str(settings.lake_dir), "NIANBAO_BUCKET": settings.bucket,
            "NIANBAO_S3_PORT": str(settings.s3_port)}
    log_path = settings.lake_dir / "up.log"
    with open(log_path, "ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "nianbao.stack", "up", "--prefect-port", str(prefect_port)],
            stdout=log, stderr=subprocess.STDOUT, env=env, cwd=PROJECT_ROOT,
            start_new_session=True,
        )
    try:
        _wait_until_up(process, log_path)
    except BaseException:
        _stop(process, log_path)
        raise
    return process, log_path


def fresh_stack_settings(lake: Path) -> Settings:
    """Settings of a new lake on a free S3 port (bucket `nianbao`, as a user's)."""
    return dataclasses.replace(load_settings(), lake_dir=lake, bucket="nianbao", s3_endpoint=None,
                               s3_port=free_port())


@pytest.fixture(scope="module")
def stack(tmp_path_factory) -> Stack:
    """`nianbao up` on free ports with a fresh lake, stopped with Ctrl-C after the module."""
    settings = fresh_stack_settings(tmp_path_factory.mktemp("stack-lake"))
    prefect_port = free_port()
    process, log_path = start_up(settings, prefect_port)
    try:
        yield Stack(settings, f"http://127.0.0.1:{prefect_port}/api", process, log_path)
    finally:
        _stop(process, log_path)
