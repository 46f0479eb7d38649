"""Flows `ingest` (one landed key) and `backfill` (a prefix in batches): bronze → parse → silver.

Every object either becomes a report in silver or is quarantined with its reason; the bronze
ledger makes repeated deliveries of the same bytes a no-op.
"""

from __future__ import annotations

from dataclasses import dataclass

from prefect import flow, get_run_logger, task

from infra import s3
from nianbao.settings import Settings, load_settings
from pipelines import bronze, silver
from pipelines.parsing import ParseError, parse_document
from pipelines.quarantine import quarantine


@dataclass(frozen=True)
class IngestResult:
    """What happened to one landed object."""

    key: str
    outcome: str  # loaded | duplicate | quarantined
    detail: str


@task(retries=3, retry_delay_seconds=[1, 3, 10])
def fetch_objects(keys: list[str]) -> list[bronze.LandedObject]:
    """Read the landed objects (retried: S3 errors are often transient)."""
    settings = load_settings()
    return [bronze.fetch(settings, key) for key in keys]


def parse_record(data: bytes, key: str) -> dict:
    """Parse one object's bytes into the report record (raises ParseError)."""
    return parse_document(data, key).to_record(key)


@task
def parse_and_load(objects: list[bronze.LandedObject]) -> list[IngestResult]:
    """Parse new objects, load reports to silver, quarantine failures, record the ledger."""
    settings = load_settings()
    known = bronze.known_sha256(settings, [obj.sha256 for obj in objects])
    results, entries, loadable = [], [], []
    for obj in objects:
        if obj.sha256 in known:
            entries.append((obj, "duplicate", f"same bytes already {known[obj.sha256]}"))
            results.append(IngestResult(obj.key, "duplicate", "already ingested"))
            continue
        known[obj.sha256] = "loaded"  # the same bytes twice in one batch count once
        try:
            loadable.append((obj, parse_record(obj.data, obj.key)))
            entries.append((obj, "loaded", None))
        except ParseError as error:
            results.append(_quarantined(settings, obj, error.reason))
            entries.append((obj, "quarantined", error.reason))
    silver.load_reports(settings, loadable)
    bronze.record(settings, entries)
    results += [IngestResult(obj.key, "loaded", _describe(rec)) for obj, rec in loadable]
    return results


def _quarantined(settings: Settings, obj: bronze.LandedObject, reason: str) -> IngestResult:
    target = quarantine(settings, obj.key, reason)
    return IngestResult(obj.key, "quarantined", f"{reason} (moved to {target})")


def _describe(record: dict) -> str:
    return f"{record.get('region')} {record.get('report_year')}: {len(record['metrics'])} metrics"


def _log_results(results: list[IngestResult]) -> None:
    logger = get_run_logger()
    for result in results:
        log = logger.warning if result.outcome == "quarantined" else logger.info
        log("%s: %s (%s)", result.key, result.outcome, result.detail)


@flow(name="ingest", description="Ingest one landed object: bronze ledger, parse, silver.")
def ingest(key: str) -> list[IngestResult]:
    """Ingest one object key from the bucket."""
    results = parse_and_load(fetch_objects([key]))
    _log_results(results)
    return results


@flow(name="backfill", description="Ingest every object under a prefix, in batches.")
def backfill(prefix: str = "landing/", batch_size: int = 200) -> list[IngestResult]:
    """Ingest all objects under `prefix`, `batch_size` objects per task."""
    keys = [info.key for info in s3.list_objects(load_settings(), prefix)]
    keys = [key for key in keys if not key.endswith("/")]
    results: list[IngestResult] = []
    for start in range(0, len(keys), batch_size):
        results += parse_and_load(fetch_objects(keys[start : start + batch_size]))
    _log_results(results)
    return results
