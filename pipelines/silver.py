"""Silver: one row per distinct report (`silver.reports`), one per stated value
(`silver.report_metrics`) and one per parser finding (`silver.report_findings`).

A report's id is the sha256 of its source bytes. Its identity is (region_code, report_year,
issuer): when a newer upload of the same identity arrives with different bytes it becomes the
current report and the earlier ones stay as history, each pointing at the one that replaced it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import groupby

import dlt
import pyarrow as pa
import pyarrow.compute as pc

from environment.settings import Settings
from pipelines import bronze
from pipelines.bronze import LandedObject
from pipelines.lake import connect, dlt_pipeline, fetch_dicts, finish_pending_loads, init_warehouse

REPORT_FIELDS = (
    "region", "region_code", "province", "province_code", "level", "report_year",
    "publication_date", "template", "issuer", "parser_version",
)
_REPORT_COLUMNS = {
    name: {"data_type": "text", "nullable": True}
    for name in ("superseded_by", *REPORT_FIELDS)
} | {
    "report_year": {"data_type": "bigint", "nullable": True},
    "loaded_at": {"data_type": "timestamp"},
    "is_current": {"data_type": "bool"},
}
_FINDING_COLUMNS = {name: {"data_type": "text", "nullable": True} for name in ("message", "evidence")}
_METRIC_COLUMNS = {
    "value": {"data_type": "double", "nullable": True},
    "unit": {"data_type": "text", "nullable": True},
    "evidence": {"data_type": "text", "nullable": True},
    # The parser's `confidence` and `check` (named check_rule: CHECK is an SQL keyword).
    "confidence": {"data_type": "text", "nullable": True},
    "check_rule": {"data_type": "text", "nullable": True},
}


# dlt loads Arrow tables without normalising row by row (about 10x faster than dicts for the
# ~200 metric rows of a report), but then adds its bookkeeping columns only when told to; the
# contract tables require them.
dlt.config["normalize.parquet_normalizer.add_dlt_id"] = True
dlt.config["normalize.parquet_normalizer.add_dlt_load_id"] = True
_ARROW_TYPES = {"report_year": pa.int64(), "loaded_at": pa.timestamp("us", tz="UTC"),
                "is_current": pa.bool_(), "value": pa.float64()}
_REPORT_ARROW = pa.schema([
    (name, _ARROW_TYPES.get(name, pa.string())) for name in (
        "report_id", "identity_key", "source_key", "source_sha256", *REPORT_FIELDS,
        "loaded_at", "is_current", "superseded_by")
])
_METRIC_ARROW = pa.schema([
    (name, _ARROW_TYPES.get(name, pa.string()))
    for name in ("report_id", "scope", "metric", "value", "unit", "evidence", "confidence", "check_rule")
])

_FINDING_ARROW = pa.schema([(name, pa.string())
                            for name in ("report_id", "code", "message", "evidence")])


@dataclass
class RebuildResult:
    """What a rebuild from bronze produced: reports loaded, and sources the parser rejected."""

    reports: int
    failed: dict[str, str] = field(default_factory=dict)


@dataclass
class SilverRows:
    """Silver rows of parsed reports, built wherever they were parsed: one dict per report (its
    load time and supersession are the writer's to set) and Arrow tables of metrics and findings,
    which cross processes as a few buffers rather than as nested Python objects."""

    reports: dict[str, dict]
    metrics: pa.Table
    findings: pa.Table

    def only(self, report_ids: set[str]) -> SilverRows:
        """The rows of these reports alone."""
        if self.reports.keys() <= report_ids:
            return self
        wanted = pa.array(sorted(report_ids), pa.string())
        return SilverRows(
            {rid: row for rid, row in self.reports.items() if rid in report_ids},
            self.metrics.filter(pc.is_in(self.metrics["report_id"], wanted)),
            self.findings.filter(pc.is_in(self.findings["report_id"], wanted)),
        )

    @staticmethod
    def combine(parts: list[SilverRows]) -> SilverRows:
        """The rows of several batches as one (a report in two batches keeps its first rows)."""
        seen: set[str] = set()
        firsts = []
        for part in parts:
            firsts.append(part.only(part.reports.keys() - seen))
            seen |= part.reports.keys()
        return SilverRows(
            {rid: row for part in firsts for rid, row in part.reports.items()},
            pa.concat_tables([_METRIC_ARROW.empty_table(), *(part.metrics for part in firsts)]),
            pa.concat_tables([_FINDING_ARROW.empty_table(), *(part.findings for part in firsts)]),
        )


def identity_key(record: dict, report_id: str) -> str:
    """(region_code, report_year, issuer); a report without region or year is only itself."""
    if record.get("region_code") is None or record.get("report_year") is None:
        return f"unidentified|{report_id}"
    return f"{record['region_code']}|{record['report_year']}|{record.get('issuer') or ''}"


def _report_row(obj: LandedObject, record: dict) -> dict:
    row = {name: record.get(name) for name in REPORT_FIELDS}
    row["region_code"] = None if row["region_code"] is None else str(row["region_code"])
    row["report_year"] = None if row["report_year"] is None else int(row["report_year"])
    return row | {
        "report_id": obj.sha256, "identity_key": identity_key(record, obj.sha256),
        "source_key": obj.key, "source_sha256": obj.sha256, "loaded_at": None,
        "received_at": obj.received_at, "is_current": True, "superseded_by": None,
    }


def _metric_rows(report_id: str, record: dict) -> list[tuple]:
    """The report's stated values; a (scope, metric) stated twice keeps its first value."""
    rows = {}
    for item in record.get("metrics") or []:
        value = item.get("value")
        rows.setdefault((item.get("scope"), item.get("metric")), (
            report_id, item.get("scope"), item.get("metric"),
            None if value is None else float(value), item.get("unit"), item.get("evidence"),
            item.get("confidence"), item.get("check")))
    return list(rows.values())


def _finding_rows(report_id: str, record: dict) -> list[tuple]:
    """The contradictions the parser saw in the report and resolved (one row per finding)."""
    return [(report_id, item.get("code"), item.get("message"), item.get("evidence"))
            for item in record.get("findings") or []]


def _table(schema: pa.Schema, rows: list[tuple]) -> pa.Table:
    """An Arrow table of row tuples in the schema's column order (converted in one call, in C)."""
    rows_array = pa.array(rows, type=pa.struct(list(schema)))
    return pa.Table.from_batches([pa.RecordBatch.from_struct_array(rows_array)], schema=schema)


def rows_for(items: list[tuple[LandedObject, dict]]) -> SilverRows:
    """Silver rows of parsed reports (pure: runs wherever they were parsed); the same bytes twice
    give one report, from their first appearance."""
    records: dict[str, tuple[LandedObject, dict]] = {}
    for obj, record in items:
        records.setdefault(obj.sha256, (obj, record))
    return SilverRows(
        {rid: _report_row(obj, record) for rid, (obj, record) in records.items()},
        _table(_METRIC_ARROW, [row for rid, (_, rec) in records.items() for row in _metric_rows(rid, rec)]),
        _table(_FINDING_ARROW, [row for rid, (_, rec) in records.items() for row in _finding_rows(rid, rec)]),
    )


def _resolve_supersession(rows: list[dict]) -> list[dict]:
    """Within each identity the newest upload is current; every older one points to its successor."""
    ordered = sorted(rows, key=lambda row: (row["identity_key"], row["received_at"], row["report_id"]))
    for _, group in groupby(ordered, key=lambda row: row["identity_key"]):
        chain = list(group)
        for older, newer in zip(chain, chain[1:], strict=False):
            older["is_current"], older["superseded_by"] = False, newer["report_id"]
        chain[-1]["is_current"], chain[-1]["superseded_by"] = True, None
    return ordered


def _existing(settings: Settings, where: str, params: list) -> list[dict]:
    """Stored reports matching a filter, with the time their bytes first landed (for ordering)."""
    with connect(settings) as con:
        return fetch_dicts(con.execute(
            "SELECT r.* EXCLUDE (_dlt_load_id, _dlt_id), coalesce(("
            "  SELECT min(o.received_at) FROM bronze.objects o WHERE o.sha256 = r.source_sha256"
            "), r.loaded_at) AS received_at FROM silver.reports r WHERE " + where,
            params,
        ))


def _load(settings: Settings, reports: list[dict], rows: SilverRows, disposition) -> None:
    stored = pa.Table.from_pylist(reports, schema=_REPORT_ARROW)  # received_at is not stored
    pipeline = dlt_pipeline(settings, "silver")
    pipeline.run([
        dlt.resource(stored, name="reports", primary_key="report_id",
                     write_disposition=disposition, columns=_REPORT_COLUMNS),
        dlt.resource(rows.metrics, name="report_metrics", merge_key="report_id",
                     write_disposition=disposition, columns=_METRIC_COLUMNS),
        dlt.resource(rows.findings, name="report_findings", merge_key="report_id",
                     write_disposition=disposition, columns=_FINDING_COLUMNS),
    ])


def load_rows(settings: Settings, rows: SilverRows) -> list[str]:
    """Load reports' silver rows, superseding older uploads; returns the ids of reports not in
    silver before (rows of reports already there are left alone)."""
    init_warehouse(settings)
    finish_pending_loads(settings, "silver")
    known = {row["report_id"] for row in _existing(
        settings, "r.report_id IN (SELECT unnest(?))", [list(rows.reports)])}
    fresh = rows.only(rows.reports.keys() - known)
    if not fresh.reports:
        return []
    now = datetime.now(UTC)
    new = [row | {"loaded_at": now} for row in fresh.reports.values()]
    identities = sorted({row["identity_key"] for row in new})
    before = _existing(settings, "r.identity_key IN (SELECT unnest(?))", [identities])
    states = {row["report_id"]: (row["is_current"], row["superseded_by"]) for row in before}
    resolved = _resolve_supersession(before + new)
    changed = [row for row in resolved
               if states.get(row["report_id"]) != (row["is_current"], row["superseded_by"])]
    _load(settings, changed, fresh, {"disposition": "merge", "strategy": "delete-insert"})
    return list(fresh.reports)


def load_reports(settings: Settings, items: list[tuple[LandedObject, dict]]) -> list[str]:
    """Load parsed reports into silver, superseding older uploads; returns the new report ids."""
    return load_rows(settings, rows_for(items))


def rebuild_from_bronze(settings: Settings, parse: Callable[[bytes, str], dict]) -> RebuildResult:
    """Re-parse every loaded object kept in bronze and replace silver with the result; idempotent."""
    init_warehouse(settings)
    finish_pending_loads(settings, "silver")
    loaded_at = {row["report_id"]: row["loaded_at"] for row in _existing(settings, "true", [])}
    parsed, failed = {}, {}
    for obj in bronze.replay(settings):
        if obj.sha256 in parsed:
            continue
        try:
            parsed[obj.sha256] = (obj, parse(obj.data, obj.key))
        except Exception as error:  # one unparseable source must not stop the rebuild
            failed[obj.key] = f"{type(error).__name__}: {error}"
    rows = rows_for(list(parsed.values()))
    now = datetime.now(UTC)
    # Keeping the first load time makes a second rebuild produce exactly the same rows.
    reports = [row | {"loaded_at": loaded_at.get(rid, now)} for rid, row in rows.reports.items()]
    _load(settings, _resolve_supersession(reports), rows, "replace")
    return RebuildResult(reports=len(reports), failed=failed)
