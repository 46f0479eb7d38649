"""Blocking checks gate publishing; batches, area codes, cross-year pairs and gold tables."""

from __future__ import annotations

import duckdb

from expectations.audit import run_audit

BAD_REPORTS = {
    # A year before the 条例 existed, and a malformed region code.
    "old-1999": ("某县", "42011", "湖北省", "420000", "county", 1999, None, "2008"),
    # Well-formed but unknown code: a warning only.
    "unknown-code": ("某区", "429999", "湖北省", "420000", "district", 2021, "2022-01-30", "2021"),
    # Dated more than two years after its year ended: a warning.
    "late": ("桥西区", "130104", "河北省", "130000", "district", 2019, "2022-03-01", "2019"),
}
BAD_METRICS = [
    ("old-1999", "whole", "applications_new", -3.0, "件", "-3"),
    ("unknown-code", "whole", "applications_new", 2.5, "件", "2.5"),
]


def _keys(results) -> set[tuple[str, str]]:
    return {(r.expectation, r.report_id) for r in results}


def test_bad_year_negative_count_and_malformed_code_block_publishing(make_settings):
    settings = make_settings(extra_reports=BAD_REPORTS, extra_metrics=BAD_METRICS)
    outcome = run_audit(settings)
    assert not outcome.publishable
    blocking = _keys(outcome.blocking_failures)
    assert ("reports.report_year_range", "old-1999") in blocking
    assert ("metrics.non_negative", "old-1999") in blocking
    assert ("reports.region_code_format", "old-1999") in blocking
    assert ("metrics.whole_counts", "unknown-code") in blocking
    warned = _keys(outcome.warnings)
    assert ("reports.region_code_known", "unknown-code") in warned
    assert ("reports.published_within_two_years", "late") in warned
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        recorded = con.execute(
            "SELECT expectation, observed FROM audit.dq_results WHERE run_id = ? "
            "AND severity = 'blocking' AND status = 'failed' AND report_id = 'old-1999'",
            [outcome.run_id],
        ).fetchall()
    assert ("reports.report_year_range", "report_year=1999") in recorded


def test_batch_audits_only_the_given_reports(make_settings):
    settings = make_settings(extra_reports=BAD_REPORTS, extra_metrics=BAD_METRICS)
    with duckdb.connect(str(settings.warehouse_path)) as con:
        outcome = run_audit(settings, ["luancheng-2020"], con=con)
    assert outcome.publishable
    assert {r.report_id for r in outcome.warnings} == {"luancheng-2020"}


def test_carry_over_mismatch_between_years(make_settings):
    next_year = {"hongze-2025": ("淮安市洪泽区", "320813", "江苏省", "320000", "district", 2025,
                                 "2026-01-15", "2021")}
    metrics = [("hongze-2025", "whole", "applications_carried_in", 7.0, "件", "上年结转 7")]
    outcome = run_audit(make_settings(extra_reports=next_year, extra_metrics=metrics))
    finding = next(r for r in outcome.warnings if r.expectation == "cross_year.carry_over")
    assert finding.report_id == "hongze-2024" and finding.scope == "whole"
    assert "carried_forward 0 (2024)" in finding.observed and "hongze-2025" in finding.observed
    assert outcome.publishable


def test_gold_duplicate_keys_rates_and_counts(make_settings):
    settings = make_settings()
    row = "('{0}', '{1}', '河北省', '130000', 'district', {2}, 'whole', 'r', '{0}人民政府', {3}, {4}, NULL)"
    with duckdb.connect(str(settings.warehouse_path)) as con:
        con.execute("CREATE SCHEMA gold")
        # Same columns as dbt_like_sql/gold/region_year_metrics.sql (metric columns trimmed).
        con.execute(
            "CREATE TABLE gold.region_year_metrics AS SELECT * FROM (VALUES "
            + ", ".join([row.format("栾城区", "130111", 2020, 5.0, 0.8),
                         row.format("栾城区", "130111", 2020, 5.0, 0.8),
                         row.format("桥西区", "130104", 2021, -1.0, 1.5)])
            + ") AS t(region, region_code, province, province_code, level, year, scope, report_id,"
            " issuer, applications_new, disclosure_rate, dq_flags)"
        )
        outcome = run_audit(settings, con=con)
    assert not outcome.publishable
    blocking = {(r.expectation, r.region, r.report_year) for r in outcome.blocking_failures}
    assert blocking == {
        ("region_year_metrics.one_row_per_key", "栾城区", 2020),
        ("region_year_metrics.applications_new_non_negative", "桥西区", 2021),
    }
    warned = {(r.expectation, r.region, r.report_year) for r in outcome.warnings}
    assert ("region_year_metrics.disclosure_rate_range", "桥西区", 2021) in warned


def test_empty_warehouse_is_not_publishable(tmp_path):
    import dataclasses

    from environment.settings import load_settings

    settings = dataclasses.replace(load_settings(), lake_dir=tmp_path / "lake")
    outcome = run_audit(settings)
    assert not outcome.publishable
    assert outcome.blocking_failures[0].expectation == "audit.silver_present"
    assert outcome.html_path.is_file()


def test_column_litigation_and_channel_rules_and_signed_changes(make_settings):
    stated = {
        # 自然人 column: new 3 + carried in 1 = 4, but handled 3 + carried forward 0 = 3.
        "applications_new__natural_person": 3, "applications_carried_in__natural_person": 1,
        "processed_total__natural_person": 3, "carried_forward__natural_person": 0,
        "litigation_direct_upheld": 2, "litigation_direct_corrected": 0,
        "litigation_direct_other": 0, "litigation_direct_pending": 0, "litigation_direct_total": 2,
        "litigation_after_reconsideration_total": 1, "litigation_total": 4,
        "applications_new": 4,  # channels add to 3 (e-mail not stated, so 0)
        "channel_in_person": 1, "channel_online": 2, "channel_letter": 0, "channel_fax": 0,
        "licensing_items_change": -54,  # 本年增/减 is signed: not a negative count
    }
    report = {"qiaoxi-2019": ("桥西区", "130104", "河北省", "130000", "district", 2019,
                              "2020-01-31", "2019")}
    metrics = [("qiaoxi-2019", "whole", m, float(v), "件", str(v)) for m, v in stated.items()]
    metrics.append(("ghost", "whole", "granted", 1.0, "件", "1"))
    outcome = run_audit(make_settings(extra_reports=report, extra_metrics=metrics))
    warned = {r.expectation for r in outcome.warnings if r.report_id == "qiaoxi-2019"}
    assert warned == {"balance.flow__natural_person", "balance.litigation_blocks",
                      "balance.channels"}
    assert _keys(outcome.blocking_failures) == {("metrics.report_exists", "ghost")}
