"""Compaction: the lake's small commits merged into larger files, old snapshots and files removed.

Each event commits a few hundred rows. Up to `NIANBAO_INLINING_ROWS` rows a commit stays inside
the catalog (DuckLake's data inlining) instead of becoming a tiny Parquet file on the bucket;
compaction writes those rows out, merges adjacent small files of each table, expires snapshots
older than `NIANBAO_SNAPSHOT_DAYS` (time travel reaches back that far; the latest snapshot always
stays), and deletes the files no kept snapshot needs. It also removes batch folders of writers
killed before they promoted them (pipelines/loader.py). `nianbao up` schedules it daily; `nianbao
compact` runs it now. Each step is its own commit, retried when a writer commits first.
"""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass, field

from environment.settings import Settings
from pipelines.lake import connect
from pipelines.lake_commit import in_transaction
from pipelines.loader import staging_root

# A file no snapshot needs is deleted only this long after it became unneeded: a query that
# started before may still be reading it.
FILE_GRACE = "1 hour"
# A batch folder of a writer still working is minutes old at most.
STALE_BATCH_S = 24 * 3600


@dataclass
class CompactionResult:
    """What one compaction did, step by step (each a count of what DuckLake reported)."""

    steps: dict[str, int] = field(default_factory=dict)
    stale_batches: int = 0


def _steps(settings: Settings) -> dict[str, str]:
    days = int(settings.snapshot_days)
    return {
        "inlined rows written out": "CALL ducklake_flush_inlined_data('lake')",
        "files merged": "CALL ducklake_merge_adjacent_files('lake')",
        "snapshots expired": "CALL ducklake_expire_snapshots('lake', "
                             f"older_than => now() - INTERVAL {days} DAY)",
        "old files deleted": "CALL ducklake_cleanup_old_files('lake', "
                             f"older_than => now() - INTERVAL '{FILE_GRACE}')",
        "orphaned files deleted": "CALL ducklake_delete_orphaned_files('lake', "
                                  f"older_than => now() - INTERVAL '{FILE_GRACE}')",
    }


def _remove_stale_batches(settings: Settings) -> int:
    root, removed = staging_root(settings), 0
    for folder in root.glob("*") if root.is_dir() else ():
        if time.time() - folder.stat().st_mtime > STALE_BATCH_S:
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed


def compact(settings: Settings) -> CompactionResult:
    """Run every compaction step once; returns what each did."""
    result = CompactionResult()
    with connect(settings) as con:
        for name, statement in _steps(settings).items():
            rows = in_transaction(con, lambda c, sql=statement: c.execute(sql).fetchall(), name)
            result.steps[name] = len(rows)
    result.stale_batches = _remove_stale_batches(settings)
    return result
