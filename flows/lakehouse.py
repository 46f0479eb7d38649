"""The main job: land sample files, ingest them, build gold, audit and publish."""

from __future__ import annotations

from pathlib import Path

from prefect import flow

from flows.audit import audit
from flows.ingest import IngestResult, ingest
from flows.publish import publish
from flows.transform import transform
from nianbao.settings import load_settings
from pipelines import landing


def land_files(paths: list[Path]) -> list[str]:
    """Upload files to `landing/` (what any S3 client dropping reports does); returns the keys."""
    return [key for key, _ in landing.land_files(load_settings(), paths)]

@flow(name="lakehouse", description="Land files, ingest each, build gold, audit and publish.")
def lakehouse(paths: list[Path]):
    """Run the whole lakehouse once over local files: land, ingest, audit, transform, publish."""
    results: list[IngestResult] = []
    for key in land_files(paths):
        results += ingest(key)
    audit(pending=True)  # first, so that gold carries each report's data-quality flags
    transform()
    return results, publish()
