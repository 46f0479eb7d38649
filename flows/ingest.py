"""Flows `ingest` (one landed key) and `backfill` (a prefix in batches): bronze → parse → silver.

Every object either becomes a report in silver or is quarantined with its reason; the bronze
ledger makes repeated deliveries of the same bytes a no-op.

`backfill` splits the work in two: reading and parsing (pure, CPU-bound) run as one task per
batch on the flow's task runner, so on a Dask cluster they spread over its workers; writing
(bronze ledger, silver via dlt, quarantine) stays in the flow's own process, one batch after the
other, because the warehouse is one DuckDB file with a single writer.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from infra import s3
from nianbao.settings import Settings, load_settings
from pipelines import bronze, silver
from pipelines.parsing import ParseError, parse_document
from pipelines.quarantine import quarantine

# Reads are S3 round trips: a few in flight per batch hide the latency.
FETCH_THREADS = 8
# Each write is two dlt loads with a fixed cost of about a second: write in large batches.
WRITE_EVERY = 2000


@dataclass(frozen=True)
class IngestResult:
    """What happened to one landed object."""

    key: str
    outcome: str  # loaded | duplicate | quarantined
    detail: str


@dataclass(frozen=True)
class Parsed:
    """One landed object after parsing: its report record, or why the parser rejected it."""

    obj: bronze.LandedObject
    record: dict | None = None
    reason: str | None = None


class ParsedBatch:
    """The parsed objects of one batch, kept opaque to Prefect.

    Prefect walks every task input and result item by item looking for futures; over the
    nested records of a few hundred reports that walk costs as much as parsing them."""

    __slots__ = ("items",)

    def __init__(self, items: list[Parsed]):
        self.items = items


def _fetch_all(settings: Settings, keys: list[str]) -> list[bronze.LandedObject]:
    with ThreadPoolExecutor(FETCH_THREADS) as pool:
        return list(pool.map(lambda key: bronze.fetch(settings, key), keys))


@task(retries=3, retry_delay_seconds=[1, 3, 10], cache_policy=NO_CACHE)
def fetch_objects(keys: list[str]) -> list[bronze.LandedObject]:
    """Read the landed objects (retried: S3 errors are often transient)."""
    return _fetch_all(load_settings(), keys)


def parse_record(data: bytes, key: str) -> dict:
    """Parse one object's bytes into the report record (raises ParseError)."""
    return parse_document(data, key).to_record(key)


def parse_object(obj: bronze.LandedObject) -> Parsed:
    """Parse one landed object; a ParseError becomes the reason to quarantine it."""
    try:
        return Parsed(obj, record=parse_record(obj.data, obj.key))
    except ParseError as error:
        return Parsed(obj, reason=error.reason)


# Retried as a whole: the reads are idempotent and parsing is pure, so a rerun is safe.
@task(retries=2, retry_delay_seconds=[2, 10], cache_policy=NO_CACHE)
def read_and_parse(keys: list[str]) -> ParsedBatch:
    """Read a batch of landed objects and parse each one (runs on any worker; writes nothing)."""
    return ParsedBatch([parse_object(obj) for obj in _fetch_all(load_settings(), keys)])


def write_objects(
    settings: Settings,
    objects: list[bronze.LandedObject],
    parse: Callable[[bronze.LandedObject], Parsed] = parse_object,
) -> list[IngestResult]:
    """Load new objects' reports to silver, quarantine failures, record the ledger (one writer)."""
    known = bronze.known_sha256(settings, [obj.sha256 for obj in objects])
    results, entries, loadable = [], [], []
    for obj in objects:
        if obj.refused:
            results.append(_quarantined(settings, obj, obj.refused))
            entries.append((obj, "quarantined", obj.refused))
            continue
        if obj.sha256 in known:
            entries.append((obj, "duplicate", f"same bytes already {known[obj.sha256]}"))
            results.append(IngestResult(obj.key, "duplicate", "already ingested"))
            continue
        known[obj.sha256] = "loaded"  # the same bytes twice in one batch count once
        parsed = parse(obj)
        if parsed.reason is None:
            loadable.append((obj, parsed.record))
            entries.append((obj, "loaded", None))
        else:
            results.append(_quarantined(settings, obj, parsed.reason))
            entries.append((obj, "quarantined", parsed.reason))
    silver.load_reports(settings, loadable)
    bronze.record(settings, entries)
    results += [IngestResult(obj.key, "loaded", _describe(rec)) for obj, rec in loadable]
    return results


@task(cache_policy=NO_CACHE)
def parse_and_load(objects: list[bronze.LandedObject]) -> list[IngestResult]:
    """Parse new objects, load reports to silver, quarantine failures, record the ledger."""
    return write_objects(load_settings(), objects)


@task(cache_policy=NO_CACHE)
def load_parsed(batch: ParsedBatch) -> list[IngestResult]:
    """Write objects parsed elsewhere: ledger, silver and quarantine, as `parse_and_load` does."""
    by_key = {item.obj.key: item for item in batch.items}
    return write_objects(load_settings(), [item.obj for item in batch.items], lambda obj: by_key[obj.key])


def _quarantined(settings: Settings, obj: bronze.LandedObject, reason: str) -> IngestResult:
    target = quarantine(settings, obj.key, reason)
    return IngestResult(obj.key, "quarantined", f"{reason} (moved to {target})")


def _describe(record: dict) -> str:
    return f"{record.get('region')} {record.get('report_year')}: {len(record['metrics'])} metrics"


def _log_results(results: list[IngestResult], each: bool = True) -> None:
    """Log every result, or (for a backfill) a summary plus every quarantined object."""
    logger = get_run_logger()
    for result in results:
        if result.outcome == "quarantined":
            logger.warning("%s: %s (%s)", result.key, result.outcome, result.detail)
        elif each:
            logger.info("%s: %s (%s)", result.key, result.outcome, result.detail)
    if not each:
        logger.info("%d objects: %s", len(results), dict(Counter(r.outcome for r in results)))


@flow(name="ingest", description="Ingest one landed object: bronze ledger, parse, silver.")
def ingest(key: str) -> list[IngestResult]:
    """Ingest one object key from the bucket."""
    results = parse_and_load(fetch_objects([key]))
    _log_results(results)
    return results


def _pending(settings: Settings, prefix: str) -> tuple[list[str], list[IngestResult]]:
    """Keys under prefix still to read, and results for deliveries the ledger already holds."""
    listing = [info for info in s3.list_objects(settings, prefix) if not info.key.endswith("/")]
    seen = bronze.delivered(settings, [(info.key, info.etag) for info in listing])
    todo = [info.key for info in listing if (info.key, info.etag) not in seen]
    done = [IngestResult(info.key, "duplicate", "already ingested")
            for info in listing if (info.key, info.etag) in seen]
    return todo, done


@flow(name="backfill", description="Ingest every object under a prefix, in batches.")
def backfill(prefix: str = "landing/", batch_size: int = 200) -> list[IngestResult]:
    """Ingest all objects under `prefix`: `batch_size` objects per parse task, parsed on the task
    runner's workers and written here in order, about WRITE_EVERY objects per write."""
    todo, results = _pending(load_settings(), prefix)
    futures = [read_and_parse.submit(todo[start : start + batch_size])
               for start in range(0, len(todo), batch_size)]
    buffer: list[Parsed] = []
    for index, future in enumerate(futures):
        buffer += future.result().items
        futures[index] = None  # let the batch's bytes go once they are buffered
        if len(buffer) >= WRITE_EVERY or index == len(futures) - 1:
            results += load_parsed(ParsedBatch(buffer))
            buffer = []
    _log_results(results, each=False)
    return results
