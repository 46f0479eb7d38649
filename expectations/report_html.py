"""A self-contained HTML data-quality report for one audit run (no CDN assets, inline CSS).

GX Data Docs load CSS and JS from CDNs, which are unreachable here, so the page is built from
audit.dq_results directly: summary counts, then each report's findings, then the checks passed.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

import duckdb

from environment.settings import Settings
from infra import disk
from pipelines.lake import connect, fetch_dicts

CSS = """
body{font-family:"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;margin:2em;color:#222}
h1{font-size:1.4em} h2{font-size:1.1em;margin-top:1.6em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;width:100%;margin:.5em 0} td,th{border:1px solid #ddd;padding:4px 8px;
text-align:left;vertical-align:top;font-size:.9em} th{background:#f3f3f3}
.blocking{color:#fff;background:#b00020;padding:1px 6px;border-radius:3px}
.warning{color:#222;background:#ffcc00;padding:1px 6px;border-radius:3px}
.summary td{font-size:1em;font-weight:bold}
"""
FINDING_COLUMNS = ("scope", "expectation", "severity", "observed", "expected", "message")


# Failures first, then by report: the order the findings are listed in within each report.
RUN_ROWS_SQL = """
    SELECT * FROM audit.dq_results WHERE run_id = ?
    ORDER BY status, severity, region NULLS LAST, report_year, report_id, scope, expectation
"""


def render_html(settings: Settings, run_id: str, con: duckdb.DuckDBPyConnection | None = None) -> Path:
    """Write `lake_dir/audit/dq_report.html` for `run_id` and return its path."""
    if con is None:
        with connect(settings, read_only=True) as own:
            return render_html(settings, run_id, own)
    page = build_page(run_id, run_rows(con, run_id))
    path = settings.lake_dir / "audit" / "dq_report.html"
    disk.write_atomic(path, page.encode("utf-8"))
    return path


def run_rows(con: duckdb.DuckDBPyConnection, run_id: str) -> list[dict]:
    """All recorded rows of one run as plain dicts, failures first, then by report."""
    return fetch_dicts(con.execute(RUN_ROWS_SQL, [run_id]))


def build_page(run_id: str, rows: list[dict]) -> str:
    """The whole page as a string, from one run's dq_results rows (in `run_rows` order)."""
    failed = [row for row in rows if row["status"] == "failed"]
    passed = [row for row in rows if row["status"] == "passed"]
    parts = [
        "<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'>",
        f"<title>数据质量报告 {escape(run_id)}</title><style>{CSS}</style></head><body>",
        f"<h1>数据质量报告 · data-quality report</h1><p>run <code>{escape(run_id)}</code></p>",
        _summary(failed, passed),
    ]
    for (region, year, report_id), findings in sorted(_by_report(failed).items()):
        parts.append(f"<h2>{escape(region)} {escape(year)} <small>{escape(report_id)}</small></h2>")
        parts.append(_table(findings, FINDING_COLUMNS))
    parts.append("<h2>Checks passed</h2>")
    parts.append(_table(passed, ("suite", "expectation", "severity", "observed", "expected")))
    parts.append("</body></html>")
    return "\n".join(parts)


def _by_report(failed: list[dict]) -> dict[tuple[str, str, str], list[dict]]:
    """Findings under their heading (region, year, report; a dash or a note where one is missing),
    each group keeping the rows' order."""
    groups: dict[tuple[str, str, str], list[dict]] = {}
    for row in failed:
        region, year, report_id = row["region"], row["report_year"], row["report_id"]
        key = ("—" if region is None else region, "—" if year is None else str(year),
               "(no single report)" if report_id is None else report_id)
        groups.setdefault(key, []).append(row)
    return groups


def _summary(failed: list[dict], passed: list[dict]) -> str:
    blocking = sum(row["severity"] == "blocking" for row in failed)
    verdict = "not publishable" if blocking else "publishable"
    cells = [
        ("checks passed", len(passed)),
        ("blocking failures", blocking),
        ("warnings", sum(row["severity"] == "warning" for row in failed)),
        ("reports with findings", len({row["report_id"] for row in failed} - {None})),
        ("verdict", verdict),
    ]
    head = "".join(f"<th>{escape(name)}</th>" for name, _ in cells)
    body = "".join(f"<td>{escape(str(value))}</td>" for _, value in cells)
    return f"<table class='summary'><tr>{head}</tr><tr>{body}</tr></table>"


def _table(rows: list[dict], columns: tuple[str, ...]) -> str:
    head = "".join(f"<th>{escape(c)}</th>" for c in columns)
    body = "".join(f"<tr>{''.join(_cell(column, row[column]) for column in columns)}</tr>" for row in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def _cell(column: str, value: object) -> str:
    text = "" if value is None else escape(str(value))
    return f"<td><span class='{text}'>{text}</span></td>" if column == "severity" else f"<td>{text}</td>"
