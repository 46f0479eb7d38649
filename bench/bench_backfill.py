"""Bulk backfill end to end on the real stack: land N synthetic reports, then bronze → silver →
gold → audit → publish, with the parse tasks on a Dask LocalCluster.

    .venv/bin/python bench/bench_backfill.py [--n 1000] [--runs 3] [--workers 2]

Also home of what the other benchmarks share: the synthetic corpus (cached under `bench/out/`),
an embedded SeaweedFS server with a fresh lake and bucket per run, and a Prefect server of its
own under a private PREFECT_HOME (its start is timed once, apart from every figure).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import resource
import statistics
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
CORPUS_SEED = 0


def isolate_prefect(home: Path) -> None:
    """Prefect with its own home and database: never a server another session runs."""
    os.environ["PREFECT_HOME"] = str(home)
    os.environ.pop("PREFECT_API_URL", None)
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("DASK_DISTRIBUTED__LOGGING__DISTRIBUTED", "warning")
    for name in ("PREFECT_SERVER_ANALYTICS_ENABLED", "RUNTIME__DLTHUB_TELEMETRY", "GX_ANALYTICS_ENABLED"):
        os.environ[name] = "false"


def corpus(n: int, seed: int = CORPUS_SEED) -> list[Path]:
    """The first n synthetic reports (generated once; any prefix of the corpus is stable).

    Without deliberate contradictions: those fail blocking expectations, and a blocked publish
    would leave the publish step unmeasured."""
    from pipelines.synth import generate

    folder = OUT / f"synth-seed{seed}-consistent"
    files = sorted((folder / "reports").glob("*.*")) if folder.is_dir() else []
    if len(files) < n:
        generate(n, folder, seed=seed, contradiction_share=0.0)
        files = sorted((folder / "reports").glob("*.*"))
    return files[:n]


@contextmanager
def prefect_api(home: Path) -> Iterator[float]:
    """A Prefect server of our own for the block (Dask workers inherit its address, where with
    the ephemeral mode each worker would start a server of its own); yields its start seconds."""
    from environment.settings import load_settings
    from infra.prefect_server import prefect_server
    from infra.seaweed import free_port

    started = time.perf_counter()
    with prefect_server(dataclasses.replace(load_settings(), lake_dir=home), port=free_port()):
        yield time.perf_counter() - started


@contextmanager
def s3_server() -> Iterator:
    """One embedded SeaweedFS for the whole benchmark process."""
    from environment.settings import load_settings
    from infra.seaweed import embedded_s3, free_port

    with tempfile.TemporaryDirectory(prefix="nianbao-bench-s3-") as lake:
        base = dataclasses.replace(load_settings(), lake_dir=Path(lake), s3_endpoint=None,
                                   s3_port=free_port())
        with embedded_s3(base) as ready:
            yield ready


@contextmanager
def fresh_lake(server) -> Iterator:
    """A new lake directory and bucket on the server, made what `load_settings()` resolves."""
    from environment.settings import load_settings
    from infra import s3

    with tempfile.TemporaryDirectory(prefix="nianbao-bench-lake-") as lake:
        os.environ["NIANBAO_LAKE_DIR"] = lake
        os.environ["NIANBAO_BUCKET"] = f"bench-{uuid.uuid4().hex[:10]}"
        os.environ["NIANBAO_S3_PORT"] = str(server.s3_port)
        os.environ.pop("NIANBAO_S3_ENDPOINT", None)
        settings = load_settings()
        s3.ensure_bucket(settings)
        yield settings


def _cpu_seconds(servers: list) -> dict[str, float]:
    """CPU time so far of this process, of its finished children and of the running servers."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"flow_cpu": own.ru_utime + own.ru_stime, "workers_cpu": children.ru_utime + children.ru_stime,
            "servers_cpu": sum(sum(proc.cpu_times()[:2]) for proc in servers if proc.is_running())}


@contextmanager
def metered() -> Iterator[dict]:
    """CPU seconds of the block apart: this (the flow's) process, the children that finished in it
    (the Dask workers), and the servers running beside it (Prefect, SeaweedFS); peak RSS of this
    process and of the largest worker during the block, sampled every 0.2 s; the load average."""
    import psutil

    me = psutil.Process()
    servers = me.children(recursive=True)
    before = _cpu_seconds(servers)
    figures = {"flow_rss_mb": 0.0, "worker_rss_mb": 0.0, "load_before": os.getloadavg()[0]}
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.2):
            with suppress(psutil.Error):
                workers = [p.memory_info().rss for p in me.children(recursive=True) if p not in servers]
                figures["flow_rss_mb"] = max(figures["flow_rss_mb"], me.memory_info().rss / 2**20)
                figures["worker_rss_mb"] = max([figures["worker_rss_mb"], *(r / 2**20 for r in workers)])

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    yield figures
    done.set()
    sampler.join()
    figures |= {name: used - before[name] for name, used in _cpu_seconds(servers).items()}
    figures["load_after"] = os.getloadavg()[0]


