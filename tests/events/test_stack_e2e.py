"""End to end on the real stack: files uploaded with boto3 reach published gold through events.

The tests share one `nianbao up` and run in order: one by one (with a bad file), twenty at
once, those twenty delivered again, then a scanned PDF read by OCR.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

from environment.settings import PROJECT_ROOT

from .reports import SAMPLES, year_shifted

pytestmark = pytest.mark.e2e

BURST = {f"landing/burst/{path.stem}-{back}.txt": year_shifted(path, back)
         for path in SAMPLES for back in (1, 2, 3, 4)}
FINAL = ("COMPLETED", "FAILED", "CRASHED", "CANCELLED")


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _runs_by_key(stack) -> dict[str, list[dict]]:
    """The `ingest-report` runs that ingested each key (alone, or landed with others in a burst)."""
    runs: dict[str, list[dict]] = {}
    for run in stack.flow_runs():
        for key in [run["parameters"].get("key"), *run["parameters"].get("landed_with", [])]:
            runs.setdefault(key, []).append(run)
    return runs


def test_dropped_files_reach_published_gold(stack):
    s3 = stack.s3()
    etags = {}
    for path in SAMPLES[:3]:
        etags[f"landing/{path.name}"] = s3.put_object(
            Bucket="nianbao", Key=f"landing/{path.name}", Body=path.read_bytes())["ETag"].strip('"')
    s3.put_object(Bucket="nianbao", Key="landing/garbage.txt", Body=bytes(range(256)) * 20)
    env = os.environ | {"NIANBAO_LAKE_DIR": str(stack.settings.lake_dir), "NIANBAO_BUCKET": "nianbao",
                        "NIANBAO_S3_PORT": str(stack.settings.s3_port)}
    dropped = subprocess.run([sys.executable, "-m", "nianbao.stack", "drop", str(SAMPLES[3])],
                             env=env, capture_output=True, text=True, check=True)
    assert f"landed s3://nianbao/landing/{SAMPLES[3].name}" in dropped.stdout

    expected = {_sha(path.read_bytes()) for path in SAMPLES[:4]}
    stack.wait_for("4 reports in published gold", lambda: expected <= stack.published_report_ids())
    stack.wait_for("every file's run", lambda: all(
        any(run["state_type"] in FINAL for run in _runs_by_key(stack).get(key, []))
        for key in [*etags, "landing/garbage.txt"]))

    runs = _runs_by_key(stack)
    [bad] = runs["landing/garbage.txt"]
    assert bad["state_type"] == "FAILED" and "quarantined" in bad["state"]["message"]
    for key, etag in etags.items():  # alone, or landed with others while a worker was busy
        [run] = runs[key]
        assert run["state_type"] == ("FAILED" if run["id"] == bad["id"] else "COMPLETED")
        if run["parameters"]["key"] == key:
            assert run["parameters"]["etag"] == etag
    assert s3.head_object(Bucket="nianbao", Key="quarantine/garbage.txt.reason.json")
    assert "landing/garbage.txt" not in {o["Key"] for o in s3.list_objects_v2(
        Bucket="nianbao", Prefix="landing/")["Contents"]}


def test_twenty_files_landing_at_once(stack):
    s3 = stack.s3()
    with ThreadPoolExecutor(len(BURST)) as pool:
        list(pool.map(lambda item: s3.put_object(Bucket="nianbao", Key=item[0], Body=item[1]),
                      BURST.items()))
    expected = {_sha(data) for data in BURST.values()}
    stack.wait_for("20 more reports in published gold",
                   lambda: expected <= stack.published_report_ids(), timeout_s=180)
    stack.wait_for("every run finished", lambda: all(
        run["state_type"] in FINAL for key in BURST for run in _runs_by_key(stack).get(key, [])))

    runs = _runs_by_key(stack)
    assert {key: [run["state_type"] for run in runs[key]] for key in BURST} == {
        key: ["COMPLETED"] for key in BURST}
    ran = {run["id"] for key in BURST for run in runs[key]}
    assert len(ran) < len(BURST), "files that waited for a worker were not ingested together"
    assert len(stack.published_report_ids()) == 24
    log = stack.log_tail(lines=100_000)
    assert "Could not set lock" not in log and "Conflicting lock" not in log  # DuckDB's words


def _said_duplicate(message: str, key: str) -> bool:
    """The run's message says the key was a duplicate: by name, or a burst's counts that are all
    duplicates."""
    return f"{key}: duplicate" in message or re.fullmatch(r"\d+ objects: \d+ duplicate", message) is not None


def test_objects_delivered_again_change_nothing(stack):
    before = stack.published("SELECT * FROM gold.region_year_metrics ORDER BY ALL")
    s3 = stack.s3()
    for key, data in BURST.items():  # the same bytes under the same keys: the same ETags, again
        s3.put_object(Bucket="nianbao", Key=key, Body=data)

    def redelivered() -> bool:
        runs = _runs_by_key(stack)
        return all(len(runs[key]) == 2 and all(r["state_type"] in FINAL for r in runs[key])
                   for key in BURST)

    stack.wait_for("20 more runs", redelivered, timeout_s=150)
    runs = _runs_by_key(stack)
    for key in BURST:
        assert all(run["state_type"] == "COMPLETED" for run in runs[key])
        assert any(_said_duplicate(run["state"]["message"], key) for run in runs[key])
    assert len(stack.published_report_ids()) == 24
    after = stack.published("SELECT * FROM gold.region_year_metrics ORDER BY ALL")
    assert len(after) == len(before)


def _scanned_report() -> bytes:
    """洪泽区 2023's title page and application table as a two-page scan (no text layer)."""
    import io

    import pypdfium2 as pdfium

    from pipelines.synth.scans import partly_scanned

    dev_pdf = PROJECT_ROOT.parent / "shared" / "corpus" / "dev" / "pdf" / "001.pdf"
    if not dev_pdf.is_file():
        pytest.skip("the shared dev corpus (../shared/corpus/dev) is not present")
    source, pages = pdfium.PdfDocument(dev_pdf.read_bytes()), pdfium.PdfDocument.new()
    pages.import_pages(source, [0, 2])
    buffer = io.BytesIO()
    pages.save(buffer)
    return partly_scanned(buffer.getvalue(), {1, 2}, dpi=200)


