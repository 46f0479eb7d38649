"""Parsing landed objects for `ingest` and `backfill` (flows/ingest.py): the reports' records and
silver rows, or the reasons to quarantine them, in a batch kept opaque to Prefect."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from dataclasses import dataclass

from prefect import get_run_logger
from prefect.exceptions import MissingContextError

from pipelines import bronze, silver
from pipelines.parsing import ParseError, parse_document, reading


@dataclass(frozen=True)
class Parsed:
    """One landed object after parsing: what the parser read, or why it rejected the object."""

    obj: bronze.LandedObject
    reason: str | None = None
    detail: str = ""


class ParsedBatch:
    """Parsed objects and their reports' silver rows, kept opaque to Prefect.

    Prefect walks every task input and result item by item looking for futures; over the
    nested records of a few hundred reports that walk costs as much as parsing them."""

    __slots__ = ("items", "rows", "gone")

    def __init__(self, items: list[Parsed], rows: silver.SilverRows, gone: tuple[str, ...] = ()):
        self.items = items
        self.rows = rows
        self.gone = gone  # keys listed but missing when read

    @staticmethod
    def combine(batches: list[ParsedBatch]) -> ParsedBatch:
        """Several batches as one, in order."""
        return ParsedBatch([item for batch in batches for item in batch.items],
                           silver.SilverRows.combine([batch.rows for batch in batches]),
                           tuple(key for batch in batches for key in batch.gone))

    def subset(self, objects: list[bronze.LandedObject]) -> ParsedBatch:
        """The parsed items of these objects (by key), in their order."""
        by_key = {item.obj.key: item for item in self.items}
        return ParsedBatch([by_key[obj.key] for obj in objects], self.rows)


def _progress_logger(key: str) -> Callable[[str], None]:
    """Where a file's reading progress goes: the run's log (the Prefect UI), or Python logging.
    The logger is looked up only when there is progress to tell (OCR), not for every file."""

    def tell(message: str) -> None:
        try:
            logger = get_run_logger()
        except MissingContextError:  # outside a flow or task run (reprocess helpers, tests)
            logger = logging.getLogger("nianbao.parse")
        logger.info("%s: %s", key, message)

    return tell


def parse_record(data: bytes, key: str) -> dict:
    """Parse one object's bytes into the report record (raises ParseError); OCR progress, page by
    page, goes to the run's log."""
    with reading.progress_to(_progress_logger(key)):
        return parse_document(data, key).to_record(key)


def parse_objects(objects: list[bronze.LandedObject]) -> ParsedBatch:
    """Parse objects into their reports' silver rows, or the reasons to quarantine them; the
    bytes of objects kept in bronze already are dropped, so that they do not travel further."""
    items, reports = [], []
    for obj in objects:
        light = dataclasses.replace(obj, data=b"") if obj.kept else obj
        try:
            record = parse_record(obj.data, obj.key)
        except ParseError as error:
            items.append(Parsed(light, reason=error.reason))
            continue
        items.append(Parsed(light, detail=_describe(record)))
        reports.append((light, record))
    return ParsedBatch(items, silver.rows_for(reports))


def _describe(record: dict) -> str:
    return f"{record.get('region')} {record.get('report_year')}: {len(record['metrics'])} metrics"
