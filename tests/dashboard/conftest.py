"""Fixtures: a small DuckDB file with the gold/audit contract's columns and sample rows, and a
lake holding them as published.

The figures are those the five sample reports state (保定市 2018, 安庆市 2017, 六枝特区 2018,
湖北省 2019 whole and own, 栾城区 2020), with the report sentences they were read from.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from environment.settings import Settings
from pipelines.lake import connect, sql_literal
from pipelines.snapshots import PUBLISH_AUTHOR

# report_id: (region, region_code, province, province_code, level, year, issuer)
REPORTS = {
    "r-baoding-2018": ("保定市", "130600", "河北省", "130000", "city", 2018, "保定市人民政府办公室"),
    "r-anqing-2017": ("安庆市", "340800", "安徽省", "340000", "city", 2017, "安庆市人民政府"),
    "r-liuzhi-2018": ("六枝特区", "520203", "贵州省", "520000", "county", 2018, "六枝特区人民政府办公室"),
    "r-hubei-2019": ("湖北省", "420000", "湖北省", "420000", "province", 2019, "湖北省人民政府办公厅"),
    "r-luancheng-2020": ("栾城区", "130111", "河北省", "130000", "district", 2020, "石家庄市栾城区人民政府"),
}
METRICS = ("proactive_total", "applications_new", "applications_carried_in", "processed_total",
           "granted", "partly_granted", "refused", "carried_forward", "reconsideration_total",
           "reconsideration_upheld", "reconsideration_corrected", "litigation_total", "fees_yuan")
# (report_id, scope): {metric: (value, evidence)}
FACTS = {
    ("r-baoding-2018", "whole"): {
        "proactive_total": (101551, "全市主动公开政府信息101551条"),
        "applications_new": (183, "全市共受理政府信息公开申请183件"),
        "processed_total": (183, "已全部办结183件"),
        "granted": (72, "同意公开72件"),
        "partly_granted": (5, "同意部分公开5件"),
        "refused": (4, "不予公开4件"),
        "reconsideration_total": (20, "全市共发生政府信息公开行政复议案20件"),
        "litigation_total": (7, "提起行政诉讼7件"),
        "fees_yuan": (0, "全市未收取任何费用"),
    },
    ("r-anqing-2017", "whole"): {
        "proactive_total": (187700, "全年主动公开政府信息187700条"),
        "applications_new": (994, "全市共受理政府信息公开申请994件"),
        "processed_total": (994, "已全部按时办结"),
        "granted": (472, "同意公开472件"),
        "partly_granted": (89, "同意部分公开89件"),
        "refused": (31, "不同意公开31件"),
        "reconsideration_total": (5, "引发行政复议5件"),
    },
    ("r-liuzhi-2018", "whole"): {
        "proactive_total": (32500, "全年主动公开政府信息32500条"),
        "applications_new": (11, "共受理政府信息公开申请11件"),
        "processed_total": (11, "按时办结11件"),
        "granted": (8, "同意公开8件"),
    },
    ("r-hubei-2019", "whole"): {
        "applications_new": (9378, "全省本年度新收到政府信息公开申请9378份"),
        "applications_carried_in": (139, "上年结转139份"),
        "processed_total": (9355, "全年办结9355份"),
        "carried_forward": (159, "结转下年办理159份"),
        "granted": (4689, "予以公开4689份"),
        "partly_granted": (611, "部分公开611份"),
        "reconsideration_total": (443, "行政复议443件(省本级40件)"),
        "reconsideration_upheld": (232, "结果维持232件(省本级27件)"),
        "reconsideration_corrected": (63, "结果纠正63件(省本级7件)"),
    },
    ("r-hubei-2019", "own"): {
        "applications_new": (1730, "省本级新收到1730份"),
        "applications_carried_in": (10, "上年结转10份"),
        "processed_total": (1675, "全年办结1675份"),
        "carried_forward": (38, "结转下年办理38份"),
        "reconsideration_total": (40, "行政复议443件(省本级40件)"),
    },
    ("r-luancheng-2020", "whole"): {
        "applications_new": (5, "新收政府信息公开申请数量 | 5 | 0 | 0 | 0 | 0 | 0 | 5 |"),
        "processed_total": (0, "总计 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |"),
        "granted": (4, "（一）予以公开 | 4 | 0 | 0 | 0 | 0 | 0 | 4 |"),
    },
}
# province: (province_code, regions_total)
PROVINCES = {"河北省": ("130000", 11), "安徽省": ("340000", 16), "贵州省": ("520000", 9),
             "湖北省": ("420000", 17)}
# As the audit keeps it: for each report the results of the latest run that checked it (runs check
# new reports only), and the latest run's results for checks not tied to a report.
DQ_LATEST_DDL = """CREATE TABLE audit.dq_latest AS SELECT * EXCLUDE (latest) FROM (
    SELECT *, max(checked_at) OVER (PARTITION BY report_id) AS latest FROM audit.dq_results)
    WHERE checked_at = latest"""
DQ_DDL = """CREATE TABLE audit.dq_results (run_id VARCHAR, checked_at TIMESTAMP, suite VARCHAR,
    expectation VARCHAR, severity VARCHAR, status VARCHAR, report_id VARCHAR, region VARCHAR,
    report_year BIGINT, scope VARCHAR, observed VARCHAR, expected VARCHAR, message VARCHAR)"""
# (run_id, checked_at, severity, status, report_id, expectation, observed, expected, message)
DQ_ROWS = [
    ("run-old", "2024-01-01 08:00:00", "blocking", "failed", "r-hubei-2019", "region_code_known",
     "region_code=", "a GB/T 2260 code", "旧运行：不应显示"),
    ("run-new", "2024-02-01 08:00:00", "warning", "failed", "r-hubei-2019", "applications_balance",
     "9378+139=9517 ≠ 9355+159=9514", "新收+上年结转 = 办结+结转下年", "申请收支不平衡"),
    ("run-new", "2024-02-01 08:00:00", "warning", "failed", "r-luancheng-2020", "processed_total_matches",
     "processed_total=0, granted=4", "processed_total ≥ granted", "办结总计小于其组成部分"),
    ("run-new", "2024-02-01 08:00:00", "blocking", "passed", "r-baoding-2018", "region_code_known",
     None, None, None),
    ("run-new", "2024-02-01 08:00:00", "blocking", "passed", "r-anqing-2017", "region_code_known",
     None, None, None),
]


def _region_rows() -> list[tuple]:
    rows = []
    for (report_id, scope), facts in FACTS.items():
        region, code, province, province_code, level, year, issuer = REPORTS[report_id]
        values = [facts[m][0] if m in facts else None for m in METRICS]
        granted, partly, processed = (facts.get(m, (None,))[0] for m in ("granted", "partly_granted",
                                                                         "processed_total"))
        rate = (granted + (partly or 0)) / processed if granted is not None and processed else None
        # As gold states them: failed expectations of the latest run, '; '-joined, NULL when none.
        flags = "applications_balance" if report_id == "r-hubei-2019" else None
        rows.append((region, code, province, province_code, level, year, scope, report_id, issuer,
                     *values, rate, flags))
    return rows


def _province_rows(region_rows: list[tuple]) -> list[tuple]:
    """Sum regions into province-years; the province's own report is used as is."""
    groups: dict[tuple, list[tuple]] = {}
    for row in region_rows:
        groups.setdefault((row[2], row[5], row[6]), []).append(row)
    rows = []
    for (province, year, scope), members in sorted(groups.items()):
        code, total = PROVINCES[province]
        own = any(m[1] == code for m in members)
        sums = [sum(m[9 + i] for m in members if m[9 + i] is not None)
                if any(m[9 + i] is not None for m in members) else None for i in range(len(METRICS))]
        rows.append((province, code, year, scope, "province_report" if own else "aggregate",
                     len(members), total if own else len(members), total, *sums))
    return rows


