"""The S3 server killed and restarted in the middle of a backfill: retries, then completion."""

from __future__ import annotations

import threading
import time

import pytest

from flows.ingest import backfill
from infra.seaweed import embedded_s3
from pipelines import bronze

from .lakes import assert_each_landed_once, kill_s3, land_synth, own_s3, point_env

pytestmark = pytest.mark.e2e

OUTAGE_S = 3.0
FETCHES_BEFORE_OUTAGE = 10


def _pause_fetches_at(monkeypatch, count: int) -> tuple[threading.Event, threading.Event]:
    """Hold the backfill's count-th read until the server is down (so the outage is mid-run)."""
    reached, down = threading.Event(), threading.Event()
    original, calls, lock = bronze.fetch, [0], threading.Lock()

    def fetch(settings, key):
        with lock:
            calls[0] += 1
            mine = calls[0]
        if mine == count:
            reached.set()
            down.wait(60)
        return original(settings, key)

    monkeypatch.setattr(bronze, "fetch", fetch)
    return reached, down


def test_backfill_survives_the_s3_server_restarting(prefect_harness, s3_server, tmp_path, monkeypatch):
    with own_s3(tmp_path, s3_server) as settings:
        point_env(monkeypatch, settings)
        landed = land_synth(settings, 40, tmp_path / "synth")
        reached, down = _pause_fetches_at(monkeypatch, FETCHES_BEFORE_OUTAGE)
        outcome: dict = {}
        worker = threading.Thread(target=lambda: outcome.update(results=backfill("landing/")))
        worker.start()
        assert reached.wait(120), "the backfill never started reading"
        kill_s3(settings)
        down.set()
        time.sleep(OUTAGE_S)
        with embedded_s3(settings):  # same port, same data directory
            worker.join(300)
            assert not worker.is_alive(), "the backfill did not finish after the restart"
            assert [r.outcome for r in outcome.get("results", [])].count("loaded") == len(landed)
            assert_each_landed_once(settings, landed)
