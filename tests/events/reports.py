"""Distinct reports to land, made from the samples: the e2e tests and bench/bench_latency.py use them."""

from __future__ import annotations

import re
from pathlib import Path

from environment.settings import PROJECT_ROOT

SAMPLES = sorted((PROJECT_ROOT / "samples").glob("*.txt"))


def year_shifted(path: Path, years_back: int) -> bytes:
    """A sample report moved `years_back` years earlier: another (region, year) report to land."""
    text = path.read_text("utf-8")
    return re.sub(r"20[0-2]\d", lambda m: str(int(m.group()) - years_back), text).encode()
