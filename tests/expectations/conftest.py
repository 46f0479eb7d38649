"""Fixtures: a lake whose silver holds a few sample reports, inserted with plain SQL.

The figures are those the sample reports state, self-contradictions included (see
shared/corpus/dev/README.md).
"""

from __future__ import annotations

import dataclasses
import uuid

import pytest

from environment.settings import Settings
from infra import s3
from pipelines.lake import connect

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


def fill_silver(settings: Settings, extra_reports: dict | None = None,
                extra_metrics: list[tuple] | None = None) -> Settings:
    """Insert the sample rows (and any extra ones) into the lake's silver tables."""
    reports = {**REPORTS, **(extra_reports or {})}
    rows = [
        (rid, scope, metric, value, "件", f"{metric} {value}")
        for (rid, scope), values in METRICS.items()
        for metric, value in zip(TABLE3 + TABLE4, values, strict=True)
        if value is not None
    ]
    with connect(settings) as con:
        con.executemany(
            "INSERT INTO silver.reports VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'test',"
            " now(), TRUE, NULL)",
            [(rid, f"{r[0]}|{r[5]}", f"raw/{rid}.txt", "0" * 64, *r, f"{r[0]}人民政府")
             for rid, r in reports.items()],
        )
        con.executemany("INSERT INTO silver.report_metrics (report_id, scope, metric, value, unit, evidence) "
                        "VALUES (?, ?, ?, ?, ?, ?)", rows + list(extra_metrics or []))
    return settings


def lake_rows(settings: Settings, sql: str, params: list | None = None) -> list[tuple]:
    """Rows of a query on the test's lake."""
    with connect(settings, read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def lake_execute(settings: Settings, sql: str) -> None:
    """Run one statement on the test's lake (committed)."""
    with connect(settings) as con:
        con.execute(sql)


@pytest.fixture()
def make_settings(lake_settings: Settings):
    """A factory: settings whose lake holds the sample silver rows (plus any extra rows)."""
    return lambda **extra: fill_silver(lake_settings, **extra)


@pytest.fixture(scope="module")
def sample_audit(s3_server: Settings, tmp_path_factory):
    """One real audit of the sample silver rows, shared by a module's tests: (settings, outcome)."""
    from expectations.audit import run_audit

    settings = dataclasses.replace(s3_server, lake_dir=tmp_path_factory.mktemp("dq") / "lake",
                                   bucket=f"dq-{uuid.uuid4().hex[:12]}")
    s3.ensure_bucket(settings)
    fill_silver(settings)
    return settings, run_audit(settings)
