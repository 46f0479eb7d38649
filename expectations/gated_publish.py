"""Write–audit–publish in one lake transaction: analysts' gold changes only to a version that passed.

    result = publish(settings)             # refresh gold, audit, commit; PublishBlocked if not
    result = publish(settings, full=True)  # rebuild every model, check every report (a reprocess)

Inside one DuckLake transaction the publish refreshes gold from silver, runs the suites over the
reports no run has checked yet and the gold rows the refresh changed, and records the results.
A blocking failure rolls the whole transaction back, so gold stays as last published, and the
run's results are then recorded on their own (they keep blocking until a newer report replaces
the failing one). Otherwise gold is refreshed once more, for the data-quality flags the audit
just found, and everything commits as one snapshot whose commit message says it is a publish:
`nianbao snapshots` lists those, and `nianbao query --as-of` reads gold as it was at one.

Every publish updates the one row of `ops.publish_turn`, so two publishes at once conflict and
the later one runs again on what the first committed (pipelines/lake_commit.py).
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from pathlib import Path

import duckdb

from environment.settings import Settings
from expectations.audit import AuditRun, check, record_run
from expectations.outcome import AuditOutcome, PublishBlocked
from expectations.report_html import render_html
from infra import disk, s3
from pipelines.dictionary import model_docs, render
from pipelines.gold import refresh_gold
from pipelines.lake import connect
from pipelines.lake_commit import in_transaction
from pipelines.snapshots import PUBLISH_AUTHOR

DICTIONARY_KEY = "published/data_dictionary.md"
GOLD_UNCHANGED = "gold is unchanged"
PUBLISHED_ANYWAY = ("gold is published (a new snapshot), but its audit report or data dictionary was "
                    "not written")


class _Blocked(Exception):
    """Raised inside the transaction to roll it back; carries the run to record afterwards."""

    def __init__(self, run: AuditRun):
        super().__init__("blocked")
        self.run = run


@dataclass
class PublishResult:
    """One publish: its DuckLake snapshot, the models refreshed, the audit, the data dictionary."""

    snapshot_id: int
    models: list[str]
    audit: AuditOutcome
    dictionary_path: Path


def _publish(con: duckdb.DuckDBPyConnection, full: bool, publish_id: str) -> tuple[AuditOutcome, list[str]]:
    models = refresh_gold(con, full)
    run = check(con, pending=not full)
    outcome = record_run(con, run)
    if not outcome.publishable:
        raise _Blocked(run)
    refresh_gold(con)  # the reports just audited may have new flags: their rows follow (a few keys)
    con.execute("UPDATE ops.publish_turn SET turn = turn + 1")
    con.execute("CALL lake.set_commit_message(?, ?, extra_info => ?)",
                [PUBLISH_AUTHOR, f"publish {outcome.run_id}",
                 json.dumps({"publish_id": publish_id, "audit_run": outcome.run_id})])
    return outcome, models


def _snapshot_of(con: duckdb.DuckDBPyConnection, publish_id: str) -> int:
    return con.execute("SELECT max(snapshot_id) FROM lake.snapshots() WHERE author = ? AND "
                       "json_extract_string(commit_extra_info, '$.publish_id') = ?",
                       [PUBLISH_AUTHOR, publish_id]).fetchone()[0]


def _commit(settings: Settings, con: duckdb.DuckDBPyConnection, full: bool,
            publish_id: str) -> tuple[AuditOutcome, list[str]]:
    try:
        return in_transaction(con, lambda c: _publish(c, full, publish_id), "publish")
    except _Blocked as blocked:
        run = blocked.run
        outcome = in_transaction(con, lambda c: record_run(c, run), "record a blocked audit")
        outcome.html_path = render_html(settings, outcome.run_id, con=con)
        raise PublishBlocked(outcome) from None


def publish(settings: Settings, full: bool = False) -> PublishResult:
    """Refresh, audit and publish gold as one snapshot; PublishBlocked (gold unchanged) when a
    blocking check fails, DiskFull (saying whether gold changed) when the disk is full. `full`
    rebuilds every model and checks every current report."""
    publish_id = uuid.uuid4().hex
    disk.ensure_room(settings, "publish", GOLD_UNCHANGED)
    with disk.explain_full(settings, "publish", GOLD_UNCHANGED, (PublishBlocked,)), connect(settings) as con:
        outcome, models = _commit(settings, con, full, publish_id)
        # Gold is committed: what fails from here on leaves the new snapshot published.
        with disk.explain_full(settings, "publish", PUBLISHED_ANYWAY):
            snapshot_id = _snapshot_of(con, publish_id)
            outcome.html_path = render_html(settings, outcome.run_id, con=con)
            dictionary = publish_dictionary(settings)
    return PublishResult(snapshot_id, models, outcome, dictionary)


def publish_dictionary(settings: Settings) -> Path:
    """Write the data dictionary beside the published files and on the bucket, when it changed."""
    text = render(model_docs())
    path = settings.published_dir / "data_dictionary.md"
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        disk.write_atomic(path, text.encode("utf-8"))
        s3.put_file(settings, DICTIONARY_KEY, path, "text/markdown")
    return path
