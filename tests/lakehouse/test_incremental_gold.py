"""Incremental gold: after adds, a superseding re-upload and new findings, the rows equal a full rebuild."""

from __future__ import annotations

from expectations.audit import run_audit
from lakehouse.helpers import land, query, report_record
from pipelines import gold, gold_state, writer
from pipelines.lake import connect

TABLES = ("silver.current_report_metrics", "gold.region_year_metrics",
          "gold.province_year_metrics", "gold.metric_long")


def _all_rows(settings) -> dict[str, list[tuple]]:
    return {table: sorted(query(settings, f"SELECT * FROM {table}"), key=repr) for table in TABLES}


def _load(settings, key: str, findings: tuple[dict, ...] = (), **record) -> str:
    obj = land(settings, f"inbox/{key}.txt", key)
    writer.load_reports(settings, [(obj, report_record(**record) | {"findings": list(findings)})])
    return obj.sha256


def test_incremental_builds_equal_a_full_rebuild(lake_settings):
    _load(lake_settings, "baoding", granted=5)
    _load(lake_settings, "qingyuan", region="清苑区", region_code="130608", level="district",
          issuer="清苑区人民政府", granted=3)
    gold.build_gold(lake_settings)

    qianan = _load(lake_settings, "qianan", region="迁安市", region_code="130283", level="county",
                   issuer="迁安市人民政府", year=2021, granted=2)
    with connect(lake_settings) as con:  # only the new report's rows are recomputed
        con.execute("BEGIN TRANSACTION")
        gold.refresh_gold(con)
        pending = gold_state.pending_table("region_year_metrics")
        assert con.execute(f"FROM {pending}").fetchall() == [(qianan,)]
        con.execute("COMMIT")

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


def _changes_of_a_build(settings, full: bool) -> dict[str, gold_state.Changes]:
    with connect(settings) as con:
        con.execute("BEGIN TRANSACTION")
        gold.refresh_gold(con, full)
        changes = {table: gold_state.changes_in_build(con, table)
                   for table in ("metric_long", "region_year_metrics")}
        con.execute("COMMIT")
    return changes


def test_a_build_knows_what_it_changed(lake_settings):
    _load(lake_settings, "baoding", granted=5)
    assert all(change.whole for change in _changes_of_a_build(lake_settings, full=True).values())
    qianan = _load(lake_settings, "qianan", region="迁安市", region_code="130283", level="county",
                   issuer="迁安市人民政府", year=2021, granted=2)
    changes = _changes_of_a_build(lake_settings, full=False)
    assert not changes["region_year_metrics"].whole
    assert changes["region_year_metrics"].columns == ("report_id",)
    unchanged = _changes_of_a_build(lake_settings, full=False).values()
    assert not any(change.whole or change.keys for change in unchanged)
    assert qianan in {row[0] for row in query(lake_settings, "SELECT report_id FROM gold.metric_long")}
