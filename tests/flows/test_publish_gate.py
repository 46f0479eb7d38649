"""Write–audit–publish through the flows: a blocking failure keeps the previous gold as it was."""

from __future__ import annotations

import duckdb
import pytest

from environment.settings import PROJECT_ROOT
from flows.lakehouse import lakehouse
from flows.publish import PublishBlocked, publish
from flows.transform import transform
from infra import s3
from pipelines import bronze, silver

SAMPLES = sorted((PROJECT_ROOT / "samples").glob("*.txt"))

pytestmark = pytest.mark.e2e


def _published_state(settings):
    with duckdb.connect(str(settings.published_db_path), read_only=True) as con:
        snapshot = con.execute("SELECT snapshot_id FROM gold._publish").fetchone()[0]
        rows = con.execute("SELECT * FROM gold.region_year_metrics ORDER BY ALL").fetchall()
    return snapshot, rows


def _load_broken_report(settings) -> None:
    """A report whose load went wrong (a negative count), through the real silver load."""
    s3.put_bytes(settings, "inbox/broken.txt", "唐山市".encode(), "text/plain")
    metrics = [{"scope": "whole", "metric": name, "value": value, "unit": "件", "evidence": str(value)}
               for name, value in (("applications_new", -7), ("processed_total", 3), ("granted", 1))]
    record = {"region": "唐山市", "region_code": "130200", "province": "河北省",
              "province_code": "130000", "level": "city", "report_year": 2020,
              "publication_date": "2021-03-01", "template": "2019", "issuer": "唐山市人民政府",
              "metrics": metrics}
    silver.load_reports(settings, [(bronze.fetch(settings, "inbox/broken.txt"), record)])


def test_blocking_failure_stops_publish_and_keeps_previous_gold(prefect_harness, lake_env):
    lakehouse(SAMPLES)
    before = _published_state(lake_env)
    bytes_before = lake_env.published_db_path.read_bytes()
    # A count below zero can only come from a broken load: the audit must block it.
    _load_broken_report(lake_env)
    transform()
    with pytest.raises(PublishBlocked, match="blocking data-quality failures; previous gold kept"):
        publish()
    assert _published_state(lake_env) == before
    assert lake_env.published_db_path.read_bytes() == bytes_before
    with duckdb.connect(str(lake_env.warehouse_path), read_only=True) as con:
        blocked = con.execute(
            "SELECT count(*) FROM audit.dq_results WHERE severity = 'blocking' AND status = 'failed' "
            "AND expectation LIKE '%non_negative%'"
        ).fetchone()[0]
    assert blocked >= 1
    # Blocked reports keep blocking: the next publish audits nothing new, yet must not go out.
    with pytest.raises(PublishBlocked):
        publish()
    assert _published_state(lake_env) == before
