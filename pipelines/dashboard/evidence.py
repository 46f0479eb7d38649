"""Evidence files: each report's stated figures with the report text they were read from.

The page loads them only when a region-year is opened. Reports are packed into chunk files when
they are first published, and a chunk is never rewritten: a rebuild reads from metric_long only
the reports that are new since the last build. When gold no longer holds a report of a chunk
(superseded by a newer version, or withdrawn), the chunk is deleted and its other reports are
packed again, so no published file keeps the evidence of a report gold has dropped.
"""

from __future__ import annotations

import json
from pathlib import Path

from pipelines.dashboard.data import Reader, evidence_json, reports_with_evidence
from pipelines.dashboard.site import Manifest, put_named

# About 1 MB per chunk: little to load when one report is opened, and a first build of 10,000
# reports writes (and uploads) a couple of hundred files rather than 10,000.
CHUNK_BYTES = 1_000_000


def still_whole(previous: Manifest, current: set[str], folder: Path) -> dict[str, list[str]]:
    """Chunks of the previous build whose reports gold still holds, all of them, and whose file is there."""
    return {chunk: ids for chunk, ids in previous.chunks.items()
            if chunk in previous.files and current.issuperset(ids) and (Path(folder) / chunk).is_file()}


def _packed(rows: list[tuple[str, bytes]]) -> list[list[tuple[str, bytes]]]:
    """Consecutive groups of (report id, figures) of about CHUNK_BYTES each."""
    groups: list[list[tuple[str, bytes]]] = [[]]
    size = 0
    for row in rows:
        if groups[-1] and size + len(row[1]) > CHUNK_BYTES:
            groups.append([])
            size = 0
        groups[-1].append(row)
        size += len(row[1])
    return [group for group in groups if group]


def _chunk_script(group: list[tuple[str, bytes]]) -> bytes:
    """A script registering {report id: figures} with the page (`nianbao.evidence` in loader.js)."""
    body = b",".join(json.dumps(report_id).encode() + b":" + figures for report_id, figures in group)
    return b"nianbao.evidence({" + body + b"});\n"


def update_chunks(reader: Reader, folder: Path, previous: Manifest) -> Manifest:
    """The chunks (and their hashes) holding every report gold holds; writes only the new ones."""
    current = reports_with_evidence(reader)
    if current is None:
        return Manifest()
    kept = still_whole(previous, current, folder)
    done = {report_id for ids in kept.values() for report_id in ids}
    chunks = Manifest({path: previous.files[path] for path in kept}, dict(kept))
    for group in _packed(evidence_json(reader, sorted(current - done))):
        path, sha = put_named(folder, "evidence/chunk", _chunk_script(group))
        chunks.files[path] = sha
        chunks.chunks[path] = [report_id for report_id, _ in group]
    return chunks


def index_text(chunks: dict[str, list[str]]) -> str:
    """A script telling the page which chunk holds each report's evidence."""
    paths = sorted(chunks)
    reports = {report_id: number for number, path in enumerate(paths) for report_id in chunks[path]}
    body = json.dumps({"chunks": paths, "reports": dict(sorted(reports.items()))}, separators=(",", ":"))
    return f"nianbao.evidenceIndex({body});\n"
