"""Several writers at once on the PostgreSQL catalog: nothing lost, nothing doubled, the same gold.

Two `ingest` workers and a `backfill` run at the same time, each in its own process, over 300
objects that overlap every way deliveries do: the same bytes under several keys, the same keys
delivered to both workers, every key also reached by the backfill. Then one publish. Every
delivery must end in the ledger exactly once (loaded, duplicate or quarantined), every distinct
report once in silver, and gold must equal what one writer makes of the same objects.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
import uuid

import pytest

from expectations.gated_publish import publish
from flows.ingest import backfill
from infra import s3

from .lakes import assert_each_landed_once, gold_rows, lake_rows, land_synth, point_env, start_child

pytestmark = pytest.mark.e2e

INGEST_WORKER = """
    from flows.ingest import ingest
    for key in {keys!r}:
        ingest(key)
"""
BACKFILL_WORKER = """
    from flows.ingest import backfill
    backfill("landing/")
"""
CONFLICTS = re.compile(r"commit conflicts retried: (\d+)")


def _land_overlapping(settings, tmp_path) -> dict[str, bytes]:
    """300 objects: 200 synthetic reports, 80 of them again under a second key, 20 that are not
    reports at all."""
    landed = land_synth(settings, 200, tmp_path / "synth")
    for key, data in list(landed.items())[:80]:
        copy = key.replace("landing/synth/", "landing/copies/")
        s3.put_bytes(settings, copy, data)
        landed[copy] = data
    for index in range(20):
        junk = bytes(range(256)) * (10 + index)
        s3.put_bytes(settings, f"landing/junk/{index}.bin", junk)
        landed[f"landing/junk/{index}.bin"] = junk
    assert len(landed) == 300
    return landed


def _run_log_messages(since: datetime.datetime) -> list[str]:
    """The log messages the session's Prefect server holds from `since` on (the runs' logs, as the UI
    shows them); earlier tests of the session log into the same server."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import LogFilter, LogFilterTimestamp

    found, offset = [], 0
    recent = LogFilter(timestamp=LogFilterTimestamp(after_=since))
    with get_client(sync_client=True) as client:
        while logs := client.read_logs(log_filter=recent, limit=200, offset=offset):
            found += [log.message for log in logs]
            offset += len(logs)
    return found


def _run_together(settings, keys: list[str]) -> list[str]:
    """Two ingest workers (their key lists overlap by 40) and a backfill at once; their logs."""
    workers = [INGEST_WORKER.format(keys=keys[:120]), INGEST_WORKER.format(keys=keys[80:200]),
               BACKFILL_WORKER]
    children = [start_child(settings, code) for code in workers]
    outputs = [child.communicate(timeout=900)[0] for child in children]
    assert [child.returncode for child in children] == [0, 0, 0], "\n".join(out[-3000:] for out in outputs)
    return outputs


def test_two_ingest_workers_and_a_backfill_at_once(prefect_harness, pg_lake, tmp_path, monkeypatch):
    landed = _land_overlapping(pg_lake, tmp_path)
    started = datetime.datetime.now(datetime.UTC)
    _run_together(pg_lake, sorted(landed))
    counted = [int(n) for message in _run_log_messages(started) for n in CONFLICTS.findall(message)]
    assert len(counted) == 120 + 120 + 1, "every ingest run and the backfill log the conflicts they retried"
    print(f"commit conflicts retried: {sum(counted)} over {len(counted)} runs")
    publish(pg_lake)

    assert_each_landed_once(pg_lake, landed)
    outcomes = dict(lake_rows(pg_lake, "SELECT outcome, count(*) FROM bronze.objects GROUP BY ALL"))
    assert outcomes["loaded"] + outcomes["quarantined"] == len(set(landed.values()))
    assert lake_rows(pg_lake, "SELECT count(*) FROM silver.reports") == [(outcomes["loaded"],)]

    alone = dataclasses.replace(pg_lake, catalog="", lake_dir=tmp_path / "alone",
                                bucket=f"alone-{uuid.uuid4().hex[:8]}")
    alone.lake_dir.mkdir()
    s3.ensure_bucket(alone)
    for key, data in landed.items():
        s3.put_bytes(alone, key, data)
    point_env(monkeypatch, alone)
    backfill("landing/")
    publish(alone)
    assert gold_rows(pg_lake) == gold_rows(alone)