def refresh_gold() -> dict[str, float]:
    """Refresh gold, audit it and publish it, one lake transaction, then the dashboard (what
    `ingest-report` does after its ingest); seconds."""
    from flows.publish import publish

    started = time.perf_counter()
    publish()
    return {"publish_s": time.perf_counter() - started}


def backfill_once(server, files: list[Path], workers: int, then: Callable | None = None,
                  gold: bool = True) -> dict:
    """Land the files in a fresh lake, backfill on Dask, refresh gold; seconds per step.

    `then(settings)`, when given, runs on the loaded lake before it is removed ("then": its result)."""
    from environment.runtime import runs_in_this_process
    from flows.scale import backfill_on_dask
    from infra.landing import land_files

    # As in `nianbao up`, whose warm executor runs every flow in its own process.
    with fresh_lake(server) as settings, runs_in_this_process():
        started = time.perf_counter()
        land_files(settings, files)
        landed = time.perf_counter()
        with metered() as meter:
            results = backfill_on_dask(n_workers=workers)
        times = {"land_s": landed - started, "backfill_s": time.perf_counter() - landed,
                 "backfill_cpu": meter["flow_cpu"] + meter["workers_cpu"]}
        times |= {f"backfill_{name}": round(value, 2) for name, value in meter.items()}
        if gold:
            times |= refresh_gold()
        if then is not None:
            times["then"] = then(settings)
    times["end_to_end_s"] = sum(v for k, v in times.items() if k.endswith("_s") and k != "land_s")
    times["outcomes"] = dict(Counter(result.outcome for result in results))
    return times


def parser_loop_rate(files: list[Path], runs: int = 1) -> float:
    """Reports per second of the parser called in a plain loop on one core (bytes in memory);
    the median of `runs` passes."""
    from flows.parsed import parse_record
    from pipelines.parsing import ParseError

    def parse(data: bytes, name: str) -> None:
        with suppress(ParseError):
            parse_record(data, name)

    sources = [(path.read_bytes(), path.name) for path in files]
    parse(*sources[0])  # lazy indexes are built once per process
    rates = []
    for _ in range(runs):
        started = time.perf_counter()
        for source in sources:
            parse(*source)
        rates.append(len(sources) / (time.perf_counter() - started))
    return statistics.median(rates)


def summarise(n: int, runs: list[dict], parser_rate: float, workers: int) -> dict:
    """Medians over the runs, the rates they give, and how they compare with the parser alone."""
    keys = [k for k in runs[0] if k.endswith(("_s", "_cpu", "_mb")) or k.startswith("backfill_load")]
    median = {k: round(statistics.median(run[k] for run in runs), 2) for k in keys}
    backfill_rate = n / median["backfill_s"]
    return {
        "n": n, "runs": len(runs), "workers": workers, "seconds": median,
        "reports_per_s": round(n / median["end_to_end_s"], 1),
        "backfill_flow_reports_per_s": round(backfill_rate, 1),
        "backfill_flow_reports_per_s_each_run": [round(n / run["backfill_s"], 1) for run in runs],
        # Other sessions load this machine: reports per CPU-second does not depend on that.
        "backfill_reports_per_cpu_s": round(n / median["backfill_cpu"], 1),
        "backfill_cpu_s_per_1000": {part: round(median[f"backfill_{part}_cpu"] * 1000 / n, 2)
                                    for part in ("flow", "workers", "servers")},
        "parser_loop_reports_per_s_1core": round(parser_rate, 1),
        "backfill_vs_parser_loop": round(backfill_rate / parser_rate, 2),
        "end_to_end_vs_parser_loop": round(n / median["end_to_end_s"] / parser_rate, 2),
        # The whole process (backfill, gold, audit, publish); the backfill's own peaks are in "seconds".
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "outcomes": runs[-1]["outcomes"], "then": runs[-1].get("then"),
    }


def bench(server, n: int, runs: int, workers: int, parser_rate: float, then: Callable | None = None,
          gold: bool = True) -> dict:
    """Run the backfill `runs` times on n reports and summarise (`then` runs after the last)."""
    files = corpus(n)
    measured = []
    for run in range(runs):
        measured.append(backfill_once(server, files, workers, then if run == runs - 1 else None, gold))
        print(f"  backfill N={n} run {run + 1}/{runs}: {measured[-1]}", flush=True)
    return summarise(n, measured, parser_rate, workers)


def main() -> None:
    """Benchmark one N and print the summary as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--backfill-only", action="store_true", help="skip the publish")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="nianbao-bench-prefect-") as home:
        isolate_prefect(Path(home))
        parser_rate = parser_loop_rate(corpus(min(args.n, 1000)))
        with prefect_api(Path(home)) as prefect_start, s3_server() as server:
            summary = bench(server, args.n, args.runs, args.workers, parser_rate,
                            gold=not args.backfill_only)
    print(json.dumps({"prefect_start_s": round(prefect_start, 1), "backfill": summary}, indent=1))


if __name__ == "__main__":
    main()
