"""Fixtures: a small silver warehouse in a temp DuckDB file with plain SQL (the dlt contract's columns).

The figures are those the sample reports state, self-contradictions included (see
shared/corpus/dev/README.md).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import duckdb
import pytest

from environment.settings import Settings, load_settings

SILVER_DDL = (
    "CREATE SCHEMA IF NOT EXISTS silver",
    """CREATE TABLE silver.reports (report_id VARCHAR, identity_key VARCHAR, source_key VARCHAR,
       source_sha256 VARCHAR, region VARCHAR, region_code VARCHAR, province VARCHAR,
       province_code VARCHAR, level VARCHAR, report_year BIGINT, publication_date VARCHAR,
       template VARCHAR, issuer VARCHAR, parser_version VARCHAR, loaded_at TIMESTAMP,
       is_current BOOLEAN, superseded_by VARCHAR)""",
    """CREATE TABLE silver.report_metrics (report_id VARCHAR, scope VARCHAR, metric VARCHAR,
       value DOUBLE, unit VARCHAR, evidence VARCHAR)""",
)

# report_id: (region, region_code, province, province_code, level, year, publication_date, template)
REPORTS = {
    "hubei-2019": ("湖北省", "420000", "湖北省", "420000", "province", 2019, "2019-07-07", "2019"),
    "luancheng-2020": ("栾城区", "130111", "河北省", "130000", "district", 2020, "2021-01-20", "2019"),
    "hongze-2023": ("淮安市洪泽区", "320813", "江苏省", "320000", "district", 2023, "2024-01-18",
                    "2021"),
    "hongze-2024": ("淮安市洪泽区", "320813", "江苏省", "320000", "district", 2024, "2025-01-20",
                    "2021"),
}
TABLE3 = ("applications_new", "applications_carried_in", "processed_total", "carried_forward",
          "granted", "partly_granted", "refused", "unable_to_provide", "not_processed",
          "other_processed")
TABLE4 = tuple(f"{block}_{part}" for block in ("reconsideration", "litigation")
               for part in ("upheld", "corrected", "other", "pending", "total"))

# (report_id, scope): values in TABLE3 order then TABLE4 order; None = not stated.
METRICS = {
    ("hubei-2019", "whole"): (9378, 139, 9355, 159, 4689, 611, 502, 2407, 689, 446,
                              232, 63, 90, 59, 443, 233, 43, 118, 59, 453),
    ("hubei-2019", "own"): (1730, 10, 1675, 38, 792, 201, 63, 498, 63, 58,
                            27, 7, 3, 4, 40, 17, 0, 1, 2, 20),
    ("luancheng-2020", "whole"): (5, 0, 0, 0, 4, 0, 0, 1, 0, 0,
                                  0, 0, 0, 0, 0, None, None, None, None, 0),
    ("hongze-2023", "whole"): (21, 0, 21, 0, 0, 4, 3, 13, 1, 0,
                               10, 1, 0, 0, 0, 5, 0, 0, 0, 0),
    ("hongze-2024", "whole"): (95, 0, 95, 0, 50, 9, 3, 32, 1, 0,
                               1, 1, 0, 0, 2, 3, 0, 1, 0, 4),
}


def build_warehouse(path: Path, extra_reports: dict | None = None,
                    extra_metrics: list[tuple] | None = None) -> Path:
    """Create silver.reports / silver.report_metrics at `path` filled with the sample rows."""
    reports = {**REPORTS, **(extra_reports or {})}
    with duckdb.connect(str(path)) as con:
        for statement in SILVER_DDL:
            con.execute(statement)
        con.executemany(
            "INSERT INTO silver.reports VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'test',"
            " now(), TRUE, NULL)",
            [(rid, f"{r[0]}|{r[5]}", f"raw/{rid}.txt", "0" * 64, *r, f"{r[0]}人民政府")
             for rid, r in reports.items()],
        )
        rows = [
            (rid, scope, metric, value, "件", f"{metric} {value}")
            for (rid, scope), values in METRICS.items()
            for metric, value in zip(TABLE3 + TABLE4, values, strict=True)
            if value is not None
        ]
        con.executemany("INSERT INTO silver.report_metrics VALUES (?, ?, ?, ?, ?, ?)",
                        rows + list(extra_metrics or []))
    return path


def _settings(lake_dir: Path, extra_reports: dict | None = None,
              extra_metrics: list[tuple] | None = None) -> Settings:
    settings = dataclasses.replace(load_settings(), lake_dir=lake_dir)
    settings.lake_dir.mkdir(parents=True, exist_ok=True)
    build_warehouse(settings.warehouse_path, extra_reports, extra_metrics)
    return settings


@pytest.fixture()
def make_settings(tmp_path: Path):
    """A factory: settings whose lake holds a fresh sample warehouse (plus any extra rows)."""
    return lambda **extra: _settings(tmp_path / "lake", **extra)


@pytest.fixture(scope="module")
def sample_audit(tmp_path_factory):
    """One real audit of the sample warehouse, shared by a module's tests: (settings, outcome)."""
    from expectations.audit import run_audit

    settings = _settings(tmp_path_factory.mktemp("dq") / "lake")
    return settings, run_audit(settings)
