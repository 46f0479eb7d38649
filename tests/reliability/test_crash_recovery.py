"""SIGKILL mid-write, then restart: no partial gold, no lost or duplicated report.

Each child process arms a kill point (killpoint.py) and runs a real step against this test's lake
and the session's Prefect server; the rerun happens in-process, as an operator restarting would.
"""

from __future__ import annotations

import pytest

from expectations.gated_publish import publish
from flows.ingest import backfill, ingest
from infra import s3
from pipelines.lake import connect
from pipelines.snapshots import publications

from .lakes import SAMPLES, assert_each_landed_once, gold_rows, lake_rows, land_synth, run_killed

pytestmark = pytest.mark.e2e

# A backfill's write: dlt stages the batch, then one transaction promotes it to the ledger and
# silver. Killed in either, nothing of the batch is in bronze or silver, and the rerun writes it.
KILL_POINTS = [
    pytest.param(("dlt:Pipeline", "load"), id="dlt-staging-load"),
    pytest.param(("pipelines.promote", "_write_silver"), id="promotion-before-commit"),
]


@pytest.mark.parametrize("kill_point", KILL_POINTS)
def test_backfill_killed_mid_write_then_rerun(prefect_harness, lake_env, tmp_path, kill_point):
    landed = land_synth(lake_env, 60, tmp_path / "synth")
    run_killed(lake_env, f"""
        from tests.reliability.killpoint import kill_at_call
        kill_at_call(*{kill_point!r})
        from flows.ingest import backfill
        backfill("landing/")
    """)
    assert lake_rows(lake_env, "SELECT count(*) FROM bronze.objects") == [(0,)]
    # After the restart a new file's event comes first, then the operator reruns the backfill.
    late = SAMPLES[0].read_bytes()
    s3.put_bytes(lake_env, "landing/late.txt", late)
    assert [r.outcome for r in ingest("landing/late.txt")] == ["loaded"]
    rerun = backfill("landing/")
    assert {r.outcome for r in rerun} <= {"loaded", "duplicate", "quarantined"}
    assert_each_landed_once(lake_env, landed | {"landing/late.txt": late})


KILLED_PUBLISH = """
    from tests.reliability.killpoint import {how}
    {how}({where!r}, {attribute!r}, {when})
    from environment.settings import load_settings
    from expectations.gated_publish import publish
    publish(load_settings())
"""


def test_killed_publishes_leave_the_published_gold_whole(prefect_harness, lake_env):
    for index, sample in enumerate(SAMPLES):
        s3.put_file(lake_env, f"landing/{sample.name}", sample)
        if index == 2:  # three reports make the previous gold, two more arrive afterwards
            backfill("landing/")
            first = publish(lake_env)
            previous = gold_rows(lake_env)
    backfill("landing/")
    # Killed while refreshing the models, then while recording the audit: both inside the
    # publish's one transaction.
    run_killed(lake_env, KILLED_PUBLISH.format(how="kill_while_iterating", where="pipelines.gold_incremental",
                                               attribute="run_order", when=2))
    assert gold_rows(lake_env) == previous, "a killed gold refresh changed published gold"
    run_killed(lake_env, KILLED_PUBLISH.format(how="kill_at_call", where="expectations.gated_publish",
                                               attribute="record_run", when=1))
    assert gold_rows(lake_env) == previous, "a killed audit changed published gold"
    second = publish(lake_env)
    assert gold_rows(lake_env) != previous
    with connect(lake_env, read_only=True) as con:
        assert [row[0] for row in publications(con)] == [first.snapshot_id, second.snapshot_id]


# The ledger records a quarantine before the object moves: killed in between, the object is still
# in landing/ (not in quarantine/ and out of the ledger, as when the move came first), and its
# next delivery or a backfill finishes the move.
KILLED_BEFORE_THE_MOVE = """
    from tests.reliability.killpoint import kill_at_call
    kill_at_call("flows.ingest", "quarantine")
    from flows.ingest import {call}
"""


def test_killed_between_recording_a_quarantine_and_moving_the_file(prefect_harness, lake_env):
    bad = {f"landing/bad-{n}.bin": bytes(range(256)) * (20 + n) for n in range(2)}
    for key, data in bad.items():
        s3.put_bytes(lake_env, key, data)
    run_killed(lake_env, KILLED_BEFORE_THE_MOVE.format(call='ingest\n    ingest("landing/bad-0.bin")'))
    recorded = lake_rows(lake_env, "SELECT key, outcome FROM bronze.objects")
    assert recorded == [("landing/bad-0.bin", "quarantined")]
    assert s3.get_if_exists(lake_env, "landing/bad-0.bin") == bad["landing/bad-0.bin"]

    [again] = ingest("landing/bad-0.bin")  # the next delivery of the same object
    assert again.outcome == "duplicate" and "moved to quarantine/bad-0.bin" in again.detail

    run_killed(lake_env, KILLED_BEFORE_THE_MOVE.format(call='backfill\n    backfill("landing/")'))
    assert s3.get_if_exists(lake_env, "landing/bad-1.bin") == bad["landing/bad-1.bin"]
    backfill("landing/")  # the operator's rerun
    for key, data in bad.items():
        moved = key.replace("landing/", "quarantine/")
        assert s3.get_if_exists(lake_env, key) is None and s3.get_if_exists(lake_env, moved) == data
        assert s3.get_if_exists(lake_env, moved + ".reason.json") is not None
    assert sorted(lake_rows(lake_env, "SELECT key, outcome, count(*) FROM bronze.objects GROUP BY ALL")) == [
        (key, "quarantined", 1) for key in sorted(bad)]
