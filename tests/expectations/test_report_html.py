"""The HTML data-quality page: findings grouped under one heading per report, in a stable order."""

from __future__ import annotations

import dataclasses
import re
from datetime import datetime

import duckdb

from environment.settings import load_settings
from expectations.report_html import render_html
from expectations.results import record
from expectations.spec import BLOCKING, WARNING, DqResult

RESULTS = [
    DqResult("metrics", "metrics.not_negative", WARNING, "failed", "b-2020", "栾城区", 2020, "whole",
             "value=-1", "≥ 0", "a <negative> figure & more"),
    DqResult("reports", "reports.year_range", BLOCKING, "failed", "a-2019", "湖北省", 2019, "whole",
             "year=2019", "2008–2030", "out of range"),
    DqResult("metrics", "metrics.balance", WARNING, "failed", "a-2019", "湖北省", 2019, "own",
             "sum=3", "4", "parts do not add up"),
    DqResult("metrics", "metrics.balance", WARNING, "failed", "a-2019", "湖北省", 2019, "whole",
             "sum=5", "6", None),
    DqResult("sql", "cross_year.carry_over", WARNING, "failed", "a-2018", "湖北省", 2018, "whole",
             "carried=1", "2", "carry-over differs"),
    DqResult("sql", "identity.one_current", BLOCKING, "failed", observed="2 current", expected="1"),
    DqResult("reports", "reports.region_known", WARNING, "failed", "c-2021", None, None, None,
             "region=?", "known", "no region"),
    DqResult("gold", "gold.rates_in_range", WARNING, "passed"),
    DqResult("reports", "reports.unique", BLOCKING, "passed", observed="<ok>"),
]


def _page(tmp_path) -> str:
    settings = dataclasses.replace(load_settings(), lake_dir=tmp_path / "lake")
    settings.lake_dir.mkdir(parents=True)
    with duckdb.connect(str(settings.warehouse_path)) as con:
        record(con, "run-1", datetime(2025, 1, 2, 3, 4, 5), RESULTS, batch=[])
        # Another run's rows stay off this run's page.
        record(con, "run-0", datetime(2025, 1, 1), [dataclasses.replace(RESULTS[0], report_id="old")],
               batch=[])
        return render_html(settings, "run-1", con).read_text(encoding="utf-8")


def _findings_under(page: str, heading: str) -> list[tuple[str, ...]]:
    """(scope, expectation, severity) of each row of the table after `heading`."""
    table = page.split(heading, 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td><td><span class='(.*?)'>", table)
    return rows


def test_findings_are_grouped_per_report_in_heading_order(tmp_path):
    page = _page(tmp_path)
    headings = re.findall(r"<h2>(.*?)</h2>", page)
    # Missing parts read as a dash; headings sort by their text ("—" sorts before any CJK name).
    assert headings == [
        "— — <small>(no single report)</small>",
        "— — <small>c-2021</small>",
        "栾城区 2020 <small>b-2020</small>",
        "湖北省 2018 <small>a-2018</small>",
        "湖北省 2019 <small>a-2019</small>",
        "Checks passed",
    ]
    # Within a report: blocking first, then by scope and expectation.
    assert _findings_under(page, "<small>a-2019</small>") == [
        ("whole", "reports.year_range", BLOCKING),
        ("own", "metrics.balance", WARNING),
        ("whole", "metrics.balance", WARNING),
    ]
    assert "old" not in re.findall(r"<small>(.*?)</small>", page)


def test_page_escapes_text_and_counts_findings(tmp_path):
    page = _page(tmp_path)
    assert "a &lt;negative&gt; figure &amp; more" in page and "<negative>" not in page
    assert "<td>&lt;ok&gt;</td>" in page
    summary = re.search(r"<table class='summary'>.*?</table>", page).group(0)
    cells = re.findall(r"<td>(.*?)</td>", summary)
    # checks passed, blocking failures, warnings, reports with findings, verdict
    assert cells == ["2", "2", "5", "4", "not publishable"]
    # A missing message is an empty cell, not "None".
    assert "<td>None</td>" not in page and "<td></td>" in page
