"""The processes nianbao starts (SeaweedFS, Prefect, warm workers): they die with their parent,
are stopped by process group, and are listed in `<lake>/up.pid` so that what a crashed `up` left
behind is stopped by the next one.

Two lines of defence against a crash of `nianbao up`: each server asks Linux to kill it when `up`
dies (`die_with_parent`), and `UpRecord` lists the servers `up` started, with their command lines,
in a file `up` holds an exclusive lock on while it runs. The kernel drops the lock when `up` dies
however it dies, so the next `up` can tell a live `up` (refuse to start) from a dead one (stop the
servers it listed that are still running, and say so).
"""

from __future__ import annotations

import ctypes
import fcntl
import json
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

_PR_SET_PDEATHSIG = 1
UP_RECORD = "up.pid"
LEFTOVER_GRACE_S = 10.0


class AlreadyRunning(RuntimeError):
    """Another `nianbao up` is running on the same lake."""


def die_with_parent() -> None:
    """Ask Linux to SIGKILL this process when the process that started it dies (even by SIGKILL),
    so a crashed `nianbao up` leaves no server or worker behind holding its ports. Call it in
    the child (as a Popen `preexec_fn`, or first thing in a worker); a no-op elsewhere."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() == 1:  # the parent died before the request took effect
        os._exit(1)


def stop_process_group(process: subprocess.Popen, grace_s: float) -> None:
    """SIGTERM the process's group, then SIGKILL it if it has not exited within grace_s."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=grace_s)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def port_open(port: int) -> bool:
    """True when something accepts connections on 127.0.0.1:port."""
    with socket.socket() as probe:
        probe.settimeout(0.2)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def command_line(pid: int) -> list[str] | None:
    """The argv of a live process; None when it is gone (or a zombie, which holds no port)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except (OSError, IndexError):
        return None
    return None if state == "Z" else raw.decode(errors="replace").split("\0")[:-1]


def _stop_leftover(server: dict) -> bool:
    """Stop a listed server if that pid still runs the recorded command (not a reused pid);
    True when it was still running."""
    pid = server["pid"]
    if command_line(pid) != server["argv"]:
        return False
    group = os.getpgid(pid) == pid  # servers lead their own process group
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(pid, sig) if group else os.kill(pid, sig)
        except ProcessLookupError:
            break
        if _gone_within(pid, LEFTOVER_GRACE_S):
            break
    _port_released_within(server["port"], LEFTOVER_GRACE_S)
    return True


def _port_released_within(port: int, seconds: float) -> None:
    """A killed server's process may be gone (or a zombie nobody reaps) a moment before the
    kernel frees its listening port; the next start checks that port."""
    deadline = time.monotonic() + seconds
    while port_open(port) and time.monotonic() < deadline:
        time.sleep(0.1)


def _gone_within(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while command_line(pid) is not None:
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


class UpRecord:
    """`<lake>/up.pid`: the running `up` (pid, argv) and the servers it started (name, pid, port,
    argv), under an exclusive lock held for as long as `up` runs; emptied on a clean stop."""

    def __init__(self, path: Path):
        self.path = path
        self._fd: int | None = None

    @classmethod
    def for_lake(cls, lake_dir: Path) -> UpRecord:
        return cls(lake_dir / UP_RECORD)

    def claim(self) -> str | None:
        """Take the lake for this process. Raises AlreadyRunning when a live `up` holds it;
        returns one line on what a crashed `up` left behind (None after a clean stop)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            owner = read_record(self.path).get("pid", "?")
            raise AlreadyRunning(
                f"another `nianbao up` (pid {owner}) is running on the lake {self.path.parent}: "
                "stop it first, or set NIANBAO_LAKE_DIR to another lake") from None
        self._fd = fd
        previous = read_record(self.path)
        self._write({"pid": os.getpid(), "argv": command_line(os.getpid()), "servers": []})
        return _leftover_note(previous) if previous else None

    def record(self, name: str, process: subprocess.Popen, port: int) -> None:
        """Add a server this `up` started (called as soon as it is spawned)."""
        data = read_record(self.path)
        data["servers"].append(server_entry(name, process, port))
        self._write(data)

    def release(self) -> None:
        """A clean stop: empty the record (its servers are stopped) and drop the lock."""
        if self._fd is not None:
            os.ftruncate(self._fd, 0)
            os.close(self._fd)
            self._fd = None

    def _write(self, data: dict) -> None:
        # Rewritten in place: a new file (rename) would not carry the lock.
        os.ftruncate(self._fd, 0)
        os.pwrite(self._fd, json.dumps(data).encode(), 0)


def server_entry(name: str, process: subprocess.Popen, port: int) -> dict:
    """How a started server is listed in the record."""
    return {"name": name, "pid": process.pid, "port": port, "argv": [str(a) for a in process.args]}


def read_record(path: Path) -> dict:
    """The record's content; {} when absent, empty (clean stop) or unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _leftover_note(previous: dict) -> str:
    stopped = [f"{s['name']} (pid {s['pid']}, port {s['port']})"
               for s in previous.get("servers", []) if _stop_leftover(s)]
    left = "nothing of it was left running"
    if stopped:
        left = f"stopped what it left running: {', '.join(stopped)}"
    return f"the previous `nianbao up` (pid {previous.get('pid', '?')}) did not stop cleanly; {left}"
