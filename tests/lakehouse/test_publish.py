"""Publishing: the analysts' DuckDB file, Parquet by year and province on the bucket, and time travel."""

from __future__ import annotations

import duckdb

from infra import s3
from lakehouse.helpers import land, report_record
from pipelines import gold, publish, silver
from pipelines.publish_parquet import partition_of

# DuckDB percent-encodes partition values in folder names.
HEBEI_2020 = "gold/region_year_metrics/year=2020/province=%E6%B2%B3%E5%8C%97%E7%9C%81/data_0.parquet"


def test_publish_writes_files_and_keeps_earlier_publishes(lake_settings):
    silver.load_reports(lake_settings, [(land(lake_settings, "inbox/a.txt", "a"), report_record(granted=5))])
    gold.build_gold(lake_settings)
    first = publish.publish(lake_settings)

    assert first.tables == ["metric_long", "province_year_metrics", "region_year_metrics"]
    with duckdb.connect(str(first.published_db_path), read_only=True) as con:
        assert con.execute("SELECT granted FROM gold.region_year_metrics").fetchall() == [(5.0,)]
        assert con.execute("SELECT snapshot_id FROM gold._publish").fetchall() == [(first.snapshot_id,)]
    assert s3.head(lake_settings, publish.PUBLISHED_DB_KEY) is not None
    assert s3.s3_uri(lake_settings, HEBEI_2020) in first.parquet_written
    assert first.dictionary_path.read_text(encoding="utf-8").startswith("# Data dictionary")

    corrected = land(lake_settings, "inbox/a-corrected.txt", "a, corrected")
    silver.load_reports(lake_settings, [(corrected, report_record(granted=6))])
    gold.build_gold(lake_settings)
    stale = HEBEI_2020.replace("data_0", "data_1")  # as if an earlier publish wrote two files
    s3.put_bytes(lake_settings, stale, b"left by an earlier publish")
    second = publish.publish(lake_settings)

    # The published file is the previous one with the changed keys replaced: equal to gold.
    for table in second.tables:
        with duckdb.connect(str(lake_settings.warehouse_path), read_only=True) as con:
            gold_rows = sorted(con.execute(f"FROM gold.{table}").fetchall(), key=repr)
        with duckdb.connect(str(second.published_db_path), read_only=True) as con:
            assert sorted(con.execute(f"FROM gold.{table}").fetchall(), key=repr) == gold_rows
    keys = {info.key for info in s3.list_objects(lake_settings, "gold/region_year_metrics/")}
    assert keys == {HEBEI_2020}
    sql = "SELECT year, granted FROM gold.region_year_metrics"
    assert publish.query_as_of(lake_settings, sql, first.snapshot_id) == [{"year": 2020, "granted": 5.0}]
    assert publish.query_as_of(lake_settings, sql, second.snapshot_id) == [{"year": 2020, "granted": 6.0}]
    snapshot_ids = [row[0] for row in publish.snapshots(lake_settings)]
    assert snapshot_ids[-2:] == [first.snapshot_id, second.snapshot_id]
    assert s3.list_objects(lake_settings, "lakehouse/"), "DuckLake data files belong on the bucket"


