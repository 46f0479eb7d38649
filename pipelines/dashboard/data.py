"""Read the published gold (and audit) tables into the JSON texts the dashboard's data files carry.

The heavy lifting is DuckDB's: it fingerprints and groups the overview rows by year and the
evidence by report and writes the JSON itself (`to_json`), so no Python loop ever walks the
millions of metric rows. Every statement is a constant over whole rows (`to_json(t)`, `hash(t)`),
whichever columns a table has; a table or column the contract expects but the file lacks only
shrinks the page and is listed under `missing`. Metric columns are the numeric columns beyond the
descriptive ones, so a metric added to gold appears without a change here.
"""

from __future__ import annotations

import json
import math
from datetime import date, datetime
from decimal import Decimal

import duckdb

# Evidence is report text of any length; the page needs the sentence, not the whole table dump.
EVIDENCE_CHARS = 400

_NUMERIC = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT",
            "UINTEGER", "UBIGINT", "FLOAT", "DOUBLE"}

REGION_COLUMNS = ("region", "region_code", "province", "province_code", "level", "year", "scope",
                  "report_id", "issuer", "dq_flags")
PROVINCE_COLUMNS = ("province", "province_code", "year", "scope", "source", "n_reports",
                    "regions_covered", "regions_total")
# Numeric columns that describe a row rather than state a metric (not charted).
_NOT_METRICS = ("unconfirmed_values",)
FACT_COLUMNS = ("year", "scope", "metric", "value", "report_id", "evidence")
DQ_COLUMNS = ("checked_at", "suite", "expectation", "severity", "status", "report_id",
              "region", "report_year", "scope", "observed", "expected", "message")

REGION_TABLE, PROVINCE_TABLE, FACT_TABLE = ("gold.region_year_metrics", "gold.province_year_metrics",
                                            "gold.metric_long")
# For each report the results of the latest audit that checked it (audits check new reports only).
DQ_TABLE = "audit.dq_latest"

# Constant statements only: nothing in them comes from the data. A year's fingerprint is the sum
# of its rows' hashes, so the build turns only the years whose rows changed into JSON: one array of
# rows per year, sorted by their own text so the same rows give the same bytes (and file) again.
_YEAR_PRINTS = {
    REGION_TABLE: "SELECT year, sum(hash(t))::VARCHAR FROM gold.region_year_metrics t GROUP BY year",
    PROVINCE_TABLE: "SELECT year, sum(hash(t))::VARCHAR FROM gold.province_year_metrics t GROUP BY year",
    FACT_TABLE: "SELECT year, count(*)::VARCHAR FROM gold.metric_long GROUP BY year",
}
_YEAR_PARTS = {
    REGION_TABLE: "SELECT year, '[' || string_agg(row, ',' ORDER BY row) || ']' FROM ("
                  "SELECT year, to_json(t) AS row FROM gold.region_year_metrics t"
                  " WHERE list_contains($years::VARCHAR[], coalesce(year::VARCHAR, ''))) GROUP BY year",
    PROVINCE_TABLE: "SELECT year, '[' || string_agg(row, ',' ORDER BY row) || ']' FROM ("
                    "SELECT year, to_json(t) AS row FROM gold.province_year_metrics t"
                    " WHERE list_contains($years::VARCHAR[], coalesce(year::VARCHAR, ''))) GROUP BY year",
    FACT_TABLE: "SELECT year, count(*) FROM gold.metric_long"
                " WHERE list_contains($years::VARCHAR[], coalesce(year::VARCHAR, '')) GROUP BY year",
}
_PART_NAMES = {REGION_TABLE: "regions", PROVINCE_TABLE: "provinces", FACT_TABLE: "facts"}
_REPORTS_WITH_FACTS = "SELECT DISTINCT report_id FROM gold.metric_long WHERE report_id IS NOT NULL"
# Each report's figures as JSON columns, as UTF-8 bytes ready to be written. The columns stay
# aligned (one aggregation fills them row by row); the page orders the figures itself.
_EVIDENCE = """
WITH wanted AS (
    SELECT unnest($ids::VARCHAR[]) AS report_id
)
SELECT report_id, encode(to_json({
    scope: list(scope), metric: list(metric), value: list(value),
    evidence: list(CASE WHEN strlen(evidence) > $chars AND length(evidence) > $chars
                        THEN left(evidence, $chars) || '…' ELSE evidence END),
    confidence: list(CONFIDENCE_COLUMN)
}))
FROM gold.metric_long SEMI JOIN wanted USING (report_id)
GROUP BY report_id ORDER BY report_id
"""
_DQ_COUNTS = "SELECT severity, status, count(*) FROM audit.dq_latest GROUP BY ALL"
_DQ_FAILED = "SELECT * FROM audit.dq_latest WHERE status IS DISTINCT FROM 'passed'"
_DQ_LAST_CHECK = "SELECT max(checked_at) FROM audit.dq_latest"


