"""Ground truth files: labels.csv (the dev-label form), contradictions.csv and manifest.csv.

labels.csv: one identification row per file (empty metric, as the dev labels have), then one row per
stated value. contradictions.csv: one row per balance rule a report deliberately breaks.
manifest.csv: how each file was made (template, format, encoding, noise), for tests and analysis.
"""

from __future__ import annotations

import csv
from pathlib import Path

from .numerals import plain
from .plan import ReportPlan

LABEL_FIELDS = ("file", "region", "province", "level", "report_year", "scope", "metric", "value")
CONTRADICTION_FIELDS = ("file", "rule", "detail")
MANIFEST_FIELDS = (
    "file", "template", "report_year", "level", "region", "province", "region_code", "format", "encoding",
    "table_style", "traditional", "full_width", "ascii_punct", "number_style", "proactive_style",
    "dual_scope", "publication_date", "contradiction",
)
_SCOPE_ORDER = ("whole", "own")


def label_rows(plan: ReportPlan, stated: dict[str, dict[str, float]]) -> list[dict]:
    """The identification row and one row per stated value of one report, in a stable order."""
    body = plan.body
    ident = {"file": plan.file, "region": body.region, "province": body.province, "level": body.level,
             "report_year": plan.year}
    rows = [{**ident, "scope": "whole", "metric": "", "value": ""}]
    for scope in _SCOPE_ORDER:
        for metric, value in sorted(stated.get(scope, {}).items()):
            rows.append({**ident, "scope": scope, "metric": metric, "value": plain(value)})
    return rows


def manifest_row(plan: ReportPlan, encoding: str, contradicted: bool) -> dict:
    """How one file was made."""
    date = plan.publication_date
    return {
        "file": plan.file, "template": plan.template, "report_year": plan.year, "level": plan.body.level,
        "region": plan.body.region, "province": plan.body.province, "region_code": plan.body.code,
        "format": plan.format, "encoding": encoding,
        "table_style": plan.table_style if plan.format.startswith("txt") else "",
        "traditional": int(plan.traditional), "full_width": int(plan.full_width),
        "ascii_punct": int(plan.ascii_punct), "number_style": plan.number_style,
        "proactive_style": plan.proactive_style, "dual_scope": int(plan.dual_scope),
        "publication_date": "{:04d}-{:02d}-{:02d}".format(*date) if date else "",
        "contradiction": int(contradicted),
    }


def write_csv(path: Path, fields: tuple[str, ...], rows: list[dict]) -> None:
    """Write `rows` as UTF-8 CSV with a header, Unix line endings."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def read_labels(path: Path) -> dict[tuple[str, str], dict[str, float]]:
    """labels.csv back as {(file, scope): {metric: value}}, identification rows skipped."""
    values: dict[tuple[str, str], dict[str, float]] = {}
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["metric"]:
                values.setdefault((row["file"], row["scope"]), {})[row["metric"]] = float(row["value"])
    return values
