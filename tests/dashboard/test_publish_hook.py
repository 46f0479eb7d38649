"""publish_dashboard: built beside the published gold and uploaded to gold/dashboard/ on a real S3 server."""

from __future__ import annotations

import shutil

from infra import s3
from pipelines.dashboard.publish_hook import publish_dashboard


def test_publish_builds_locally_and_uploads(lake_settings, published_db):
    lake_settings.published_dir.mkdir(parents=True)
    shutil.copy(published_db, lake_settings.published_db_path)
    local, uri = publish_dashboard(lake_settings)
    assert local == lake_settings.published_dir / "dashboard" / "index.html"
    assert uri == f"s3://{lake_settings.bucket}/gold/dashboard/index.html"
    assert s3.get_bytes(lake_settings, "gold/dashboard/index.html") == local.read_bytes()
    assert s3.head(lake_settings, "gold/dashboard/index.html").content_type == "text/html; charset=utf-8"
    assert "湖北省" in local.read_text(encoding="utf-8")
