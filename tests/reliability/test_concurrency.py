"""Repeats and races: the same event thrice, the same bytes under two keys, two publishes at once."""

from __future__ import annotations

import pytest

from flows.ingest import backfill, ingest
from infra import s3
from pipelines.lake import connect
from pipelines.snapshots import publications

from .lakes import SAMPLES, assert_each_landed_once, lake_rows, start_child

PUBLISH_IN_CHILD = """
    from environment.settings import load_settings
    from expectations.gated_publish import publish
    print("snapshot", publish(load_settings()).snapshot_id)
"""


def test_same_event_three_times_is_one_report(prefect_harness, lake_env):
    data = SAMPLES[1].read_bytes()
    s3.put_bytes(lake_env, "landing/a.txt", data)
    outcomes = [[r.outcome for r in ingest("landing/a.txt")] for _ in range(3)]
    assert outcomes == [["loaded"], ["duplicate"], ["duplicate"]]
    assert_each_landed_once(lake_env, {"landing/a.txt": data})


def test_same_file_under_two_keys_is_one_report(prefect_harness, lake_env):
    data = SAMPLES[2].read_bytes()
    landed = {"landing/a.txt": data, "landing/b/a copy.txt": data}
    for key, body in landed.items():
        s3.put_bytes(lake_env, key, body)
    assert [r.outcome for r in ingest("landing/a.txt")] == ["loaded"]
    assert [r.outcome for r in ingest("landing/b/a copy.txt")] == ["duplicate"]
    assert [r.outcome for r in backfill("landing/")] == ["duplicate", "duplicate"]
    assert_each_landed_once(lake_env, landed)
    ledger = lake_rows(lake_env, "SELECT key, outcome, reason FROM bronze.objects ORDER BY key")
    assert ledger == [("landing/a.txt", "loaded", None),
                      ("landing/b/a copy.txt", "duplicate", "same content as landing/a.txt")]


@pytest.mark.e2e
def test_two_publishes_at_once_both_commit_in_turn(prefect_harness, lake_env):
    for sample in SAMPLES:
        s3.put_file(lake_env, f"landing/{sample.name}", sample)
    backfill("landing/")
    children = [start_child(lake_env, PUBLISH_IN_CHILD) for _ in range(2)]
    outputs = [child.communicate(timeout=240)[0] for child in children]
    assert [child.returncode for child in children] == [0, 0], "\n".join(outputs)
    ids = sorted(int(out.split("snapshot ")[-1]) for out in outputs)
    with connect(lake_env, read_only=True) as con:
        assert [row[0] for row in publications(con)] == ids and ids[0] < ids[1]
    assert lake_rows(lake_env, "SELECT count(DISTINCT report_id) FROM gold.region_year_metrics") == [
        (len(SAMPLES),)]
