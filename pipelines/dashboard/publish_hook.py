"""Called at the end of each publish: rebuild the dashboard beside the gold and upload it to the bucket."""

from __future__ import annotations

from pathlib import Path

from infra import s3
from nianbao.settings import Settings
from pipelines.dashboard.build import build_dashboard

DASHBOARD_KEY = "gold/dashboard/index.html"


def local_dashboard_dir(settings: Settings) -> Path:
    """Where the local copy of the dashboard lives, next to the published DuckDB file."""
    return settings.published_dir / "dashboard"


def build_local(settings: Settings) -> Path:
    """Build the local page from the published file; findings from the warehouse if it has none.

    Call it once the warehouse's writer connection is closed, or the page lists no findings.
    """
    return build_dashboard(settings.published_db_path, local_dashboard_dir(settings),
                           audit_path=settings.warehouse_path)


def publish_dashboard(settings: Settings) -> tuple[Path, str]:
    """Build from the published DuckDB file, upload under gold/dashboard/; returns (local path, S3 URI)."""
    local = build_local(settings)
    s3.put_bytes(settings, DASHBOARD_KEY, local.read_bytes(), "text/html; charset=utf-8")
    return local, s3.s3_uri(settings, DASHBOARD_KEY)
