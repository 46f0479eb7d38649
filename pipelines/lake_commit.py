"""Commits to the lake that survive other writers: a transaction retried when another one won.

DuckLake lets every writer commit optimistically: when two transactions race for the next
snapshot, the loser is replayed by DuckLake itself if the two changes do not touch the same
data, and fails with a conflict if they do (both deleted from one file, both updated one row).
`in_transaction` runs a unit of work in a transaction and, on such a conflict, rolls back and
runs the whole unit again, so whatever the unit decided from what it read is decided again on
what the winner committed. The retries are counted and logged.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import duckdb

log = logging.getLogger("nianbao.lake")
T = TypeVar("T")
MAX_ATTEMPTS = 30
# A conflict, or the catalog busy with another writer's commit: both pass when retried.
_RETRYABLE = ("conflict", "Failed to commit", "database is locked", "could not serialize",
              "deadlock detected", "duplicate key value", "violates primary key", "Duplicate key")
# A full disk fails the commit too ("Failed to commit …: database or disk is full"); no attempt
# after it would pass, so it is not retried (infra/disk.py names it).
_DISK_FULL = ("database or disk is full", "disk I/O error", "No space left on device")


@dataclass
class CommitStats:
    """Conflicts retried since the process started, for the run logs and the benchmarks."""

    retries: int = 0


STATS = CommitStats()


class CommitFailed(RuntimeError):
    """A unit of work lost to other writers MAX_ATTEMPTS times in a row."""


def retryable(error: BaseException) -> bool:
    """True for a write conflict with another writer, which a new attempt resolves."""
    message = str(error)
    return (isinstance(error, duckdb.Error) and any(part in message for part in _RETRYABLE)
            and not any(part in message for part in _DISK_FULL))


def _rollback(con: duckdb.DuckDBPyConnection) -> None:
    try:
        con.execute("ROLLBACK")
    except duckdb.Error:
        pass  # the failed commit already ended the transaction


def in_transaction(con: duckdb.DuckDBPyConnection, work: Callable[[duckdb.DuckDBPyConnection], T],
                   label: str) -> T:
    """Run `work` in one transaction, again from the start whenever another writer won the race."""
    for attempt in range(1, MAX_ATTEMPTS + 1):
        try:
            con.execute("BEGIN TRANSACTION")
            result = work(con)
            con.execute("COMMIT")
            return result
        except Exception as error:
            _rollback(con)
            if not retryable(error) or attempt == MAX_ATTEMPTS:
                if retryable(error):
                    raise CommitFailed(f"{label}: lost to other writers {attempt} times in a row "
                                       f"({str(error)[:200]})") from error
                raise
            STATS.retries += 1
            log.warning("%s: another writer committed first (%s); retrying (attempt %d)",
                        label, type(error).__name__, attempt + 1)
            time.sleep(min(2.0, 0.02 * 1.5 ** attempt) * (0.5 + random.random()))
    raise AssertionError("unreachable")
