"""The dashboard's folder: content-addressed data files, the manifest of their hashes, a build lock.

The same layout lives under `published/dashboard/` and `gold/dashboard/` on the bucket:

    index.html                  the page: style, scripts and small settings inline
    data/<part>.<hash>.js       overview parts (one per year), the quality findings, the evidence index
    evidence/chunk.<hash>.js    figures with their report text, for the reports first published together
    manifest.json               every file above with its sha256, and which reports each evidence chunk holds

A file's name carries its content hash, so an unchanged part keeps its name (and is not written or
uploaded again), and a page never loads a part newer or older than itself.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from infra.disk import write_atomic

MANIFEST = "manifest.json"
INDEX = "index.html"
# Folders holding only files this module names; anything there the manifest does not list goes.
OWNED_FOLDERS = ("data", "evidence")
MANIFEST_VERSION = 1


@dataclass
class Manifest:
    """What one build wrote: path → sha256, evidence chunk path → the report ids it holds, and
    overview part → [its path, the fingerprint of the rows it was made from]."""

    files: dict[str, str] = field(default_factory=dict)
    chunks: dict[str, list[str]] = field(default_factory=dict)
    parts: dict[str, list[str]] = field(default_factory=dict)

    def to_bytes(self) -> bytes:
        body = {"version": MANIFEST_VERSION, "files": self.files, "chunks": self.chunks, "parts": self.parts}
        return json.dumps(body, sort_keys=True, separators=(",", ":")).encode("utf-8")

    @classmethod
    def from_bytes(cls, data: bytes | None) -> Manifest:
        """The manifest in `data`; empty (everything is new) when absent, unreadable or of another version."""
        try:
            body = json.loads(data) if data else {}
        except ValueError:
            body = {}
        if not isinstance(body, dict) or body.get("version") != MANIFEST_VERSION:
            return cls()
        return cls(dict(body.get("files", {})), dict(body.get("chunks", {})), dict(body.get("parts", {})))


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_manifest(folder: Path) -> Manifest:
    path = Path(folder) / MANIFEST
    return Manifest.from_bytes(path.read_bytes() if path.is_file() else None)


def put_named(folder: Path, stem: str, data: bytes) -> tuple[str, str]:
    """Write `data` as `<stem>.<hash>.js` unless that file is there already; (relative path, sha256)."""
    sha = digest(data)
    relative = f"{stem}.{sha[:16]}.js"
    target = Path(folder) / relative
    if not target.is_file():
        write_atomic(target, data)
    return relative, sha


def prune(folder: Path, keep: set[str]) -> list[str]:
    """Delete files of earlier builds the manifest no longer lists; returns their relative paths."""
    removed = []
    for owned in OWNED_FOLDERS:
        directory = Path(folder) / owned
        if not directory.is_dir():
            continue
        for path in directory.iterdir():
            relative = f"{owned}/{path.name}"
            if path.is_file() and relative not in keep:
                path.unlink()
                removed.append(relative)
    return removed


@contextmanager
def build_lock(folder: Path) -> Iterator[None]:
    """One build of this folder at a time (a publish and `nianbao dashboard` may both build it)."""
    Path(folder).mkdir(parents=True, exist_ok=True)
    with open(Path(folder) / ".build.lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def forget_manifest(folder: Path) -> None:
    """Make the next build write every part again from gold.

    Evidence is written once per report id; after a reprocess a known report's figures may change
    while its id does not. The bucket keeps its own manifest, so parts that come out the same are
    not uploaded again and the others replace them."""
    with build_lock(folder):
        (Path(folder) / MANIFEST).unlink(missing_ok=True)
