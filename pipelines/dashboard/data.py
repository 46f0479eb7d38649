"""Read the published gold (and audit) tables into the plain payload the dashboard page embeds.

Columns are read defensively: every table is read with a constant `SELECT *`, then projected in
Python, so a table or optional column that is absent only shrinks the page and is listed under
`missing` instead of failing the build. Metric columns are whichever numeric columns a table has
beyond its descriptive ones, so a metric added to gold appears without a change here.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from decimal import Decimal

import duckdb

from pipelines.dashboard.labels import labels

# Evidence is report text of any length; the page needs the sentence, not the whole table dump.
EVIDENCE_CHARS = 400

_NUMERIC = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT",
            "UINTEGER", "UBIGINT", "FLOAT", "DOUBLE"}

REGION_COLUMNS = ("region", "region_code", "province", "province_code", "level", "year", "scope",
                  "report_id", "issuer", "dq_flags")
PROVINCE_COLUMNS = ("province", "province_code", "year", "scope", "source", "n_reports",
                    "regions_covered", "regions_total")
FACT_COLUMNS = ("region", "region_code", "province", "year", "scope", "metric", "value",
                "report_id", "evidence")
DQ_COLUMNS = ("run_id", "checked_at", "suite", "expectation", "severity", "status", "report_id",
              "region", "report_year", "scope", "observed", "expected", "message")

DQ_TABLE = "audit.dq_results"
# Constant statements only: nothing in them comes from the data.
_SELECT_ALL = {
    "gold.region_year_metrics": "SELECT * FROM gold.region_year_metrics",
    "gold.province_year_metrics": "SELECT * FROM gold.province_year_metrics",
    "gold.metric_long": "SELECT * FROM gold.metric_long",
}
_LATEST_DQ_RUN = """
SELECT * FROM audit.dq_results
WHERE run_id = (SELECT run_id FROM audit.dq_results ORDER BY checked_at DESC LIMIT 1)
"""


class _Reader:
    """Reads tables from one connection, remembering what the contract expected but did not find."""

    def __init__(self, con: duckdb.DuckDBPyConnection, missing: list[str] | None = None):
        self.con = con
        self.missing: list[str] = [] if missing is None else missing
        self._tables = {
            f"{schema}.{name}"
            for schema, name in con.execute(
                "SELECT table_schema, table_name FROM information_schema.tables"
            ).fetchall()
        }

    def has(self, table: str) -> bool:
        return table in self._tables

    def read(self, table: str, sql: str, wanted: tuple[str, ...], metrics: bool) -> tuple[list, list]:
        """Rows of `table` as dicts of the wanted columns (plus numeric metric columns when asked)."""
        if not self.has(table):
            self.missing.append(f"{table} (table)")
            return [], []
        cursor = self.con.execute(sql)
        names = [item[0] for item in cursor.description]
        types = {item[0]: str(item[1]) for item in cursor.description}
        self.missing.extend(f"{table}.{col}" for col in wanted if col not in names)
        metric_cols = [
            n for n in names if metrics and n not in wanted and _is_numeric(types[n])
        ]
        keep = [n for n in names if n in wanted] + metric_cols
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        return [{k: _plain(row[k]) for k in keep} for row in rows], metric_cols


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


def _facts(reader: _Reader) -> list[dict]:
    rows, _ = reader.read("gold.metric_long", _SELECT_ALL["gold.metric_long"], FACT_COLUMNS, False)
    for row in rows:
        evidence = row.get("evidence")
        if isinstance(evidence, str) and len(evidence) > EVIDENCE_CHARS:
            row["evidence"] = evidence[:EVIDENCE_CHARS] + "…"
    return rows


def _dq(reader: _Reader) -> dict:
    """The latest audit run: counts by severity and status, and its failed checks in full."""
    table = DQ_TABLE
    if not reader.has(table):
        reader.missing.append(f"{table} (table)")
        return {"run_id": None, "checked_at": None, "counts": {}, "findings": []}
    # Without run_id/checked_at there is no "latest run": fall back to every recorded row.
    columns = {row[0] for row in reader.con.execute("SELECT * FROM audit.dq_results LIMIT 0").description}
    latest = {"run_id", "checked_at"} <= columns
    rows, _ = reader.read(table, _LATEST_DQ_RUN if latest else "SELECT * FROM audit.dq_results",
                          DQ_COLUMNS, False)
    counts: dict[str, int] = {}
    for row in rows:
        key = f"{row.get('severity') or '?'}/{row.get('status') or '?'}"
        counts[key] = counts.get(key, 0) + 1
    severity_order = {"blocking": 0, "warning": 1}
    findings = sorted(
        (row for row in rows if row.get("status") != "passed"),
        key=lambda r: (severity_order.get(r.get("severity"), 2), str(r.get("region")),
                       str(r.get("report_year")), str(r.get("expectation"))),
    )
    first = rows[0] if rows else {}
    return {"run_id": first.get("run_id"), "checked_at": first.get("checked_at"),
            "counts": counts, "findings": findings}


def load_payload(con: duckdb.DuckDBPyConnection, audit_con: duckdb.DuckDBPyConnection | None = None) -> dict:
    """Everything the page shows, as JSON-ready dicts and lists.

    The data-quality results come from `con` when it has audit.dq_results, else from `audit_con`
    (the warehouse) when given.
    """
    reader = _Reader(con)
    use_audit_con = audit_con is not None and not reader.has(DQ_TABLE)
    dq_reader = _Reader(audit_con, reader.missing) if use_audit_con else reader
    regions, region_metrics = reader.read(
        "gold.region_year_metrics", _SELECT_ALL["gold.region_year_metrics"], REGION_COLUMNS, True)
    provinces, province_metrics = reader.read(
        "gold.province_year_metrics", _SELECT_ALL["gold.province_year_metrics"], PROVINCE_COLUMNS, True)
    facts = _facts(reader)
    dq = {**_dq(dq_reader), "source": "warehouse" if use_audit_con else "published"}
    return {
        "generated_at": datetime.now().astimezone().isoformat(timespec="seconds"),
        "province_metrics": province_metrics,
        "region_metrics": region_metrics,
        "provinces": provinces,
        "regions": regions,
        "facts": facts,
        "dq": dq,
        "missing": reader.missing,
        "labels": labels(),
    }