class Reader:
    """Reads tables from one connection, remembering what the contract expected but did not find."""

    def __init__(self, con: duckdb.DuckDBPyConnection, missing: list[str] | None = None):
        self.con = con
        self.missing: list[str] = [] if missing is None else missing
        self._columns: dict[str, dict[str, str]] = {}
        for schema, table, column, kind in con.execute(
            "SELECT table_schema, table_name, column_name, data_type FROM information_schema.columns "
            "ORDER BY table_schema, table_name, ordinal_position"
        ).fetchall():
            self._columns.setdefault(f"{schema}.{table}", {})[column] = kind

    def has(self, table: str) -> bool:
        return table in self._columns

    def columns(self, table: str, wanted: tuple[str, ...]) -> dict[str, str] | None:
        """The table's column types, noting the absent table or wanted columns under `missing`."""
        if not self.has(table):
            self.missing.append(f"{table} (table)")
            return None
        found = self._columns[table]
        self.missing.extend(f"{table}.{col}" for col in wanted if col not in found)
        return found

    def rows(self, sql: str, params: dict | None = None) -> list[tuple]:
        return self.con.execute(sql, params or {}).fetchall()

    def dicts(self, sql: str) -> list[dict]:
        cursor = self.con.execute(sql)
        names = [item[0] for item in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _is_numeric(type_name: str) -> bool:
    return type_name in _NUMERIC or type_name.startswith("DECIMAL")


def _plain(value):
    """A JSON-ready value: NaN becomes null, decimals floats, dates ISO text, lists stay lists."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def _metrics(columns: dict[str, str] | None, descriptive: tuple[str, ...]) -> list[str]:
    return [name for name, kind in (columns or {}).items()
            if name not in descriptive and name not in _NOT_METRICS and _is_numeric(kind)]


def year_key(year) -> str:
    """A year as the statements compare it (its text; '' for none)."""
    return "" if year is None else str(year)


def year_prints(reader: Reader) -> tuple[dict, dict]:
    """(metric columns per table, {year: fingerprint of its province, region and fact rows})."""
    wanted = {REGION_TABLE: REGION_COLUMNS, PROVINCE_TABLE: PROVINCE_COLUMNS, FACT_TABLE: FACT_COLUMNS}
    columns = {table: reader.columns(table, names) for table, names in wanted.items()}
    prints: dict = {}
    for table in (table for table, found in columns.items() if found and "year" in found):
        for year, value in reader.rows(_YEAR_PRINTS[table]):
            prints.setdefault(year, {})[_PART_NAMES[table]] = value
    metrics = {"province_metrics": _metrics(columns[PROVINCE_TABLE], PROVINCE_COLUMNS),
               "region_metrics": _metrics(columns[REGION_TABLE], REGION_COLUMNS)}
    return metrics, {year: json.dumps(parts, sort_keys=True) for year, parts in prints.items()}


def year_parts(reader: Reader, years: list) -> dict:
    """{year: {"provinces": JSON rows, "regions": JSON rows, "facts": count}} for the given years."""
    parts: dict = {year: {} for year in years}
    if not years:
        return parts
    keys = {year_key(year): year for year in years}
    for table, sql in _YEAR_PARTS.items():
        if reader.has(table) and "year" in reader.columns(table, ()):
            for year, value in reader.rows(sql, {"years": list(keys)}):
                parts[keys[year_key(year)]][_PART_NAMES[table]] = value
    return parts


def reports_with_evidence(reader: Reader) -> set[str] | None:
    """Report ids that have stated figures, or None when metric_long cannot give evidence."""
    found = reader.columns(FACT_TABLE, ()) or {}
    if not all(col in found for col in ("report_id", "scope", "metric", "value", "evidence")):
        return None
    return {report_id for (report_id,) in reader.rows(_REPORTS_WITH_FACTS)}


def evidence_json(reader: Reader, report_ids: list[str]) -> list[tuple[str, bytes]]:
    """(report id, its figures and their shortened evidence as JSON columns), by report id."""
    if not report_ids:
        return []
    # A lake published before confidence was kept has no such column: its figures show unmarked.
    confidence = "confidence" if "confidence" in (reader.columns(FACT_TABLE, ()) or {}) else "NULL"
    return reader.rows(_EVIDENCE.replace("CONFIDENCE_COLUMN", confidence),
                       {"chars": EVIDENCE_CHARS, "ids": report_ids})


def _finding_order(row: dict) -> tuple:
    severity_order = {"blocking": 0, "warning": 1}
    return (severity_order.get(row.get("severity"), 2), str(row.get("region")),
            str(row.get("report_year")), str(row.get("expectation")))


def quality(reader: Reader) -> dict:
    """Each report's latest checks: counts by severity and status, and the failed checks in full."""
    found = reader.columns(DQ_TABLE, DQ_COLUMNS)
    if not found or not {"severity", "status"} <= set(found):
        return {"checked_at": None, "counts": {}, "findings": []}
    counts = {f"{severity or '?'}/{status or '?'}": n for severity, status, n in reader.rows(_DQ_COUNTS)}
    findings = sorted(({name: _plain(value) for name, value in row.items() if name in DQ_COLUMNS}
                       for row in reader.dicts(_DQ_FAILED)), key=_finding_order)
    checked_at = reader.rows(_DQ_LAST_CHECK)[0][0] if "checked_at" in found else None
    return {"checked_at": _plain(checked_at), "counts": counts, "findings": findings}
