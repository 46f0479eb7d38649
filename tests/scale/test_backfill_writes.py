"""The backfill's writer: it writes in batches of WRITE_EVERY parsed objects, then the rest."""

from __future__ import annotations

import pytest

from flows import ingest
from tests.reliability.lakes import land_synth

pytestmark = pytest.mark.e2e


def test_backfill_writes_every_write_every_objects_then_the_rest(prefect_harness, lake_env,
                                                                  monkeypatch, tmp_path):
    landed = land_synth(lake_env, 13, tmp_path / "synth")
    sizes, write = [], ingest._write
    monkeypatch.setattr(ingest, "WRITE_EVERY", 5)
    monkeypatch.setattr(ingest, "_write", lambda settings, objects, parse: (
        sizes.append(len(objects)), write(settings, objects, parse))[1])

    results = ingest.backfill("landing/", batch_size=2)

    # Batches of 2: a write once 6 are buffered (>= 5), again at 12, then the last object.
    assert sizes == [6, 6, 1]
    assert sorted(r.key for r in results) == sorted(landed)
    assert {r.outcome for r in results} == {"loaded"}
