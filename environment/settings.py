"""One environment resolver: every path, bucket, endpoint and credential comes from here.

Values come from environment variables (optionally a git-ignored `.env` in the project root)
with safe local defaults, so `make demo` works with nothing set.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _load_dotenv(path: Path) -> dict[str, str]:
    """Read KEY=VALUE lines from a .env file; missing file means no values."""
    if not path.is_file():
        return {}
    values = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip().strip("'\"")
    return values


def _env(name: str, default: str) -> str:
    return os.environ.get(name) or _DOTENV.get(name) or default


def _env_int(name: str, default: int) -> int:
    raw = _env(name, str(default))
    try:
        return int(raw)
    except ValueError:
        raise ValueError(f"{name} must be a whole number, not {raw!r}") from None


_DOTENV = _load_dotenv(PROJECT_ROOT / ".env")


@dataclass(frozen=True)
class Settings:
    """Resolved configuration of one nianbao process."""

    lake_dir: Path
    bucket: str
    s3_endpoint: str | None
    s3_access_key: str = field(repr=False)
    s3_secret_key: str = field(repr=False)
    s3_region: str
    s3_port: int
    max_file_bytes: int
    # The lake's catalog: empty for the SQLite file under lake_dir (several local processes may
    # write), or a PostgreSQL URL (several machines); the data is Parquet under
    # s3://<bucket>/lakehouse/.
    catalog: str = ""
    # Commits of up to this many rows stay inside the catalog (no tiny Parquet files per event)
    # until compaction writes them out.
    inlining_rows: int = 1000
    # Snapshots older than this are expired by compaction (time travel reaches back this far).
    snapshot_days: int = 30
    max_pages: int = 500
    parse_seconds: int = 300
    ocr_engine: str = "rapidocr"
    # Writes (ingest, publish) refuse to start with less than this free under the lake directory
    # (infra/disk.py); 0 turns the check off.
    min_free_mb: int = 256

    @property
    def embedded_s3(self) -> bool:
        """True when nianbao starts its own SeaweedFS server instead of using an external S3."""
        return self.s3_endpoint is None

    @property
    def endpoint_url(self) -> str:
        return self.s3_endpoint or f"http://127.0.0.1:{self.s3_port}"

    @property
    def catalog_is_postgres(self) -> bool:
        """True when the lake's catalog is a PostgreSQL database (several machines may write)."""
        return self.catalog.startswith(("postgresql:", "postgres:"))

    @property
    def sqlite_catalog_path(self) -> Path:
        """The embedded catalog file (when the catalog is not PostgreSQL)."""
        if self.catalog:
            return Path(self.catalog.removeprefix("sqlite:"))
        return self.lake_dir / "catalog.sqlite"

    @property
    def published_dir(self) -> Path:
        """Local files for analysts: the data dictionary and the dashboard."""
        return self.lake_dir / "published"


def load_settings() -> Settings:
    """Resolve settings from the environment (and `.env`), falling back to local defaults."""
    lake_dir = Path(_env("NIANBAO_LAKE_DIR", str(PROJECT_ROOT / ".lake"))).resolve()
    return Settings(
        lake_dir=lake_dir,
        bucket=_env("NIANBAO_BUCKET", "nianbao"),
        s3_endpoint=os.environ.get("NIANBAO_S3_ENDPOINT") or _DOTENV.get("NIANBAO_S3_ENDPOINT"),
        s3_access_key=_env("NIANBAO_S3_ACCESS_KEY", "nianbao-local"),
        s3_secret_key=_env("NIANBAO_S3_SECRET_KEY", "nianbao-local-secret"),
        s3_region=_env("NIANBAO_S3_REGION", "us-east-1"),
        s3_port=_env_int("NIANBAO_S3_PORT", 8333),
        max_file_bytes=_env_int("NIANBAO_MAX_FILE_BYTES", 50 * 1024 * 1024),
        catalog=_env("NIANBAO_CATALOG", ""),
        inlining_rows=_env_int("NIANBAO_INLINING_ROWS", 1000),
        snapshot_days=_env_int("NIANBAO_SNAPSHOT_DAYS", 30),
        # A PDF with more pages is quarantined unread; a file still being read after this many
        # seconds (OCR included) is stopped and quarantined.
        max_pages=_env_int("NIANBAO_MAX_PAGES", 500),
        parse_seconds=_env_int("NIANBAO_PARSE_SECONDS", 300),
        # rapidocr (default, installed with the project), tesseract (a system package), or off.
        ocr_engine=_env("NIANBAO_OCR_ENGINE", "rapidocr").strip().lower(),
        min_free_mb=_env_int("NIANBAO_MIN_FREE_MB", 256),
    )
