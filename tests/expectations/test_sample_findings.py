"""The audit finds the self-contradictions the sample reports are known for, and records them."""

from __future__ import annotations

import pytest

from pipelines.lake import connect


def _finding(outcome, expectation: str, report_id: str, scope: str | None = "whole"):
    matches = [
        r for r in outcome.warnings + outcome.blocking_failures
        if r.expectation == expectation and r.report_id == report_id and r.scope == scope
    ]
    assert matches, f"no {expectation} finding on {report_id}/{scope}"
    return matches[0]


@pytest.mark.parametrize(
    ("expectation", "report_id", "scope", "observed", "expected"),
    [
        ("balance.flow", "hubei-2019", "whole",
         "applications_new 9378 + applications_carried_in 139 = 9517",
         "processed_total 9355 + carried_forward 159 = 9514"),
        ("balance.reconsideration_parts", "hubei-2019", "whole", "= 444", "reconsideration_total 443"),
        ("balance.reconsideration_parts", "hubei-2019", "own", "= 41", "reconsideration_total 40"),
        ("balance.outcomes", "luancheng-2020", "whole", "granted 4", "processed_total 0"),
        ("balance.reconsideration_parts", "hongze-2023", "whole", "= 11", "reconsideration_total 0"),
    ],
)
def test_balance_contradictions_are_warnings(sample_audit, expectation, report_id, scope,
                                             observed, expected):
    _, outcome = sample_audit
    finding = _finding(outcome, expectation, report_id, scope)
    assert finding.severity == "warning"
    assert observed in finding.observed
    assert expected in finding.expected


def test_luancheng_outcomes_add_to_five(sample_audit):
    finding = _finding(sample_audit[1], "balance.outcomes", "luancheng-2020")
    assert finding.observed.endswith("unable_to_provide 1 + not_processed 0 + other_processed 0 = 5")


def test_hubei_dated_before_its_year_ended(sample_audit):
    finding = _finding(sample_audit[1], "reports.published_after_year_end", "hubei-2019", None)
    assert finding.severity == "warning"
    assert finding.region == "湖北省" and finding.report_year == 2019
    assert "2019-07-07" in finding.observed


def test_consistent_reports_have_no_findings(sample_audit):
    _, outcome = sample_audit
    assert not [r for r in outcome.warnings if r.report_id == "hongze-2024"]
    assert outcome.publishable  # the samples' contradictions are warnings only


def test_results_land_in_dq_results(sample_audit):
    settings, outcome = sample_audit
    with connect(settings, read_only=True) as con:
        rows = con.execute(
            "SELECT status, count(*), count(DISTINCT expectation) FROM audit.dq_results "
            "WHERE run_id = ? GROUP BY status", [outcome.run_id],
        ).fetchall()
        duplicates = con.execute(
            "SELECT count(*) FROM (SELECT report_id, scope, expectation FROM audit.dq_results "
            "WHERE run_id = ? AND status = 'failed' GROUP BY ALL HAVING count(*) > 1)",
            [outcome.run_id],
        ).fetchone()[0]
    by_status = {status: (n, distinct) for status, n, distinct in rows}
    assert by_status["failed"][0] == len(outcome.warnings) + len(outcome.blocking_failures)
    passed_rows, passed_distinct = by_status["passed"]
    assert passed_rows == passed_distinct  # one summary row per expectation that passed
    assert duplicates == 0  # one row per failed (report, scope, expectation)
    assert outcome.n_checks >= 40


def test_html_report_is_offline_and_lists_findings(sample_audit):
    _, outcome = sample_audit
    page = outcome.html_path.read_text(encoding="utf-8")
    assert outcome.html_path.name == "dq_report.html"
    assert "<meta charset='utf-8'>" in page
    assert "湖北省 2019" in page and "balance.reconsideration_parts" in page
    assert "<script" not in page and "<link" not in page and "http" not in page
