"""Single-object PUT and GET against the embedded SeaweedFS, one S3 client against another.

    .venv/bin/python bench/bench_s3.py [--n 2000] [--runs 3] [--threads 8]

N objects of 2-20 KB (the size of landed reports) are PUT, then read back by GET, from
`--threads` threads sharing one client, as the backfill's read tasks do. Each client gets a
bucket of its own; the clients take turns within every run, so a change in the machine's load
falls on all of them alike. Figures are medians over the runs: objects/s, and CPU-seconds per
1,000 objects of this process (every thread, the Rust runtime's included) and of SeaweedFS.

Clients: `infra.s3` (the fast path as shipped), boto3 as `infra.s3.client` configures it, boto3
tuned (a larger pool, TCP keep-alive, no parameter validation, checksums only when required),
and obstore (Rust's object_store).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import random
import statistics
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import bench_backfill as bb

Put = Callable[[str, bytes], str]
Get = Callable[[str], bytes]


def objects(n: int, prefix: str, seed: int = 0) -> dict[str, bytes]:
    """n keys under prefix with 2-20 KB of bytes each (the same bytes for every prefix)."""
    rng = random.Random(seed)
    return {f"{prefix}/{i:05d} 报告.txt": rng.randbytes(rng.randint(2_000, 20_000)) for i in range(n)}


def shipped(settings) -> tuple[Put, Get]:
    """`infra.s3.put_bytes` and `get_bytes`, whatever path they take."""
    from infra import s3

    return (lambda key, data: s3.put_bytes(settings, key, data)), (lambda key: s3.get_bytes(settings, key))


def _boto_pair(client, bucket: str) -> tuple[Put, Get]:
    def put(key: str, data: bytes) -> str:
        return client.put_object(Bucket=bucket, Key=key, Body=data)["ETag"].strip('"')

    def get(key: str) -> bytes:
        return client.get_object(Bucket=bucket, Key=key)["Body"].read()

    return put, get


def boto3_plain(settings) -> tuple[Put, Get]:
    """The shared boto3 client of `infra.s3.client`."""
    from infra import s3

    return _boto_pair(s3.client(settings), settings.bucket)


def boto3_tuned(settings) -> tuple[Put, Get]:
    """One boto3 client with everything that costs CPU per request and is not needed turned off."""
    import boto3
    from botocore.config import Config

    config = Config(
        retries={"max_attempts": 10, "mode": "standard"}, connect_timeout=5, read_timeout=60,
        s3={"addressing_style": "path"}, max_pool_connections=16, tcp_keepalive=True,
        parameter_validation=False, request_checksum_calculation="when_required",
        response_checksum_validation="when_required",
    )
    client = boto3.client(
        "s3", endpoint_url=settings.endpoint_url, aws_access_key_id=settings.s3_access_key,
        aws_secret_access_key=settings.s3_secret_key, region_name=settings.s3_region, config=config,
    )
    return _boto_pair(client, settings.bucket)


def obstore_store(settings) -> tuple[Put, Get]:
    """An obstore S3Store on the bucket (path-style, payload signed, its default retries)."""
    import obstore
    from obstore.store import S3Store

    store = S3Store(
        settings.bucket, endpoint=settings.endpoint_url, region=settings.s3_region,
        access_key_id=settings.s3_access_key, secret_access_key=settings.s3_secret_key,
        client_options={"allow_http": True},
    )

    def put(key: str, data: bytes) -> str:
        return obstore.put(store, key, data)["e_tag"].strip('"')

    def get(key: str) -> bytes:
        return obstore.get(store, key).bytes().to_bytes()

    return put, get


CLIENTS = {"infra.s3": shipped, "boto3": boto3_plain, "boto3_tuned": boto3_tuned, "obstore": obstore_store}


def _timed(work: Callable[[], None], server) -> dict[str, float]:
    """Wall seconds, this process's CPU seconds and the server's CPU seconds of one call."""
    server_before, cpu_before, started = sum(server.cpu_times()[:2]), time.process_time(), time.perf_counter()
    work()
    return {"s": time.perf_counter() - started, "cpu": time.process_time() - cpu_before,
            "server_cpu": sum(server.cpu_times()[:2]) - server_before}


def one_run(put: Put, get: Get, data: dict[str, bytes], threads: int, server) -> dict[str, dict]:
    """PUT every object, then GET every one back (checked), from `threads` threads."""
    with ThreadPoolExecutor(threads) as pool:
        put_t = _timed(lambda: list(pool.map(put, data, data.values())), server)
        got: list[bytes] = []
        get_t = _timed(lambda: got.extend(pool.map(get, data)), server)
    assert got == list(data.values()), "a GET returned other bytes than the PUT stored"
    return {"put": put_t, "get": get_t}


def summarise(runs: list[dict[str, dict]], n: int) -> dict[str, dict]:
    """Medians over the runs: objects/s and CPU-seconds per 1,000 objects, per operation."""
    summary = {}
    for op in ("put", "get"):
        median = {k: statistics.median(run[op][k] for run in runs) for k in ("s", "cpu", "server_cpu")}
        summary[op] = {"objects_per_s": round(n / median["s"]),
                       "cpu_s_per_1000": round(median["cpu"] * 1000 / n, 3),
                       "server_cpu_s_per_1000": round(median["server_cpu"] * 1000 / n, 3),
                       "objects_per_s_each_run": [round(n / run[op]["s"]) for run in runs]}
    return summary


def warmed(name: str, server_settings, threads: int) -> tuple[Put, Get]:
    """A client on a bucket of its own, its pool filled and its lazy set-up done (untimed)."""
    from infra import s3

    settings = dataclasses.replace(server_settings, bucket=f"bench-{uuid.uuid4().hex[:10]}")
    s3.ensure_bucket(settings)
    put, get = CLIENTS[name](settings)
    with ThreadPoolExecutor(threads) as pool:
        warm = objects(4 * threads, "warm-up")
        list(pool.map(put, warm, warm.values()))
        list(pool.map(get, warm))
    return put, get


def bench(n: int, runs: int, threads: int, names: list[str]) -> dict[str, dict]:
    """Every client, `runs` times in turn, on one server; their summaries."""
    import psutil

    measured: dict[str, list] = {name: [] for name in names}
    with bb.s3_server() as base:
        weed = psutil.Process().children(recursive=True)[0]
        clients = {name: warmed(name, base, threads) for name in names}
        for run in range(runs):
            data = objects(n, f"landing/run-{run}")
            for name, (put, get) in clients.items():
                measured[name].append(one_run(put, get, data, threads, weed))
                print(f"  run {run + 1}/{runs} {name}: {_brief(measured[name][-1], n)}", flush=True)
    return {name: summarise(measured[name], n) for name in names}


def _brief(run: dict[str, dict], n: int) -> str:
    return "  ".join(f"{op} {n / t['s']:.0f}/s {t['cpu'] * 1000 / n:.2f} CPU-s/1000" for op, t in run.items())


def main() -> None:
    """Benchmark the clients and print the summary as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--clients", nargs="+", default=list(CLIENTS), choices=list(CLIENTS))
    args = parser.parse_args()
    summary = bench(args.n, args.runs, args.threads, args.clients)
    print(json.dumps({"n": args.n, "runs": args.runs, "threads": args.threads, "clients": summary}))
    print(table(summary))


def table(summary: dict[str, dict]) -> str:
    """The medians as a Markdown table (what docs/benchmarks.md shows)."""
    lines = ["| client | PUT objects/s | PUT CPU-s/1,000 | GET objects/s | GET CPU-s/1,000 "
             "| SeaweedFS CPU-s/1,000 (PUT, GET) |", "|---|---|---|---|---|---|"]
    for name, ops in summary.items():
        put, get = ops["put"], ops["get"]
        server = f"{put['server_cpu_s_per_1000']}, {get['server_cpu_s_per_1000']}"
        lines.append(f"| {name} | {put['objects_per_s']} | {put['cpu_s_per_1000']} | {get['objects_per_s']} "
                     f"| {get['cpu_s_per_1000']} | {server} |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
