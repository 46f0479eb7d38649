"""The single-object GET/PUT fast path (obstore) against the real embedded SeaweedFS, beside boto3."""

from __future__ import annotations

import dataclasses
import gzip
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import psutil
import pytest
from botocore.exceptions import ClientError

from infra import s3, s3_obstore
from infra.seaweed import embedded_s3
from tests.infra.s3_front import S3Front
from tests.reliability.lakes import kill_s3, own_s3

AWKWARD_KEYS = [
    "landing/子目录/报告 2019 (修订).txt",
    "landing/a+b c%20d#part?x=1&y=2.txt",
    "landing/河北省/石家庄市 政府信息公开 工作年度报告 100%.html",
    "landing/odd~chars;=@$!'*,[]{}^`|.txt",
    "landing/.hidden/...txt",
    # Control characters: obstore refuses them, so these go through boto3.
    "landing/tab\there.txt",
    "landing/bell\x07.txt",
]


def _connections(settings) -> int:
    """TCP connections this process holds open to the S3 server (a leaked one makes more)."""
    return sum(1 for c in psutil.Process().net_connections("tcp")
               if c.raddr and c.raddr.port == settings.s3_port and c.status == psutil.CONN_ESTABLISHED)


def _bytes_received() -> int:
    """Bytes this process has read from files and sockets so far (every thread)."""
    return psutil.Process().io_counters().read_chars


@pytest.mark.parametrize(("key", "fast"), [
    ("landing/报告 2019.txt", True), ("landing/.hidden/...txt", True), ("a", True),
    ("landing/", False), ("/landing/a.txt", False), ("landing//a.txt", False),
    ("landing/./a.txt", False), ("landing/../a.txt", False), ("landing/tab\t.txt", False), ("", False),
])
def test_only_keys_obstore_keeps_as_they_are_take_the_fast_path(key, fast):
    assert s3_obstore.sendable(key) is fast


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


def test_object_over_the_limit_comes_back_unread_and_no_connection_leaks(lake_settings):
    big = bytes(range(256)) * 4096 * 8  # 8 MiB
    s3.put_bytes(lake_settings, "big.bin", big)
    s3.put_bytes(lake_settings, "small.txt", b"small")
    opened, received = _connections(lake_settings), _bytes_received()
    for _ in range(5):
        info, data = s3.get_unless_larger(lake_settings, "big.bin", len(big) - 1)
        assert data is None and info.size == len(big) and info.etag
        # The connection the refused body was on is dropped, the next request opens another.
        assert s3.get_unless_larger(lake_settings, "small.txt", 100)[1] == b"small"
    assert _bytes_received() - received < len(big), "refused bodies were downloaded"
    assert _connections(lake_settings) <= opened + 1
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


def test_many_threads_keep_a_bounded_pool_of_connections(lake_settings):
    def round_trip(n: int) -> bytes:
        key = f"landing/并发/{n} 号.txt"
        s3.put_bytes(lake_settings, key, f"报告 {n}".encode() * 500)
        return s3.get_unless_larger(lake_settings, key, 1 << 20)[1]

    opened_before = _connections(lake_settings)  # boto3's, and earlier tests' idle ones
    with ThreadPoolExecutor(2 * s3_obstore.POOL_CONNECTIONS) as pool:
        got = list(pool.map(round_trip, range(160)))
    assert got == [f"报告 {n}".encode() * 500 for n in range(160)]
    assert _connections(lake_settings) - opened_before <= s3_obstore.POOL_CONNECTIONS


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


def test_transient_errors_are_retried_and_refusals_are_not(lake_settings):
    with S3Front(lake_settings.s3_port) as front:
        through = dataclasses.replace(lake_settings, s3_endpoint=front.url)
        front.fail_next(2, 503, "SlowDown")
        front.fail_next(2, 400, "RequestTimeout")  # S3 gave up waiting for the body: send it again
        front.fail_next(1, 500, "InternalError")
        etag = s3.put_bytes(through, "landing/retried.txt", "年报".encode())
        assert len(front.seen) == 6 and s3.head(lake_settings, "landing/retried.txt").etag == etag
        front.fail_next(1, 403, "AccessDenied")
        with pytest.raises(ClientError) as refused:
            s3.get_bytes(through, "landing/retried.txt")
        assert refused.value.response["Error"]["Code"] == "AccessDenied" and len(front.seen) == 7


def test_the_fast_path_goes_through_the_proxy_the_environment_names(lake_settings, monkeypatch):
    with S3Front(lake_settings.s3_port) as proxy:
        for name in ("NO_PROXY", "no_proxy", "http_proxy"):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        # Spelled "localhost", the endpoint has a store of its own, made with the proxy set.
        proxied = dataclasses.replace(lake_settings, s3_endpoint=f"http://localhost:{lake_settings.s3_port}")
        s3.put_bytes(proxied, "landing/via-proxy.txt", b"proxied")
        assert s3.get_bytes(proxied, "landing/via-proxy.txt") == b"proxied"
    url = f"http://localhost:{lake_settings.s3_port}/{lake_settings.bucket}/landing/via-proxy.txt"
    assert proxy.seen == [("PUT", url), ("GET", url)]


def test_a_forked_child_reads_and_writes_through_boto3(lake_settings):
    s3.put_bytes(lake_settings, "landing/parent.txt", b"from the parent")  # obstore's runtime is running
    parent_client = s3.client(lake_settings)  # with a pooled connection (the bucket was made through it)
    readable, writable = os.pipe()
    child = os.fork()
    if child == 0:  # obstore's runtime did not come along: it would hang here
        try:
            if s3.client(lake_settings) is not parent_client:  # not the parent's sockets
                data = s3.get_bytes(lake_settings, "landing/parent.txt")
                os.write(writable, s3.put_bytes(lake_settings, "landing/child.txt", data).encode())
        finally:
            os._exit(0)  # never back into pytest
    os.close(writable)
    deadline = time.monotonic() + 60
    while os.waitpid(child, os.WNOHANG) == (0, 0):
        if time.monotonic() > deadline:
            os.kill(child, 9)
            pytest.fail("the forked child hung on S3")
        time.sleep(0.1)
    etag = os.read(readable, 100).decode()
    os.close(readable)
    assert etag and s3.head(lake_settings, "landing/child.txt").etag == etag
    assert s3.get_bytes(lake_settings, "landing/child.txt") == b"from the parent"
    assert s3.get_bytes(lake_settings, "landing/parent.txt") == b"from the parent"  # obstore, still here
