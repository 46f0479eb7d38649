"""The S3 module and the embedded SeaweedFS server, for real."""

from __future__ import annotations

import dataclasses
import json
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest

from infra import s3
from infra.seaweed import GRPC_OFFSET, S3ServerError, embedded_s3, free_port, port_open, stop_weed
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


def test_free_ports_are_distinct_bindable_pairs_outside_the_ephemeral_range():
    low = int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    ports = [free_port() for _ in range(50)]
    assert len(set(ports)) == len(ports), "a port was handed out twice"
    for port in ports:
        assert port + GRPC_OFFSET < low, "a port or its gRPC twin may be taken by an outgoing connection"
        for candidate in (port, port + GRPC_OFFSET):
            with socket.socket() as probe:
                probe.bind(("127.0.0.1", candidate))


def test_get_if_exists_reads_an_object_or_says_there_is_none(lake_settings):
    s3.put_bytes(lake_settings, "present.txt", "年报".encode())
    assert s3.get_if_exists(lake_settings, "present.txt").decode() == "年报"
    assert s3.get_if_exists(lake_settings, "absent.txt") is None


def _lingering_server(log_path, script: str) -> subprocess.Popen:
    """A real process group standing in for `weed mini`'s stop: it logs, then acts as `script` says."""
    with open(log_path, "ab") as log:
        return subprocess.Popen(["bash", "-c", script], stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)


def test_a_volume_server_lingering_after_the_filer_stopped_is_killed_soon(tmp_path):
    log_path = tmp_path / "weed.log"
    process = _lingering_server(log_path, "trap 'echo \"  Filer        stopped   1.2s\"' TERM; "
                                          "while true; do sleep 0.1; done")
    time.sleep(0.3)  # let bash install its trap
    started = time.monotonic()
    stop_weed(process, log_path)
    assert process.returncode == -signal.SIGKILL
    assert time.monotonic() - started < 5, "killed about 2 s after the filer stopped, not after 15"


def test_a_server_whose_filer_never_stops_gets_the_whole_grace(tmp_path, monkeypatch):
    monkeypatch.setattr("infra.seaweed.STOP_GRACE_S", 1.5)
    log_path = tmp_path / "weed.log"
    process = _lingering_server(log_path, "trap 'echo still serving' TERM; while true; do sleep 0.1; done")
    time.sleep(0.3)
    started = time.monotonic()
    stop_weed(process, log_path)
    assert process.returncode == -signal.SIGKILL and time.monotonic() - started >= 1.5
