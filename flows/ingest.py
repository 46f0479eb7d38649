"""Flows `ingest` (one landed key) and `backfill` (a prefix in batches): bronze → parse → silver.

Every object either becomes a report in silver or is quarantined with its reason; the bronze
ledger makes repeated deliveries of the same bytes a no-op.

`backfill` splits the work in two: reading, keeping the bytes content-addressed in bronze and
parsing (CPU-bound, and idempotent) run as one task per batch on the flow's task runner, so on a
Dask cluster they spread over its workers, which send back only metadata and Arrow rows; writing
(stage through dlt, promote into the ledger and silver, quarantine) runs in the flow's own
process. Several flows may write at once (pipelines/writer.py): a backfill beside the event-driven
ingests, or backfills on several machines sharing a PostgreSQL catalog.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from environment.settings import Settings, load_settings
from flows.parsed import ParsedBatch, parse_objects
from infra import disk, s3
from pipelines import bronze, lake_commit, writer
from pipelines.parsing import PARSER_VERSION
from pipelines.quarantine import quarantine

# Each write is two dlt loads costing about 1.9 CPU-seconds whatever their size, plus about 0.45
# per 1,000 reports; the writer shares the machine with the workers, so it writes in large batches
# (writing whenever it could, every ~700 reports, cost a quarter more CPU at N = 10,000).
WRITE_EVERY = 2000
MIN_BATCH, MAX_BATCH = 25, 500


@dataclass(frozen=True)
class IngestResult:
    """What happened to one landed object."""

    key: str
    outcome: str  # loaded | duplicate | quarantined | gone
    detail: str


GONE = "gone"
_GONE_DETAIL = ("no longer in the bucket when read (quarantined by another run, or deleted): "
                "nothing to record")


def _present(read: Callable[[str], bronze.LandedObject], key: str) -> bronze.LandedObject | None:
    try:
        return read(key)
    except FileNotFoundError:
        return None  # another run quarantined it, or someone deleted it, since it was listed


def _each(keys: list[str], read: Callable[[str], bronze.LandedObject]
          ) -> tuple[list[bronze.LandedObject], tuple[str, ...]]:
    """The objects read, and the keys that were gone when read."""
    with ThreadPoolExecutor(s3.CONCURRENT_REQUESTS) as pool:
        found = list(pool.map(lambda key: _present(read, key), keys))
    return ([obj for obj in found if obj is not None],
            tuple(key for key, obj in zip(keys, found, strict=True) if obj is None))


def gone_results(keys: tuple[str, ...]) -> list[IngestResult]:
    """What became of keys that were gone when read: nothing, and why."""
    return [IngestResult(key, GONE, _GONE_DETAIL) for key in keys]


@task(retries=3, retry_delay_seconds=[1, 3, 10], cache_policy=NO_CACHE)
def fetch_objects(keys: list[str]) -> tuple[list[bronze.LandedObject], tuple[str, ...]]:
    """Read the landed objects (retried: S3 errors are often transient); also the keys gone."""
    settings = load_settings()
    return _each(keys, lambda key: bronze.fetch(settings, key))


# Retried as a whole: reads, content-addressed copies and parsing are all idempotent.
@task(retries=2, retry_delay_seconds=[2, 10], retry_condition_fn=disk.unless_full,
      cache_policy=NO_CACHE)
def read_and_parse(keys: list[str]) -> ParsedBatch:
    """Read a batch of landed objects, keep their bytes in bronze and parse them (runs on any
    worker; the content-addressed copies are its only writes, and no table is touched)."""
    settings = load_settings()
    objects, gone = _each(keys, lambda key: bronze.keep(settings, bronze.fetch(settings, key)))
    parsed = parse_objects(objects)
    return ParsedBatch(parsed.items, parsed.rows, gone)


def _write(
    settings: Settings,
    objects: list[bronze.LandedObject],
    parse: Callable[[list[bronze.LandedObject]], ParsedBatch],
) -> list[IngestResult]:
    """Quarantine failures, then record the deliveries and load new contents' reports through
    the one write path (pipelines/writer.py); `parse` gives the parsed items of the new contents.

    What the ledger holds already is only a hint here (it spares parsing what was seen); the
    write decides every delivery again against what other writers committed."""
    known = bronze.known_sha256(settings, [obj.sha256 for obj in objects])
    fresh = []
    for obj in objects:
        fresh.append(not obj.refused and obj.sha256 not in known)
        if fresh[-1]:
            known[obj.sha256] = "loaded"  # the same bytes twice in one batch count once
    batch = parse([obj for obj, new in zip(objects, fresh, strict=True) if new])
    parsed = iter(batch.items)
    entries, details = [], {}
    for obj, new in zip(objects, fresh, strict=True):
        item = next(parsed) if new else None
        reason = obj.refused or (item and item.reason)
        if reason:
            entries.append((item.obj if item else obj, "quarantined", reason))
        elif item is None:
            entries.append((obj, "duplicate", f"same bytes already {known[obj.sha256]}"))
        else:
            entries.append((item.obj, "loaded", None))
            details[obj.key] = item.detail
    loaded = {obj.sha256 for obj, outcome, _ in entries if outcome == "loaded"}
    outcomes = writer.write(settings, entries, batch.rows.only(loaded), PARSER_VERSION)
    details |= _finish_quarantines(settings, objects, outcomes)
    return [_result(obj.key, outcomes.get(obj.key), details.get(obj.key)) for obj in objects]


def _finish_quarantines(settings: Settings, objects: list[bronze.LandedObject],
                        outcomes: writer.Outcomes) -> dict[str, str]:
    """Move out of landing/ every object the ledger records as quarantined, by this write or by
    an earlier one that a crash stopped before its move; what happened, by key. Recorded first,
    moved second: a crash in between leaves the object in landing/ for its next delivery (or a
    backfill) to move, where moving first would leave it in quarantine/ and out of the ledger."""
    reasons = {obj.key: decided[1] for obj in objects
               if (decided := outcomes.get(obj.key)) and decided[0] == "quarantined"}
    recorded_before = [(obj.key, obj.etag) for obj in objects if obj.key not in outcomes]
    reasons |= {key: reason for (key, _), reason in bronze.quarantined(settings, recorded_before).items()}
    return {key: f"{reason} (moved to {quarantine(settings, key, reason)})"
            for key, reason in reasons.items()}


def _result(key: str, decided: tuple[str, str | None] | None, detail: str | None) -> IngestResult:
    """What became of one delivery: as recorded now, or recorded by an earlier delivery."""
    if decided is None:
        return IngestResult(key, "duplicate", f"already recorded: {detail}" if detail else "already ingested")
    outcome, reason = decided
    if outcome == "duplicate":
        return IngestResult(key, outcome, reason or "already ingested")
    return IngestResult(key, outcome, detail or reason or "")


def write_objects(settings: Settings, objects: list[bronze.LandedObject]) -> list[IngestResult]:
    """Parse new objects here, load their reports to silver, quarantine failures, record the ledger."""
    return _write(settings, objects, parse_objects)


@task(cache_policy=NO_CACHE)
def parse_and_load(objects: list[bronze.LandedObject]) -> list[IngestResult]:
    """Parse new objects, load reports to silver, quarantine failures, record the ledger."""
    return write_objects(load_settings(), objects)


@task(cache_policy=NO_CACHE)
def load_parsed(batch: ParsedBatch) -> list[IngestResult]:
    """Write objects parsed elsewhere: ledger, silver and quarantine, as `parse_and_load` does."""
    written = _write(load_settings(), [item.obj for item in batch.items], batch.subset)
    return written + gone_results(batch.gone)


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


def _log_conflicts(retries_before: int) -> None:
    """Say how many commits lost a race with another writer and ran again (each also logged)."""
    get_run_logger().info("commit conflicts retried: %d", lake_commit.STATS.retries - retries_before)


@flow(name="ingest", description="Ingest one landed object: bronze ledger, parse, silver.")
def ingest(key: str) -> list[IngestResult]:
    """Ingest one object key from the bucket."""
    return ingest_keys([key])


def ingest_keys(keys: list[str]) -> list[IngestResult]:
    """Ingest object keys as tasks of the calling flow (`ingest`, or `ingest-report` itself:
    a subflow run would cost the Prefect server a run and its states per landed file)."""
    disk.ensure_room(load_settings(), "the ingest", bronze.NOTHING_RECORDED)
    retries_before = lake_commit.STATS.retries
    objects, gone = fetch_objects(keys)
    results = parse_and_load(objects) + gone_results(gone)
    _log_results(results)
    _log_conflicts(retries_before)
    return results


def _pending(settings: Settings, prefix: str) -> tuple[list[str], list[IngestResult]]:
    """Keys under prefix still to read, and results for deliveries the ledger already holds."""
    listing = [info for info in s3.list_objects(settings, prefix) if not info.key.endswith("/")]
    seen = bronze.delivered(settings, [(info.key, info.etag) for info in listing])
    for (key, _), reason in bronze.quarantined(settings, seen).items():
        quarantine(settings, key, reason)  # recorded, but a crash came before it was moved
    todo = [info.key for info in listing if (info.key, info.etag) not in seen]
    done = [IngestResult(info.key, "duplicate", "already ingested")
            for info in listing if (info.key, info.etag) in seen]
    return todo, done


def batch_size_for(count: int) -> int:
    """Keys per parse task: about eight tasks for a small backfill (enough to spread over the
    workers), at most MAX_BATCH keys each for a large one, since every Prefect task costs some
    0.2 CPU-seconds whatever its size."""
    return min(MAX_BATCH, max(MIN_BATCH, -(-count // 8)))


@flow(name="backfill", description="Ingest every object under a prefix, in batches.")
def backfill(prefix: str = "landing/", batch_size: int | None = None) -> list[IngestResult]:
    """Ingest all objects under `prefix`: `batch_size` objects per parse task (by default
    `batch_size_for` the count), parsed on the task runner's workers and written here in order:
    every WRITE_EVERY objects and at the end."""
    retries_before = lake_commit.STATS.retries
    settings = load_settings()
    disk.ensure_room(settings, "the backfill", bronze.NOTHING_RECORDED)
    todo, results = _pending(settings, prefix)
    size = batch_size or batch_size_for(len(todo))
    futures = [read_and_parse.submit(todo[start : start + size]) for start in range(0, len(todo), size)]
    buffer: list[ParsedBatch] = []
    for index, future in enumerate(futures):
        buffer.append(future.result())
        futures[index] = None  # the worker lets the batch go once it is buffered here
        if index == len(futures) - 1 or sum(len(batch.items) for batch in buffer) >= WRITE_EVERY:
            results += load_parsed(ParsedBatch.combine(buffer))
            buffer = []
    _log_results(results, each=False)
    _log_conflicts(retries_before)
    return results
