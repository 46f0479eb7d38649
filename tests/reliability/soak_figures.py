"""What the soak measures: the memory of a running `nianbao up` and the disk of its lake.

Memory is the resident set (RSS) of `up` with its warm workers, and apart from it that of the
servers it started (SeaweedFS, Prefect), told apart by the lake's `up.pid` record. Disk is the
lake directory by part; the DuckLake Parquet files live in the bucket, so they are counted from
an S3 listing (inside the SeaweedFS data, not on top of it).
"""

from __future__ import annotations

import os
from pathlib import Path

import psutil

from environment.settings import Settings
from infra import s3
from infra.processes import UpRecord, read_record
from pipelines.lake import DATA_PREFIX

MB = 1024 * 1024


def _tree_rss(process: psutil.Process) -> int:
    total = 0
    for member in [process, *process.children(recursive=True)]:
        try:
            total += member.memory_info().rss
        except psutil.Error:
            continue
    return total


def rss_mb(settings: Settings, up_pid: int) -> dict[str, float]:
    """RSS of `up`, of its warm workers, and of the servers it started, in MB."""
    servers = {s["pid"] for s in read_record(UpRecord.for_lake(settings.lake_dir).path).get("servers", [])}
    up = psutil.Process(up_pid)
    workers, started = 0, 0
    for child in up.children():
        if child.pid in servers:
            started += _tree_rss(child)
        else:
            workers += _tree_rss(child)
    own = up.memory_info().rss
    return {"up": round(own / MB, 1), "workers": round(workers / MB, 1),
            "up_and_workers": round((own + workers) / MB, 1), "servers": round(started / MB, 1)}


def _size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())


def _temp_size(lake: Path) -> int:
    """Bytes in temporary folders anywhere in the lake (DuckDB spill, dlt's working files)."""
    found = 0
    for folder, dirs, _ in os.walk(lake):
        for name in list(dirs):
            if "tmp" in name.lower() or "temp" in name.lower():
                found += _size(Path(folder) / name)
                dirs.remove(name)
    return found


def disk_mb(settings: Settings) -> dict[str, float]:
    """The lake directory by part, in MB (`ducklake_files` are inside `seaweed`)."""
    lake = settings.lake_dir
    parts = {
        "seaweed": _size(lake / "seaweed"),
        "ducklake_files": sum(o.size for o in s3.list_objects(settings, DATA_PREFIX)),
        "ducklake_catalog": sum(_size(p) for p in lake.glob("catalog.sqlite*")),
        "dlt": _size(lake / "dlt") if (lake / "dlt").exists() else 0,
        "temp": _temp_size(lake),
        "prefect": _size(lake / "prefect"),
        "total": _size(lake),
    }
    return {name: round(size / MB, 2) for name, size in parts.items()}


def growth_per_1000(before: dict[str, float], after: dict[str, float], reports: int) -> dict[str, float]:
    """How much each figure grew per 1,000 reports processed in between."""
    return {name: round((after[name] - before[name]) * 1000 / max(reports, 1), 2) for name in after}
