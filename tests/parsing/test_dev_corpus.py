"""Regression: the dev corpus must stay above the measured bar of the shared scorer."""

from __future__ import annotations

import json
import subprocess
import sys
import time

from pipelines.parsing import parse_path

MIN_PRECISION, MIN_RECALL, MIN_IDENTIFICATION = 0.98, 0.90, 0.95


def test_dev_corpus_meets_the_bar(dev_corpus, tmp_path):
    files = sorted((dev_corpus / "seeds").glob("*.txt")) + sorted((dev_corpus / "reports").glob("*.txt"))
    pdfs = sorted((dev_corpus / "pdf").glob("*.pdf"))
    started = time.perf_counter()
    records = [parse_path(path) for path in files]
    for pdf in pdfs:
        # A PDF is scored against the labels of its extracted text in reports/.
        record = parse_path(pdf)
        record["file"] = str(dev_corpus / "reports" / f"{pdf.stem}.txt")
        records.append(record)
    assert time.perf_counter() - started < 45
    output = tmp_path / "out.jsonl"
    output.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n")
    scorer = dev_corpus.parent.parent / "tools" / "score_extraction.py"
    result = subprocess.run(
        [sys.executable, str(scorer), "--labels", str(dev_corpus / "labels.csv"),
         "--output", str(output), "--min-precision", str(MIN_PRECISION),
         "--min-recall", str(MIN_RECALL), "--min-id", str(MIN_IDENTIFICATION), "--verbose"],
        capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout[-3000:]
