"""Bronze ledger and silver supersession in a real lake: SeaweedFS, a DuckLake catalog, real dlt."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest

from infra import s3
from lakehouse.helpers import land, query, report_record
from pipelines import bronze, loader, promote, silver, writer
from pipelines.lake import connect


def _ledger(settings):
    return query(settings, "SELECT key, etag, outcome, reason FROM bronze.objects ORDER BY received_at, key")


def _reports(settings):
    return query(
        settings,
        "SELECT report_id, source_key, is_current, superseded_by, loaded_at FROM silver.reports "
        "ORDER BY source_key",
    )


def test_same_file_twice_is_one_report_and_one_ledger_entry(lake_settings):
    obj = land(lake_settings, "inbox/a.txt", "保定市 2020 年报")
    for _ in range(2):
        writer.load_reports(lake_settings, [(obj, report_record())])
    assert _ledger(lake_settings) == [("inbox/a.txt", obj.etag, "loaded", None)]
    assert [row[:4] for row in _reports(lake_settings)] == [(obj.sha256, "inbox/a.txt", True, None)]
    assert s3.get_bytes(lake_settings, bronze.object_key(obj.sha256)) == obj.data


def test_same_bytes_under_another_key_is_a_duplicate(lake_settings):
    first = land(lake_settings, "inbox/a.txt", "same bytes")
    writer.write(lake_settings, [(first, "loaded", None)])
    again = land(lake_settings, "inbox/copy-of-a.txt", "same bytes")
    assert bronze.known_sha256(lake_settings, [again.sha256, "0" * 64]) == {again.sha256: "loaded"}
    written = writer.write(lake_settings, [(again, "loaded", None)])
    assert written == {"inbox/copy-of-a.txt": ("duplicate", "same content as inbox/a.txt")}
    assert [row[2] for row in _ledger(lake_settings)] == ["loaded", "duplicate"]


def test_oversized_object_is_refused_before_reading(lake_settings):
    s3.put_bytes(lake_settings, "inbox/big.txt", b"x" * 64)
    small_limit = dataclasses.replace(lake_settings, max_file_bytes=16)
    refused = bronze.fetch(small_limit, "inbox/big.txt")
    assert refused.data == b"" and refused.size == 64
    assert refused.refused == (
        "the file is 64 bytes, over the 16 bytes size limit (NIANBAO_MAX_FILE_BYTES), so it was not read"
    )


def test_corrected_reupload_supersedes_and_keeps_history(lake_settings):
    old = land(lake_settings, "inbox/v1.txt", "first version")
    writer.load_reports(lake_settings, [(old, report_record(granted=5))])
    new = land(lake_settings, "inbox/v2.txt", "corrected version")
    assert writer.load_reports(lake_settings, [(new, report_record(granted=6))]) == [new.sha256]
    rows = {row[0]: row[2:4] for row in _reports(lake_settings)}
    assert rows == {old.sha256: (False, new.sha256), new.sha256: (True, None)}
    granted = query(
        lake_settings,
        "SELECT report_id, value FROM silver.report_metrics WHERE metric = 'granted' ORDER BY value",
    )
    assert granted == [(old.sha256, 5.0), (new.sha256, 6.0)]


def test_rebuild_from_bronze_twice_gives_the_same_silver(lake_settings):
    objects = [land(lake_settings, f"inbox/{n}.txt", f"report {n}") for n in ("v1", "v2", "other")]
    records = {
        "inbox/v1.txt": report_record(granted=1), "inbox/v2.txt": report_record(granted=2),
        "inbox/other.txt": report_record(region="唐山市", region_code="130200", issuer="唐山市人民政府"),
    }
    writer.load_reports(lake_settings, [(obj, records[obj.key]) for obj in objects])
    before = _reports(lake_settings)

    def parse(data: bytes, key: str) -> dict:
        return records[key]

    results = [writer.rebuild_silver(lake_settings, parse) for _ in range(2)]
    assert results[0] == results[1] == silver.RebuildResult(reports=3)
    assert _reports(lake_settings) == before
    assert [row[1:3] for row in before] == [
        ("inbox/other.txt", True), ("inbox/v1.txt", False), ("inbox/v2.txt", True)
    ]


@pytest.mark.parametrize("bulk", [False, True], ids=["from memory", "staged by dlt"])
def test_a_batch_decides_duplicates_within_itself_and_against_the_ledger(lake_settings, bulk):
    earlier = land(lake_settings, "inbox/earlier.txt", "known bytes")
    writer.write(lake_settings, [(earlier, "loaded", None)])
    twin_a = land(lake_settings, "inbox/twin-a.txt", "twin bytes")
    twin_b = land(lake_settings, "inbox/twin-b.txt", "twin bytes")
    known = land(lake_settings, "inbox/known.txt", "known bytes")
    bad = land(lake_settings, "inbox/bad.txt", "not a report")
    entries = [(twin_a, "loaded", None), (twin_b, "loaded", None), (known, "loaded", None),
               (bad, "quarantined", "no table found"), (twin_a, "loaded", None)]
    rows = silver.rows_for([(twin_a, report_record())])
    outcomes = writer.write(lake_settings, entries, rows, "test", bulk=bulk)
    assert outcomes == {
        "inbox/twin-a.txt": ("loaded", None),
        "inbox/twin-b.txt": ("duplicate", "same content as inbox/twin-a.txt"),
        "inbox/known.txt": ("duplicate", "same content as inbox/earlier.txt"),
        "inbox/bad.txt": ("quarantined", "no table found"),
    }
    assert len(_ledger(lake_settings)) == 5
    assert [row[:3] for row in _reports(lake_settings)] == [(twin_a.sha256, "inbox/twin-a.txt", True)]
    assert not list(loader.staging_root(lake_settings).glob("*")), "staged files are removed"


def test_a_staged_batch_missing_rows_is_not_promoted(lake_settings):
    obj = land(lake_settings, "inbox/a.txt", "a")
    tables = {"objects": bronze.ledger_table([(obj, "loaded", None)], "test")}
    batch = loader.stage(lake_settings, "partial", tables)
    short = dataclasses.replace(batch, counts={"objects": 2})  # as if one row never arrived
    with connect(lake_settings) as con, pytest.raises(promote.StagingIncomplete, match="hold 1 rows"):
        promote.promote(con, short)
    assert _ledger(lake_settings) == []


def test_a_delivery_proposed_as_duplicate_never_counts_as_the_first(lake_settings):
    # A writer saw these bytes in the ledger hint and proposed the earlier-landed key as a duplicate;
    # the later key carries the parse. Whatever the order, the content must load once.
    earlier = land(lake_settings, "inbox/earlier.txt", "same report")
    later = dataclasses.replace(land(lake_settings, "inbox/later.txt", "same report"),
                                received_at=earlier.received_at + timedelta(seconds=1))
    entries = [(earlier, "duplicate", "same bytes already loaded"), (later, "loaded", None)]
    outcomes = writer.write(lake_settings, entries, silver.rows_for([(later, report_record())]))
    assert outcomes["inbox/later.txt"] == ("loaded", None)
    assert outcomes["inbox/earlier.txt"] == ("duplicate", "same content as inbox/later.txt")
    assert [row[0] for row in _reports(lake_settings)] == [later.sha256]
