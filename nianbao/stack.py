"""`nianbao up` (the whole event-driven stack in one command) and `nianbao drop` (land files).

`up` starts (or connects to) the S3 server and the Prefect server with its UI, registers the
deployments, turns objects landing under `landing/` into `report.landed` events (the SeaweedFS
filer webhook, or a polling sensor for other endpoints) and runs the deployments' flow runs,
until Ctrl-C stops everything it started.
"""

from __future__ import annotations

import logging
import os
import secrets
import signal
import threading
from contextlib import ExitStack
from pathlib import Path

import typer

from environment.settings import Settings, load_settings
from infra.landing import LANDING_PREFIX, land_files
from infra.prefect_server import DEFAULT_PORT

# With the filer webhook, the sweep only catches what was dropped while `up` was not running
# (and any notification SeaweedFS gave up on); without it, the sweep is the event source.
SWEEP_WITH_WEBHOOK_S = 60.0

log = logging.getLogger("nianbao.stack")


def _stop_on_signals(stop: threading.Event) -> None:
    """Ctrl-C or SIGTERM: finish the current run, then stop; a second one aborts the run.

    A KeyboardInterrupt raised inside a flow run can be absorbed by Prefect's engine, so the
    first signal only asks the executor loop to end."""
    def handle(signum, frame):
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()
        typer.echo("\nstopping after the current run (Ctrl-C again to abort it) …")

    signal.signal(signal.SIGINT, handle)
    signal.signal(signal.SIGTERM, handle)


def _ledger_deliveries(settings: Settings) -> set[tuple[str, str]] | None:
    """(key, etag) pairs in the bronze ledger; None when it cannot be read (then the cursor rules)."""
    import duckdb

    from pipelines.lake import connect

    try:
        with connect(settings) as con:
            return set(con.execute("SELECT key, etag FROM bronze.objects").fetchall())
    except duckdb.Error as error:
        log.warning("could not read the ledger (%s): announcing by the cursor only", error)
        return None


def _start_event_sources(stack: ExitStack, settings: Settings, webhook, poll_s: float, dispatcher) -> str:
    """Start the webhook (if any) and the sensor thread, both handing landed objects to the
    dispatcher; returns how events are produced."""
    from infra.events import PollingSensor

    stop = threading.Event()
    stack.callback(stop.set)
    if webhook is not None:
        webhook.announce = dispatcher.announce
        webhook.start()
        stack.callback(webhook.stop)
    sensor = PollingSensor(settings, webhook.cursor if webhook else None, dispatcher.announce)
    # Runs cut short by a previous stop left objects announced but never processed: the
    # ledger, not the cursor, says what still needs a run.
    sensor.poll_once(processed=_ledger_deliveries(settings))
    interval = SWEEP_WITH_WEBHOOK_S if webhook else poll_s
    threading.Thread(
        target=sensor.run, args=(stop, interval, log.warning), name="landing-sensor", daemon=True
    ).start()
    if webhook is not None:
        return f"SeaweedFS filer webhook (plus a sweep of {LANDING_PREFIX} every {interval:.0f} s)"
    return f"polling {LANDING_PREFIX} every {interval:g} s"


def run_up(settings: Settings, prefect_port: int = DEFAULT_PORT, poll_s: float = 2.0,
           workers: int = 2) -> None:
    """Run the stack until Ctrl-C (or SIGTERM); stops everything it started."""
    from environment.runtime import configure_environment

    # Flow-run logs at INFO reach the UI: they say what happened to each file.
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "INFO")
    configure_environment(settings)
    # Flow-run records (INFO on Prefect's loggers) still print; library chatter stays quiet.
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s: %(message)s")
    logging.getLogger("nianbao").setLevel(logging.INFO)
    stop = threading.Event()
    _stop_on_signals(stop)
    from infra.events import Cursor, FilerWebhook, filer_notification_config
    from infra.prefect_server import prefect_server
    from infra.processes import UpRecord
    from infra.seaweed import object_store

    record = UpRecord.for_lake(settings.lake_dir)
    if note := record.claim():  # what a crashed `up` left behind is stopped first
        typer.echo(note)
    with ExitStack() as stack:
        stack.callback(record.release)
        webhook, notification = None, None
        if settings.embedded_s3:
            token = secrets.token_urlsafe(32)  # lives only in this process and the filer's config
            webhook = FilerWebhook(settings, token, Cursor.for_settings(settings))
            notification = filer_notification_config(webhook.url, token, settings.bucket)
        stack.enter_context(object_store(settings, notification, record.record))
        api = stack.enter_context(prefect_server(settings, prefect_port, record.record))
        executor, served = _start_executor(stack, workers)
        dispatcher = _dispatcher(executor, served)
        stack.callback(dispatcher.stop)
        source = _start_event_sources(stack, settings, webhook, poll_s, dispatcher)
        _print_banner(settings, api, source, [s.name for s in served])
        try:
            executor.serve(stop)
        except KeyboardInterrupt:
            typer.echo("aborted the current runs")
        typer.echo("stopping: event sources, workers, Prefect server, S3 server …")


