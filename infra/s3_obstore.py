"""Single-object GET and PUT through obstore (Rust's object_store), the backfill's two requests a report.

A report costs a GET (the landed object) and a PUT (its content-addressed copy in bronze). Through
boto3 each request costs about 2 ms of CPU; obstore signs and sends it on its own Rust threads
for a ninth of that (bench/bench_s3.py, docs/benchmarks.md). infra.s3 sends every other request
through boto3 and picks the path; callers see botocore's exceptions on both: S3's
error answers as ClientError (with S3's code and status), a request that still fails after its
retries as S3RequestFailed (a BotoCoreError).
"""

from __future__ import annotations

import os
import random
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache
from pathlib import Path
from typing import TypeVar
from xml.etree import ElementTree

import obstore
from botocore.exceptions import BotoCoreError, ClientError
from obstore.exceptions import BaseError as ObstoreError
from obstore.store import S3Store

from environment.settings import Settings

Reply = TypeVar("Reply")

# About 90 s of retries, what a restart of the S3 server needs (tests/reliability/test_s3_outage.py).
# object_store retries connection errors, timeouts and 5xx itself, waits drawn between 0.5 s and
# twice the last one, at most 20 s; it stops trying once RETRY_SECONDS have passed.
RETRY_SECONDS = 90
RETRY_CONFIG = {
    "max_retries": 100, "retry_timeout": timedelta(seconds=RETRY_SECONDS),
    "backoff": {"init_backoff": timedelta(seconds=0.5), "max_backoff": timedelta(seconds=20), "base": 2},
}
# Idle connections kept open per store, as many as boto3 pools (at least infra.s3.CONCURRENT_REQUESTS).
POOL_CONNECTIONS = 10
# boto3's timeouts as infra.s3 sets them (5 s to connect, 60 s without a byte), and a bound on a
# whole request long enough for a 50 MB file on a slow link.
CLIENT_OPTIONS = {"connect_timeout": timedelta(seconds=5), "read_timeout": timedelta(seconds=60),
                  "timeout": timedelta(minutes=10), "pool_max_idle_per_host": str(POOL_CONNECTIONS)}
# object_store's paths drop a leading or trailing slash and refuse empty, "." and ".." segments
# and ASCII control characters; keys like those go through boto3, which sends any key as it is.
_SEGMENT = r"(?!\.\.?(?:/|$))[^/\x00-\x1f\x7f]+"
PLAIN_KEY = re.compile(rf"{_SEGMENT}(?:/{_SEGMENT})*")
# obstore's message for an error answer: "... status code: 403 Forbidden: <S3's XML>".
STATUS = re.compile(r"non-2xx status code: (\d{3})[^:]*: (.*?)(?:\n\nDebug source:|\Z)", re.DOTALL)
# The process whose obstore runtime (tokio) is running: it does not survive a fork.
_runtime_pid: int | None = None


class S3RequestFailed(BotoCoreError):
    """A request that got no answer from S3 (or only errors) through all its retries."""

    fmt = "S3 request failed after its retries: {error}"


@dataclass(frozen=True)
class Fetched:
    """One GET's answer: the object's metadata, and its bytes unless they were over the limit."""

    etag: str
    size: int
    content_type: str | None
    data: bytes | None


def sendable(key: str) -> bool:
    """True when obstore can send a request about this key as boto3 would: a plain key, and no
    obstore runtime inherited from a parent process (a forked copy would hang on it)."""
    return _runtime_pid in (None, os.getpid()) and PLAIN_KEY.fullmatch(key) is not None


def put_object(settings: Settings, key: str, data: bytes, content_type: str | None = None) -> str:
    """Store bytes under key with one PUT; returns the object's ETag (quotes stripped)."""
    attributes = {"Content-Type": content_type} if content_type else None
    # One PUT whatever the size (no multipart upload): its ETag is the MD5 boto3's PUT gets.
    reply = _request("PutObject", lambda: obstore.put(
        _store(settings), key, data, attributes=attributes, use_multipart=False))
    return reply["e_tag"].strip('"')


def get_object(settings: Settings, key: str, max_bytes: int | None = None) -> Fetched:
    """One GET: the object's metadata and bytes, or no bytes when it is over max_bytes (the body is
    then dropped unread with its connection). Raises ClientError (NoSuchKey when there is none)."""

    def fetch() -> Fetched:
        reply = obstore.get(_store(settings), key)
        meta = reply.meta  # built anew on every access
        data = reply.bytes().to_bytes() if max_bytes is None or meta["size"] <= max_bytes else None
        return Fetched(meta["e_tag"].strip('"'), meta["size"], reply.attributes.get("Content-Type"), data)

    return _request("GetObject", fetch)


def _store(settings: Settings) -> S3Store:
    global _runtime_pid
    _runtime_pid = os.getpid()
    return _store_for(settings.endpoint_url, settings.bucket, settings.s3_access_key,
                      settings.s3_secret_key, settings.s3_region)


@lru_cache(maxsize=32)
def _store_for(endpoint: str, bucket: str, access_key: str, secret_key: str, region: str) -> S3Store:
    """One store (one connection pool) per endpoint, bucket and credentials. Its HTTP client
    reads HTTP_PROXY, HTTPS_PROXY and NO_PROXY itself; a private CA comes from AWS_CA_BUNDLE, as
    in boto3."""
    options = CLIENT_OPTIONS | {"allow_http": endpoint.startswith("http://")}
    if os.environ.get("AWS_CA_BUNDLE"):
        options["root_certificate"] = Path(os.environ["AWS_CA_BUNDLE"]).read_text()
    return S3Store(bucket, endpoint=endpoint, region=region, access_key_id=access_key,
                   secret_access_key=secret_key, virtual_hosted_style_request=False,
                   client_options=options, retry_config=RETRY_CONFIG)


def _request(operation: str, call: Callable[[], Reply]) -> Reply:
    """The call's result, S3's errors raised as ClientError. A 400 RequestTimeout (S3 gave up
    waiting for the request) is retried here, as botocore does; object_store does not."""
    started, attempt = time.monotonic(), 0
    while True:
        try:
            with _as_botocore_errors(operation):
                return call()
        except ClientError as error:
            transient = error.response["Error"]["Code"] == "RequestTimeout"
            if not transient or time.monotonic() - started > RETRY_SECONDS:
                raise
        attempt += 1
        time.sleep(min(20.0, 0.5 * 2**attempt) * random.uniform(0.5, 1.0))


@contextmanager
def _as_botocore_errors(operation: str) -> Iterator[None]:
    try:
        yield
    except (ObstoreError, OSError) as error:
        message = str(error)
        answer = STATUS.search(message)
        if answer is None:
            raise S3RequestFailed(error=message.split("\n\nDebug source:")[0]) from error
        raise _client_error(operation, int(answer.group(1)), answer.group(2).strip()) from error


def _client_error(operation: str, status: int, body: str) -> ClientError:
    """S3's error answer as botocore's ClientError, with the code and message it gave."""
    code, message = str(status), ""
    try:
        error = ElementTree.fromstring(body)
        code, message = error.findtext("Code") or code, error.findtext("Message") or message
    except ElementTree.ParseError:
        pass  # no XML body (or not S3's): the HTTP status stands in, as botocore does
    answer = {"Error": {"Code": code, "Message": message},
              "ResponseMetadata": {"HTTPStatusCode": status}}
    return ClientError(answer, operation)
