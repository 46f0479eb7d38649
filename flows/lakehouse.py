"""The main job: land sample files, ingest them, build gold, audit and publish."""

from __future__ import annotations

from pathlib import Path

from prefect import flow

from flows.ingest import IngestResult, ingest
from flows.publish import publish
from flows.transform import transform
from infra import s3
from nianbao.settings import load_settings

LANDING_PREFIX = "landing/"


def land_files(paths: list[Path]) -> list[str]:
    """Upload files to `landing/` (what any S3 client dropping reports does)."""
    settings = load_settings()
    keys = []
    for path in paths:
        key = LANDING_PREFIX + path.name
        s3.put_file(settings, key, path)
        keys.append(key)
    return keys


@flow(name="lakehouse", description="Land files, ingest each, build gold, audit and publish.")
def lakehouse(paths: list[Path]):
    """Run the whole lakehouse once over local files; returns (ingest results, publish result)."""
    results: list[IngestResult] = []
    for key in land_files(paths):
        results += ingest(key)
    transform()
    published, outcome = publish()
    return results, published, outcome