def _start_executor(stack: ExitStack, workers: int):
    """Register the deployments and the blocked-publish alert, start the warm workers."""
    from nianbao.alerts import AlertReceiver, register_alerting
    from nianbao.deployments import build_deployments, register
    from nianbao.executor import Executor

    served = register(build_deployments())
    receiver = AlertReceiver(load_settings())
    stack.callback(receiver.stop)
    register_alerting(receiver)
    executor = Executor(served, workers=workers)
    stack.callback(executor.drain, 0)
    return executor, served


def _dispatcher(executor, served):
    from nianbao.dispatch import Dispatcher

    ingest = next(s for s in served if s.name == "ingest-report")
    return Dispatcher(executor, ingest.deployment_id)


def _print_banner(settings: Settings, api: str, source: str, deployments: list[str]) -> None:
    ui = api.removesuffix("/api")
    typer.echo(
        f"nianbao is up.\n"
        f"  Prefect UI   {ui}  (Deployments, Runs, Events)\n"
        f"  S3           {settings.endpoint_url}  bucket {settings.bucket!r}, drop into "
        f"{LANDING_PREFIX}\n"
        f"  events       {source}\n"
        f"  deployments  {', '.join(deployments)}\n"
        f"  gold for BI  `nianbao query`, or attach the lake read-only (README, Reading gold)\n"
        "Drop reports with `nianbao drop FILE...` or any S3 client. Ctrl-C stops everything."
    )


def up(
    prefect_port: int = typer.Option(DEFAULT_PORT, help="Port of the Prefect API and UI."),
    poll_seconds: float = typer.Option(
        2.0, help="Polling interval for S3 endpoints without notifications."
    ),
    workers: int = typer.Option(2, min=1, help="Warm worker processes running flow runs at once."),
) -> None:
    """Start S3, the Prefect server and UI, the event sources and the deployments; Ctrl-C stops."""
    from infra.prefect_server import PrefectServerError
    from infra.processes import AlreadyRunning
    from infra.seaweed import S3ServerError

    try:
        run_up(load_settings(), prefect_port, poll_seconds, workers)
    except (AlreadyRunning, S3ServerError, PrefectServerError) as error:  # one line, no traceback
        typer.echo(f"nianbao up: {error}", err=True)
        raise typer.Exit(1) from error


def drop(paths: list[Path] = typer.Argument(..., help="Report files to land.")) -> None:
    """Upload report files to landing/ in the bucket (what any S3 client can do)."""
    from botocore.exceptions import BotoCoreError, ClientError

    settings = load_settings()
    try:
        landed = land_files(settings, paths)
    except FileNotFoundError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(1) from error
    except (BotoCoreError, ClientError) as error:
        typer.echo(f"could not upload to {settings.endpoint_url} bucket {settings.bucket!r}: "
                   f"{error}. Is `nianbao up` running?", err=True)
        raise typer.Exit(2) from error
    for key, etag in landed:
        typer.echo(f"landed s3://{settings.bucket}/{key} (etag {etag})")


def register(app: typer.Typer) -> None:
    """Add the `up` and `drop` commands to the nianbao CLI."""
    app.command("up")(up)
    app.command("drop")(drop)


if __name__ == "__main__":
    # `python -m nianbao.stack up|drop` works before the main CLI registers these commands.
    _app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__)
    register(_app)
    _app()
