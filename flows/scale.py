"""Run `backfill` beyond one process: its parse tasks on a Dask cluster, its writes here.

    from flows.scale import backfill_on_dask
    backfill_on_dask("landing/2024/", address="tcp://scheduler:8786")   # an existing cluster
    backfill_on_dask("landing/", n_workers=2)                          # a LocalCluster here

Workers read their batch straight from the bucket (any S3 endpoint, credentials from their own
environment or `.env`), keep its bytes content-addressed in bronze and send back only metadata and
silver rows as Arrow tables, which the flow's process writes to the lake. More writers (a second
backfill on another machine, the event-driven ingests) may write at the same time
(pipelines/writer.py).
"""

from __future__ import annotations

import dask
from prefect_dask import DaskTaskRunner

from flows.ingest import IngestResult, backfill


def dask_runner(address: str | None = None, n_workers: int = 2, processes: bool = True) -> DaskTaskRunner:
    """A Dask task runner: the cluster at `address`, or a temporary LocalCluster of `n_workers`."""
    if address:
        return DaskTaskRunner(address=address)
    # One thread per worker: parsing holds the GIL, so a second thread in a worker would only wait.
    return DaskTaskRunner(cluster_kwargs={
        "n_workers": n_workers, "threads_per_worker": 1, "processes": processes,
        "dashboard_address": None,
    })


def backfill_on_dask(
    prefix: str = "landing/",
    batch_size: int | None = None,
    address: str | None = None,
    n_workers: int = 2,
    processes: bool = True,
) -> list[IngestResult]:
    """Run the `backfill` flow with its parse tasks on Dask (see `dask_runner`)."""
    runner = dask_runner(address, n_workers, processes)
    # Workers of a LocalCluster take their config from here. Their statistical profiler samples
    # every thread's stack 100 times a second, for a dashboard this runner does not serve.
    with dask.config.set({"distributed.worker.profile.enabled": False}):
        return backfill.with_options(task_runner=runner)(prefix=prefix, batch_size=batch_size)
