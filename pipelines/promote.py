"""Promotion: a writer's batch becomes ledger rows and silver rows in one transaction.

A batch arrives either staged by dlt as Parquet files (bulk writes, pipelines/loader.py) or as
Arrow tables in this process (a single event's few hundred rows, where even dlt's small fixed cost
per load would be a fifth of the time from drop to gold). Both become the same temporary
`incoming_*` tables, and from there one set of statements decides every delivery against the
ledger as committed, in the transaction that writes the result. Every promotion updates the one
row of `ops.writer_turn`, so two promotions at once always conflict and the later one runs again
on what the first committed (pipelines/lake_commit.py). That is what keeps, under any number of
writers:

- one ledger row per delivery (bucket, key, ETag), whoever saw it first;
- the first delivery of some bytes (sha256) is the one that loads or quarantines them; every
  later delivery of the same bytes is recorded as a duplicate of it;
- silver holds each report once, and within each identity (region code, year, issuer) exactly
  the newest upload is current, each older one pointing at the one that replaced it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa

from pipelines.lake_commit import in_transaction

# incoming table: the lake table whose columns it has
TARGETS = {"objects": "bronze.objects", "reports": "silver.reports",
           "report_metrics": "silver.report_metrics", "report_findings": "silver.report_findings"}

# The incoming deliveries not in the ledger yet, each with its final outcome: a content the ledger
# (or an earlier delivery of this batch) has already is a duplicate of its first delivery. Only
# deliveries that loaded or quarantined the content count as its first: one the writer proposed
# as a duplicate (it saw the content in the ledger) never does, or a batch could make every
# delivery of a content a duplicate of another and load it nowhere.
_DECIDE = """
CREATE OR REPLACE TEMP TABLE promoted AS
WITH fresh AS (
    SELECT * FROM incoming_objects AS i
    WHERE NOT EXISTS (SELECT 1 FROM bronze.objects AS o
                      WHERE o.bucket = i.bucket AND o.key = i.key AND o.etag = i.etag)
    QUALIFY row_number() OVER (PARTITION BY bucket, key, etag ORDER BY received_at) = 1
),
known AS (
    SELECT sha256, arg_min(key, (received_at, key)) AS first_key FROM bronze.objects
    WHERE outcome <> 'duplicate' AND sha256 IN (SELECT sha256 FROM fresh)
    GROUP BY sha256
),
batch_first AS (
    SELECT sha256, arg_min(key, (received_at, key)) AS first_key FROM fresh
    WHERE outcome <> 'duplicate'
    GROUP BY sha256
),
decided AS (
    SELECT fresh.*, coalesce(known.first_key, batch_first.first_key) AS first_key
    FROM fresh LEFT JOIN known USING (sha256) LEFT JOIN batch_first USING (sha256)
)
SELECT * EXCLUDE (first_key, outcome, reason),
       CASE WHEN first_key <> key THEN 'duplicate' ELSE outcome END AS outcome,
       CASE WHEN first_key <> key THEN 'same content as ' || first_key ELSE reason END AS reason
FROM decided
"""
_LEDGER = "INSERT INTO bronze.objects BY NAME SELECT * FROM promoted"
_NEW_REPORTS = """
CREATE OR REPLACE TEMP TABLE new_reports AS
SELECT DISTINCT report_id FROM incoming_reports
WHERE report_id IN (SELECT sha256 FROM promoted WHERE outcome = 'loaded')
    AND report_id NOT IN (SELECT report_id FROM silver.reports)
"""
_ALL_REPORTS = "CREATE OR REPLACE TEMP TABLE new_reports AS SELECT DISTINCT report_id FROM incoming_reports"
_SILVER = (
    "INSERT INTO silver.reports BY NAME SELECT * FROM incoming_reports "
    "WHERE report_id IN (FROM new_reports) QUALIFY row_number() OVER (PARTITION BY report_id) = 1",
    "INSERT INTO silver.report_metrics BY NAME SELECT * FROM incoming_report_metrics "
    "WHERE report_id IN (FROM new_reports)",
    "INSERT INTO silver.report_findings BY NAME SELECT * FROM incoming_report_findings "
    "WHERE report_id IN (FROM new_reports)",
)
# Within each identity a new report touched, the newest upload (by when its bytes first landed)
# is current and every older one points at the next.
_SUPERSESSION = """
UPDATE silver.reports AS r
SET is_current = chain.is_current, superseded_by = chain.superseded_by
FROM (
    SELECT report_id,
           lead(report_id) OVER newest_last IS NULL AS is_current,
           lead(report_id) OVER newest_last AS superseded_by
    FROM (
        SELECT r.report_id, r.identity_key,
               coalesce((SELECT min(o.received_at) FROM bronze.objects AS o
                         WHERE o.sha256 = r.source_sha256), r.loaded_at) AS landed
        FROM silver.reports AS r
        WHERE r.identity_key IN (SELECT identity_key FROM silver.reports
                                 WHERE report_id IN (FROM new_reports))
    )
    WINDOW newest_last AS (PARTITION BY identity_key ORDER BY landed, report_id)
) AS chain
WHERE r.report_id = chain.report_id
    AND (r.is_current IS DISTINCT FROM chain.is_current
         OR r.superseded_by IS DISTINCT FROM chain.superseded_by)
