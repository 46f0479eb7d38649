"""The dashboard build: what it reads from the published file, and that the folder opens offline."""

from __future__ import annotations

import hashlib
import re
import shutil

import duckdb
import pytest

from pipelines.dashboard.build import build_dashboard

from .conftest import DQ_LATEST_DDL, FACTS
from .pages import files, manifest, overview, parts, settings

FACT_DDL = ("CREATE TABLE gold.metric_long (region VARCHAR, region_code VARCHAR, province VARCHAR,"
            " year INTEGER, scope VARCHAR, metric VARCHAR, value DOUBLE, report_id VARCHAR,"
            " evidence VARCHAR)")


def test_overview_has_the_four_provinces_and_each_reports_latest_checks(published_db, tmp_path):
    folder = build_dashboard(published_db, tmp_path).parent
    page, data = settings(folder), overview(folder)
    assert {row["province"] for row in data["provinces"]} == {"河北省", "安徽省", "贵州省", "湖北省"}
    assert page["missing"] == []
    assert "applications_new" in page["province_metrics"] and "disclosure_rate" in page["region_metrics"]
    assert [f["expectation"] for f in data["dq"]["findings"]] == [
        "processed_total_matches", "applications_balance"]
    assert data["dq"]["counts"] == {"warning/failed": 2, "blocking/passed": 2}
    assert data["facts"] == sum(map(len, FACTS.values())) and len(data["regions"]) == len(FACTS)
    hubei = [f for f in data["evidence"]["r-hubei-2019"] if f["metric"] == "applications_new"]
    assert {(f["scope"], f["value"], f["evidence"]) for f in hubei} == {
        ("whole", 9378, "全省本年度新收到政府信息公开申请9378份"), ("own", 1730, "省本级新收到1730份")}


def test_folder_opens_offline_and_the_manifest_lists_it(published_db, tmp_path):
    folder = build_dashboard(published_db, tmp_path / "dash").parent
    listed = manifest(folder)["files"]
    assert files(folder) == {*listed, "manifest.json"}
    for relative, sha in listed.items():
        assert hashlib.sha256((folder / relative).read_bytes()).hexdigest() == sha
    html = (folder / "index.html").read_text(encoding="utf-8")
    # Nothing is fetched: no external script, style, font or image, and no fetch() (refused on file://).
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "@import" not in html and not re.search(r"url\(\s*['\"]?(https?:)?//", html)
    assert "fetch(" not in html and "Noto Sans CJK SC" in html and '<meta charset="utf-8">' in html
    sources = re.findall(r'<script src="([^"]+)"></script>', html)
    assert sources and all((folder / src).is_file() and src.startswith("data/") for src in sources)
    assert settings(folder)["labels"]["metric"]["applications_new"] == "新收申请数"


def test_report_text_cannot_break_out_of_the_page(tmp_path):
    evidence = "</script><script>alert(1)</script><!-- 予以公开4件"
    with duckdb.connect() as con:
        con.execute("CREATE SCHEMA gold")
        con.execute(FACT_DDL)
        con.execute("INSERT INTO gold.metric_long VALUES ('栾城区', '130111', '河北省', 2020, 'whole',"
                    " 'granted', 4, 'r1', ?)", [evidence])
        con.execute('CREATE TABLE gold."</script><b>" (x INTEGER)')
        folder = build_dashboard(con, tmp_path).parent
    html = (folder / "index.html").read_text(encoding="utf-8")
    # Only the page's own elements close: settings, loader, the data files and the script.
    assert html.count("</script>") == 3 + len(re.findall("<script src=", html))
    assert overview(folder)["evidence"]["r1"][0]["evidence"] == evidence


def test_missing_tables_and_columns_are_listed_not_fatal(tmp_path):
    with duckdb.connect() as con:
        con.execute("CREATE SCHEMA gold")
        con.execute("CREATE TABLE gold.province_year_metrics (province VARCHAR, year INTEGER, scope VARCHAR,"
                    " applications_new DOUBLE)")
        con.execute("INSERT INTO gold.province_year_metrics VALUES ('湖北省', 2019, 'whole', 9378)")
        folder = build_dashboard(con, tmp_path).parent
    page, data = settings(folder), overview(folder)
    assert page["province_metrics"] == ["applications_new"]
    assert {"gold.region_year_metrics (table)", "gold.metric_long (table)", "audit.dq_latest (table)",
            "gold.province_year_metrics.regions_total", "gold.province_year_metrics.source"} <= set(
        page["missing"])
    assert data["dq"]["findings"] == [] and data["provinces"][0]["applications_new"] == 9378


def test_long_evidence_is_shortened(tmp_path):
    with duckdb.connect() as con:
        con.execute("CREATE SCHEMA gold")
        con.execute(FACT_DDL)
        con.execute("INSERT INTO gold.metric_long VALUES ('湖北省', '420000', '湖北省', 2019, 'whole',"
                    " 'granted', 1, 'r1', ?)", ["申请" * 1000])
        [fact] = overview(build_dashboard(con, tmp_path).parent)["evidence"]["r1"]
    assert len(fact["evidence"]) == 401 and fact["evidence"].endswith("…")


def test_build_reads_the_file_read_only(published_db, tmp_path):
    before = (published_db.stat().st_mtime_ns, published_db.read_bytes())
    build_dashboard(published_db, tmp_path)
    assert (published_db.stat().st_mtime_ns, published_db.read_bytes()) == before


def test_findings_come_from_dq_latest_not_from_the_last_run(published_db, tmp_path):
    """An audit that checked only a new report leaves the other reports' findings standing."""
    gold = tmp_path / "nianbao.duckdb"
    shutil.copy(published_db, gold)
    with duckdb.connect(str(gold)) as con:
        con.execute("INSERT INTO audit.dq_results SELECT 'run-next', TIMESTAMP '2024-03-01 08:00:00', "
                    "'gold_checks', 'region_code_known', 'blocking', 'passed', 'r-new', '新区', 2021, "
                    "'whole', NULL, NULL, NULL")
        con.execute("DROP TABLE audit.dq_latest")
        con.execute(DQ_LATEST_DDL)
    dq = overview(build_dashboard(gold, tmp_path / "dash").parent)["dq"]
    assert [f["report_id"] for f in dq["findings"]] == ["r-luancheng-2020", "r-hubei-2019"]
    assert dq["counts"] == {"warning/failed": 2, "blocking/passed": 3}
    assert dq["checked_at"] == "2024-03-01T08:00:00"


def test_build_without_published_file_says_so(tmp_path):
    with pytest.raises(FileNotFoundError, match="no DuckDB file of gold"):
        build_dashboard(tmp_path / "nianbao.duckdb", tmp_path / "dash")


def test_the_overview_is_one_part_per_year(published_db, tmp_path):
    years = parts(build_dashboard(published_db, tmp_path).parent)["year"]
    assert sorted(part["year"] for part in years) == [2017, 2018, 2019, 2020]
