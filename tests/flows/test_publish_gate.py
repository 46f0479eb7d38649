"""Write–audit–publish through the flows: a blocking failure keeps the previous gold as it was."""

from __future__ import annotations

import duckdb
import pytest

from flows.lakehouse import lakehouse
from flows.publish import PublishBlocked, publish
from flows.transform import transform
from nianbao.settings import PROJECT_ROOT

SAMPLES = sorted((PROJECT_ROOT / "samples").glob("*.txt"))

pytestmark = pytest.mark.e2e


def _published_state(settings):
    with duckdb.connect(str(settings.published_db_path), read_only=True) as con:
        snapshot = con.execute("SELECT snapshot_id FROM gold._publish").fetchone()[0]
        rows = con.execute("SELECT * FROM gold.region_year_metrics ORDER BY ALL").fetchall()
    return snapshot, rows


def test_blocking_failure_stops_publish_and_keeps_previous_gold(prefect_harness, lake_env):
    lakehouse(SAMPLES)
    before = _published_state(lake_env)
    bytes_before = lake_env.published_db_path.read_bytes()
    # A count below zero can only come from a broken load: the audit must block it.
    with duckdb.connect(str(lake_env.warehouse_path)) as con:
        con.execute("UPDATE silver.report_metrics SET value = -7 WHERE metric = 'applications_new'")
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
    assert blocked >= 5
