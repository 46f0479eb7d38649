"""The audit over real reports of the dev corpus, parsed by the real parser (skips without ../shared)."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from expectations.audit import run_audit
from flows.ingest import write_objects
from pipelines.bronze import LandedObject


def _landed(settings, name: str, data: bytes) -> LandedObject:
    return LandedObject(
        bucket=settings.bucket, key=f"landing/{name}", etag=hashlib.md5(data).hexdigest(),
        sha256=hashlib.sha256(data).hexdigest(), size=len(data), content_type=None,
        received_at=datetime.now(UTC), data=data,
    )


def test_hongze_2023_review_totals_printed_as_zero_are_found(lake_settings, dev_corpus):
    pdf = dev_corpus / "pdf" / "001.pdf"
    results = write_objects(lake_settings, [_landed(lake_settings, "001.pdf", pdf.read_bytes())])
    assert [r.outcome for r in results] == ["loaded"]
    outcome = run_audit(lake_settings)
    found = {(r.expectation, r.region, r.report_year) for r in outcome.warnings}
    assert ("balance.reconsideration_parts", "淮安市洪泽区", 2023) in found
    finding = next(r for r in outcome.warnings if r.expectation == "balance.reconsideration_parts")
    assert "= 11" in finding.observed and "0" in finding.expected
    assert outcome.publishable  # kept as stated, flagged, not blocked
