"""Publishing: the analysts' DuckDB file, Parquet by year on the bucket, and time travel."""

from __future__ import annotations

import duckdb

from infra import s3
from lakehouse.helpers import land, report_record
from pipelines import gold, publish, silver


def test_publish_writes_files_and_keeps_earlier_publishes(lake_settings):
    silver.load_reports(lake_settings, [(land(lake_settings, "inbox/a.txt", "a"), report_record(granted=5))])
    gold.build_gold(lake_settings)
    first = publish.publish(lake_settings)

    assert first.tables == ["metric_long", "province_year_metrics", "region_year_metrics"]
    with duckdb.connect(str(first.published_db_path), read_only=True) as con:
        assert con.execute("SELECT granted FROM gold.region_year_metrics").fetchall() == [(5.0,)]
        assert con.execute("SELECT snapshot_id FROM gold._publish").fetchall() == [(first.snapshot_id,)]
    assert s3.head(lake_settings, publish.PUBLISHED_DB_KEY) is not None
    assert s3.s3_uri(lake_settings, "gold/region_year_metrics/year=2020/data_0.parquet") in first.parquet_uris
    assert first.dictionary_path.read_text(encoding="utf-8").startswith("# Data dictionary")

    corrected = land(lake_settings, "inbox/a-corrected.txt", "a, corrected")
    silver.load_reports(lake_settings, [(corrected, report_record(granted=6))])
    gold.build_gold(lake_settings)
    s3.put_bytes(lake_settings, "gold/region_year_metrics/year=1999/stale.parquet", b"left by an old publish")
    second = publish.publish(lake_settings)

    # The published file is the previous one with the changed keys replaced: equal to gold.
    for table in second.tables:
        with duckdb.connect(str(lake_settings.warehouse_path), read_only=True) as con:
            gold_rows = sorted(con.execute(f"FROM gold.{table}").fetchall(), key=repr)
        with duckdb.connect(str(second.published_db_path), read_only=True) as con:
            assert sorted(con.execute(f"FROM gold.{table}").fetchall(), key=repr) == gold_rows
    keys = {info.key for info in s3.list_objects(lake_settings, "gold/region_year_metrics/")}
    assert keys == {"gold/region_year_metrics/year=2020/data_0.parquet"}
    sql = "SELECT year, granted FROM gold.region_year_metrics"
    assert publish.query_as_of(lake_settings, sql, first.snapshot_id) == [{"year": 2020, "granted": 5.0}]
    assert publish.query_as_of(lake_settings, sql, second.snapshot_id) == [{"year": 2020, "granted": 6.0}]
    snapshot_ids = [row[0] for row in publish.snapshots(lake_settings)]
    assert snapshot_ids[-2:] == [first.snapshot_id, second.snapshot_id]
    assert s3.list_objects(lake_settings, "lakehouse/"), "DuckLake data files belong on the bucket"
