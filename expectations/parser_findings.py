"""The parser's own findings (silver.report_findings) recorded as audit warnings, `parser.<code>`.

Run as SQL beside the GX suites, not as a GX expectation: the parser has already decided that
the report contradicts itself, so a GX expectation could only restate "this row exists". What
the audit adds is recording each finding with the report's region and year, so it reaches
audit.dq_results and gold's dq_flags like any failed check.
"""

from __future__ import annotations

import duckdb

from expectations.frames import IN_BATCH, table_exists
from expectations.spec import WARNING, DqResult

SUITE = "silver.report_findings"
PREFIX = "parser."

# What a consistent report would show, per finding code the parser emits
# (pipelines.parsing.findings.CODES and, from reading PDFs, pipelines.parsing.reading.CODES;
# a test keeps the lists equal).
EXPECTED = {
    "year_conflict": "the title, the introduction and the statistical period name one year",
    "narrative_table_conflict": "a figure stated in prose and in the table agrees",
    "short_table_row": "each table-三 row gives a number for all 7 columns",
    "table_arithmetic": "each table row's 总计 is the sum of its cells",
    "unmapped_channel": "application channels are standard ones (当面, 网络, 信函, 传真, 电子邮件)",
    "combined_outcome": "予以公开 and 部分公开 are stated as separate figures",
    "stale_date_ignored": "no date on the page before the year the report covers",
    "ocr_pages": "every page has a text layer (no figure was read by OCR)",
    "ocr_low_confidence": "every figure read by OCR is read with confidence of at least 0.85",
    "pages_not_read": "every page of the file was read",
}
_DEFAULT_EXPECTED = "no contradiction seen by the parser"
MESSAGE = ("the parser saw a contradiction in the report and resolved it, or read part of it by OCR; "
           "check the source")

FINDINGS_SQL = f"""
    SELECT f.report_id, r.region, r.report_year, f.code, f.message
    FROM silver.report_findings AS f JOIN silver.reports AS r USING (report_id)
    WHERE f.{IN_BATCH}
    ORDER BY f.report_id, f.code, f.message
"""


def run_finding_checks(con: duckdb.DuckDBPyConnection, ids: list[str]) -> list[DqResult]:
    """A failed warning per finding of a report in the batch; a passed row per code without any."""
    rows = []
    if table_exists(con, "silver", "report_findings"):
        rows = con.execute(FINDINGS_SQL, [ids]).fetchall()
    results = [
        DqResult(SUITE, PREFIX + code, WARNING, "failed", report_id, region,
                 None if year is None else int(year), None, message,
                 EXPECTED.get(code, _DEFAULT_EXPECTED), MESSAGE)
        for report_id, region, year, code, message in rows
    ]
    failed_codes = {row[3] for row in rows}
    results += [DqResult(SUITE, PREFIX + code, WARNING, "passed", observed="no findings",
                         expected=expected)
                for code, expected in EXPECTED.items() if code not in failed_codes]
    return results
