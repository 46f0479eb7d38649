"""Bronze: every landed object, kept byte for byte and recorded once in the ledger `bronze.objects`.

Raw bytes are stored content-addressed at `bronze/objects/<sha256>` in the bucket, so the same
content delivered under two keys is stored once and silver can be rebuilt without re-uploading.
The ledger gets one row per (key, etag): the same delivery seen again adds nothing, and the same
bytes under another key are recorded with outcome 'duplicate' and never processed again.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime

import dlt

from environment.settings import Settings
from infra import s3
from pipelines.lake import connect, dlt_pipeline, finish_pending_loads, init_warehouse

OUTCOMES = ("loaded", "quarantined", "duplicate")
OBJECTS_PREFIX = "bronze/objects/"
# S3 round trips dominate storing many small objects; a few in flight hide the latency.

_LEDGER_COLUMNS = {
    "size": {"data_type": "bigint"},
    "received_at": {"data_type": "timestamp"},
    "reason": {"data_type": "text", "nullable": True},
    "parser_version": {"data_type": "text", "nullable": True},
    "content_type": {"data_type": "text", "nullable": True},
}


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
    init_warehouse(settings)
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
    init_warehouse(settings)
    with connect(settings) as con:
        rows = con.execute(
            "SELECT DISTINCT key, etag FROM bronze.objects WHERE key IN (SELECT unnest(?))",
            [[key for key, _ in pairs]],
        ).fetchall()
    return set(rows) & set(pairs)


def keep(settings: Settings, obj: LandedObject) -> LandedObject:
    """Store the bytes content-addressed (the same bytes always land on the same key, so storing
    them again is harmless); returns the object marked as kept. Refused objects have no bytes."""
    if obj.refused or obj.kept:
        return obj
    if len(obj.data) != obj.size:
        raise ValueError(f"the bytes of {obj.key} were dropped before they were kept in bronze")
    s3.put_bytes(settings, object_key(obj.sha256), obj.data, obj.content_type)
    return dataclasses.replace(obj, kept=True)


def _ledger_state(settings: Settings, objects: list[LandedObject]) -> tuple[set, dict[str, str]]:
    """The (key, etag) pairs already recorded, and the first key recorded for each known content."""
    with connect(settings) as con:
        deliveries = con.execute(
            "SELECT key, etag FROM bronze.objects WHERE key IN (SELECT unnest(?))",
            [[obj.key for obj in objects]],
        ).fetchall()
        first_keys = con.execute(
            "SELECT sha256, arg_min(key, received_at) FROM bronze.objects "
            "WHERE sha256 IN (SELECT unnest(?)) GROUP BY sha256",
            [[obj.sha256 for obj in objects]],
        ).fetchall()
    return set(deliveries), dict(first_keys)


def _ledger_row(obj: LandedObject, outcome: str, reason: str | None, parser_version: str | None) -> dict:
    return {
        "bucket": obj.bucket, "key": obj.key, "etag": obj.etag, "sha256": obj.sha256,
        "size": obj.size, "content_type": obj.content_type, "received_at": obj.received_at,
        "outcome": outcome, "reason": reason, "parser_version": parser_version,
    }


def _new_rows(settings, entries, parser_version) -> list[tuple[LandedObject, dict]]:
    """Ledger rows for the deliveries not yet recorded; repeated contents become duplicates."""
    delivered, first_keys = _ledger_state(settings, [obj for obj, _, _ in entries])
    rows = []
    for obj, outcome, reason in entries:
        if outcome not in OUTCOMES:
            raise ValueError(f"outcome for {obj.key} must be one of {OUTCOMES}, not {outcome!r}")
        if (obj.key, obj.etag) in delivered:
            continue
        delivered.add((obj.key, obj.etag))
        first = first_keys.setdefault(obj.sha256, obj.key)
        if first != obj.key:
            outcome, reason = "duplicate", f"same content as {first}"
        rows.append((obj, _ledger_row(obj, outcome, reason, parser_version)))
    return rows


def record(
    settings: Settings,
    entries: list[tuple[LandedObject, str, str | None]],
    parser_version: str | None = None,
) -> list[dict]:
    """Keep the bytes (unless kept already) and record each delivery once in bronze.objects;
    returns the rows written."""
    init_warehouse(settings)
    finish_pending_loads(settings, "bronze")
    rows = _new_rows(settings, entries, parser_version)
    # Bytes first: a crash before the ledger load only leaves a harmless re-storable copy.
    unkept = {obj.sha256: obj for obj, row in rows
              if row["outcome"] != "duplicate" and not obj.refused and not obj.kept}
    with ThreadPoolExecutor(s3.CONCURRENT_REQUESTS) as pool:
        list(pool.map(lambda obj: keep(settings, obj), unkept.values()))
    ledger = [row for _, row in rows]
    if ledger:
        resource = dlt.resource(
            ledger, name="objects", write_disposition="append", columns=_LEDGER_COLUMNS
        )
        dlt_pipeline(settings, "bronze").run(resource)
    return ledger


def replay(settings: Settings) -> Iterator[LandedObject]:
    """Every delivery recorded as 'loaded', oldest first, with its bytes read back from bronze."""
    init_warehouse(settings)
    with connect(settings) as con:
        rows = con.execute(
            "SELECT bucket, key, etag, sha256, size, content_type, received_at FROM bronze.objects "
            "WHERE outcome = 'loaded' ORDER BY received_at, key"
        ).fetchall()
    for bucket, key, etag, sha256, size, content_type, received_at in rows:
        data = s3.get_bytes(settings, object_key(sha256))
        yield LandedObject(bucket, key, etag, sha256, size, content_type, received_at, data)
