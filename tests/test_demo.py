"""`make demo` as a newcomer runs it: a fresh lake, then again on the same lake; only what a person
needs is printed (no library log lines or warnings), and both servers are gone afterwards."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from environment.settings import PROJECT_ROOT
from infra.seaweed import free_port, port_open

pytestmark = pytest.mark.e2e

# A log record as Prefect's or the standard handlers format it, or a Python warning.
LIBRARY_NOISE = re.compile(r"\| (DEBUG|INFO|WARNING) +\||^\S+Warning: |^WARNING|^INFO", re.MULTILINE)


def _demo(lake, s3_port: int) -> str:
    env = {key: value for key, value in os.environ.items()
           if key not in ("NIANBAO_S3_ENDPOINT", "PREFECT_API_URL", "PREFECT_HOME")}
    env |= {"NIANBAO_LAKE_DIR": str(lake), "NIANBAO_S3_PORT": str(s3_port), "COLUMNS": "200"}
    done = subprocess.run([sys.executable, "-m", "nianbao.cli", "demo"], cwd=PROJECT_ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-4000:]
    return output


def test_the_demo_on_a_fresh_lake_then_again(tmp_path):
    s3_port = free_port()
    first = _demo(tmp_path / "lake", s3_port)
    samples = sorted(p.name for p in (PROJECT_ROOT / "samples").iterdir() if not p.name.startswith("."))
    for name in samples:
        assert re.search(rf"landing/{re.escape(name)}\s+│ loaded", first), f"{name} not loaded:\n{first}"
    assert "gold.province_year_metrics (published)" in first and "湖北省" in first
    assert re.search(r"Data quality: 0 blocking", first)
    assert not LIBRARY_NOISE.search(first), f"library output in the demo:\n{first}"
    assert not port_open(s3_port), "the S3 server outlived the demo"

    again = _demo(tmp_path / "lake", s3_port)
    assert all(re.search(rf"landing/{re.escape(name)}\s+│ duplicate", again) for name in samples), again
    assert "Published snapshot" in again and not LIBRARY_NOISE.search(again), again
