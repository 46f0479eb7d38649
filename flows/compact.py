"""Flow `compact`: merge the lake's small files, expire old snapshots, delete unneeded files."""

from __future__ import annotations

from prefect import flow, get_run_logger

from environment.settings import load_settings
from pipelines.compaction import CompactionResult, compact


@flow(name="compact", description="Write inlined rows out as Parquet, merge small files, expire snapshots "
      "older than NIANBAO_SNAPSHOT_DAYS and delete the files no snapshot needs.")
def compact_lake() -> CompactionResult:
    """Run every compaction step once and log what each did."""
    result = compact(load_settings())
    logger = get_run_logger()
    for step, count in result.steps.items():
        logger.info("%s: %d", step, count)
    if result.stale_batches:
        logger.info("removed %d batch folders left by killed writers", result.stale_batches)
    return result
