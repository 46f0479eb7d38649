"""`make demo`: the whole lakehouse once, on embedded defaults, over the sample reports."""

from __future__ import annotations

import re
import time
from collections import Counter
from pathlib import Path

from environment.runtime import configure_environment, runs_in_this_process
from environment.settings import Settings
from nianbao.display import console, print_rows

PROVINCE_PREVIEW_SQL = """
SELECT province, year, scope, source, n_reports AS reports,
       regions_covered || '/' || regions_total AS covered,
       applications_new AS new_apps, processed_total AS processed, granted, proactive_total AS proactive
FROM gold.province_year_metrics ORDER BY province, year, scope
"""


def _sample_files(samples: Path) -> list[Path]:
    files = sorted(path for path in samples.iterdir() if path.is_file() and not path.name.startswith("."))
    if not files:
        raise SystemExit(f"no sample files in {samples}")
    return files


def _print_ingest(results) -> None:
    rows = [(result.key, result.outcome, result.detail) for result in results]
    print_rows(["object", "outcome", "detail"], rows, title="Ingested")


def _parquet_folders(uris: list[str]) -> Counter:
    """Parquet objects counted per table folder, `s3://<bucket>/gold/<table>/`."""
    return Counter(re.match(r"s3://[^/]+/gold/[^/]+/", uri).group(0) for uri in uris)


def _print_published(settings: Settings, published) -> None:
    from nianbao.query import run_query

    columns, rows = run_query(settings, PROVINCE_PREVIEW_SQL)
    print_rows(columns, rows, title="gold.province_year_metrics (published)")
    audit, result = published.audit, published.result
    console.print(f"Data quality: {len(audit.blocking_failures)} blocking, {len(audit.warnings)} warnings")
    console.print(f"  DQ report   : {audit.html_path}")
    console.print(f"Published snapshot {result.snapshot_id}:")
    console.print(f"  DuckDB file : {result.published_db_path}")
    for prefix, count in _parquet_folders(result.parquet_written).items():
        console.print(f"  Parquet     : {prefix} ({count} files written)")
    console.print(f"  Dictionary  : {result.dictionary_path}")
    console.print(f"  Dashboard   : {published.dashboard_path}")
    console.print(f"                {published.dashboard_uri}")
    console.print(f"  S3 endpoint : {settings.endpoint_url} (bucket {settings.bucket})")
    console.print("Query it: .venv/bin/nianbao query \"SELECT * FROM gold.region_year_metrics\"")


def run_demo(settings: Settings, samples: Path) -> int:
    """Run the main job over `samples`; returns the process exit code."""
    configure_environment(settings)
    from flows.lakehouse import lakehouse
    from flows.publish import PublishBlocked
    from infra.seaweed import object_store

    files = _sample_files(samples)
    started = time.monotonic()
    mode = "embedded SeaweedFS" if settings.embedded_s3 else "external S3"
    console.print(f"Starting {mode} at {settings.endpoint_url}; lake in {settings.lake_dir}")
    with object_store(settings):
        try:
            with runs_in_this_process():
                results, published = lakehouse(files)
        except PublishBlocked as blocked:
            console.print(f"Not published: {blocked}")
            return 1
        _print_ingest(results)
        _print_published(settings, published)
    console.print(f"Done in {time.monotonic() - started:.1f} s; S3 server stopped.")
    return 0