def build_published(path: Path) -> Path:
    """Write the published DuckDB file with gold.*, audit.dq_results and audit.dq_latest at `path`."""
    metric_cols = ", ".join(f"{m} DOUBLE" for m in METRICS)
    region_rows = _region_rows()
    path.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE SCHEMA gold")
        con.execute("CREATE SCHEMA audit")
        con.execute(f"""CREATE TABLE gold.region_year_metrics (region VARCHAR, region_code VARCHAR,
            province VARCHAR, province_code VARCHAR, level VARCHAR, year INTEGER, scope VARCHAR,
            report_id VARCHAR, issuer VARCHAR, {metric_cols}, disclosure_rate DOUBLE,
            dq_flags VARCHAR)""")
        con.executemany(f"INSERT INTO gold.region_year_metrics VALUES ({', '.join(['?'] * 24)})",
                        region_rows)
        con.execute(f"""CREATE TABLE gold.province_year_metrics (province VARCHAR, province_code VARCHAR,
            year INTEGER, scope VARCHAR, source VARCHAR, n_reports INTEGER, regions_covered INTEGER,
            regions_total INTEGER, {metric_cols})""")
        con.executemany(f"INSERT INTO gold.province_year_metrics VALUES ({', '.join(['?'] * 21)})",
                        _province_rows(region_rows))
        con.execute("""CREATE TABLE gold.metric_long (region VARCHAR, region_code VARCHAR,
            province VARCHAR, year INTEGER, scope VARCHAR, metric VARCHAR, value DOUBLE,
            report_id VARCHAR, evidence VARCHAR)""")
        con.executemany("INSERT INTO gold.metric_long VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", [
            (REPORTS[rid][0], REPORTS[rid][1], REPORTS[rid][2], REPORTS[rid][5], scope, metric, value,
             rid, evidence)
            for (rid, scope), facts in FACTS.items() for metric, (value, evidence) in facts.items()
        ])
        con.execute(DQ_DDL)
        con.executemany("INSERT INTO audit.dq_results VALUES (?, ?, 'gold_checks', ?, ?, ?, ?, ?, ?, "
                        "'whole', ?, ?, ?)", [
            (run, at, expectation, severity, status, rid, REPORTS[rid][0], REPORTS[rid][5],
             observed, expected, message)
            for run, at, severity, status, rid, expectation, observed, expected, message in DQ_ROWS
        ])
        con.execute(DQ_LATEST_DDL)
    return path


