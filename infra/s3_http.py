"""Single-object GET and PUT over a plain urllib3 pool, signed by botocore's own SigV4 code.

The backfill makes two requests a report (read the landed object, keep its bytes). Through boto3
each costs about 1.2 ms of CPU in event hooks, user-agent building and response parsing, three
times what signing and sending cost, so these two requests skip the client; infra.s3 keeps boto3
for everything else. They keep boto3's behaviour: path-style URLs, the same timeouts, retries
shaped like botocore's "standard" mode, and botocore's exceptions (ClientError with S3's error
code, or one of its connection errors), so callers cannot tell the two paths apart.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import quote, urlsplit
from xml.etree import ElementTree

import urllib3
from botocore import exceptions as boto
from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.httpsession import get_cert_path
from urllib3 import exceptions as http

from environment.settings import Settings

# boto3's own pool size: at least infra.s3.CONCURRENT_REQUESTS, so no thread opens a throwaway.
POOL_CONNECTIONS = 10
# botocore's standard mode as infra.s3 configures it: ten attempts on connection errors, timeouts
# and 5xx (SlowDown is a 503), waits doubling up to 20 s. urllib3's jitter is added to the doubled
# wait rather than drawn under it, so the waits never all come out short (the first retry is
# immediate): ten attempts span about 90 s, what a restart of the S3 server needs.
RETRIES = urllib3.Retry(
    total=9, connect=9, read=9, status=9, other=0, redirect=0,
    backoff_factor=0.5, backoff_jitter=1.0, backoff_max=20,
    status_forcelist=(500, 502, 503, 504), allowed_methods=("GET", "PUT"),  # PUTs of the same bytes
    raise_on_status=False, respect_retry_after_header=False,  # the last 5xx becomes a ClientError
)
TIMEOUT = urllib3.Timeout(connect=5, read=60)
# urllib3's failures, as the botocore exceptions boto3 raises for them (most specific first).
BOTOCORE_ERRORS = (
    (http.SSLError, boto.SSLError),
    (http.NewConnectionError, boto.EndpointConnectionError),
    (http.ConnectTimeoutError, boto.ConnectTimeoutError),
    (http.ReadTimeoutError, boto.ReadTimeoutError),
    (http.ProtocolError, boto.ConnectionClosedError),
)


@dataclass(frozen=True)
class Fetched:
    """One GET's answer: the object's metadata, and its bytes unless they were over the limit."""

    etag: str
    size: int
    content_type: str | None
    data: bytes | None


@dataclass(frozen=True)
class _Endpoint:
    url: str
    origin: str  # scheme://host[:port]
    host: str  # host[:port], sent and signed as the Host header
    base_path: str  # any path the endpoint URL has, before /<bucket>/<key>
    pool: urllib3.HTTPConnectionPool
    signer: S3SigV4Auth


@lru_cache(maxsize=8)
def _endpoint_for(url: str, access_key: str, secret_key: str, region: str) -> _Endpoint:
    # The CA bundle boto3 verifies against (AWS_CA_BUNDLE, else certifi), for https endpoints.
    manager = urllib3.PoolManager(
        num_pools=1, maxsize=POOL_CONNECTIONS, timeout=TIMEOUT, retries=RETRIES,
        ca_certs=os.environ.get("AWS_CA_BUNDLE") or get_cert_path(True),
    )
    parts = urlsplit(url)
    signer = S3SigV4Auth(Credentials(access_key, secret_key), "s3", region)
    origin, base_path = f"{parts.scheme}://{parts.netloc}", parts.path.rstrip("/")
    return _Endpoint(url, origin, parts.netloc, base_path, manager.connection_from_url(url), signer)


def _endpoint(settings: Settings) -> _Endpoint:
    return _endpoint_for(
        settings.endpoint_url, settings.s3_access_key, settings.s3_secret_key, settings.s3_region
    )


def object_path(bucket: str, key: str) -> str:
    """The path-style request path of an object, percent-encoded as S3 signs it (UTF-8, only
    unreserved characters and the key's slashes left as they are)."""
    return f"/{quote(bucket, safe='')}/{quote(key, safe='/~')}"


def put_object(settings: Settings, key: str, data: bytes, content_type: str | None = None) -> str:
    """Store bytes under key with one PUT; returns the object's ETag (quotes stripped)."""
    endpoint = _endpoint(settings)
    headers = {"Content-Type": content_type} if content_type else {}
    reply = _send(endpoint, "PUT", object_path(settings.bucket, key), data, headers, preload=True)
    _raise_unless_ok(reply, "PutObject")
    return reply.headers["ETag"].strip('"')


def get_object(settings: Settings, key: str, max_bytes: int | None = None) -> Fetched:
    """One GET: the object's metadata and bytes, or no bytes when it is over max_bytes (its body
    is then left unread). Raises ClientError (code NoSuchKey when there is no such object)."""
    endpoint = _endpoint(settings)
    reply = _send(endpoint, "GET", object_path(settings.bucket, key), None, {}, preload=False)
    try:
        with _as_botocore_errors(endpoint.url):
            _raise_unless_ok(reply, "GetObject")
            size = int(reply.headers["Content-Length"])
            readable = max_bytes is None or size <= max_bytes
            data = reply.read() if readable else None
        return Fetched(reply.headers["ETag"].strip('"'), size, reply.headers.get("Content-Type"), data)
    finally:
        # A body read to its end has handed its connection back already. One left unread goes
        # with its connection (draining could mean reading gigabytes); the pool reconnects.
        reply.close()
        reply.release_conn()


def _send(endpoint: _Endpoint, method: str, path: str, body: bytes | None, headers: dict,
          preload: bool) -> urllib3.BaseHTTPResponse:
    target = endpoint.base_path + path
    request = AWSRequest(method, endpoint.origin + target, {"Host": endpoint.host, **headers}, body)
    endpoint.signer.add_auth(request)  # adds X-Amz-Date, the body's sha256 and Authorization
    with _as_botocore_errors(endpoint.url):
        # The pool sends the target as it is: a PoolManager would re-parse the URL and drop the
        # dot segments a key may hold. Bodies stay as stored (no gzip decoding), as in boto3.
        return endpoint.pool.urlopen(
            method, target, body=body, headers=dict(request.headers.items()), redirect=False,
            preload_content=preload, decode_content=False,
        )


def _raise_unless_ok(reply: urllib3.BaseHTTPResponse, operation: str) -> None:
    """Raise S3's error answer as botocore's ClientError, with the code and message it gave."""
    if 200 <= reply.status < 300:
        return
    code, message = str(reply.status), reply.reason or ""
    try:
        error = ElementTree.fromstring(reply.data)
        code, message = error.findtext("Code") or code, error.findtext("Message") or message
    except ElementTree.ParseError:
        pass  # no XML body (or not S3's): the HTTP status stands in, as botocore does
    answer = {"Error": {"Code": code, "Message": message},
              "ResponseMetadata": {"HTTPStatusCode": reply.status,
                                   "HTTPHeaders": {k.lower(): v for k, v in reply.headers.items()}}}
    raise boto.ClientError(answer, operation)


@contextmanager
def _as_botocore_errors(endpoint_url: str) -> Iterator[None]:
    """Let urllib3's failures out as the botocore exceptions callers already handle."""
    try:
        yield
    except (http.MaxRetryError, http.HTTPError) as error:
        cause = error.reason if isinstance(error, http.MaxRetryError) else error
        kind = next((boto_kind for http_kind, boto_kind in BOTOCORE_ERRORS
                     if isinstance(cause, http_kind)), boto.HTTPClientError)
        raise kind(endpoint_url=endpoint_url, error=cause) from error
