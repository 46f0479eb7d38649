"""Repeats and races: the same event thrice, the same bytes under two keys, two publishes at once."""

from __future__ import annotations

import fcntl

import duckdb
import pytest

from flows.ingest import backfill, ingest
from infra import s3
from pipelines.gold import build_gold
from pipelines.publish import PublishLocked, publish, snapshots

from .lakes import SAMPLES, assert_each_landed_once, gold_counts, start_child, warehouse_rows

PUBLISH_IN_CHILD = """
    from environment.settings import load_settings
    from pipelines.publish import publish
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
    ledger = warehouse_rows(lake_env, "SELECT key, outcome, reason FROM bronze.objects ORDER BY key")
    assert ledger == [("landing/a.txt", "loaded", None),
                      ("landing/b/a copy.txt", "duplicate", "same content as landing/a.txt")]


@pytest.mark.e2e
def test_two_publishes_at_once_both_complete_in_turn(prefect_harness, lake_env):
    for sample in SAMPLES:
        s3.put_file(lake_env, f"landing/{sample.name}", sample)
    backfill("landing/")
    build_gold(lake_env)
    children = [start_child(lake_env, PUBLISH_IN_CHILD) for _ in range(2)]
    outputs = [child.communicate(timeout=240)[0] for child in children]
    assert [child.returncode for child in children] == [0, 0], "\n".join(outputs)
    ids = sorted(int(out.split("snapshot ")[-1]) for out in outputs)
    # Publishes copy what changed since the last one: the second, serialised after the first,
    # finds nothing left and adds no empty snapshot.
    assert ids[0] == ids[1] == [row[0] for row in snapshots(lake_env)][-1]
    published = lake_env.published_db_path
    assert gold_counts(published) == gold_counts(lake_env.warehouse_path)
    with duckdb.connect(str(published), read_only=True) as con:
        assert con.execute("SELECT snapshot_id FROM gold._publish").fetchall() == [(ids[1],)]
    assert published.stat().st_mode & 0o222 == 0  # analysts get a read-only file


def test_a_publish_that_cannot_get_the_lock_says_which(lake_settings):
    lock = lake_settings.lake_dir / "publish.lock"
    with open(lock, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        with pytest.raises(PublishLocked, match="publish.lock"):
            publish(lake_settings, lock_timeout_s=0.5)
    assert not lake_settings.published_db_path.exists()