"""
_TURN = "UPDATE ops.writer_turn SET turn = turn + 1"
_OUTCOMES = "SELECT key, outcome, reason FROM promoted"


class StagingIncomplete(RuntimeError):
    """The staged files of a batch hold fewer rows than its writer staged."""


@dataclass(frozen=True)
class Batch:
    """A writer's batch: Parquet files dlt staged (by incoming name, with each table's row count),
    or the Arrow tables themselves (`tables`, by incoming name)."""

    batch_id: str
    tables: dict[str, pa.Table] | None = None
    files: dict[str, list[Path]] | None = None
    counts: dict[str, int] | None = None

    def fill_incoming(self, con: duckdb.DuckDBPyConnection) -> None:
        """Create the incoming_* temp tables from this batch (empty for a table it lacks)."""
        for name, target in TARGETS.items():
            con.execute(f"CREATE OR REPLACE TEMP TABLE incoming_{name} AS FROM {target} LIMIT 0")
            if self.files and self.files.get(name):
                con.execute(f"INSERT INTO incoming_{name} BY NAME SELECT * FROM read_parquet(?)",
                            [[str(path) for path in self.files[name]]])
                self._check_count(con, name)
            elif self.tables is not None and name in self.tables:
                con.register("arrow_batch", self.tables[name])
                try:
                    con.execute(f"INSERT INTO incoming_{name} BY NAME FROM arrow_batch")
                finally:
                    con.unregister("arrow_batch")

    def _check_count(self, con: duckdb.DuckDBPyConnection, name: str) -> None:
        found = con.execute(f"SELECT count(*) FROM incoming_{name}").fetchone()[0]
        expected = (self.counts or {}).get(name)
        if found != expected:
            raise StagingIncomplete(f"batch {self.batch_id}: the staged {name} hold {found} rows, "
                                    f"the writer staged {expected}; nothing was promoted")


def _write_silver(con: duckdb.DuckDBPyConnection, batch: Batch, choose_reports: str) -> None:
    con.execute(choose_reports)
    for statement in _SILVER:
        con.execute(statement)
    con.execute(_SUPERSESSION)
    con.execute(_TURN)


def _promote(con: duckdb.DuckDBPyConnection, batch: Batch) -> dict[str, tuple[str, str | None]]:
    batch.fill_incoming(con)
    con.execute(_DECIDE)
    con.execute(_LEDGER)
    _write_silver(con, batch, _NEW_REPORTS)
    return {key: (outcome, reason) for key, outcome, reason in con.execute(_OUTCOMES).fetchall()}


def _replace(con: duckdb.DuckDBPyConnection, batch: Batch) -> int:
    batch.fill_incoming(con)
    for name in ("reports", "report_metrics", "report_findings"):
        con.execute(f"DELETE FROM {TARGETS[name]}")
    _write_silver(con, batch, _ALL_REPORTS)
    return con.execute("SELECT count(*) FROM new_reports").fetchone()[0]


def _run(con: duckdb.DuckDBPyConnection, work: Callable, batch: Batch, label: str):
    return in_transaction(con, lambda c: work(c, batch), f"{label} {batch.batch_id}")


def replace_silver(con: duckdb.DuckDBPyConnection, batch: Batch) -> int:
    """Make silver exactly the batch's reports (a rebuild from bronze); returns their count."""
    return _run(con, _replace, batch, "replace silver with")


def promote(con: duckdb.DuckDBPyConnection, batch: Batch) -> dict[str, tuple[str, str | None]]:
    """Promote one batch; returns {key: (outcome, reason)} for the deliveries it recorded (a
    delivery the ledger had already is absent: it was recorded the first time it came)."""
    return _run(con, _promote, batch, "promote")
