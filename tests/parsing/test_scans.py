"""Scanned reports read by OCR (RapidOCR, in the PDF worker), scored against known truth.

The scans are the dev corpus PDFs rendered and degraded by `pipelines.synth.scans` (seeded), so
their labels are the originals'; they skip cleanly without ../shared. One report (5 pages at 150
dpi, turned, blurred, with a red seal over a table) is scored here; `bench/bench_ocr.py` scores
all of them, with both engines.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from pipelines.parsing import parse_document, parse_path
from pipelines.parsing.reading import OCR_PAGES
from pipelines.synth.scans import partly_scanned, render_scans

MIN_PRECISION, MIN_RECALL = 0.98, 0.90


@pytest.fixture(scope="module")
def scans(tmp_path_factory, request):
    """The rendered scan of dev report 002 (seed 0) and its labels."""
    from .helpers import DEV_CORPUS

    if not DEV_CORPUS.is_dir():
        pytest.skip("the shared dev corpus (../shared/corpus/dev) is not present")
    out = tmp_path_factory.mktemp("scans")
    render_scans({"reports/002.txt": DEV_CORPUS / "pdf" / "002.pdf"}, DEV_CORPUS / "labels.csv", out, seed=0)
    return out


def test_the_scan_generator_is_reproducible(scans, tmp_path):
    from .helpers import DEV_CORPUS

    render_scans({"reports/002.txt": DEV_CORPUS / "pdf" / "002.pdf"}, DEV_CORPUS / "labels.csv", tmp_path, 0)
    assert (tmp_path / "002.pdf").read_bytes() == (scans / "002.pdf").read_bytes()
    manifest = (scans / "manifest.csv").read_text(encoding="utf-8")
    assert "150" in manifest and "True" in manifest, "a 150 dpi scan with a seal"


def test_rendered_scan_meets_the_bar(scans, tmp_path):
    from .helpers import SHARED

    record = parse_path(scans / "002.pdf")
    assert "error" not in record, record.get("error")
    output = tmp_path / "out.jsonl"
    output.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(SHARED / "tools" / "score_extraction.py"), "--labels", str(scans / "labels.csv"),
         "--output", str(output), "--min-precision", str(MIN_PRECISION), "--min-recall", str(MIN_RECALL),
         "--verbose"], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout[-3000:]
    summary = [f for f in record["findings"] if f["code"] == OCR_PAGES]
    assert summary and "page(s) 1, 2, 3, 4, 5 of 5 read by OCR (rapidocr)" in summary[0]["message"]


def test_partly_scanned_pdf_is_read_page_by_page(dev_corpus):
    # Page 3 of 洪泽区 2023 (the application table) scanned, the others text.
    data = partly_scanned((dev_corpus / "pdf" / "001.pdf").read_bytes(), {3})
    report = parse_document(data, "001.pdf")
    got = {m.metric: m.value for m in report.metrics if m.scope == "whole"}
    assert (report.region, report.report_year) == ("淮安市洪泽区", 2023)
    assert got["applications_new"] == 21 and got["granted"] == 0 and got["partly_granted"] == 4
    ocr = [f for f in report.findings if f.code == OCR_PAGES]
    assert len(ocr) == 1 and ocr[0].message.startswith("page(s) 3 of 5 read by OCR (rapidocr)")
