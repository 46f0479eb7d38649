"""The lean signed GET/PUT path against the real embedded SeaweedFS, side by side with boto3."""

from __future__ import annotations

import dataclasses
import gzip
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from botocore.exceptions import ClientError

from infra import s3, s3_http
from infra.seaweed import embedded_s3
from tests.reliability.lakes import kill_s3, own_s3

AWKWARD_KEYS = [
    "landing/子目录/报告 2019 (修订).txt",
    "landing/a+b c%20d#part?x=1&y=2.txt",
    "landing/河北省/石家庄市 政府信息公开 工作年度报告 100%.html",
    "landing/odd~chars;=@$!'*,[]{}^`|.txt",
]


def _pool_connections(settings) -> int:
    """How many connections the lean path's pool has opened (a leaked one makes it open more)."""
    return s3_http._endpoint(settings).pool.num_connections


@pytest.mark.parametrize("key", AWKWARD_KEYS)
def test_awkward_keys_mean_the_same_object_on_both_paths(lake_settings, key):
    boto = s3.client(lake_settings)
    lean_etag = s3.put_bytes(lake_settings, key, "政府信息公开 lean".encode())
    written = boto.get_object(Bucket=lake_settings.bucket, Key=key)
    assert written["Body"].read().decode() == "政府信息公开 lean"
    assert written["ETag"].strip('"') == lean_etag
    assert [o.key for o in s3.list_objects(lake_settings, "landing/")] == [key]

    boto_etag = boto.put_object(Bucket=lake_settings.bucket, Key=key, Body="年报 boto3".encode())["ETag"]
    info, data = s3.get_unless_larger(lake_settings, key, 1000)
    assert data.decode() == "年报 boto3" and info.etag == boto_etag.strip('"') and info.key == key
    assert s3.get_bytes(lake_settings, key) == s3.get_if_exists(lake_settings, key) == data


def test_empty_object_round_trip(lake_settings):
    etag = s3.put_bytes(lake_settings, "landing/empty.txt", b"")
    info, data = s3.get_unless_larger(lake_settings, "landing/empty.txt", 10)
    assert (info.size, info.etag, data) == (0, etag, b"")


def test_content_type_is_kept_and_defaults_like_boto3(lake_settings):
    markdown = "text/markdown; charset=utf-8"
    s3.put_bytes(lake_settings, "typed.md", "# 年报".encode(), markdown)
    assert s3.head(lake_settings, "typed.md").content_type == markdown
    assert s3.get_unless_larger(lake_settings, "typed.md", 100)[0].content_type == markdown
    s3.put_bytes(lake_settings, "untyped-lean", b"x")
    s3.client(lake_settings).put_object(Bucket=lake_settings.bucket, Key="untyped-boto", Body=b"x")
    untyped = [s3.head(lake_settings, key).content_type for key in ("untyped-lean", "untyped-boto")]
    assert untyped[0] == untyped[1]


def test_stored_bytes_come_back_as_stored_even_when_gzip_encoded(lake_settings):
    packed = gzip.compress("政府信息公开".encode() * 50)
    s3.client(lake_settings).put_object(
        Bucket=lake_settings.bucket, Key="packed.txt", Body=packed, ContentEncoding="gzip")
    assert s3.get_bytes(lake_settings, "packed.txt") == packed


def test_object_over_the_limit_comes_back_unread_and_the_pool_stays_healthy(lake_settings):
    big = bytes(range(256)) * 4096  # 1 MiB
    s3.put_bytes(lake_settings, "big.bin", big)
    s3.put_bytes(lake_settings, "small.txt", b"small")
    opened = _pool_connections(lake_settings)
    for _ in range(5):
        info, data = s3.get_unless_larger(lake_settings, "big.bin", len(big) - 1)
        assert data is None and info.size == len(big) and info.etag
        # The connection the refused body was on is reused (reconnected), never a leaked new one.
        assert s3.get_unless_larger(lake_settings, "small.txt", 100)[1] == b"small"
    assert _pool_connections(lake_settings) == opened
    assert s3.get_unless_larger(lake_settings, "big.bin", len(big))[1] == big


def test_missing_object_is_none_and_a_missing_bucket_is_an_error(lake_settings):
    assert s3.get_if_exists(lake_settings, "landing/nothing-here.txt") is None
    assert s3.get_unless_larger(lake_settings, "landing/nothing-here.txt", 100) is None
    with pytest.raises(ClientError) as missing:
        s3.get_bytes(lake_settings, "landing/nothing-here.txt")
    assert missing.value.response["Error"]["Code"] == "NoSuchKey"
    no_bucket = dataclasses.replace(lake_settings, bucket="no-such-bucket-here")
    with pytest.raises(ClientError) as gone:
        s3.get_if_exists(no_bucket, "anything")
    assert gone.value.response["Error"]["Code"] == "NoSuchBucket"


def test_wrong_secret_key_is_refused_with_a_clear_error(lake_settings):
    s3.put_bytes(lake_settings, "present.txt", b"x")
    wrong = dataclasses.replace(lake_settings, s3_secret_key="wrong-" + lake_settings.s3_secret_key)
    for attempt, operation in ((lambda: s3.get_if_exists(wrong, "present.txt"), "GetObject"),
                               (lambda: s3.put_bytes(wrong, "other.txt", b"y"), "PutObject")):
        with pytest.raises(ClientError) as refused:
            attempt()
        error = refused.value
        assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 403
        assert error.response["Error"]["Code"] == "SignatureDoesNotMatch"
        assert operation in str(error) and lake_settings.s3_secret_key not in str(error)
    assert s3.get_if_exists(lake_settings, "other.txt") is None


def test_eight_threads_share_one_pool(lake_settings):
    def round_trip(n: int) -> bytes:
        key = f"landing/并发/{n} 号.txt"
        s3.put_bytes(lake_settings, key, f"报告 {n}".encode() * 500)
        return s3.get_unless_larger(lake_settings, key, 1 << 20)[1]

    opened_before = _pool_connections(lake_settings)  # the pool is the endpoint's, shared by earlier tests
    with ThreadPoolExecutor(s3.CONCURRENT_REQUESTS) as pool:
        got = list(pool.map(round_trip, range(80)))
    assert got == [f"报告 {n}".encode() * 500 for n in range(80)]
    assert _pool_connections(lake_settings) - opened_before <= s3_http.POOL_CONNECTIONS


def test_requests_during_a_server_restart_are_retried(s3_server, tmp_path):
    outcome: dict = {}
    with own_s3(tmp_path, s3_server) as settings:
        s3.put_bytes(settings, "landing/before.txt", "重启前".encode())

        def requests_while_down() -> None:
            outcome["etag"] = s3.put_bytes(settings, "landing/during.txt", "重启中".encode())
            outcome["read"] = s3.get_bytes(settings, "landing/before.txt").decode()

        kill_s3(settings)
        worker = threading.Thread(target=requests_while_down)
        worker.start()
        time.sleep(3.0)
        assert worker.is_alive(), "the requests gave up while the server was down"
        with embedded_s3(settings):  # same port, same data directory
            worker.join(120)
            assert not worker.is_alive(), "the requests did not go through after the restart"
            assert outcome["read"] == "重启前"
            assert s3.head(settings, "landing/during.txt").etag == outcome["etag"]
