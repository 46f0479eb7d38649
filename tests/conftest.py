"""Shared fixtures: one real SeaweedFS S3 server per session, a fresh lake directory per test."""

from __future__ import annotations

import dataclasses
import os
import uuid
from pathlib import Path

import pytest

from environment.settings import PROJECT_ROOT, Settings, load_settings
from infra import s3
from infra.seaweed import embedded_s3, free_port

SHARED = PROJECT_ROOT.parent / "shared"
SAMPLES = PROJECT_ROOT / "samples"

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("RUNTIME__DLTHUB_TELEMETRY", "false")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory) -> Settings:
    """A real embedded S3 server on a free port, for the whole test session."""
    lake = tmp_path_factory.mktemp("s3-lake")
    base = dataclasses.replace(load_settings(), lake_dir=lake, s3_endpoint=None, s3_port=free_port())
    with embedded_s3(base) as ready:
        yield ready


@pytest.fixture()
def lake_settings(s3_server: Settings, tmp_path: Path) -> Settings:
    """Settings for one test: its own lake directory and its own bucket on the shared server."""
    settings = dataclasses.replace(
        s3_server, lake_dir=tmp_path / "lake", bucket=f"t-{uuid.uuid4().hex[:12]}"
    )
    settings.lake_dir.mkdir(parents=True)
    s3.ensure_bucket(settings)
    return settings


def shared_corpus() -> Path:
    """The dev corpus beside the project; tests that need it skip when it is absent."""
    corpus = SHARED / "corpus" / "dev"
    if not corpus.is_dir():
        pytest.skip("../shared/corpus is not present (fresh clone): skipping corpus checks")
    return corpus


@pytest.fixture(scope="session")
def prefect_harness(tmp_path_factory):
    """Prefect's test harness (a temporary server and database) for the whole session."""
    os.environ.setdefault("PREFECT_HOME", str(tmp_path_factory.mktemp("prefect-home")))
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture()
def lake_env(lake_settings: Settings, monkeypatch) -> Settings:
    """Point `load_settings()` (what flows call) at this test's lake and bucket."""
    monkeypatch.setenv("NIANBAO_LAKE_DIR", str(lake_settings.lake_dir))
    monkeypatch.setenv("NIANBAO_BUCKET", lake_settings.bucket)
    monkeypatch.setenv("NIANBAO_S3_PORT", str(lake_settings.s3_port))
    monkeypatch.delenv("NIANBAO_S3_ENDPOINT", raising=False)
    resolved = load_settings()
    assert resolved.lake_dir == lake_settings.lake_dir and resolved.bucket == lake_settings.bucket
    return resolved


@pytest.fixture()
def dev_corpus() -> Path:
    """`../shared/corpus/dev`, or a clean skip where a fresh clone has no ../shared."""
    return shared_corpus()
