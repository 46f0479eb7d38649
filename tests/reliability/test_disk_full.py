"""A full disk: ingest and publish fail at once saying so, gold stays whole, and a retry publishes.

The lake directory (SQLite catalog, the test's own SeaweedFS data, dlt staging, published files)
lives on a small tmpfs mounted for the test, and a filler file takes all but a little of it:
before the run (the guard refuses it), while gold is refreshed, just before the commit, and
between the commit and the dashboard. Filling at an exact moment is done by wrapping the step,
as the kill points of killpoint.py do; what fails afterwards is the real stack failing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

import expectations.gated_publish
from flows.ingest import backfill
from flows.publish import publish
from infra import s3
from infra.disk import DiskFull
from pipelines.lake import connect, forget_instances
from pipelines.snapshots import publications

from .lakes import SAMPLES, assert_each_landed_once, gold_rows, own_s3, point_env

pytestmark = pytest.mark.e2e

# SeaweedFS sizes its volumes (64 MB and up) and their number from the disk it finds: on much less
# than this it cannot grow a volume even when empty.
DISK_MB = 256
MIN_FREE_MB = 16
NEARLY_FULL = 4 * 1024 * 1024  # under the guard's minimum, enough for SQLite to open the catalog
FULL = 64 * 1024  # what SeaweedFS then answers every upload with HTTP 500
FAILS_WITHIN_S = 30  # no S3 retries waited out (a PUT to a full SeaweedFS retries for ~90 s)


@contextmanager
def small_disk(path: Path) -> Iterator[Path]:
    """A tmpfs of DISK_MB mounted at path for the block; skips where mounting is not permitted."""
    path.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={DISK_MB}m", "tmpfs", str(path)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs ({mounted.stderr.strip()}): the full-disk test needs root")
    try:
        yield path
    finally:
        forget_instances()  # DuckDB holds the catalog open
        # Something in this process may still hold the catalog open (then the mount is detached
        # lazily): empty the disk first, so only those few files stay in memory until it exits.
        for child in path.iterdir():
            if child.is_dir():
                shutil.rmtree(child)
            else:
                child.unlink()
        if subprocess.run(["umount", str(path)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "--lazy", str(path)], check=True)


def fill(disk: Path, leave: int) -> None:
    """Take all but `leave` bytes of the disk with a filler file."""
    filler = disk / "filler"
    filler.unlink(missing_ok=True)
    size = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize - leave
    with open(filler, "wb") as file:
        os.posix_fallocate(file.fileno(), 0, max(size, 1))


def fill_at(patch: pytest.MonkeyPatch, disk: Path, owner, attribute: str, after: bool = False) -> None:
    """Fill the disk (FULL left) when `owner.attribute` is called, or once it has returned."""
    original, calls = getattr(owner, attribute), []

    def filled(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1 and not after:
            fill(disk, FULL)
        result = original(*args, **kwargs)
        if len(calls) == 1 and after:
            fill(disk, FULL)
        return result

    patch.setattr(owner, attribute, filled)


def fails_full(step: Callable[[], object], *expected: str) -> str:
    """Run a step that must fail soon with DiskFull saying all of `expected`; its message."""
    started = time.monotonic()
    with pytest.raises(DiskFull) as failure:
        step()
    message = failure.value.strerror
    assert message.startswith("no space left on device under "), message
    assert all(part in message for part in expected), message
    assert time.monotonic() - started < FAILS_WITHIN_S, f"took {time.monotonic() - started:.0f} s"
    return message


def published(settings) -> list[int]:
    with connect(settings, read_only=True) as con:
        return [snapshot for snapshot, *_ in publications(con)]


def test_full_disk_keeps_gold_and_a_retry_publishes(prefect_harness, s3_server, tmp_path, monkeypatch):
    with small_disk(tmp_path / "disk") as disk, own_s3(disk, s3_server, min_free_mb=MIN_FREE_MB) as settings:
        point_env(monkeypatch, settings)
        for sample in SAMPLES[:3]:
            s3.put_file(settings, f"landing/{sample.name}", sample)
        backfill("landing/")
        first = publish().result.snapshot_id
        previous = gold_rows(settings)
        for sample in SAMPLES[3:]:  # new reports arrive, then the disk is nearly full
            s3.put_file(settings, f"landing/{sample.name}", sample)

        fill(disk, NEARLY_FULL)
        fails_full(lambda: backfill("landing/"), str(settings.lake_dir), "run the backfill again",
                   "the ledger and silver are unchanged")
        fails_full(publish, "run publish again; gold is unchanged")
        assert gold_rows(settings) == previous, "gold changed or became unreadable on a nearly full disk"
        (disk / "filler").unlink()
        assert {r.outcome for r in backfill("landing/")} == {"loaded", "duplicate"}

        with monkeypatch.context() as patch:  # the disk fills while gold is refreshed
            fill_at(patch, disk, expectations.gated_publish, "refresh_gold")
            fails_full(publish, "gold is unchanged", "the failure: ")
        (disk / "filler").unlink()
        assert gold_rows(settings) == previous, "a publish failing on a full disk changed gold"

        with monkeypatch.context() as patch:  # the disk fills just before the commit
            fill_at(patch, disk, expectations.gated_publish, "_publish", after=True)
            fails_full(publish, "gold is unchanged")
        (disk / "filler").unlink()
        assert gold_rows(settings) == previous, "a commit failing on a full disk changed gold"
        assert published(settings) == [first]

        retry = publish().result.snapshot_id
        assert gold_rows(settings) != previous and published(settings) == [first, retry]

        with monkeypatch.context() as patch:  # committed, then the disk fills before the dashboard
            fill_at(patch, disk, expectations.gated_publish, "publish", after=True)
            fails_full(publish, "gold is published as snapshot", "the dashboard still shows the one before")
        (disk / "filler").unlink()
        current = gold_rows(settings)
        assert publish().dashboard_path.is_file() and gold_rows(settings) == current
        assert_each_landed_once(settings, {f"landing/{path.name}": path.read_bytes() for path in SAMPLES})
        publish(full=True)  # complete: what a rebuild of every model from silver gives
        assert gold_rows(settings) == current, "gold published after the full disk is not complete"
