"""The flows end to end on the sample reports: real S3, real Prefect, a real DuckLake lake."""

from __future__ import annotations

import json

import pytest

from environment.settings import PROJECT_ROOT
from flows.ingest import ingest
from flows.lakehouse import lakehouse
from infra import s3
from nianbao.query import run_query
from pipelines.lake import connect

SAMPLES = PROJECT_ROOT / "samples"

pytestmark = pytest.mark.e2e


def _published(settings, sql):
    return run_query(settings, sql)[1]


def _lake(settings, sql):
    with connect(settings, read_only=True) as con:
        return con.execute(sql).fetchall()


def test_samples_reach_published_gold(prefect_harness, lake_env):
    results, published = lakehouse(sorted(SAMPLES.glob("*.txt")))
    outcome = published.audit
    assert sorted(r.outcome for r in results) == ["loaded"] * 5
    provinces = {row[0] for row in _published(lake_env, "SELECT province FROM gold.province_year_metrics")}
    assert {"河北省", "安徽省", "贵州省", "湖北省"} <= provinces
    hubei = _published(
        lake_env,
        "SELECT source, applications_new FROM gold.province_year_metrics "
        "WHERE province = '湖北省' AND year = 2019 AND scope = 'whole'",
    )
    assert hubei == [("province_report", 9378)]
    assert outcome.publishable
    flags = _published(
        lake_env,
        "SELECT dq_flags FROM gold.region_year_metrics WHERE region = '湖北省' AND scope = 'whole'",
    )
    assert "balance.reconsideration_parts" in flags[0][0]
    findings = _lake(
        lake_env,
        "SELECT DISTINCT region, expectation FROM audit.dq_results WHERE status = 'failed'",
    )
    assert ("栾城区", "balance.outcomes") in findings
    # 栾城区 2020's table 三 gives 总计 0 beside outcomes adding up to 5: its values are unconfirmed.
    luancheng = _published(lake_env, "SELECT unconfirmed_values FROM gold.region_year_metrics "
                                     "WHERE region = '栾城区' AND scope = 'whole'")
    assert luancheng[0][0] > 0
    confidence = dict(_published(lake_env, "SELECT confidence, count(*) FROM gold.metric_long GROUP BY ALL"))
    assert confidence.get("confirmed") and confidence.get("stated")
    assert s3.head(lake_env, "gold/dashboard/index.html") is not None
    # The dashboard's figures may sit in data files beside its page.
    dashboard = [path for path in published.dashboard_path.parent.rglob("*") if path.is_file()]
    assert any("湖北省" in path.read_text(encoding="utf-8", errors="ignore") for path in dashboard)


def test_same_object_twice_is_one_report(prefect_harness, lake_env):
    sample = sorted(SAMPLES.glob("*.txt"))[0]
    s3.put_file(lake_env, "landing/a.txt", sample)
    first = ingest("landing/a.txt")
    second = ingest("landing/a.txt")
    assert [r.outcome for r in first] == ["loaded"]
    assert [r.outcome for r in second] == ["duplicate"]
    assert _lake(lake_env, "SELECT count(*) FROM silver.reports") == [(1,)]


def test_unreadable_file_is_quarantined_with_reason(prefect_harness, lake_env):
    s3.put_bytes(lake_env, "landing/garbage.txt", bytes(range(256)) * 20)
    results = ingest("landing/garbage.txt")
    assert [r.outcome for r in results] == ["quarantined"]
    assert s3.head(lake_env, "landing/garbage.txt") is None
    assert s3.head(lake_env, "quarantine/garbage.txt.reason.json") is not None


def test_reprocess_rebuilds_the_same_gold_without_uploads(prefect_harness, lake_env):
    from flows.reprocess import reprocess

    lakehouse(sorted(SAMPLES.glob("*.txt")))
    before = _published(lake_env, "SELECT * FROM gold.metric_long ORDER BY ALL")
    landed = [info.key for info in s3.list_objects(lake_env, "landing/")]
    first = reprocess()
    after_first = _published(lake_env, "SELECT * FROM gold.metric_long ORDER BY ALL")
    second = reprocess()
    after_second = _published(lake_env, "SELECT * FROM gold.metric_long ORDER BY ALL")
    assert before == after_first == after_second and len(before) > 300
    assert second.result.snapshot_id > first.result.snapshot_id
    assert [info.key for info in s3.list_objects(lake_env, "landing/")] == landed


def test_oversized_file_is_quarantined_unread(prefect_harness, lake_env, monkeypatch):
    monkeypatch.setenv("NIANBAO_MAX_FILE_BYTES", "1000")
    s3.put_bytes(lake_env, "landing/huge.txt", b"x" * 5000)
    results = ingest("landing/huge.txt")
    assert [r.outcome for r in results] == ["quarantined"]
    assert "over the 1000 bytes size limit" in results[0].detail
    assert s3.head(lake_env, "quarantine/huge.txt") is not None
    ledger = _lake(lake_env, "SELECT outcome, sha256 FROM bronze.objects")
    assert ledger == [("quarantined", "unread:" + s3.head(lake_env, "quarantine/huge.txt").etag)]


def test_scan_without_its_ocr_engine_is_quarantined_with_the_install_line(
        prefect_harness, lake_env, monkeypatch, tmp_path):
    from tests.parsing.bad_inputs import image_pdf

    # Tesseract is a system package: on this PATH it is not installed.
    monkeypatch.setenv("NIANBAO_OCR_ENGINE", "tesseract")
    monkeypatch.setenv("PATH", str(tmp_path))
    s3.put_bytes(lake_env, "landing/scan.pdf", image_pdf())
    results = ingest("landing/scan.pdf")
    assert [r.outcome for r in results] == ["quarantined"]
    note = json.loads(s3.get_bytes(lake_env, "quarantine/scan.pdf.reason.json"))
    assert "no text layer" in note["reason"] and "the OCR engine tesseract is not available" in note["reason"]
    assert "install it with: apt-get install tesseract-ocr tesseract-ocr-chi-sim" in note["reason"]
