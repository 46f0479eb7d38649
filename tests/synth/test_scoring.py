"""The parser measured on synthetic reports with the shared scorer (`make test` runs this at N=60).

The scorer lives in ../shared, which a fresh clone lacks: then the test skips. It skips too while
the parser (`pipelines.parsing.parse_path`) does not exist yet.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from environment.settings import PROJECT_ROOT

SCORER = PROJECT_ROOT.parent / "shared" / "tools" / "score_extraction.py"
MIN_PRECISION, MIN_RECALL = 0.99, 0.98
# The bar is the parser's to reach. Until it does, a shortfall is reported as xfail with the
# figures; set this to True once `nianbao parse` meets the bar, so a regression fails the build.
ENFORCE_BAR = True


def test_parser_meets_the_bar_on_synthetic_reports(corpus, tmp_path):
    if not SCORER.exists():
        pytest.skip(f"scorer not found at {SCORER} (../shared is not part of a fresh clone)")
    try:
        from pipelines.parsing import parse_path
    except ImportError as error:
        pytest.skip(f"the parser is not there yet (pipelines.parsing.parse_path: {error})")
    output = tmp_path / "parsed.jsonl"
    with output.open("w", encoding="utf-8") as handle:
        for path in sorted((corpus / "reports").iterdir()):
            handle.write(json.dumps(parse_path(path), ensure_ascii=False) + "\n")
    result = subprocess.run(
        [sys.executable, str(SCORER), "--labels", str(corpus / "labels.csv"), "--output", str(output)],
        capture_output=True, text=True, check=False,
    )
    summary = result.stdout.strip().splitlines()[-1]
    figures = re.search(r"precision ([\d.]+) .* recall ([\d.]+)", summary)
    assert figures, f"unexpected scorer output: {result.stdout}{result.stderr}"
    precision, recall = float(figures[1]), float(figures[2])
    if precision >= MIN_PRECISION and recall >= MIN_RECALL:
        return
    message = f"parser below the bar (P>={MIN_PRECISION}, R>={MIN_RECALL}): {summary}"
    if ENFORCE_BAR:
        pytest.fail(message)
    pytest.xfail(message)
