"""The S3 module and the embedded SeaweedFS server, for real."""

from __future__ import annotations

import dataclasses
import json

import pytest

from infra import s3
from infra.seaweed import S3ServerError, embedded_s3, free_port, port_open
from pipelines.quarantine import quarantine


def test_round_trip_with_awkward_keys(lake_settings):
    key = "landing/子目录/报告 2019 (修订).txt"
    etag = s3.put_bytes(lake_settings, key, "政府信息公开".encode())
    info = s3.head(lake_settings, key)
    assert info is not None and info.etag == etag and info.size == len("政府信息公开".encode())
    assert s3.get_bytes(lake_settings, key).decode() == "政府信息公开"
    assert [o.key for o in s3.list_objects(lake_settings, "landing/")] == [key]


def test_head_of_missing_object_is_none(lake_settings):
    assert s3.head(lake_settings, "landing/nothing-here.txt") is None


def test_quarantine_moves_object_and_writes_reason(lake_settings):
    s3.put_bytes(lake_settings, "landing/bad.txt", b"\x00\x01")
    target = quarantine(lake_settings, "landing/bad.txt", "binary garbage, not text")
    assert target == "quarantine/bad.txt"
    assert s3.head(lake_settings, "landing/bad.txt") is None
    assert s3.get_bytes(lake_settings, target) == b"\x00\x01"
    note = json.loads(s3.get_bytes(lake_settings, target + ".reason.json"))
    assert note["reason"] == "binary garbage, not text" and note["source_key"] == "landing/bad.txt"


def test_second_server_on_a_busy_port_is_refused(s3_server, tmp_path):
    clash = dataclasses.replace(s3_server, lake_dir=tmp_path)
    with pytest.raises(S3ServerError, match="already in use"), embedded_s3(clash):
        pass


def test_embedded_server_starts_creates_bucket_and_stops(s3_server, tmp_path):
    own = dataclasses.replace(s3_server, lake_dir=tmp_path, s3_port=free_port(), bucket="fresh")
    with embedded_s3(own):
        s3.put_bytes(own, "k", b"v")
        assert s3.get_bytes(own, "k") == b"v"
        assert (tmp_path / "seaweed" / "data").is_dir()
    assert not port_open(own.s3_port)


def test_get_if_exists_reads_an_object_or_says_there_is_none(lake_settings):
    s3.put_bytes(lake_settings, "present.txt", "年报".encode())
    assert s3.get_if_exists(lake_settings, "present.txt").decode() == "年报"
    assert s3.get_if_exists(lake_settings, "absent.txt") is None
