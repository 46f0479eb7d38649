"""The main job: land sample files, ingest them, build gold, then audit and publish it."""

from __future__ import annotations

from pathlib import Path

from prefect import flow

from environment.settings import load_settings
from flows.ingest import IngestResult, ingest
from flows.publish import publish
from flows.transform import transform
from pipelines import landing


def land_files(paths: list[Path]) -> list[str]:
    """Upload files to `landing/` (what any S3 client dropping reports does); returns the keys."""
    return [key for key, _ in landing.land_files(load_settings(), paths)]

@flow(name="lakehouse", description="Land files, ingest each, build gold, audit and publish.")
def lakehouse(paths: list[Path]):
    """Run the whole lakehouse once over local files: land, ingest, transform, then publish,
    whose audit checks the new reports (its outcome lists their findings) and whose gold
    refresh gives their rows the data-quality flags."""
    results: list[IngestResult] = []
    for key in land_files(paths):
        results += ingest(key)
    transform()
    return results, publish()
