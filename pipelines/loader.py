"""dlt, the loader of bulk writes: a batch's tables become Parquet files promotion reads.

dlt normalises the batch's Arrow tables (ledger rows, reports, metrics, findings) against its
schema and writes them with its filesystem destination as Parquet into a folder of the batch's
own under `<lake>/staging/`; promotion (pipelines/promote.py) reads those files into the lake in
one transaction, and the writer removes the folder afterwards. A folder left by a writer killed
in between is only a proposal nobody promotes: compaction removes it once it is a day old.

The files stay on the writer's machine: a load to a local folder costs about 0.3 s for 2,000
reports, where dlt's DuckLake destination took 2 s and more for any batch (it opens, extends and
attaches a new DuckDB for every table), which is why one event's report skips dlt altogether.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import dlt
import pyarrow as pa

from environment.settings import Settings
from pipelines.promote import Batch

DATASET = "staging"


def staging_root(settings: Settings) -> Path:
    """Where writers' batch folders live."""
    return settings.lake_dir / "staging"


def stage(settings: Settings, batch_id: str, tables: dict[str, pa.Table]) -> Batch:
    """Load a batch's Arrow tables (by incoming name) to Parquet with dlt; returns the batch as
    promotion reads it back."""
    folder = staging_root(settings) / batch_id
    resources = [dlt.resource(table, name=name, write_disposition="append")
                 for name, table in tables.items() if table.num_rows]
    if resources:
        pipeline = dlt.pipeline(
            pipeline_name=f"nianbao_{batch_id}", dataset_name=DATASET, pipelines_dir=str(folder / "dlt"),
            destination=dlt.destinations.filesystem(bucket_url=(folder / "files").as_uri()))
        pipeline.run(resources, loader_file_format="parquet")
    files = {name: sorted((folder / "files" / DATASET / name).glob("*.parquet")) for name in tables}
    return Batch(batch_id, files=files, counts={name: table.num_rows for name, table in tables.items()})


def discard(settings: Settings, batch: Batch) -> None:
    """Remove a batch's staged files (after promotion, or after it failed)."""
    shutil.rmtree(staging_root(settings) / batch.batch_id, ignore_errors=True)