def test_a_scanned_pdf_dropped_reaches_gold_by_ocr(stack, tmp_path):
    scan = tmp_path / "洪泽区2023年报-扫描件.pdf"
    scan.write_bytes(_scanned_report())
    env = os.environ | {"NIANBAO_LAKE_DIR": str(stack.settings.lake_dir), "NIANBAO_BUCKET": "nianbao",
                        "NIANBAO_S3_PORT": str(stack.settings.s3_port)}
    subprocess.run([sys.executable, "-m", "nianbao.stack", "drop", str(scan)], env=env, check=True,
                   capture_output=True)
    report_id = _sha(scan.read_bytes())
    stack.wait_for("the scanned report in published gold",
                   lambda: report_id in stack.published_report_ids(), timeout_s=180)
    rows = stack.published("SELECT region, year, applications_new, dq_flags FROM gold.region_year_metrics "
                           f"WHERE report_id = '{report_id}' AND scope = 'whole'")
    assert [row[:3] for row in rows] == [("淮安市洪泽区", 2023, 21)]
    assert "parser.ocr_pages" in rows[0][3], "gold says the figures were read by OCR"
    # The run's log in the UI follows the OCR page by page (the `ingest` subflow's task logs it).
    logs = stack.http.post("/logs/filter", json={"sort": "TIMESTAMP_DESC", "limit": 200}).json()
    progress = [log["message"] for log in reversed(logs) if "OCR page" in log["message"]]
    assert progress == [f"landing/{scan.name}: OCR page {n} of 2 (page {n} of 2)" for n in (1, 2)]
