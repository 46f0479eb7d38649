"""The main job: land sample files, ingest them, then refresh, audit and publish gold."""

from __future__ import annotations

from pathlib import Path

from prefect import flow

from environment.settings import load_settings
from flows.ingest import ingest_keys
from flows.publish import publish_gold
from infra import landing


def land_files(paths: list[Path]) -> list[str]:
    """Upload files to `landing/` (what any S3 client dropping reports does); returns the keys."""
    return [key for key, _ in landing.land_files(load_settings(), paths)]


@flow(name="lakehouse", description="Land files, ingest them, then refresh, audit and publish gold.")
def lakehouse(paths: list[Path]):
    """Run the whole lakehouse once over local files: land, ingest (as tasks of this run), then
    publish, whose audit
    checks the new reports (its outcome lists their findings) and whose gold refresh gives their
    rows the data-quality flags."""
    return ingest_keys(land_files(paths)), publish_gold()
