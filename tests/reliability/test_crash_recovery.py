"""SIGKILL mid-load, then restart: no partial gold, no lost or duplicated report, nothing left behind.

Each child process arms a kill point (killpoint.py) and runs a real step against this test's lake
and the session's Prefect server; the rerun happens in-process, as an operator restarting would.
"""

from __future__ import annotations

import pytest

from flows.ingest import backfill, ingest
from infra import s3
from pipelines.gold import build_gold
from pipelines.publish import publish

from .lakes import SAMPLES, assert_each_landed_once, gold_counts, land_synth, run_killed

pytestmark = pytest.mark.e2e

# dlt's `Pipeline.run` would load a package left pending by a killed load *instead of* the data
# it is given: silver and the ledger finish pending packages first (pipelines.lake).

KILL_POINTS = [
    pytest.param(1, id="silver-load"),
    pytest.param(2, id="ledger-load"),
]


@pytest.mark.parametrize("load_call", KILL_POINTS)
def test_backfill_killed_mid_load_then_rerun(prefect_harness, lake_env, tmp_path, load_call):
    landed = land_synth(lake_env, 60, tmp_path / "synth")
    # Each write of the backfill is two dlt loads: silver first, then the bronze ledger.
    run_killed(lake_env, f"""
        from tests.reliability.killpoint import kill_at_call
        kill_at_call("dlt:Pipeline", "load", {load_call})
        from flows.ingest import backfill
        backfill("landing/")
    """)
    # After the restart a new file's event comes first, then the operator reruns the backfill.
    late = SAMPLES[0].read_bytes()
    s3.put_bytes(lake_env, "landing/late.txt", late)
    assert [r.outcome for r in ingest("landing/late.txt")] == ["loaded"]
    rerun = backfill("landing/")
    assert {r.outcome for r in rerun} <= {"loaded", "duplicate", "quarantined"}
    assert_each_landed_once(lake_env, landed | {"landing/late.txt": late})


def test_killed_gold_build_and_publish_leave_the_previous_gold_whole(prefect_harness, lake_env):
    for index, sample in enumerate(SAMPLES):
        s3.put_file(lake_env, f"landing/{sample.name}", sample)
        if index == 2:  # three reports make the previous gold, two more arrive afterwards
            backfill("landing/")
            build_gold(lake_env)
            first = publish(lake_env)
            previous = gold_counts(lake_env.warehouse_path)
    backfill("landing/")
    run_killed(lake_env, """
        from tests.reliability.killpoint import kill_while_iterating
        kill_while_iterating("pipelines.gold", "run_order", 2)
        from environment.settings import load_settings
        from pipelines.gold import build_gold
        build_gold(load_settings())
    """)
    assert gold_counts(lake_env.warehouse_path) == previous, "a killed gold build left partial gold"
    run_killed(lake_env, """
        from tests.reliability.killpoint import kill_at_call
        kill_at_call("os", "replace")  # the swap of the new published file into place
        from environment.settings import load_settings
        from pipelines.gold import build_gold
        from pipelines.publish import publish
        build_gold(load_settings())
        publish(load_settings())
    """)
    assert gold_counts(lake_env.published_db_path) == previous, "the published file changed"
    second = publish(lake_env)
    current = gold_counts(lake_env.warehouse_path)
    assert current != previous and gold_counts(lake_env.published_db_path) == current
    assert second.snapshot_id == first.snapshot_id + 2  # the killed publish's snapshot stays
    leftovers = [p.name for p in lake_env.published_dir.iterdir() if ".tmp" in p.name]
    assert leftovers == [], "a killed publish left its staging file behind"
