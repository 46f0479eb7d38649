"""A crash of `nianbao up` leaves nothing behind that blocks the next start.

The servers die with `up` (PR_SET_PDEATHSIG); when one does not (the second line of defence),
the next `up` finds it in `<lake>/up.pid` and stops it. A second `up` on a lake that is in use,
and a port taken by something else, are refused in one line saying what to change.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time

import pytest

from environment.settings import PROJECT_ROOT
from infra.processes import UpRecord, port_open, read_record, server_entry
from infra.seaweed import embedded_s3, free_port
from pipelines.lake import connect, forget_instances

from .conftest import Stack, _stop, fresh_stack_settings, start_up
from .reports import SAMPLES, year_shifted

pytestmark = pytest.mark.e2e


def _up_once(settings, prefect_port: int) -> subprocess.CompletedProcess:
    """`nianbao up` on this lake and ports, expected to give up at once; its output."""
    env = {key: value for key, value in os.environ.items()
           if key not in ("NIANBAO_S3_ENDPOINT", "PREFECT_API_URL", "PREFECT_HOME")}
    env |= {"NIANBAO_LAKE_DIR": str(settings.lake_dir), "NIANBAO_BUCKET": settings.bucket,
            "NIANBAO_S3_PORT": str(settings.s3_port)}
    return subprocess.run(
        [sys.executable, "-m", "nianbao.stack", "up", "--prefect-port", str(prefect_port)],
        env=env, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120)


def _one_line_refusal(done: subprocess.CompletedProcess) -> str:
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    [line] = done.stderr.strip().splitlines()
    return line


def _sleeper() -> subprocess.Popen:
    return subprocess.Popen(["sleep", "300"], start_new_session=True)


def test_a_stale_record_stops_only_the_processes_it_names(tmp_path):
    listed, stranger = _sleeper(), _sleeper()
    try:
        record = UpRecord.for_lake(tmp_path)
        record.claim()
        record.record("SeaweedFS", listed, 1234)
        reused = server_entry("Prefect server", stranger, 4200) | {"argv": ["weed", "mini"]}
        data = read_record(record.path)
        data["servers"].append(reused)  # its pid now runs another program: left alone
        record.path.write_text(json.dumps(data))
        os.close(record._fd)  # what the kernel does when `up` dies: the lock goes, the record stays

        note = UpRecord.for_lake(tmp_path).claim()
        assert note == (f"the previous `nianbao up` (pid {os.getpid()}) did not stop cleanly; stopped "
                        f"what it left running: SeaweedFS (pid {listed.pid}, port 1234)")
        assert listed.wait(5) == -signal.SIGTERM
        assert stranger.poll() is None
    finally:
        for process in (listed, stranger):
            process.kill()
            process.wait()


def test_a_second_up_on_a_lake_in_use_is_refused(tmp_path):
    holder = UpRecord.for_lake(tmp_path)
    assert holder.claim() is None
    with pytest.raises(Exception, match=rf"another `nianbao up` \(pid {os.getpid()}\) is running"):
        UpRecord.for_lake(tmp_path).claim()
    holder.release()
    assert UpRecord.for_lake(tmp_path).claim() is None, "a clean stop leaves nothing to report"


def test_ports_in_use_are_named_with_the_setting_to_change(tmp_path):
    settings = fresh_stack_settings(tmp_path / "lake")
    with socket.create_server(("127.0.0.1", settings.s3_port)):
        line = _one_line_refusal(_up_once(settings, free_port()))
    assert f"port {settings.s3_port} is already in use" in line and "NIANBAO_S3_PORT" in line

    prefect_port = free_port()
    with socket.create_server(("127.0.0.1", prefect_port)):
        line = _one_line_refusal(_up_once(settings, prefect_port))
    assert f"port {prefect_port} is in use" in line and "--prefect-port" in line
    assert not port_open(settings.s3_port), "the S3 server it had started is still running"


def test_up_killed_with_a_server_left_running_starts_again_without_help(tmp_path_factory):
    settings = fresh_stack_settings(tmp_path_factory.mktemp("orphan-lake"))
    prefect_port = free_port()
    process, log_path = start_up(settings, prefect_port)
    stack = Stack(settings, f"http://127.0.0.1:{prefect_port}/api", process, log_path)
    burst = {f"landing/orphan/{path.stem}-{back}.txt": year_shifted(path, back)
             for path in SAMPLES for back in (5, 6)}
    for key, data in burst.items():
        stack.s3().put_object(Bucket="nianbao", Key=key, Body=data)
    os.kill(process.pid, signal.SIGKILL)  # `up` alone, not its process group
    process.wait()
    forget_instances()
    deadline = time.monotonic() + 30
    while port_open(settings.s3_port) and time.monotonic() < deadline:
        time.sleep(0.2)
    # The case the kernel's parent-death signal should have prevented: a SeaweedFS of this lake,
    # on its port, left running and listed in the dead `up`'s record (started the way `up` does).
    stale = read_record(UpRecord.for_lake(settings.lake_dir).path)
    assert stale["pid"] == process.pid
    orphans = []

    def listed(name, server, port):
        orphans.append(server)
        stale["servers"].append(server_entry(name, server, port))
        UpRecord.for_lake(settings.lake_dir).path.write_text(json.dumps(stale))

    with embedded_s3(settings, on_start=listed):
        log_path.rename(log_path.with_name("up-killed.log"))  # start_up waits for a new banner
        process, log_path = start_up(settings, prefect_port)
        stack = Stack(settings, stack.api, process, log_path)
        try:
            assert orphans[0].poll() is not None, "the leftover SeaweedFS still runs"
            [note] = [line for line in log_path.read_text().splitlines() if "did not stop cleanly" in line]
            assert f"SeaweedFS (pid {orphans[0].pid}, port {settings.s3_port})" in note
            stack.wait_for("every object once in the ledger",
                           lambda: sorted(_keys(settings)) == sorted(burst), timeout_s=180)
            refused = _one_line_refusal(_up_once(settings, free_port()))
            assert f"another `nianbao up` (pid {process.pid}) is running" in refused
        finally:
            _stop(process, log_path)
    assert read_record(UpRecord.for_lake(settings.lake_dir).path) == {}, "a clean stop empties the record"


def _keys(settings) -> list[str]:
    with connect(settings, read_only=True) as con:
        return [key for (key,) in con.execute(
            "SELECT key FROM bronze.objects WHERE starts_with(key, 'landing/orphan/')").fetchall()]
