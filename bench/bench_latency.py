"""Latency from upload to published gold, with `nianbao up` running.

Drops 20 reports one by one (each one waits until the previous is visible) and measures, per
report, the time from the end of its S3 upload to its row (report_id = sha256 of its bytes)
appearing in published gold (the lake's latest snapshot). Prints p50 and p95.

    .venv/bin/nianbao up &              # or: python -m nianbao.stack up
    .venv/bin/python bench/bench_latency.py

The reports are the samples moved to other years (distinct reports, same text otherwise), under
`landing/bench-<run>/`, so reruns against the same lake measure fresh reports.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import sys
import time
import uuid
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))

from environment.settings import load_settings  # noqa: E402
from infra import s3  # noqa: E402  (after the path insert: runnable without installing)
from pipelines.lake import connect  # noqa: E402
from tests.events.reports import SAMPLES, year_shifted  # noqa: E402  (the e2e tests' reports)


def reports(count: int, years_back_from: int) -> list[tuple[str, bytes]]:
    """`count` distinct reports: each sample shifted by successive years into the past."""
    made = []
    for index in range(count):
        path, back = SAMPLES[index % len(SAMPLES)], years_back_from + index // len(SAMPLES)
        made.append((f"{path.stem}-{back}.txt", year_shifted(path, back)))
    return made


def visible(settings, report_id: str) -> bool:
    """True when published gold (the lake's latest snapshot) has a row for the report."""
    try:
        with connect(settings, read_only=True) as con:
            return con.execute("SELECT count(*) FROM gold.region_year_metrics WHERE report_id = ?",
                               [report_id]).fetchone()[0] > 0
    except duckdb.CatalogException:  # nothing published yet
        return False


def measure(count: int, timeout_s: float, years_back_from: int) -> list[float]:
    """Upload each report, wait for it in published gold, return the latencies in seconds."""
    settings = load_settings()
    run = uuid.uuid4().hex[:8]
    latencies = []
    for name, data in reports(count, years_back_from):
        report_id = hashlib.sha256(data).hexdigest()
        if visible(settings, report_id):
            raise SystemExit(f"{name} is already in published gold: pass another --years-back-from")
        s3.put_bytes(settings, f"landing/bench-{run}/{name}", data)
        uploaded = time.monotonic()
        while not visible(settings, report_id):
            if time.monotonic() - uploaded > timeout_s:
                raise SystemExit(f"{name} not in published gold after {timeout_s} s: is `up` running?")
            time.sleep(0.05)
        latencies.append(time.monotonic() - uploaded)
        print(f"{name}: {latencies[-1]:.2f} s", flush=True)
    return latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=20)
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument("--years-back-from", type=int, default=5,
                        help="first year shift; use another value to bench a lake again")
    args = parser.parse_args()
    latencies = measure(args.count, args.timeout, args.years_back_from)
    p50 = statistics.median(latencies)
    p95 = statistics.quantiles(latencies, n=20, method="inclusive")[-1]
    print(f"{len(latencies)} reports: p50 {p50:.2f} s, p95 {p95:.2f} s, max {max(latencies):.2f} s "
          f"(targets: p50 <= 5 s, p95 <= 10 s)")
    # bench/run_all.py folds this file into bench/results.json.
    OUT.mkdir(parents=True, exist_ok=True)
    figures = {"n": len(latencies), "p50_s": round(p50, 2), "p95_s": round(p95, 2),
               "max_s": round(max(latencies), 2), "latencies_s": [round(x, 2) for x in latencies]}
    (OUT / "latency.json").write_text(json.dumps(figures, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
