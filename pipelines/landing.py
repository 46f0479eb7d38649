"""The landing zone: where reports arrive in the bucket, and how local files are put there."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from environment.settings import Settings
from infra import s3

LANDING_PREFIX = "landing/"


def land_files(settings: Settings, paths: list[Path]) -> list[tuple[str, str]]:
    """Upload files to landing/<file name> (what any S3 client does), several at a time; returns
    (key, etag) per file, in order."""
    missing = [str(path) for path in paths if not Path(path).is_file()]
    if missing:
        raise FileNotFoundError(f"not a file: {', '.join(missing)} (nothing was uploaded)")

    def upload(path: Path) -> tuple[str, str]:
        return LANDING_PREFIX + path.name, s3.put_file(settings, LANDING_PREFIX + path.name, path)

    with ThreadPoolExecutor(s3.CONCURRENT_REQUESTS) as pool:
        return list(pool.map(upload, map(Path, paths)))
