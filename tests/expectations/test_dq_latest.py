"""audit.dq_latest: each report's findings from the latest run that checked it, run by run."""

from __future__ import annotations

from expectations.audit import run_audit

from .conftest import lake_execute, lake_rows

OLD = {"old-1999": ("某县", "420111", "湖北省", "420000", "county", 1999, None, "2008")}
LATE = {"late": ("桥西区", "130104", "河北省", "130000", "district", 2019, "2022-03-01", "2019")}


def _latest(settings, sql_filter: str = "true") -> set[tuple]:
    return set(lake_rows(settings, f"SELECT run_id, report_id, expectation FROM audit.dq_latest "
                                   f"WHERE status = 'failed' AND {sql_filter}"))


def test_a_blocked_report_keeps_blocking_when_later_runs_audit_nothing_new(make_settings):
    settings = make_settings(extra_reports=OLD)
    first = run_audit(settings)
    assert not first.publishable
    again = run_audit(settings, pending=True)
    assert not again.publishable
    assert ("reports.report_year_range", "old-1999") in {
        (r.expectation, r.report_id) for r in again.blocking_failures}
    assert (first.run_id, "old-1999", "reports.report_year_range") in _latest(settings)


def test_rechecking_one_report_replaces_only_its_rows(make_settings):
    settings = make_settings(extra_reports=LATE | OLD)
    first = run_audit(settings)
    assert (first.run_id, "late", "reports.published_within_two_years") in _latest(settings)
    lake_execute(settings, "UPDATE silver.reports SET publication_date = '2020-03-01' "
                 "WHERE report_id = 'late'")
    second = run_audit(settings, ["late"])
    assert _latest(settings, "report_id = 'late'") == set()
    old_rows = _latest(settings, "report_id = 'old-1999'")
    assert old_rows and {run for run, _, _ in old_rows} == {first.run_id}
    assert not second.publishable  # old-1999 still stands


def test_pending_audit_checks_only_new_reports_and_superseded_failures_stop_blocking(make_settings):
    settings = make_settings()
    assert run_audit(settings, pending=True).publishable
    lake_execute(settings, "INSERT INTO silver.reports SELECT * REPLACE ('old-1999' AS report_id, "
             "1999 AS report_year, 'x|1999' AS identity_key) FROM silver.reports LIMIT 1")
    blocked = run_audit(settings, pending=True)
    checked = lake_rows(settings, "SELECT report_id FROM audit.audited_reports WHERE run_id = ?",
                        [blocked.run_id])
    assert checked == [("old-1999",)]
    assert {r.report_id for r in blocked.blocking_failures} == {"old-1999"}
    lake_execute(settings, "UPDATE silver.reports SET is_current = false WHERE report_id = 'old-1999'")
    assert run_audit(settings, pending=True).publishable


def test_one_current_version_is_checked_against_all_of_silver(make_settings):
    settings = make_settings()
    run_audit(settings)
    # A new current version whose identity an already-audited report holds too.
    lake_execute(settings, "INSERT INTO silver.reports SELECT * REPLACE ('twin' AS report_id) "
             "FROM silver.reports WHERE report_id = 'luancheng-2020'")
    outcome = run_audit(settings, pending=True)
    assert {(r.expectation, r.report_id) for r in outcome.blocking_failures} == {
        ("reports.one_current_version", "luancheng-2020"), ("reports.one_current_version", "twin")}
