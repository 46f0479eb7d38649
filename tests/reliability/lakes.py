"""Shared by the fault and security tests: lakes to land reports in, child processes, invariants."""

from __future__ import annotations

import dataclasses
import hashlib
import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from environment.settings import PROJECT_ROOT, Settings
from infra import s3
from infra.seaweed import embedded_s3, free_port
from pipelines.lake import connect
from pipelines.parsing import ParseError
from pipelines.synth import generate

SAMPLES = sorted((PROJECT_ROOT / "samples").glob("*.txt"))
CHILD_TIMEOUT_S = 240


def land_synth(settings: Settings, n: int, workdir: Path) -> dict[str, bytes]:
    """Generate n synthetic reports and upload them under landing/synth/; returns key -> bytes."""
    generate(n, workdir)
    keys = s3.upload_tree(settings, workdir / "reports", "landing/synth")
    return {key: (workdir / "reports" / Path(key).name).read_bytes() for key in keys}


def reportable(landed: dict[str, bytes]) -> set[str]:
    """The sha256 of every distinct landed content the parser turns into a report."""
    from flows.parsed import parse_record

    found = set()
    for key, data in landed.items():
        try:
            parse_record(data, key)
        except ParseError:
            continue
        found.add(hashlib.sha256(data).hexdigest())
    return found


def child_env(settings: Settings) -> dict[str, str]:
    """Environment for a child nianbao process on this test's lake, bucket, server and Prefect API."""
    from prefect.settings import PREFECT_API_URL

    env = dict(os.environ) | {
        "NIANBAO_LAKE_DIR": str(settings.lake_dir), "NIANBAO_BUCKET": settings.bucket,
        "NIANBAO_S3_PORT": str(settings.s3_port), "NIANBAO_S3_ACCESS_KEY": settings.s3_access_key,
        "NIANBAO_S3_SECRET_KEY": settings.s3_secret_key, "NIANBAO_CATALOG": settings.catalog,
        "NIANBAO_MIN_FREE_MB": str(settings.min_free_mb),
        "PREFECT_LOGGING_EXTRA_LOGGERS": "nianbao", "PREFECT_LOGGING_LEVEL": "INFO",
    }
    env.pop("NIANBAO_S3_ENDPOINT", None)
    if PREFECT_API_URL.value():
        env["PREFECT_API_URL"] = PREFECT_API_URL.value()
    return env


def start_child(settings: Settings, code: str) -> subprocess.Popen:
    """Start `python -c code` (dedented) in the project root against this test's lake."""
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(code)], cwd=PROJECT_ROOT, env=child_env(settings),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )


def run_killed(settings: Settings, code: str) -> None:
    """Run code in a child that must die by SIGKILL at its armed kill point."""
    child = start_child(settings, code)
    output, _ = child.communicate(timeout=CHILD_TIMEOUT_S)
    assert child.returncode == -signal.SIGKILL, f"the kill point was not reached:\n{output[-3000:]}"


def lake_rows(settings: Settings, sql: str) -> list[tuple]:
    """Rows of a query on the lake."""
    with connect(settings, read_only=True) as con:
        return con.execute(sql).fetchall()


def assert_each_landed_once(settings: Settings, landed: dict[str, bytes]) -> None:
    """Every landed delivery is in the ledger once and every parseable content is one report."""
    ledger = lake_rows(settings, "SELECT key, etag, count(*) FROM bronze.objects GROUP BY ALL")
    assert [row for row in ledger if row[2] > 1] == [], "a delivery was recorded twice"
    assert {key for key, _, _ in ledger} >= set(landed), "a landed file was never recorded"
    reports = lake_rows(settings, "SELECT report_id FROM silver.reports")
    assert len(reports) == len(set(reports)), "a report was loaded twice"
    assert {report_id for (report_id,) in reports} == reportable(landed), "a report was lost"
    metrics = lake_rows(
        settings, "SELECT count(*) FROM (SELECT DISTINCT report_id, scope, metric "
        "FROM silver.report_metrics) HAVING count(*) < (SELECT count(*) FROM silver.report_metrics)")
    assert metrics == [], "a metric row was loaded twice"


def gold_counts(settings: Settings) -> dict[str, int]:
    """Row count of every gold table in the lake (what analysts read)."""
    with connect(settings, read_only=True) as con:
        tables = [name for (name,) in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = 'lake' "
            "AND schema_name = 'gold'").fetchall()]
        return {table: con.execute(f"SELECT count(*) FROM gold.{table}").fetchone()[0]
                for table in tables}


def gold_rows(settings: Settings) -> dict[str, list[tuple]]:
    """Every row of every gold table, sorted, floats to 12 significant digits (to compare two
    lakes' gold): sums of fractional values (万元 amounts) depend on the order DuckDB scans the
    rows in, which the lake's file layout decides (159.32 against 159.32000000000002)."""
    with connect(settings, read_only=True) as con:
        return {table: sorted((_rounded(row) for row in con.execute(f"FROM gold.{table}").fetchall()),
                              key=repr)
                for table in gold_counts(settings)}


def _rounded(row: tuple) -> tuple:
    return tuple(float(f"{value:.12g}") if isinstance(value, float) else value for value in row)


@contextmanager
def own_s3(tmp_path: Path, base: Settings, **changes) -> Iterator[Settings]:
    """A SeaweedFS server of this test alone (its own port, data and, optionally, credentials)."""
    settings = dataclasses.replace(base, lake_dir=tmp_path / "own-lake", bucket="nianbao",
                                   s3_port=free_port(), **changes)
    settings.lake_dir.mkdir(parents=True)
    with embedded_s3(settings) as ready:
        yield ready


def kill_s3(settings: Settings) -> None:
    """SIGKILL the embedded server of this lake (found by its data directory), as a crash would."""
    marker = f"-dir={settings.lake_dir / 'seaweed' / 'data'}".encode()
    for proc in Path("/proc").iterdir():
        try:
            argv = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if proc.name.isdigit() and marker in argv:
            os.killpg(int(proc.name), signal.SIGKILL)
            return
    raise AssertionError(f"no SeaweedFS process serves {settings.lake_dir}")


def point_env(monkeypatch, settings: Settings) -> None:
    """Make `load_settings()` in this process resolve to `settings` (lake, bucket, server, keys)."""
    for name, value in child_env(settings).items():
        if name.startswith("NIANBAO_"):
            monkeypatch.setenv(name, value)
    monkeypatch.delenv("NIANBAO_S3_ENDPOINT", raising=False)
