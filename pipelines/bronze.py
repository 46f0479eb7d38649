"""Bronze: every landed object, kept byte for byte and recorded once in the ledger `bronze.objects`.

Raw bytes are stored content-addressed at `bronze/objects/<sha256>` in the bucket, so the same
content delivered under two keys is stored once and silver can be rebuilt without re-uploading.
The ledger gets one row per (key, etag): the same delivery seen again adds nothing, and the same
bytes under another key are recorded with outcome 'duplicate' and never processed again. Rows
reach the ledger only through promotion (pipelines/promote.py), which decides them against what
other writers committed.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pyarrow as pa

from environment.settings import Settings
from infra import disk, s3
from pipelines.lake import connect, init_lake

OUTCOMES = ("loaded", "quarantined", "duplicate")
OBJECTS_PREFIX = "bronze/objects/"
# What a write refused or failed for a full disk leaves: a rerun ingests the same deliveries.
NOTHING_RECORDED = "the ledger and silver are unchanged"
# S3 round trips dominate storing many small objects; a few in flight hide the latency.

LEDGER_ARROW = pa.schema([
    ("bucket", pa.string()), ("key", pa.string()), ("etag", pa.string()), ("sha256", pa.string()),
    ("size", pa.int64()), ("content_type", pa.string()), ("received_at", pa.timestamp("us", tz="UTC")),
    ("outcome", pa.string()), ("reason", pa.string()), ("parser_version", pa.string()),
])


@dataclass
class LandedObject:
    """One object as it arrived in the bucket, with its bytes."""

    bucket: str
    key: str
    etag: str
    sha256: str
    size: int
    content_type: str | None
    received_at: datetime
    data: bytes = field(repr=False)
    # Why the bytes were not read (e.g. over the size limit); such an object is quarantined.
    refused: str | None = None
    # The bytes are kept at object_key(sha256) already (then `data` may be dropped).
    kept: bool = False


def _size(n_bytes: int) -> str:
    return f"{n_bytes / 1e6:.1f} MB" if n_bytes >= 100_000 else f"{n_bytes} bytes"


def object_key(sha256: str) -> str:
    """Where the bytes with this content hash are kept in the bucket."""
    return f"{OBJECTS_PREFIX}{sha256}"


def fetch(settings: Settings, key: str) -> LandedObject:
    """Read a landed object; one over settings.max_file_bytes is not read and comes back refused."""
    found = s3.get_unless_larger(settings, key, settings.max_file_bytes)
    if found is None:
        raise FileNotFoundError(f"s3://{settings.bucket}/{key} does not exist (deleted before it was read?)")
    info, data = found
    if data is None:
        reason = (
            f"the file is {_size(info.size)}, over the {_size(settings.max_file_bytes)} size limit "
            "(NIANBAO_MAX_FILE_BYTES), so it was not read"
        )
        # Unread bytes have no content hash: the ETag stands in, marked as such.
        return LandedObject(
            bucket=settings.bucket, key=key, etag=info.etag, sha256=f"unread:{info.etag}",
            size=info.size, content_type=info.content_type, received_at=datetime.now(UTC),
            data=b"", refused=reason,
        )
    return LandedObject(
        bucket=settings.bucket, key=key, etag=info.etag, sha256=hashlib.sha256(data).hexdigest(),
        size=len(data), content_type=info.content_type, received_at=datetime.now(UTC), data=data,
    )


def known_sha256(settings: Settings, sha256s: list[str]) -> dict[str, str]:
    """Which contents are already in the ledger, with the outcome of their first delivery."""
    init_lake(settings)
    with connect(settings) as con:
        rows = con.execute(
            "SELECT sha256, arg_min(outcome, received_at) FROM bronze.objects "
            "WHERE outcome <> 'duplicate' AND sha256 IN (SELECT unnest(?)) GROUP BY sha256",
            [list(sha256s)],
        ).fetchall()
    return dict(rows)


def delivered(settings: Settings, deliveries: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
    """Which (key, etag) deliveries the ledger has recorded already (checked before any GET)."""
    pairs = list(deliveries)
    if not pairs:
        return set()
    init_lake(settings)
    with connect(settings) as con:
        rows = con.execute(
            "SELECT DISTINCT key, etag FROM bronze.objects WHERE key IN (SELECT unnest(?))",
            [[key for key, _ in pairs]],
        ).fetchall()
    return set(rows) & set(pairs)


def quarantined(settings: Settings, deliveries: Iterable[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """The recorded reason of each (key, etag) delivery the ledger holds as quarantined."""
    pairs = set(deliveries)
    if not pairs:
        return {}
    init_lake(settings)
    with connect(settings) as con:
        rows = con.execute(
            "SELECT key, etag, reason FROM bronze.objects WHERE outcome = 'quarantined' "
            "AND key IN (SELECT unnest(?))", [sorted({key for key, _ in pairs})]).fetchall()
    return {(key, etag): reason for key, etag, reason in rows if (key, etag) in pairs}


def keep(settings: Settings, obj: LandedObject) -> LandedObject:
    """Store the bytes content-addressed (the same bytes always land on the same key, so storing
    them again is harmless); returns the object marked as kept. Refused objects have no bytes."""
    if obj.refused or obj.kept:
        return obj
    if len(obj.data) != obj.size:
        raise ValueError(f"the bytes of {obj.key} were dropped before they were kept in bronze")
    # A full embedded S3 answers a bare HTTP 500, retried for about 90 s: check the disk first.
    disk.ensure_room(settings, "the ingest", NOTHING_RECORDED)
    with disk.explain_full(settings, "the ingest", NOTHING_RECORDED):
        s3.put_bytes(settings, object_key(obj.sha256), obj.data, obj.content_type)
    return dataclasses.replace(obj, kept=True)


def _ledger_row(obj: LandedObject, outcome: str, reason: str | None, parser_version: str | None) -> dict:
    if outcome not in OUTCOMES:
        raise ValueError(f"outcome for {obj.key} must be one of {OUTCOMES}, not {outcome!r}")
    return {
        "bucket": obj.bucket, "key": obj.key, "etag": obj.etag, "sha256": obj.sha256,
        "size": obj.size, "content_type": obj.content_type, "received_at": obj.received_at,
        "outcome": outcome, "reason": reason, "parser_version": parser_version,
    }


def ledger_table(entries: list[tuple[LandedObject, str, str | None]], parser_version: str | None) -> pa.Table:
    """The ledger rows these deliveries propose, (object, outcome, reason) each; promotion
    decides which are new and which are duplicates (pipelines/promote.py)."""
    rows = [_ledger_row(obj, outcome, reason, parser_version) for obj, outcome, reason in entries]
    return pa.Table.from_pylist(rows, schema=LEDGER_ARROW)


def keep_all(settings: Settings, objects: list[LandedObject]) -> None:
    """Keep the bytes of these objects in bronze, a few at a time (each is one PUT)."""
    with ThreadPoolExecutor(s3.CONCURRENT_REQUESTS) as pool:
        list(pool.map(lambda obj: keep(settings, obj), objects))


def replay(settings: Settings) -> Iterator[LandedObject]:
    """Every delivery recorded as 'loaded', oldest first, with its bytes read back from bronze."""
    init_lake(settings)
    with connect(settings) as con:
        rows = con.execute(
            "SELECT bucket, key, etag, sha256, size, content_type, received_at FROM bronze.objects "
            "WHERE outcome = 'loaded' ORDER BY received_at, key"
        ).fetchall()
    for bucket, key, etag, sha256, size, content_type, received_at in rows:
        data = s3.get_bytes(settings, object_key(sha256))
        yield LandedObject(bucket, key, etag, sha256, size, content_type, received_at, data)
