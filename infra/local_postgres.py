"""A throwaway PostgreSQL server for the tests and benchmarks of the PostgreSQL catalog.

It runs Debian's `postgresql` binaries (`apt-get install postgresql`) on a free port of
127.0.0.1, with its data in a temporary directory, as an unprivileged user when this process is
root (PostgreSQL refuses to run as root), and is stopped and removed afterwards. Production
points `NIANBAO_CATALOG` at a real server instead; nothing here is used outside tests and
`make bench`.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from infra.seaweed import free_port, port_open

INSTALL_HINT = "PostgreSQL is not installed: apt-get install postgresql (Debian), then run again"
UNPRIVILEGED_USER = "nobody"
STARTUP_TIMEOUT_S = 30.0


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL binaries here (INSTALL_HINT says how to get them)."""


def binaries() -> Path:
    """The folder holding initdb and pg_ctl: on PATH, else Debian's /usr/lib/postgresql/<n>/bin."""
    on_path = shutil.which("initdb")
    if on_path:
        return Path(os.path.realpath(on_path)).parent
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        raise PostgresUnavailable(INSTALL_HINT)
    return Path(found[-1]).parent


def _as_server_user(command: list[str]) -> list[str]:
    return ["runuser", "-u", UNPRIVILEGED_USER, "--", *command] if os.geteuid() == 0 else command


def _run(command: list[str]) -> None:
    done = subprocess.run(_as_server_user(command), capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{Path(command[0]).name} failed: {done.stderr.strip()[-500:]}")


@contextmanager
def local_postgres() -> Iterator[str]:
    """Run a PostgreSQL server for the block; yields the URL of its `postgres` database."""
    bin_dir, port = binaries(), free_port()
    root = Path(tempfile.mkdtemp(prefix="nianbao-pg-"))
    data = root / "data"
    if os.geteuid() == 0:
        shutil.chown(root, user=UNPRIVILEGED_USER)
    try:
        _run([str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8"])
        options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off"
        _run([str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(root / "log"), "start"])
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while not port_open(port):
            if time.monotonic() > deadline:
                raise RuntimeError(f"PostgreSQL did not start on port {port}: {(root / 'log').read_text()}")
            time.sleep(0.1)
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        if data.exists():
            subprocess.run(_as_server_user([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate",
                                            "stop"]), capture_output=True, check=False)
        shutil.rmtree(root, ignore_errors=True)


def create_database(server_url: str, name: str) -> str:
    """Create database `name` on the server (with Debian's `createdb`); returns its URL."""
    address = server_url.removeprefix("postgresql://").split("/", 1)[0]
    user, _, host_port = address.rpartition("@")
    host, _, port = host_port.partition(":")
    command = [str(binaries() / "createdb"), "-h", host, "-p", port, "-U", user or "postgres", name]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"createdb {name} failed: {done.stderr.strip()}")
    return server_url.rsplit("/", 1)[0] + f"/{name}"
