"""`make demo`: the whole lakehouse once, on embedded defaults, over the sample reports."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

from environment.runtime import configure_environment, runs_in_this_process
from environment.settings import Settings
from nianbao.display import console, print_rows
from pipelines.lake import data_path

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


def _print_published(settings: Settings, published) -> None:
    from nianbao.query import run_query

    columns, rows = run_query(settings, PROVINCE_PREVIEW_SQL)
    print_rows(columns, rows, title="gold.province_year_metrics (published)")
    result = published.result
    audit = result.audit
    console.print(f"Data quality: {len(audit.blocking_failures)} blocking, {len(audit.warnings)} warnings")
    console.print(f"  DQ report   : {audit.html_path}")
    console.print(f"Published snapshot {result.snapshot_id} of the lake:")
    console.print(f"  catalog     : {settings.catalog or settings.sqlite_catalog_path}")
    console.print(f"  data        : {data_path(settings)}")
    console.print(f"  Dictionary  : {result.dictionary_path}")
    console.print(f"  Dashboard   : {published.dashboard_path}")
    console.print(f"                {published.dashboard_uri}")
    console.print(f"  S3 endpoint : {settings.endpoint_url} (bucket {settings.bucket})")
    console.print("Query it: .venv/bin/nianbao query \"SELECT * FROM gold.region_year_metrics\"")


def _run_flow(files: list[Path], prefect_ready: Callable[[], str]):
    """The lakehouse flow over `files` (results, published), once Prefect's server answers;
    meanwhile the flows import and Great Expectations makes its context on a thread."""
    from expectations.gx_runner import preload

    gx_loading = threading.Thread(target=preload, name="gx-preload")
    gx_loading.start()
    from flows.lakehouse import lakehouse

    gx_loading.join()
    prefect_ready()
    with runs_in_this_process():
        return lakehouse(files)


def run_demo(settings: Settings, samples: Path) -> int:
    """Run the main job over `samples`; returns the process exit code."""
    configure_environment(settings)
    from expectations.outcome import PublishBlocked
    from infra.prefect_server import prefect_server_starting
    from infra.seaweed import free_port, object_store

    files = _sample_files(samples)
    started = time.monotonic()
    mode = "embedded SeaweedFS" if settings.embedded_s3 else "external S3"
    console.print(f"Starting {mode} and Prefect; lake in {settings.lake_dir}")
    # Prefect's server takes seconds to start: the rest starts meanwhile.
    with prefect_server_starting(settings, free_port()) as prefect_ready, object_store(settings):
        try:
            results, published = _run_flow(files, prefect_ready)
        except PublishBlocked as blocked:
            console.print(f"Not published: {blocked}")
            return 1
        _print_ingest(results)
        _print_published(settings, published)
    console.print(f"Done in {time.monotonic() - started:.1f} s; S3 and Prefect servers stopped.")
    return 0
