"""Latency from upload to published gold through `nianbao up`: drops one by one, and a burst.

Starts `nianbao up` itself on a fresh lake (a temporary folder, free ports), or uses one already
running with `--running` (then the environment's NIANBAO_* settings say which lake). Then:

1. `--count` reports (the samples moved to other years) dropped one by one, each after the
   previous is visible: per report, the time from the end of its upload until its row (report_id
   = sha256 of its bytes) is in published gold (the lake's latest snapshot); p50, p95, max.
2. a burst of `--burst` synthetic reports uploaded at once from 16 threads: the time from the
   first upload until every one the parser accepts is in published gold.

    .venv/bin/python bench/bench_latency.py [--count 20] [--burst 200]

Figures go to bench/out/latency.json, which bench/run_all.py folds into bench/results.json.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))

from environment.settings import load_settings  # noqa: E402
from infra import s3  # noqa: E402  (after the path insert: runnable without installing)
from infra.seaweed import free_port  # noqa: E402
from pipelines.lake import connect  # noqa: E402
from tests.events.reports import SAMPLES, year_shifted  # noqa: E402  (the e2e tests' reports)

UP_TIMEOUT_S = 180


def reports(count: int, years_back_from: int) -> list[tuple[str, bytes]]:
    """`count` distinct reports: each sample shifted by successive years into the past."""
    made = []
    for index in range(count):
        path, back = SAMPLES[index % len(SAMPLES)], years_back_from + index // len(SAMPLES)
        made.append((f"{path.stem}-{back}.txt", year_shifted(path, back)))
    return made


def published_ids(settings, report_ids: list[str]) -> set[str]:
    """Which of the reports published gold (the lake's latest snapshot) has rows for."""
    try:
        with connect(settings, read_only=True) as con:
            rows = con.execute("SELECT DISTINCT report_id FROM gold.region_year_metrics "
                               "WHERE report_id IN (SELECT unnest(?))", [report_ids]).fetchall()
    except duckdb.CatalogException:  # nothing published yet
        return set()
    return {row[0] for row in rows}


def wait_published(settings, report_ids: list[str], since: float, timeout_s: float) -> float:
    """Seconds from `since` until every report is in published gold."""
    while len(published_ids(settings, report_ids)) < len(report_ids):
        if time.monotonic() - since > timeout_s:
            raise SystemExit(f"not all of {len(report_ids)} reports in published gold after {timeout_s} s")
        time.sleep(0.05)
    return time.monotonic() - since


def one_by_one(settings, count: int, timeout_s: float, years_back_from: int) -> list[float]:
    """Upload each report, wait for it in published gold; the latencies in seconds."""
    run = uuid.uuid4().hex[:8]
    latencies = []
    for name, data in reports(count, years_back_from):
        report_id = hashlib.sha256(data).hexdigest()
        if published_ids(settings, [report_id]):
            raise SystemExit(f"{name} is already in published gold: pass another --years-back-from")
        s3.put_bytes(settings, f"landing/bench-{run}/{name}", data)
        latencies.append(wait_published(settings, [report_id], time.monotonic(), timeout_s))
        print(f"{name}: {latencies[-1]:.2f} s", flush=True)
    return latencies


def burst(settings, count: int, timeout_s: float) -> dict:
    """Upload `count` synthetic reports at once; seconds until all accepted ones are published."""
    from pipelines.synth import generate
    from tests.reliability.lakes import reportable

    with tempfile.TemporaryDirectory(prefix="nianbao-burst-") as folder:
        generate(count, Path(folder), seed=int(time.time()))
        files, run = sorted((Path(folder) / "reports").iterdir()), uuid.uuid4().hex[:8]
        landed = {f"landing/burst-{run}/{path.name}": path.read_bytes() for path in files}
    expected = sorted(reportable(landed))
    started = time.monotonic()
    with ThreadPoolExecutor(16) as pool:
        list(pool.map(lambda item: s3.put_bytes(settings, *item), landed.items()))
    uploaded_s = time.monotonic() - started
    total_s = wait_published(settings, expected, started, timeout_s)
    print(f"burst of {count}: uploaded in {uploaded_s:.1f} s, {len(expected)} reports published "
          f"after {total_s:.1f} s", flush=True)
    return {"files": count, "reports": len(expected), "upload_s": round(uploaded_s, 1),
            "published_s": round(total_s, 1)}


@contextmanager
def nianbao_up(lake: Path) -> Iterator[None]:
    """`nianbao up` on a fresh lake and free ports, this process pointed at it; Ctrl-C at the end."""
    env = {key: value for key, value in os.environ.items()
           if key not in ("NIANBAO_S3_ENDPOINT", "PREFECT_API_URL", "PREFECT_HOME")}
    env |= {"NIANBAO_LAKE_DIR": str(lake), "NIANBAO_S3_PORT": str(free_port())}
    os.environ.update({key: env[key] for key in ("NIANBAO_LAKE_DIR", "NIANBAO_S3_PORT")})
    log_path = lake / "up.log"
    with open(log_path, "ab") as log:
        process = subprocess.Popen([sys.executable, "-m", "nianbao.stack", "up", "--prefect-port",
                                    str(free_port())], stdout=log, stderr=subprocess.STDOUT, env=env,
                                   cwd=ROOT, start_new_session=True)
    try:
        deadline = time.monotonic() + UP_TIMEOUT_S
        while "nianbao is up." not in log_path.read_text("utf-8", "replace"):
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"nianbao up did not come up:\n{log_path.read_text()[-3000:]}")
            time.sleep(0.2)
        yield
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(60)


def measure(args) -> dict:
    """Both figures against the stack this process points at."""
    settings = load_settings()
    latencies = one_by_one(settings, args.count, args.timeout, args.years_back_from)
    p95 = statistics.quantiles(latencies, n=20, method="inclusive")[-1]
    figures = {"n": len(latencies), "p50_s": round(statistics.median(latencies), 2),
               "p95_s": round(p95, 2), "max_s": round(max(latencies), 2),
               "latencies_s": [round(x, 2) for x in latencies]}
    print(f"{len(latencies)} reports: p50 {figures['p50_s']} s, p95 {figures['p95_s']} s, max "
          f"{figures['max_s']} s (targets: p50 <= 2 s, p95 <= 4 s)", flush=True)
    if args.burst:
        figures["burst"] = burst(settings, args.burst, args.timeout * 5)
    return figures


def run(args) -> dict:
    """Start `up` unless one runs, measure, stop it; the figures, also written to latency.json."""
    if args.running:
        figures = measure(args)
    else:
        with tempfile.TemporaryDirectory(prefix="nianbao-latency-") as lake, nianbao_up(Path(lake)):
            figures = measure(args)
    figures["load_avg_1m_at_end"] = round(os.getloadavg()[0], 2)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "latency.json").write_text(json.dumps(figures, indent=1), encoding="utf-8")
    return figures


def parser() -> argparse.ArgumentParser:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--count", type=int, default=20)
    options.add_argument("--burst", type=int, default=200, help="files in the burst (0: no burst)")
    options.add_argument("--timeout", type=float, default=60.0, help="seconds one report may take")
    options.add_argument("--running", action="store_true", help="use the `nianbao up` already running")
    options.add_argument("--years-back-from", type=int, default=5,
                         help="first year shift; use another value to bench a lake again")
    return options


if __name__ == "__main__":
    run(parser().parse_args())
