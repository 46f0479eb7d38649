"""Builders shared by the lakehouse tests: landed objects in the test bucket and parser-like records."""

from __future__ import annotations

from environment.settings import Settings
from infra import s3
from pipelines import bronze
from pipelines.lake import connect


def land(settings: Settings, key: str, text: str) -> bronze.LandedObject:
    """Upload text under key (as the outside world would) and fetch it as a landed object."""
    s3.put_bytes(settings, key, text.encode("utf-8"), "text/plain")
    return bronze.fetch(settings, key)


def report_record(
    region: str = "保定市", region_code: str = "130600", level: str = "city", year: int = 2020,
    issuer: str = "保定市人民政府", scope: str = "whole", **metrics: float,
) -> dict:
    """A record shaped like the parser's JSON contract (metrics default to a small set)."""
    metrics = metrics or {"applications_new": 10, "processed_total": 8, "granted": 5}
    return {
        "file": f"{region}-{year}.txt", "region": region, "region_code": region_code,
        "province": "河北省", "province_code": "130000", "level": level, "report_year": year,
        "publication_date": f"{year + 1}-03-01", "template": "2019", "issuer": issuer,
        "metrics": [
            {"scope": scope, "metric": name, "value": value, "unit": "件", "evidence": f"{name} {value}"}
            for name, value in metrics.items()
        ],
    }


def query(settings: Settings, sql: str) -> list[tuple]:
    """Rows of a query on the test's warehouse, opened read-only."""
    with connect(settings, read_only=True) as con:
        return con.execute(sql).fetchall()
