"""Publishing in the lake: one snapshot per publish, gold changed only by a publish, time travel."""

from __future__ import annotations

import dataclasses
import threading

from expectations.gated_publish import publish
from infra import s3
from lakehouse.helpers import land, query, report_record
from nianbao.query import run_query
from pipelines import writer
from pipelines.lake import connect
from pipelines.snapshots import publications

GRANTED = "SELECT year, granted FROM gold.region_year_metrics"


def test_each_publish_is_a_snapshot_analysts_can_go_back_to(lake_settings):
    writer.load_reports(lake_settings, [(land(lake_settings, "inbox/a.txt", "a"), report_record(granted=5))])
    first = publish(lake_settings)
    assert "gold.region_year_metrics" in first.models and first.audit.publishable
    assert first.dictionary_path.read_text(encoding="utf-8").startswith("# Data dictionary")

    corrected = land(lake_settings, "inbox/a-corrected.txt", "a, corrected")
    writer.load_reports(lake_settings, [(corrected, report_record(granted=6))])
    assert run_query(lake_settings, GRANTED)[1] == [(2020, 5.0)], "gold changes only when published"
    second = publish(lake_settings)

    assert run_query(lake_settings, GRANTED, first.snapshot_id)[1] == [(2020, 5.0)]
    assert run_query(lake_settings, GRANTED, second.snapshot_id)[1] == [(2020, 6.0)]
    assert run_query(lake_settings, GRANTED)[1] == [(2020, 6.0)]
    with connect(lake_settings, read_only=True) as con:
        assert [row[0] for row in publications(con)] == [first.snapshot_id, second.snapshot_id]


def test_without_inlining_every_commit_writes_parquet_to_the_bucket(lake_settings):
    settings = dataclasses.replace(lake_settings, inlining_rows=0)
    writer.load_reports(settings, [(land(settings, "inbox/a.txt", "a"), report_record())])
    publish(settings)
    keys = [info.key for info in s3.list_objects(settings, "lakehouse/")]
    assert any(key.startswith("lakehouse/gold/region_year_metrics/") for key in keys), keys
    assert any(key.startswith("lakehouse/silver/report_metrics/") for key in keys), keys


def test_publishes_at_once_both_commit_one_after_the_other(lake_settings):
    for name, code in (("a", "130600"), ("b", "130200")):
        writer.load_reports(lake_settings, [(land(lake_settings, f"inbox/{name}.txt", name), report_record(
            region=f"{name}市", region_code=code, issuer=f"{name}市人民政府"))])
    results, errors = [], []

    def run():
        try:
            results.append(publish(lake_settings))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len({result.snapshot_id for result in results}) == 2
    assert sorted(query(lake_settings, "SELECT region, granted FROM gold.region_year_metrics")) == [
        ("a市", 5.0), ("b市", 5.0)]
