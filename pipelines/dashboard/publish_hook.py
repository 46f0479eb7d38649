"""Called at the end of each publish: rebuild the dashboard beside the gold and bring the bucket's copy
in line with it, uploading only the files whose hash the bucket's manifest does not already list."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from environment.settings import Settings
from infra import s3
from pipelines.dashboard.build import build_dashboard
from pipelines.dashboard.site import INDEX, MANIFEST, Manifest, build_lock, read_manifest

DASHBOARD_PREFIX = "gold/dashboard/"
DASHBOARD_KEY = DASHBOARD_PREFIX + INDEX
CONTENT_TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
                 ".json": "application/json"}


def local_dashboard_dir(settings: Settings) -> Path:
    """Where the local copy of the dashboard lives, next to the published DuckDB file."""
    return settings.published_dir / "dashboard"


def _build(settings: Settings) -> Path:
    return build_dashboard(settings.published_db_path, local_dashboard_dir(settings),
                           audit_path=settings.warehouse_path)


def build_local(settings: Settings) -> Path:
    """Build the local page from the published file; findings from the warehouse if it has none.

    Call it once the warehouse's writer connection is closed, or the page lists no findings.
    """
    with build_lock(local_dashboard_dir(settings)):
        return _build(settings)


def _bucket_manifest(settings: Settings) -> Manifest:
    """What the bucket holds now; empty when it has no manifest (first publish, or an older layout)."""
    return Manifest.from_bytes(s3.get_if_exists(settings, DASHBOARD_PREFIX + MANIFEST))


def _upload(settings: Settings, folder: Path, relative: str) -> None:
    content_type = CONTENT_TYPES.get(Path(relative).suffix)
    s3.put_file(settings, DASHBOARD_PREFIX + relative, folder / relative, content_type)


def sync_to_bucket(settings: Settings, folder: Path) -> list[str]:
    """Upload new and changed files, then the page and the manifest, then delete what the page no
    longer uses; returns the uploaded paths. The page goes up after its data, so a reader of the
    bucket never gets a page whose files are not there yet."""
    local, remote = read_manifest(folder), _bucket_manifest(settings)
    changed = sorted(path for path, sha in local.files.items()
                     if remote.files.get(path) != sha and path != INDEX)
    with ThreadPoolExecutor(s3.CONCURRENT_REQUESTS) as pool:
        list(pool.map(lambda relative: _upload(settings, folder, relative), changed))
    _upload(settings, folder, INDEX)
    _upload(settings, folder, MANIFEST)
    for stale in sorted(remote.files.keys() - local.files.keys()):
        s3.delete(settings, DASHBOARD_PREFIX + stale)
    return [*changed, INDEX, MANIFEST]


def publish_dashboard(settings: Settings) -> tuple[Path, str]:
    """Build from the published DuckDB file, upload under gold/dashboard/; returns (local page, S3 URI)."""
    folder = local_dashboard_dir(settings)
    with build_lock(folder):
        local = _build(settings)
        sync_to_bucket(settings, folder)
    return local, s3.s3_uri(settings, DASHBOARD_KEY)
