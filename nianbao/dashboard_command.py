"""`nianbao dashboard`: print where the analysts' dashboard is, or serve it on 127.0.0.1 only."""

from __future__ import annotations

from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import typer

from environment.settings import Settings, load_settings
from nianbao.query import NothingPublished

DEFAULT_PORT = 8765


def dashboard_path(settings: Settings) -> Path:
    """The dashboard of the last publish; (re)built from the published file when missing or older."""
    from pipelines.dashboard.publish_hook import build_local, local_dashboard_dir

    source = settings.published_db_path
    if not source.is_file():
        raise NothingPublished(f"nothing is published yet at {source}: run `make demo` first")
    target = local_dashboard_dir(settings) / "index.html"
    if target.is_file() and target.stat().st_mtime >= source.stat().st_mtime:
        return target
    return build_local(settings)


def make_server(directory: Path, port: int) -> ThreadingHTTPServer:
    """An HTTP server for `directory` bound to the loopback address only (port 0 picks a free one)."""
    handler = partial(SimpleHTTPRequestHandler, directory=str(directory))
    return ThreadingHTTPServer(("127.0.0.1", port), handler)


def _serve(path: Path, port: int) -> None:
    try:
        server = make_server(path.parent, port)
    except OSError as error:
        typer.echo(f"cannot listen on 127.0.0.1:{port} ({error}); choose another with --port", err=True)
        raise typer.Exit(1) from error
    host, bound = server.server_address[:2]
    typer.echo(f"Serving the dashboard at http://{host}:{bound}/index.html (Ctrl+C stops)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        typer.echo("stopped")
    finally:
        server.server_close()


def dashboard(
    serve: bool = typer.Option(False, "--serve", help="Serve the dashboard on 127.0.0.1 until Ctrl+C."),
    port: int = typer.Option(DEFAULT_PORT, "--port", help="Port for --serve (0 picks a free one)."),
) -> None:
    """Print the path of the analysts' dashboard (its index.html); --serve serves its folder on 127.0.0.1."""
    try:
        path = dashboard_path(load_settings())
    except NothingPublished as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(1) from error
    if serve:
        _serve(path, port)
    else:
        typer.echo(str(path))


def register(app: typer.Typer) -> None:
    """Add `nianbao dashboard` to the command line."""
    app.command(name="dashboard")(dashboard)
