"""What the Prefect UI promises, on the real stack: cancel, retry, a blocked publish that tells the
operator, and a crash of `up` that the next `up` cleans up. Each acts through the REST API exactly
as the UI's buttons do.
"""

from __future__ import annotations

import dataclasses
import os
import signal
import time
from datetime import timedelta

import pytest

from infra.seaweed import free_port
from nianbao.alerts import BLOCKED_EVENT, alert_lines
from pipelines import bronze, silver, writer
from pipelines.lake import connect, forget_instances
from pipelines.synth import generate

from .conftest import Stack, _stop, fresh_stack_settings, start_up
from .reports import SAMPLES, year_shifted

pytestmark = pytest.mark.e2e
FINAL = ("COMPLETED", "FAILED", "CRASHED", "CANCELLED")


def _state(stack: Stack, run_id: str) -> str:
    return stack.run(run_id)["state_type"]


def _ledger_keys(settings, prefix: str) -> list[str]:
    with connect(settings, read_only=True) as con:
        return [key for (key,) in con.execute(
            "SELECT key FROM bronze.objects WHERE starts_with(key, ?)", [prefix]).fetchall()]


def test_cancelling_a_running_backfill_stops_it_and_commits_nothing(stack, tmp_path):
    generate(400, tmp_path / "bulk")
    s3 = stack.s3()
    for path in sorted((tmp_path / "bulk" / "reports").iterdir()):  # outside landing/: no events
        s3.put_object(Bucket="nianbao", Key=f"bulk/{path.name}", Body=path.read_bytes())
    run_id = stack.start_run("backfill", {"prefix": "bulk/"})
    stack.wait_for("the backfill running", lambda: _state(stack, run_id) == "RUNNING")
    asked = time.monotonic()
    stack.set_state(run_id, {"type": "CANCELLING", "name": "Cancelling"})
    stack.wait_for("the backfill cancelled", lambda: _state(stack, run_id) == "CANCELLED", timeout_s=30)
    assert time.monotonic() - asked < 10, "cancelling took longer than a few seconds"
    assert _ledger_keys(stack.settings, "bulk/") == [], "a cancelled run committed some of its work"

    again = stack.start_run("backfill", {"prefix": "bulk/"})
    stack.wait_for("the backfill again", lambda: _state(stack, again) in FINAL, timeout_s=300)
    assert _state(stack, again) == "COMPLETED"
    assert sorted(_ledger_keys(stack.settings, "bulk/")) == sorted(
        f"bulk/{p.name}" for p in (tmp_path / "bulk" / "reports").iterdir())


def _broken_record(granted: int) -> dict:
    metrics = [{"scope": "whole", "metric": name, "value": value, "unit": "件", "evidence": str(value)}
               for name, value in (("applications_new", granted), ("processed_total", 3), ("granted", 1))]
    return {"region": "唐山市", "region_code": "130200", "province": "河北省", "province_code": "130000",
            "level": "city", "report_year": 2016, "publication_date": "2017-03-01", "template": "2008",
            "issuer": "唐山市人民政府", "metrics": metrics}


def _load_directly(settings, key: str, text: str, record: dict, landed_later_by: int = 0) -> None:
    """A report written to the lake by another writer (the lake takes several at once)."""
    settings.lake_dir.mkdir(exist_ok=True)
    from infra import s3

    s3.put_bytes(settings, key, text.encode(), "text/plain")
    obj = bronze.fetch(settings, key)
    obj = dataclasses.replace(obj, received_at=obj.received_at + timedelta(seconds=landed_later_by))
    writer.write(settings, [(obj, "loaded", None)], silver.rows_for([(obj, record)]))


def test_a_blocked_publish_alerts_and_its_retry_succeeds_once_fixed(stack):
    settings = stack.settings
    _load_directly(settings, "direct/broken.txt", "唐山市 2016 (broken load)", _broken_record(-7))
    run_id = stack.start_run("publish")
    stack.wait_for("the publish blocked", lambda: _state(stack, run_id) in FINAL)
    assert _state(stack, run_id) == "FAILED"
    assert "blocking data-quality failures" in stack.run(run_id)["state"]["message"]
    alerts = settings.lake_dir / "alerts.log"
    stack.wait_for("the operator alerted", lambda: alert_lines(alerts), timeout_s=60)
    assert "blocking data-quality failures" in alert_lines(alerts)[-1]["message"]
    assert alert_lines(alerts)[-1]["event"] == BLOCKED_EVENT

    # The cause goes away: a corrected report of the same identity replaces the broken one.
    _load_directly(settings, "direct/fixed.txt", "唐山市 2016 (fixed)", _broken_record(7), landed_later_by=5)
    stack.set_state(run_id, {"type": "SCHEDULED", "name": "AwaitingRetry", "message": "Retry from the UI"})
    stack.wait_for("the retried publish", lambda: _state(stack, run_id) in FINAL and
                   stack.run(run_id)["run_count"] > 1)
    assert _state(stack, run_id) == "COMPLETED"
    assert ("唐山市", 2016, 7.0) in stack.published(
        "SELECT region, year, applications_new FROM gold.region_year_metrics")


def test_a_crash_of_up_is_recovered_by_the_next_up(tmp_path_factory):
    settings = fresh_stack_settings(tmp_path_factory.mktemp("crash-lake"))
    prefect_port = free_port()
    process, log_path = start_up(settings, prefect_port)
    stack = Stack(settings, f"http://127.0.0.1:{prefect_port}/api", process, log_path)
    burst = {f"landing/crash/{path.stem}-{back}.txt": year_shifted(path, back)
             for path in SAMPLES for back in (7, 8)}
    s3 = stack.s3()
    for key, data in burst.items():
        s3.put_object(Bucket="nianbao", Key=key, Body=data)
    stack.wait_for("a run in progress", lambda: any(
        run["state_type"] == "RUNNING" for run in stack.flow_runs()), timeout_s=120)
    os.kill(process.pid, signal.SIGKILL)  # `up` only: its servers and workers must die with it
    process.wait()
    forget_instances()  # this process's connections to the lake as it was

    process, log_path = start_up(settings, prefect_port)
    stack = Stack(settings, stack.api, process, log_path)
    try:
        stack.wait_for("every object once in the ledger", lambda: sorted(
            _ledger_keys(settings, "landing/crash/")) == sorted(burst), timeout_s=180)
        runs = stack.flow_runs()
        assert "CRASHED" in {run["state_type"] for run in runs}, "the interrupted run is not Crashed"
        stack.wait_for("every run final", lambda: all(
            run["state_type"] in FINAL for run in stack.flow_runs()), timeout_s=120)
        with connect(settings, read_only=True) as con:
            counts = con.execute("SELECT key, count(*) FROM bronze.objects GROUP BY key").fetchall()
        assert all(count == 1 for _, count in counts)
    finally:
        _stop(process, log_path)
