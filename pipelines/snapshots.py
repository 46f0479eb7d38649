"""Publishes as the lake remembers them: every publish is one DuckLake snapshot, marked as such.

Ingests, audits and compaction commit snapshots too; a publish's carries the author
PUBLISH_AUTHOR, so analysts can go back to "gold as published on that day" with
`nianbao query --as-of <snapshot>` or, in any DuckDB, `ATTACH … (SNAPSHOT_VERSION <snapshot>)`.
Snapshots older than the retention (`NIANBAO_SNAPSHOT_DAYS`) are expired by compaction.
"""

from __future__ import annotations

import duckdb

PUBLISH_AUTHOR = "nianbao publish"


def publications(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    """Every publish still kept: (snapshot_id, snapshot_time, commit_message), oldest first."""
    return con.execute(
        "SELECT snapshot_id, snapshot_time, commit_message FROM lake.snapshots() WHERE author = ? "
        "ORDER BY snapshot_id", [PUBLISH_AUTHOR]).fetchall()


def last_publication(con: duckdb.DuckDBPyConnection) -> int | None:
    """The snapshot of the latest publish, None before the first."""
    return con.execute("SELECT max(snapshot_id) FROM lake.snapshots() WHERE author = ?",
                       [PUBLISH_AUTHOR]).fetchone()[0]
