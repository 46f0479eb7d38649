"""Several writers on the PostgreSQL catalog: a backfill of N by one writer process, then by two.

    .venv/bin/python bench/bench_writers.py [--n 10000]

N synthetic reports are landed under two prefixes (half each) in a fresh lake whose catalog is a
database on a throwaway PostgreSQL server (infra/local_postgres.py). One writer process runs
`backfill` over both prefixes; in another fresh lake two writer processes run one prefix each, at
the same time. Each writer parses with Prefect's default task runner (threads), so two writers
are two parsing processes on the machine's cores, and every write goes through promotion
(pipelines/promote.py), whose conflicts with the other writer are retried and counted in the
runs' logs. Then one publish over the whole lake is timed: the first, full build.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import ExitStack
from pathlib import Path

import bench_backfill as bb

CONFLICTS = re.compile(r"commit conflicts retried: (\d+)")
WRITER = "from flows.ingest import backfill\nbackfill({prefix!r})\n"


def _writer_env(settings) -> dict[str, str]:
    from prefect.settings import PREFECT_API_URL

    env = dict(os.environ) | {
        "NIANBAO_LAKE_DIR": str(settings.lake_dir), "NIANBAO_BUCKET": settings.bucket,
        "NIANBAO_S3_PORT": str(settings.s3_port), "NIANBAO_CATALOG": settings.catalog,
        "PREFECT_API_URL": PREFECT_API_URL.value(), "PREFECT_LOGGING_LEVEL": "INFO",
        "PREFECT_LOGGING_EXTRA_LOGGERS": "nianbao",
    }
    env.pop("NIANBAO_S3_ENDPOINT", None)
    return env


def _land(settings, files: list[Path], staging: Path) -> None:
    """Half of the files under landing/a/, the other half under landing/b/."""
    from infra import s3

    half = len(files) // 2
    for name, part in (("a", files[:half]), ("b", files[half:])):
        folder = staging / name
        folder.mkdir(parents=True)
        for path in part:
            (folder / path.name).symlink_to(path)
        s3.upload_tree(settings, folder, f"landing/{name}")


def _run_writers(settings, prefixes: list[str]) -> dict:
    """One writer process per prefix, all at once; wall seconds and conflicts retried."""
    started = time.perf_counter()
    children = [subprocess.Popen([sys.executable, "-c", WRITER.format(prefix=prefix)], cwd=bb.ROOT,
                                 env=_writer_env(settings), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                 text=True) for prefix in prefixes]
    outputs = [child.communicate()[0] for child in children]
    seconds = time.perf_counter() - started
    failed = [out[-2000:] for child, out in zip(children, outputs, strict=True) if child.returncode]
    if failed:
        raise RuntimeError("a writer failed:\n" + "\n".join(failed))
    conflicts = [sum(int(n) for n in CONFLICTS.findall(out)) for out in outputs]
    return {"writers": len(prefixes), "backfill_s": round(seconds, 1), "conflicts_retried": conflicts}


def _lake_on_postgres(server, pg_url: str, stack: ExitStack):
    from infra import s3
    from infra.local_postgres import create_database

    lake = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="nianbao-bench-lake-")))
    settings = dataclasses.replace(server, lake_dir=lake, bucket=f"bench-{uuid.uuid4().hex[:10]}",
                                   catalog=create_database(pg_url, f"bench_{uuid.uuid4().hex[:10]}"))
    s3.ensure_bucket(settings)
    return settings


def bench_writers(server, pg_url: str, n: int) -> list[dict]:
    """The backfill of n by one writer and by two, each in a fresh lake; then its publish."""
    from expectations.gated_publish import publish

    files, figures = bb.corpus(n), []
    for prefixes in (["landing/"], ["landing/a/", "landing/b/"]):
        with ExitStack() as stack:
            settings = _lake_on_postgres(server, pg_url, stack)
            _land(settings, files, settings.lake_dir / "to-land")
            run = _run_writers(settings, prefixes)
            started = time.perf_counter()
            publish(settings)
            run |= {"reports_per_s": round(n / run["backfill_s"], 1),
                    "publish_full_s": round(time.perf_counter() - started, 1)}
            figures.append(run)
            print(f"  {n} reports, {run['writers']} writer(s) on PostgreSQL: {run}", flush=True)
    return figures


def main() -> None:
    """Run the comparison once and print it as JSON."""
    from infra.local_postgres import local_postgres

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="nianbao-bench-prefect-") as home:
        bb.isolate_prefect(Path(home))
        with bb.prefect_api(Path(home)), bb.s3_server() as server, local_postgres() as pg_url:
            print(json.dumps({"n": args.n, "runs": bench_writers(server, pg_url, args.n)}, indent=1))


if __name__ == "__main__":
    main()
