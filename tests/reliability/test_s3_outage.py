"""The S3 server killed and restarted in the middle of a backfill: while it reads (retries, then
completion), and while its promotion writes the lake's Parquet files (the run fails, nothing of
it is committed, the rerun records every delivery once)."""

from __future__ import annotations

import threading
import time

import duckdb
import pytest

from flows.ingest import backfill
from infra.seaweed import embedded_s3
from pipelines import bronze, promote

from .lakes import assert_each_landed_once, kill_s3, lake_rows, land_synth, own_s3, point_env

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


def _kill_s3_when_silver_is_written(monkeypatch, settings) -> list[int]:
    """SIGKILL the S3 server the first time a promotion starts writing silver (its transaction
    open, the ledger rows written in it); returns a list that counts the kills."""
    original, kills = promote._write_silver, []

    def write_silver(*args, **kwargs):
        if not kills:
            kill_s3(settings)
            kills.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(promote, "_write_silver", write_silver)
    return kills


def test_s3_down_while_a_promotion_writes_commits_nothing(prefect_harness, s3_server, tmp_path,
                                                          monkeypatch):
    with own_s3(tmp_path, s3_server) as settings:
        point_env(monkeypatch, settings)
        monkeypatch.setenv("NIANBAO_INLINING_ROWS", "0")  # every row to Parquet on the bucket
        landed = land_synth(settings, 40, tmp_path / "synth")
        kills = _kill_s3_when_silver_is_written(monkeypatch, settings)
        with pytest.raises(duckdb.IOException, match="HTTP PUT"):
            backfill("landing/")
        assert kills == [1], "the promotion never wrote silver"
        with embedded_s3(settings):  # same port, same data directory
            assert lake_rows(settings, "SELECT count(*) FROM bronze.objects") == [(0,)], \
                "a promotion that failed on S3 committed its ledger rows"
            assert lake_rows(settings, "SELECT count(*) FROM silver.reports") == [(0,)]
            results = backfill("landing/")
            assert [r.outcome for r in results].count("loaded") == len(landed)
            assert_each_landed_once(settings, landed)
