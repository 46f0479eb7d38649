"""publish_dashboard: built from the lake's published gold and kept in line under gold/dashboard/ on a real
S3 server, uploading only what changed and deleting what the page no longer uses."""

from __future__ import annotations

from infra import s3
from pipelines.dashboard.publish_hook import publish_dashboard, sync_to_bucket
from pipelines.lake import connect

from .pages import manifest, overview

PREFIX = "gold/dashboard/"


def _bucket(settings) -> set[str]:
    return {info.key.removeprefix(PREFIX) for info in s3.list_objects(settings, PREFIX)}


def test_publish_builds_locally_and_uploads(published_lake):
    lake_settings = published_lake
    local, uri = publish_dashboard(lake_settings)
    assert local == lake_settings.published_dir / "dashboard" / "index.html"
    assert uri == f"s3://{lake_settings.bucket}/gold/dashboard/index.html"
    assert s3.get_bytes(lake_settings, "gold/dashboard/index.html") == local.read_bytes()
    assert s3.head(lake_settings, "gold/dashboard/index.html").content_type == "text/html; charset=utf-8"
    assert "湖北省" in {row["province"] for row in overview(local.parent)["provinces"]}
    listed = manifest(local.parent)["files"]
    assert _bucket(lake_settings) == {*listed, "manifest.json"}
    for relative in listed:
        assert s3.get_bytes(lake_settings, PREFIX + relative) == (local.parent / relative).read_bytes()
    script = next(name for name in listed if name.endswith(".js"))
    assert s3.head(lake_settings, PREFIX + script).content_type == "text/javascript; charset=utf-8"
    on_bucket = s3.get_bytes(lake_settings, PREFIX + "manifest.json")
    assert on_bucket == (local.parent / "manifest.json").read_bytes()


def test_republish_uploads_the_changes_and_removes_stale_files(published_lake):
    lake_settings = published_lake
    local, _ = publish_dashboard(lake_settings)
    first = manifest(local.parent)
    with connect(lake_settings) as con:
        con.execute("DELETE FROM gold.metric_long WHERE report_id = 'r-anqing-2017'")
        con.execute("DELETE FROM gold.region_year_metrics WHERE report_id = 'r-anqing-2017'")
        con.execute("DELETE FROM gold.province_year_metrics WHERE year = 2017")
    publish_dashboard(lake_settings)
    second = manifest(local.parent)
    assert _bucket(lake_settings) == {*second["files"], "manifest.json"}
    assert not any(name.startswith("data/year-2017") for name in _bucket(lake_settings))
    assert set(first["chunks"]).isdisjoint(second["chunks"])  # the chunk holding 安庆市 was repacked
    # Nothing changed since: only the page (new timestamp) and the manifest go up again.
    assert sync_to_bucket(lake_settings, local.parent) == ["index.html", "manifest.json"]
