"""`nianbao snapshots` and `nianbao query --as-of`: gold as it was at an earlier publish."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from expectations.gated_publish import publish
from nianbao.cli import app
from pipelines import writer

from .helpers import land, report_record


def _publish_granted(settings, key: str, text: str, granted: int) -> int:
    writer.load_reports(settings, [(land(settings, key, text), report_record(granted=granted))])
    return publish(settings).snapshot_id


def test_query_as_of_an_earlier_publish(lake_env):
    first = _publish_granted(lake_env, "inbox/a.txt", "a", 5)
    second = _publish_granted(lake_env, "inbox/a2.txt", "a, corrected", 6)
    runner = CliRunner()
    listed = runner.invoke(app, ["snapshots"])
    assert listed.exit_code == 0, listed.output
    assert listed.output.count("publish ") == 2
    sql = "SELECT year, granted FROM gold.region_year_metrics"
    old = runner.invoke(app, ["query", "--json", "--as-of", str(first), sql])
    new = runner.invoke(app, ["query", "--json", "--as-of", str(second), sql])
    assert old.exit_code == 0, old.output
    assert json.loads(old.stdout) == [{"year": 2020, "granted": 5.0}]
    assert json.loads(new.stdout) == [{"year": 2020, "granted": 6.0}]
    current = runner.invoke(app, ["query", "--json", sql])
    assert json.loads(current.stdout) == [{"year": 2020, "granted": 6.0}]
