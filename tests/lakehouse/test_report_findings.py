"""Parser findings travel: silver.report_findings, audit `parser.<code>` warnings, gold dq_flags."""

from __future__ import annotations

from expectations.audit import run_audit
from expectations.parser_findings import EXPECTED
from lakehouse.helpers import land, query, report_record
from pipelines import gold, writer
from pipelines.parsing import findings, reading

# What the parser finds in the text, and what the PDF reader notes while reading (OCR).
CODES = findings.CODES + reading.CODES

FINDING = {"code": "year_conflict", "message": "report year 2020 taken from the title; the report "
           "also says 2019", "evidence": "编制的2019年度政府信息公开年度报告"}


def test_the_audit_knows_every_code_the_parser_emits():
    assert set(EXPECTED) == set(CODES)


def test_findings_reach_silver_audit_and_gold(lake_settings):
    record = report_record(granted=5) | {"findings": [FINDING]}
    obj = land(lake_settings, "inbox/baoding.txt", "保定")
    writer.load_reports(lake_settings, [(obj, record)])
    assert query(lake_settings, "SELECT report_id, code, message, evidence "
                 "FROM silver.report_findings") == [(obj.sha256, *FINDING.values())]

    outcome = run_audit(lake_settings)
    assert outcome.publishable
    rows = query(lake_settings, "SELECT expectation, severity, status, report_id, region, "
                 "report_year, observed FROM audit.dq_results "
                 "WHERE suite = 'silver.report_findings' AND status = 'failed'")
    assert rows == [("parser.year_conflict", "warning", "failed", obj.sha256, "保定市", 2020,
                     FINDING["message"])]
    passed = query(lake_settings, "SELECT expectation FROM audit.dq_results "
                   "WHERE suite = 'silver.report_findings' AND status = 'passed'")
    assert {row[0] for row in passed} == {f"parser.{code}" for code in CODES} - {"parser.year_conflict"}

    gold.build_gold(lake_settings)
    flags = query(lake_settings, "SELECT dq_flags FROM gold.region_year_metrics")
    assert "parser.year_conflict" in flags[0][0]


def test_the_findings_table_exists_before_findings_arrive(lake_settings):
    obj = land(lake_settings, "inbox/baoding.txt", "保定")
    writer.rebuild_silver(lake_settings, lambda data, key: {})  # nothing in bronze yet
    assert query(lake_settings, "SELECT count(*) FROM silver.report_findings") == [(0,)]
    writer.load_reports(lake_settings, [(obj, report_record() | {"findings": [FINDING]})])
    assert query(lake_settings, "SELECT count(*) FROM silver.report_findings") == [(1,)]
