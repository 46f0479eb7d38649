"""The backfill on a Dask LocalCluster gives the same silver and ledger as the default task runner."""

from __future__ import annotations

import dataclasses
import hashlib
import time
import uuid

import pytest

from environment.settings import load_settings
from flows.ingest import backfill
from flows.scale import backfill_on_dask
from infra import s3
from pipelines import bronze
from pipelines.lake import connect
from pipelines.synth import generate

pytestmark = pytest.mark.e2e

N_REPORTS = 30
SILVER = (
    "SELECT report_id, source_key, region_code, report_year, issuer, is_current, superseded_by, "
    "(SELECT count(*) FROM silver.report_metrics m WHERE m.report_id = r.report_id) AS metrics, "
    "(SELECT sum(value) FROM silver.report_metrics m WHERE m.report_id = r.report_id) AS total "
    "FROM silver.reports r ORDER BY report_id"
)
LEDGER = "SELECT key, etag, sha256, outcome, reason FROM bronze.objects ORDER BY key"


def _snapshot(settings) -> tuple[list, list]:
    with connect(settings, read_only=True) as con:
        return con.execute(SILVER).fetchall(), con.execute(LEDGER).fetchall()


def _land(settings, corpus) -> None:
    for path in sorted((corpus / "reports").iterdir()):
        s3.put_file(settings, f"landing/{path.name}", path)
    # A file no parser can read, and a copy of a report under another key.
    s3.put_bytes(settings, "landing/garbage.txt", bytes(range(256)) * 20)
    first = sorted((corpus / "reports").iterdir())[0]
    s3.put_file(settings, f"landing/copy-{first.name}", first)


def _use_fresh_lake(lake_env, monkeypatch, tmp_path):
    """Point the flows at a second lake and bucket on the same S3 server."""
    other = dataclasses.replace(lake_env, lake_dir=tmp_path / "lake-b", bucket=f"t-{uuid.uuid4().hex[:12]}")
    other.lake_dir.mkdir()
    s3.ensure_bucket(other)
    monkeypatch.setenv("NIANBAO_LAKE_DIR", str(other.lake_dir))
    monkeypatch.setenv("NIANBAO_BUCKET", other.bucket)
    return load_settings()


def test_dask_backfill_matches_the_default_runner(prefect_harness, lake_env, monkeypatch, tmp_path):
    started = time.monotonic()
    corpus = tmp_path / "synth"
    generate(N_REPORTS, corpus, seed=3)
    _land(lake_env, corpus)
    serial = backfill(batch_size=8)
    expected = _snapshot(lake_env)

    dask_lake = _use_fresh_lake(lake_env, monkeypatch, tmp_path)
    _land(dask_lake, corpus)
    on_dask = backfill_on_dask(batch_size=8, n_workers=2, processes=True)
    silver, ledger = _snapshot(dask_lake)

    assert len(expected[0]) == N_REPORTS
    assert silver == expected[0]
    strip_etag = [(key, sha, outcome, reason) for key, _, sha, outcome, reason in ledger]
    assert strip_etag == [(key, sha, outcome, reason) for key, _, sha, outcome, reason in expected[1]]
    assert sorted((r.key, r.outcome) for r in on_dask) == sorted((r.key, r.outcome) for r in serial)
    assert {r.outcome for r in on_dask} == {"loaded", "duplicate", "quarantined"}
    # The workers kept the bytes of every delivery the ledger records as read.
    kept = {sha for _, _, sha, outcome, _ in ledger if outcome != "duplicate"}
    assert {hashlib.sha256(s3.get_bytes(dask_lake, bronze.object_key(sha))).hexdigest()
            for sha in kept} == kept
    assert time.monotonic() - started < 90


def test_second_backfill_reads_nothing_it_has_recorded(prefect_harness, lake_env, monkeypatch, tmp_path):
    generate(5, tmp_path / "synth", seed=4)
    _land(lake_env, tmp_path / "synth")
    backfill()
    reads = []
    real_get = s3.get_unless_larger
    monkeypatch.setattr(s3, "get_unless_larger", lambda settings, key, limit: reads.append(key)
                        or real_get(settings, key, limit))
    again = backfill()
    assert reads == []
    landed = {info.key for info in s3.list_objects(lake_env, "landing/")}
    assert {r.key for r in again} == landed and {r.outcome for r in again} == {"duplicate"}
