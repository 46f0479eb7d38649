"""All S3 access goes through this module, whatever the endpoint.

Single-object reads and writes (two a report in a backfill) go through obstore
(infra.s3_obstore), unless the key is one obstore would change or refuse, or the process is a
fork of one that used it; everything else goes through boto3. obstore retries transient errors
for about 90 s, boto3 in botocore's standard mode (10 attempts); both raise botocore's exceptions.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from environment.settings import Settings
from infra import s3_obstore
from infra.s3_obstore import Fetched

Reply = TypeVar("Reply")

# Requests worth having in flight at once: each is a round trip, and a client pools 10 connections.
CONCURRENT_REQUESTS = 8


@dataclass(frozen=True)
class ObjectInfo:
    """What S3 says about one stored object."""

    key: str
    etag: str
    size: int
    content_type: str | None


@lru_cache(maxsize=8)
def _client_for(endpoint: str, access_key: str, secret_key: str, region: str):
    # Standard mode backs off exponentially (random jitter, at most 20 s a wait): ten attempts
    # ride out a restart of the S3 server (tests/reliability/test_s3_outage.py), where six
    # could all fail within a few seconds when the jitter draws short waits.
    config = Config(
        retries={"max_attempts": 10, "mode": "standard"},
        connect_timeout=5,
        read_timeout=60,
        s3={"addressing_style": "path"},
    )
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id=access_key,
        aws_secret_access_key=secret_key,
        region_name=region,
        config=config,
    )


# A forked child must not share the parent's pooled connections (two processes on one socket
# would read each other's answers): it builds clients of its own.
os.register_at_fork(after_in_child=_client_for.cache_clear)


def client(settings: Settings):
    """A boto3 S3 client for the configured endpoint (cached per endpoint and credentials)."""
    return _client_for(
        settings.endpoint_url, settings.s3_access_key, settings.s3_secret_key, settings.s3_region
    )


def ensure_bucket(settings: Settings) -> None:
    """Create the bucket unless it exists already."""
    s3 = client(settings)
    try:
        s3.head_bucket(Bucket=settings.bucket)
    except ClientError:
        s3.create_bucket(Bucket=settings.bucket)


def put_bytes(settings: Settings, key: str, data: bytes, content_type: str | None = None) -> str:
    """Store bytes under key; returns the object's ETag (quotes stripped)."""
    if s3_obstore.sendable(key):
        return s3_obstore.put_object(settings, key, data, content_type)
    typed = {"ContentType": content_type} if content_type else {}
    reply = client(settings).put_object(Bucket=settings.bucket, Key=key, Body=data, **typed)
    return reply["ETag"].strip('"')


def put_file(settings: Settings, key: str, path: Path, content_type: str | None = None) -> str:
    """Upload a local file under key; returns its ETag."""
    return put_bytes(settings, key, Path(path).read_bytes(), content_type)


def get_bytes(settings: Settings, key: str) -> bytes:
    """Read a whole object."""
    return _fetch(settings, key).data


def get_if_exists(settings: Settings, key: str) -> bytes | None:
    """Read a whole object; None when it does not exist."""
    reply = _unless_missing(lambda: _fetch(settings, key))
    return None if reply is None else reply.data


def get_unless_larger(settings: Settings, key: str, max_bytes: int) -> tuple[ObjectInfo, bytes | None] | None:
    """One GET: the object's metadata and its bytes, or no bytes when it is over max_bytes (the
    body is then closed unread); None when the object does not exist."""
    reply = _unless_missing(lambda: _fetch(settings, key, max_bytes))
    if reply is None:
        return None
    return ObjectInfo(key, reply.etag, reply.size, reply.content_type), reply.data


def _fetch(settings: Settings, key: str, max_bytes: int | None = None) -> Fetched:
    """One GET, through obstore when it can send it: metadata, and the bytes unless over max_bytes."""
    if s3_obstore.sendable(key):
        return s3_obstore.get_object(settings, key, max_bytes)
    reply = client(settings).get_object(Bucket=settings.bucket, Key=key)
    with closing(reply["Body"]) as body:  # closed unread when over the limit, its connection with it
        size = reply["ContentLength"]
        data = body.read() if max_bytes is None or size <= max_bytes else None
    return Fetched(reply["ETag"].strip('"'), size, reply.get("ContentType"), data)


def head(settings: Settings, key: str) -> ObjectInfo | None:
    """Metadata of an object, or None when it does not exist."""
    reply = _unless_missing(lambda: client(settings).head_object(Bucket=settings.bucket, Key=key))
    return None if reply is None else _info(key, reply)


def _unless_missing(request: Callable[[], Reply]) -> Reply | None:
    """The reply to a request about one object, or None when S3 says there is no such object."""
    try:
        return request()
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
            return None
        raise


def _info(key: str, reply: dict) -> ObjectInfo:
    return ObjectInfo(key, reply["ETag"].strip('"'), reply["ContentLength"], reply.get("ContentType"))


def list_objects(settings: Settings, prefix: str) -> list[ObjectInfo]:
    """Every object under a prefix, in key order."""
    paginator = client(settings).get_paginator("list_objects_v2")
    found = []
    for page in paginator.paginate(Bucket=settings.bucket, Prefix=prefix):
        for item in page.get("Contents", []):
            found.append(ObjectInfo(item["Key"], item["ETag"].strip('"'), item["Size"], None))
    return found


def delete(settings: Settings, key: str) -> None:
    """Remove an object (no error when it is already gone)."""
    client(settings).delete_object(Bucket=settings.bucket, Key=key)


def move(settings: Settings, source: str, target: str) -> bool:
    """Copy an object to a new key, then delete the old one; False (nothing done) when the source
    is gone, e.g. moved by another process first."""
    s3 = client(settings)
    copied = _unless_missing(lambda: s3.copy_object(
        Bucket=settings.bucket, Key=target, CopySource={"Bucket": settings.bucket, "Key": source}))
    if copied is None:
        return False
    s3.delete_object(Bucket=settings.bucket, Key=source)
    return True


def upload_tree(settings: Settings, local_dir: Path, prefix: str) -> list[str]:
    """Upload every file under local_dir to prefix/<relative path>; returns the keys written."""
    keys = []
    for path in sorted(Path(local_dir).rglob("*")):
        if path.is_file():
            key = f"{prefix.rstrip('/')}/{path.relative_to(local_dir).as_posix()}"
            put_file(settings, key, path)
            keys.append(key)
    return keys


def delete_prefix(settings: Settings, prefix: str) -> None:
    """Remove every object under a prefix."""
    for info in list_objects(settings, prefix):
        delete(settings, info.key)


def s3_uri(settings: Settings, key: str) -> str:
    return f"s3://{settings.bucket}/{key}"
