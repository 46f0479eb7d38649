"""The dashboard build: what it reads from the published file, and that the page is self-contained."""

from __future__ import annotations

import json
import re
import shutil

import duckdb
import pytest

from pipelines.dashboard.build import build_dashboard
from pipelines.dashboard.data import load_payload

DATA_RE = re.compile(r'<script id="nianbao-data" type="application/json">(.*?)</script>', re.S)


def _embedded(html: str) -> dict:
    return json.loads(DATA_RE.search(html).group(1))


def test_payload_has_the_four_provinces_and_latest_audit_run(published_db):
    with duckdb.connect(str(published_db), read_only=True) as con:
        payload = load_payload(con)
    assert {row["province"] for row in payload["provinces"]} == {"河北省", "安徽省", "贵州省", "湖北省"}
    assert payload["missing"] == []
    assert "applications_new" in payload["province_metrics"]
    assert "disclosure_rate" in payload["region_metrics"]
    assert payload["dq"]["run_id"] == "run-new"
    assert [f["expectation"] for f in payload["dq"]["findings"]] == [
        "processed_total_matches", "applications_balance"]
    assert payload["dq"]["counts"] == {"warning/failed": 2, "blocking/passed": 2}
    hubei = [f for f in payload["facts"]
             if f["region_code"] == "420000" and f["metric"] == "applications_new"]
    assert {(f["scope"], f["value"], f["evidence"]) for f in hubei} == {
        ("whole", 9378, "全省本年度新收到政府信息公开申请9378份"), ("own", 1730, "省本级新收到1730份")}


def test_page_is_one_offline_file(published_db, tmp_path):
    page = build_dashboard(published_db, tmp_path / "dash")
    assert [p.name for p in page.parent.iterdir()] == ["index.html"]
    html = page.read_text(encoding="utf-8")
    # Nothing is fetched: no external script, style, font or image.
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "@import" not in html and not re.search(r"url\(\s*['\"]?(https?:)?//", html)
    assert "Noto Sans CJK SC" in html and '<meta charset="utf-8">' in html
    assert _embedded(html)["labels"]["metric"]["applications_new"] == "新收申请数"


def test_report_text_cannot_break_out_of_the_data_block(tmp_path):
    evidence = "</script><script>alert(1)</script><!-- 予以公开4件"
    with duckdb.connect() as con:
        con.execute("CREATE SCHEMA gold")
        con.execute("CREATE TABLE gold.metric_long (region VARCHAR, region_code VARCHAR, province VARCHAR,"
                    " year INTEGER, scope VARCHAR, metric VARCHAR, value DOUBLE, report_id VARCHAR,"
                    " evidence VARCHAR)")
        con.execute("INSERT INTO gold.metric_long VALUES ('栾城区', '130111', '河北省', 2020, 'whole',"
                    " 'granted', 4, 'r1', ?)", [evidence])
        html = build_dashboard(con, tmp_path).read_text(encoding="utf-8")
    assert html.count("</script>") == 2  # the data block's and the script's own
    assert _embedded(html)["facts"][0]["evidence"] == evidence


def test_missing_tables_and_columns_are_listed_not_fatal(tmp_path):
    with duckdb.connect() as con:
        con.execute("CREATE SCHEMA gold")
        con.execute("CREATE TABLE gold.province_year_metrics (province VARCHAR, year INTEGER, scope VARCHAR,"
                    " applications_new DOUBLE)")
        con.execute("INSERT INTO gold.province_year_metrics VALUES ('湖北省', 2019, 'whole', 9378)")
        payload = _embedded(build_dashboard(con, tmp_path).read_text(encoding="utf-8"))
    assert payload["province_metrics"] == ["applications_new"]
    assert {"gold.region_year_metrics (table)", "gold.metric_long (table)", "audit.dq_results (table)",
            "gold.province_year_metrics.regions_total", "gold.province_year_metrics.source"} <= set(
        payload["missing"])
    assert payload["dq"]["findings"] == []


def test_long_evidence_is_shortened(tmp_path):
    with duckdb.connect() as con:
        con.execute("CREATE SCHEMA gold")
        con.execute("CREATE TABLE gold.metric_long (region_code VARCHAR, year INTEGER, scope VARCHAR,"
                    " metric VARCHAR, value DOUBLE, evidence VARCHAR)")
        con.execute("INSERT INTO gold.metric_long VALUES ('420000', 2019, 'whole', 'granted', 1, ?)",
                    ["申请" * 1000])
        fact = load_payload(con)["facts"][0]
    assert len(fact["evidence"]) == 401 and fact["evidence"].endswith("…")


def test_build_reads_the_file_read_only(published_db, tmp_path):
    before = (published_db.stat().st_mtime_ns, published_db.read_bytes())
    build_dashboard(published_db, tmp_path)
    assert (published_db.stat().st_mtime_ns, published_db.read_bytes()) == before


def _split(published_db, tmp_path):
    """The sample file as gold-only published file plus a warehouse holding audit.dq_results."""
    gold, warehouse = tmp_path / "nianbao.duckdb", tmp_path / "warehouse.duckdb"
    shutil.copy(published_db, gold)
    shutil.copy(published_db, warehouse)
    with duckdb.connect(str(gold)) as con:
        con.execute("DROP TABLE audit.dq_results")
    return gold, warehouse


def test_findings_come_from_the_warehouse_when_not_published(published_db, tmp_path):
    gold, warehouse = _split(published_db, tmp_path)
    payload = _embedded(build_dashboard(gold, tmp_path / "dash", audit_path=warehouse).read_text())
    assert payload["dq"]["source"] == "warehouse" and len(payload["dq"]["findings"]) == 2
    assert payload["missing"] == []


def test_a_busy_warehouse_leaves_findings_out_not_the_page(published_db, tmp_path):
    gold, warehouse = _split(published_db, tmp_path)
    with duckdb.connect(str(warehouse)):  # the writer still holds it
        page = build_dashboard(gold, tmp_path / "dash", audit_path=warehouse)
    payload = _embedded(page.read_text())
    assert payload["dq"]["findings"] == [] and "audit.dq_results (table)" in payload["missing"]
    assert len(payload["provinces"]) == 6


def test_build_without_published_file_says_so(tmp_path):
    with pytest.raises(FileNotFoundError, match="publish gold first"):
        build_dashboard(tmp_path / "nianbao.duckdb", tmp_path / "dash")
