"""Incremental cost: seconds to ingest and publish one new report when 100 vs 10,000 are loaded.

    .venv/bin/python bench/bench_incremental.py [--loaded 100 10000] [--runs 3]

For each size a lake is backfilled (untimed here; bench_backfill times it), then `runs` new
reports (another synthetic seed, so they are new content) are dropped one at a time and each is
taken through `ingest` → publish (gold refresh, audit, commit) and the dashboard, as an
`ingest-report` run does. The figure
is the median per size; the ratio of the largest to the smallest should stay under 1.5. The
first (full) gold build after the backfill is reported too, as `full_refresh`.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

import bench_backfill as bb

NEW_REPORTS_SEED = 1


def one_report_at_a_time(settings, files: list[Path]) -> dict:
    """Drop each file, ingest it and refresh published gold; seconds per report and per step."""
    from flows.ingest import ingest
    from infra import s3

    totals, steps = [], []
    for path in files:
        key = f"landing/new/{path.name}"
        s3.put_file(settings, key, path)
        started, cpu = time.perf_counter(), time.process_time()
        [result] = ingest(key)
        assert result.outcome == "loaded", f"{key}: {result.outcome} ({result.detail})"
        ingested = time.perf_counter() - started
        step = {"ingest_s": ingested} | bb.refresh_gold()
        step["cpu_s"] = time.process_time() - cpu
        totals.append(time.perf_counter() - started)
        steps.append(step)
        print(f"  one new report: {totals[-1]:.2f} s {step}", flush=True)
    median_steps = {name: round(statistics.median(s[name] for s in steps), 2) for name in steps[0]}
    return {"runs": len(totals), "median_s": round(statistics.median(totals), 2),
            "each_s": [round(total, 2) for total in totals], "steps": median_steps}


def new_reports(runs: int) -> list[Path]:
    """The reports dropped one by one: the first `runs` of another seed's corpus."""
    return bb.corpus(runs, seed=NEW_REPORTS_SEED)


def ratio(by_size: dict[int, dict]) -> float:
    """Seconds per new report at the largest size over the smallest."""
    sizes = sorted(by_size)
    return round(by_size[sizes[-1]]["median_s"] / by_size[sizes[0]]["median_s"], 2)


def main() -> None:
    """Load each size, time one new report at a time, print the figures as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loaded", type=int, nargs="+", default=[100, 10_000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    files = new_reports(args.runs)
    by_size = {}
    with tempfile.TemporaryDirectory(prefix="nianbao-bench-prefect-") as home:
        bb.isolate_prefect(Path(home))
        with bb.prefect_api(Path(home)), bb.s3_server() as server:
            for size in args.loaded:
                loaded = bb.backfill_once(server, bb.corpus(size), args.workers,
                                          then=lambda settings: one_report_at_a_time(settings, files))
                full = {"publish_s": round(loaded["publish_s"], 2)}
                by_size[size] = loaded["then"] | {"full_refresh": full}
    print(json.dumps({"by_loaded": by_size, "ratio": ratio(by_size)}, indent=1))


if __name__ == "__main__":
    main()
