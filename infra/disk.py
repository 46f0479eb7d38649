"""Free space under the lake directory: refuse a write early, and name a full disk when one fails.

The lake directory holds the SQLite catalog, the embedded SeaweedFS's data, the dlt staging
folders and the published files. On a full disk each fails in its own words: SQLite says "disk
I/O error" (and then cannot even be opened for reading), SeaweedFS answers a bare HTTP 500, which
the S3 clients retry for about 90 s, and Python says ENOSPC. So every run that writes first checks
that `NIANBAO_MIN_FREE_MB` are still free there (`ensure_room`), and a run that fails anyway is
re-raised as `DiskFull` when the disk is the reason (`explain_full`). Both say where the space
ran out, what to do, and what was kept.
"""

from __future__ import annotations

import errno
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from environment.settings import Settings

_MB = 1024 * 1024


class DiskFull(OSError):
    """No space left under the lake directory (errno ENOSPC); the message says what to do."""


def lake_dirs(settings: Settings) -> list[Path]:
    """The existing folders the lake writes to locally, one per file system."""
    candidates = [settings.lake_dir]
    if not settings.catalog_is_postgres:
        candidates.append(settings.sqlite_catalog_path.parent)
    found: dict[int, Path] = {}
    for folder in candidates:
        if folder.is_dir():
            found.setdefault(folder.stat().st_dev, folder)
    return list(found.values())


def short_of_room(settings: Settings) -> tuple[Path, int] | None:
    """(folder, free bytes) of the first lake folder with less than the minimum free, else None."""
    for folder in lake_dirs(settings):
        free = shutil.disk_usage(folder).free
        if free < settings.min_free_mb * _MB:
            return folder, free
    return None


def _size(count: int) -> str:
    return f"{count / _MB:.1f} MB" if count >= _MB else f"{count // 1024} KB"


def _full(settings: Settings, folder: Path, free: int, action: str, kept: str,
          failure: BaseException | None = None) -> DiskFull:
    message = (f"no space left on device under {folder} ({_size(free)} free, NIANBAO_MIN_FREE_MB "
               f"keeps {settings.min_free_mb} MB): free space, then run {action} again; {kept}")
    if failure is not None:
        message += f" (the failure: {str(failure)[:300]})"
    return DiskFull(errno.ENOSPC, message)


def ensure_room(settings: Settings, action: str, kept: str) -> None:
    """Raise DiskFull before `action` writes anything when a lake folder is short of room."""
    short = short_of_room(settings)
    if short is not None:
        raise _full(settings, *short, action, kept)


def _enospc(error: BaseException | None, folder: Path) -> tuple[Path, int] | None:
    """(folder, free bytes) where an ENOSPC in the chain of `error` happened (the file's folder,
    else `folder`), if there is one."""
    while error is not None:
        if isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT):
            folder = Path(error.filename).parent if error.filename else folder
            while not folder.exists():
                folder = folder.parent
            return folder, shutil.disk_usage(folder).free
        error = error.__cause__ or error.__context__
    return None


@contextmanager
def explain_full(settings: Settings, action: str, kept: str,
                 verdicts: tuple[type[Exception], ...] = ()) -> Iterator[None]:
    """Re-raise a failure of the block as DiskFull when the disk is why: ENOSPC, or a lake folder
    short of room now (SQLite's "disk I/O error" and SeaweedFS's HTTP 500 do not say so).
    `verdicts` (a blocked publish) are answers, not failures: they pass unchanged."""
    try:
        yield
    except (DiskFull, *verdicts):
        raise
    except Exception as error:
        short = short_of_room(settings) or _enospc(error, settings.lake_dir)
        if short is None:
            raise
        raise _full(settings, *short, action, kept, error) from error


def unless_full(task, task_run, state) -> bool:
    """A Prefect retry condition: retry a failed task unless the disk is full (waiting frees
    no space, and each attempt would wait out the S3 retries again)."""
    try:
        state.result()
    except DiskFull:
        return False
    except Exception:
        return True
    return True


def write_atomic(path: Path, data: bytes) -> None:
    """Write beside, then rename: a reader never sees half a file, and a write that fails (a full
    disk) leaves the previous file whole and no partial one behind."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        partial.write_bytes(data)
        partial.replace(path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