@pytest.fixture(scope="session")
def published_db(tmp_path_factory) -> Path:
    """The sample published file, built once per session (tests only read it)."""
    return build_published(tmp_path_factory.mktemp("published") / "nianbao.duckdb")


def publish_file_to_lake(settings: Settings, path: Path) -> None:
    """Copy the gold and audit tables of a published-style DuckDB file into the lake, committed
    as a publish (what the dashboard and `nianbao query` read)."""
    with connect(settings) as con:
        con.execute(f"ATTACH {sql_literal(path)} AS src (READ_ONLY)")
        try:
            con.execute("BEGIN TRANSACTION")
            for table in ("region_year_metrics", "province_year_metrics", "metric_long"):
                con.execute(f"CREATE OR REPLACE TABLE gold.{table} AS FROM src.gold.{table}")
            for table in ("dq_results", "dq_latest"):
                con.execute(f"DELETE FROM audit.{table}")
                con.execute(f"INSERT INTO audit.{table} BY NAME FROM src.audit.{table}")
            con.execute("CALL lake.set_commit_message(?, 'test publish')", [PUBLISH_AUTHOR])
            con.execute("COMMIT")
        finally:
            con.execute("DETACH src")


@pytest.fixture()
def published_lake(lake_env: Settings, published_db: Path) -> Settings:
    """This test's lake holding the sample published gold (settings also what flows resolve)."""
    publish_file_to_lake(lake_env, published_db)
    return lake_env
