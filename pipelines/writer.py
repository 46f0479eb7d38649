"""The one way anything reaches bronze and silver: keep the bytes, then promote the batch.

Any number of processes on any number of machines may write at once. Each keeps the bytes it
read in the bucket (content-addressed, so doing it twice is harmless) and promotes its batch
(ledger rows, reports' rows) in one transaction that decides every delivery against what other
writers committed (pipelines/promote.py). A bulk batch is staged by dlt first (pipelines/
loader.py); a small one is promoted from memory. A writer killed at any point leaves nothing
half-written in bronze or silver: a batch it never promoted is only a proposal, and the delivery is
ingested again later.
"""

from __future__ import annotations

import uuid

from environment.settings import Settings
from infra import disk
from pipelines import bronze, loader, silver
from pipelines.bronze import LandedObject
from pipelines.lake import connect, init_lake
from pipelines.promote import Batch, promote, replace_silver

# Batches of at least this many deliveries are staged through dlt (its ~0.3 s per load is small
# beside theirs); smaller ones, such as one event's report, are promoted from memory.
BULK_FROM = 50
# What a delivery became: (outcome, reason); a delivery the ledger had before is absent.
Outcomes = dict[str, tuple[str, str | None]]
Entry = tuple[LandedObject, str, str | None]


def _batch(settings: Settings, tables: dict, bulk: bool) -> Batch:
    batch_id = uuid.uuid4().hex
    return loader.stage(settings, batch_id, tables) if bulk else Batch(batch_id, tables=tables)


def _promote(settings: Settings, entries: list[Entry], rows: silver.SilverRows | None,
             parser_version: str | None, bulk: bool | None) -> Outcomes:
    init_lake(settings)
    bronze.keep_all(settings, [obj for obj, outcome, _ in entries
                               if outcome != "duplicate" and not obj.refused and not obj.kept])
    tables = {"objects": bronze.ledger_table(entries, parser_version)}
    if rows is not None:
        tables |= silver.batch_tables(rows)
    batch = _batch(settings, tables, len(entries) >= BULK_FROM if bulk is None else bulk)
    try:
        with connect(settings) as con:
            return promote(con, batch)
    finally:
        loader.discard(settings, batch)


def write(settings: Settings, entries: list[Entry], rows: silver.SilverRows | None = None,
          parser_version: str | None = None, bulk: bool | None = None) -> Outcomes:
    """Record these deliveries (object, proposed outcome, reason) in the ledger and their loaded
    reports' `rows` in silver, decided against every other writer; `bulk` stages the batch
    through dlt (by default when it has BULK_FROM deliveries or more). Returns what each
    delivery became; DiskFull, having written nothing, when the lake's disk is full."""
    if not entries:
        return {}
    disk.ensure_room(settings, "the ingest", bronze.NOTHING_RECORDED)
    with disk.explain_full(settings, "the ingest", bronze.NOTHING_RECORDED):
        return _promote(settings, entries, rows, parser_version, bulk)


def rebuild_silver(settings: Settings, parse) -> silver.RebuildResult:
    """Parse every object kept in bronze again and make silver exactly the result (a parser
    upgrade); known reports keep their first load time, so a second rebuild changes nothing."""
    items, failed = silver.parse_kept(settings, parse)
    tables = silver.batch_tables(silver.rows_for(items), silver.first_load_times(settings))
    batch = _batch(settings, tables, bulk=len(items) >= BULK_FROM)
    try:
        with connect(settings) as con:
            reports = replace_silver(con, batch)
    finally:
        loader.discard(settings, batch)
    return silver.RebuildResult(reports=reports, failed=failed)


def load_reports(settings: Settings, items: list[tuple[LandedObject, dict]],
                 bulk: bool | None = None) -> list[str]:
    """Record parsed reports' deliveries as loaded and their rows in silver; returns the ids of
    the reports that are new in silver."""
    outcomes = write(settings, [(obj, "loaded", None) for obj, _ in items], silver.rows_for(items),
                     bulk=bulk)
    loaded = {obj.sha256 for obj, _ in items if outcomes.get(obj.key, ("",))[0] == "loaded"}
    return sorted(loaded)
