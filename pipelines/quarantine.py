"""Move a file that cannot become a report to `quarantine/`, with a reason object beside it."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from environment.settings import Settings
from infra import s3

QUARANTINE_PREFIX = "quarantine/"


def quarantine_key(key: str) -> str:
    """Where a landed key goes when quarantined (its path under landing/ is kept)."""
    relative = key.split("/", 1)[1] if key.startswith("landing/") else key
    return QUARANTINE_PREFIX + relative


def quarantine(settings: Settings, key: str, reason: str) -> str:
    """Move the object out of landing and write `<key>.reason.json`; returns the new key."""
    target = quarantine_key(key)
    if s3.head(settings, key) is not None:
        s3.move(settings, key, target)
    note = {"source_key": key, "reason": reason, "at": datetime.now(UTC).isoformat()}
    s3.put_bytes(
        settings,
        target + ".reason.json",
        json.dumps(note, ensure_ascii=False, indent=1).encode("utf-8"),
        "application/json",
    )
    return target