def test_a_publish_rewrites_only_the_partitions_that_changed(lake_settings):
    reports = [("a", "保定市", "130600", "河北省", 2020), ("b", "武汉市", "420100", "湖北省", 2020),
               ("c", "保定市", "130600", "河北省", 2021)]
    for name, region, code, province, year in reports:
        record = report_record(region=region, region_code=code, year=year, issuer=f"{region}人民政府")
        record["province"] = province
        silver.load_reports(lake_settings, [(land(lake_settings, f"inbox/{name}.txt", name), record)])
    gold.build_gold(lake_settings)
    publish.publish(lake_settings)
    prefix, by = "gold/metric_long", ("year", "province")
    layout = {partition_of(info.key, prefix, by) for info in s3.list_objects(lake_settings, prefix + "/")}
    assert layout == {("2020", "河北省"), ("2020", "湖北省"), ("2021", "河北省")}

    # A marker in each of two 2020 partitions: a publish deletes what it does not rewrite only
    # in the partitions it rewrites.
    hebei, hubei = (f"{prefix}/year=2020/province={p}/marker.parquet"
                    for p in ("%E6%B2%B3%E5%8C%97%E7%9C%81", "%E6%B9%96%E5%8C%97%E7%9C%81"))
    for key in (hebei, hubei):
        s3.put_bytes(lake_settings, key, b"marker")
    corrected = report_record(granted=7)  # 保定市 2020, a new upload of report a
    silver.load_reports(lake_settings, [(land(lake_settings, "inbox/a2.txt", "a2"), corrected)])
    gold.build_gold(lake_settings)
    publish.publish(lake_settings)
    assert s3.head(lake_settings, hebei) is None, "the changed partition was rewritten"
    assert s3.head(lake_settings, hubei) is not None, "an unchanged partition was left alone"


def test_objects_of_another_layout_are_replaced_by_a_whole_rewrite(lake_settings):
    silver.load_reports(lake_settings, [(land(lake_settings, "inbox/a.txt", "a"), report_record())])
    gold.build_gold(lake_settings)
    publish.publish(lake_settings)
    old_layout = "gold/region_year_metrics/year=2020/data_0.parquet"  # by year alone, as before
    s3.put_bytes(lake_settings, old_layout, b"an older publish")
    silver.load_reports(lake_settings, [(land(lake_settings, "inbox/b.txt", "b"), report_record(
        region="唐山市", region_code="130200", issuer="唐山市人民政府"))])
    gold.build_gold(lake_settings)
    result = publish.publish(lake_settings)
    keys = {info.key for info in s3.list_objects(lake_settings, "gold/region_year_metrics/")}
    assert keys == {HEBEI_2020}
    assert s3.s3_uri(lake_settings, HEBEI_2020) in result.parquet_written


def test_partition_of_reads_the_folders_duckdb_writes():
    by = ("year", "province")
    assert partition_of("gold/t/year=2020/province=%E6%B2%B3%E5%8C%97%E7%9C%81/data_0.parquet",
                        "gold/t", by) == ("2020", "河北省")
    assert partition_of("gold/t/year=__HIVE_DEFAULT_PARTITION__/province=a%2Fb/data_0.parquet",
                        "gold/t", by) == (None, "a/b")
    assert partition_of("gold/t/year=2020/data_0.parquet", "gold/t", by) is None
    assert partition_of("gold/t/province=x/year=2020/data_0.parquet", "gold/t", by) is None


def test_meanwhile_runs_on_the_new_file_before_the_publish_returns(lake_settings):
    silver.load_reports(lake_settings, [(land(lake_settings, "inbox/a.txt", "a"), report_record())])
    gold.build_gold(lake_settings)
    seen = []

    def read_new_file():
        with duckdb.connect(str(lake_settings.published_db_path), read_only=True) as con:
            seen.append(con.execute("SELECT snapshot_id FROM gold._publish").fetchone()[0])

    result = publish.publish(lake_settings, meanwhile=read_new_file)
    assert seen == [result.snapshot_id]


def test_the_published_file_gets_every_audit_run(lake_settings):
    from expectations.audit import run_audit

    for name in ("a", "b"):
        silver.load_reports(lake_settings, [(land(lake_settings, f"inbox/{name}.txt", name), report_record(
            region=f"{name}市", region_code=f"1306{ord(name):02d}", issuer=f"{name}市人民政府"))])
        gold.build_gold(lake_settings)
        run_audit(lake_settings, pending=True)
        result = publish.publish(lake_settings)
    rows = "SELECT run_id, count(*) FROM audit.dq_results GROUP BY run_id ORDER BY run_id"
    with duckdb.connect(str(lake_settings.warehouse_path), read_only=True) as con:
        expected = con.execute(rows).fetchall()
    with duckdb.connect(str(result.published_db_path), read_only=True) as con:
        assert con.execute(rows).fetchall() == expected
    assert len(expected) == 2
