"""Compaction: small commits stay in the catalog until written out, small files merge, snapshots expire."""

from __future__ import annotations

import dataclasses
import os
import time

from infra import s3
from lakehouse.helpers import land, query, report_record
from pipelines import loader, writer
from pipelines.compaction import STALE_BATCH_S, compact
from pipelines.lake import connect

METRICS = "SELECT report_id, metric, value FROM silver.report_metrics ORDER BY ALL"


def _load(settings, n: int) -> None:
    for index in range(n):
        obj = land(settings, f"inbox/{index}.txt", f"report {index}")
        writer.load_reports(settings, [(obj, report_record(region_code=f"13{index:04d}"))])


def _files(settings, table: str, schema: str = "silver") -> int:
    with connect(settings, read_only=True) as con:
        return con.execute("SELECT count(*) FROM ducklake_list_files('lake', ?, schema => ?)",
                           [table, schema]).fetchone()[0]


def test_small_commits_stay_in_the_catalog_until_compaction_writes_them_out(lake_settings):
    _load(lake_settings, 4)
    before = query(lake_settings, METRICS)
    assert not s3.list_objects(lake_settings, "lakehouse/"), "each event wrote tiny files"
    result = compact(lake_settings)
    assert result.steps["inlined rows written out"] > 0
    assert _files(lake_settings, "report_metrics") == 1
    assert query(lake_settings, METRICS) == before


def test_small_files_are_merged_and_old_snapshots_expired(lake_settings):
    settings = dataclasses.replace(lake_settings, inlining_rows=0, snapshot_days=0)
    _load(settings, 4)
    before = query(settings, METRICS)
    assert _files(settings, "report_metrics") == 4
    with connect(settings, read_only=True) as con:
        snapshots_before = con.execute("SELECT count(*) FROM lake.snapshots()").fetchone()[0]
    result = compact(settings)
    assert _files(settings, "report_metrics") == 1 and result.steps["files merged"] > 0
    assert query(settings, METRICS) == before
    with connect(settings, read_only=True) as con:
        assert con.execute("SELECT count(*) FROM lake.snapshots()").fetchone()[0] < snapshots_before


def test_batch_folders_of_killed_writers_go_after_a_day(lake_settings):
    stale, fresh = (loader.staging_root(lake_settings) / name for name in ("killed", "working"))
    for folder in (stale, fresh):
        folder.mkdir(parents=True)
    old = time.time() - STALE_BATCH_S - 60
    os.utime(stale, (old, old))
    assert compact(lake_settings).stale_batches == 1
    assert not stale.exists() and fresh.exists()
