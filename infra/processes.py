"""The processes nianbao starts (SeaweedFS, Prefect, warm workers): they die with their parent,
and are stopped by process group."""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess

_PR_SET_PDEATHSIG = 1


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
