"""Incremental gold: after adds, a superseding re-upload and new findings, the rows equal a full rebuild."""

from __future__ import annotations

from expectations.audit import run_audit
from lakehouse.helpers import land, query, report_record
from pipelines import gold, gold_state, publish, silver
from pipelines.lake import connect

TABLES = ("silver.current_report_metrics", "gold.region_year_metrics",
          "gold.province_year_metrics", "gold.metric_long")


def _all_rows(settings) -> dict[str, list[tuple]]:
    return {table: sorted(query(settings, f"SELECT * FROM {table}"), key=repr) for table in TABLES}


def _load(settings, key: str, findings: tuple[dict, ...] = (), **record) -> str:
    obj = land(settings, f"inbox/{key}.txt", key)
    silver.load_reports(settings, [(obj, report_record(**record) | {"findings": list(findings)})])
    return obj.sha256


def test_incremental_builds_equal_a_full_rebuild(lake_settings):
    _load(lake_settings, "baoding", granted=5)
    _load(lake_settings, "qingyuan", region="清苑区", region_code="130608", level="district",
          issuer="清苑区人民政府", granted=3)
    gold.build_gold(lake_settings)

    qianan = _load(lake_settings, "qianan", region="迁安市", region_code="130283", level="county",
                   issuer="迁安市人民政府", year=2021, granted=2)
    gold.build_gold(lake_settings)
    # Only the new report's rows were recomputed and await publishing.
    assert query(lake_settings, 'SELECT report_id FROM ops."pending_region_year_metrics"') == [(qianan,)]

    _load(lake_settings, "baoding-v2", granted=7, processed_total=9)  # supersedes baoding 2020
    gold.build_gold(lake_settings)
    # A finding on a report reaches its dq_flags once audited.
    conflict = {"code": "year_conflict", "message": "title 2021, period 2020", "evidence": "2020年度"}
    _load(lake_settings, "hebei", findings=(conflict,), region="河北省", region_code="130000",
          level="province", issuer="河北省人民政府", year=2021, granted=40)
    run_audit(lake_settings, pending=True)
    gold.build_gold(lake_settings)
    incremental = _all_rows(lake_settings)

    gold.build_gold(lake_settings, full=True)
    assert incremental == _all_rows(lake_settings)
    assert query(lake_settings, "SELECT region, dq_flags FROM gold.region_year_metrics "
                 "WHERE dq_flags IS NOT NULL") == [("河北省", "parser.year_conflict")]
    assert query(lake_settings, "SELECT granted FROM gold.region_year_metrics "
                 "WHERE region = '保定市'") == [(7.0,)]
    assert sorted(query(lake_settings, "SELECT year, source FROM gold.province_year_metrics")) == [
        (2020, "aggregate"), (2021, "province_report")]


def test_keys_pending_in_an_older_shape_make_the_publish_copy_the_table_whole(lake_settings):
    _load(lake_settings, "baoding", granted=5)
    gold.build_gold(lake_settings)
    publish.publish(lake_settings)
    with connect(lake_settings) as con:  # as an earlier version left them: key and year only
        con.execute("CREATE TABLE ops.pending_metric_long AS SELECT 'x' AS report_id, 2020 AS year")
    _load(lake_settings, "qianan", region="迁安市", region_code="130283", level="county",
          issuer="迁安市人民政府", year=2021, granted=2)
    gold.build_gold(lake_settings)
    with connect(lake_settings) as con:
        assert gold_state.changes_since_publish(con, "metric_long").whole
        assert not gold_state.changes_since_publish(con, "region_year_metrics").whole
