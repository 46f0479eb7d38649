"""The `nianbao` command line: parse reports, run the demo, query published gold."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import typer

from environment.settings import PROJECT_ROOT, load_settings

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__)


@app.command()
def parse(
    paths: list[Path] = typer.Argument(..., help="Report files (TXT, HTML, PDF, DOCX)."),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per file on stdout."),
) -> None:
    """Parse report files into canonical metrics (no S3, no database); a progress bar on stderr
    follows the files and the pages read by OCR."""
    from rich.console import Console
    from rich.progress import Progress

    from pipelines.parsing import parse_path, reading

    console = Console(stderr=True)
    # Shown on a terminal only; stdout stays plain (one line or one JSON object per file).
    with Progress(console=console, transient=True, redirect_stdout=False,
                  disable=not console.is_terminal) as progress:
        bar = progress.add_task("parsing", total=len(paths))
        for path in paths:
            progress.update(bar, description=path.name)
            with reading.progress_to(lambda message, name=path.name: progress.update(
                    bar, description=f"{name}: {message}")):
                record = parse_path(path)
            progress.advance(bar)
            line = json.dumps(record, ensure_ascii=False) if as_json else _describe(record)
            sys.stdout.write(line + "\n")
            sys.stdout.flush()


def _describe(record: dict) -> str:
    if "error" in record:
        return f"{record['file']}: not parsed: {record['error']}"
    ocr = [f for f in record.get("findings", []) if f["code"] == "ocr_pages"]
    return (
        f"{record['file']}: {record.get('region')} ({record.get('region_code')}), "
        f"{record.get('province')}, {record.get('level')}, {record.get('report_year')}: "
        f"{len(record.get('metrics', []))} metrics" + (f"; {ocr[0]['message']}" if ocr else "")
    )


@app.command()
def demo(
    samples: Path = typer.Option(PROJECT_ROOT / "samples", help="Folder of report files to land."),
) -> None:
    """Start S3, land the samples, ingest, build gold, audit, publish, print gold; stop S3."""
    from nianbao.demo import run_demo

    code = run_demo(load_settings(), samples)
    # Everything is committed and both servers are stopped; tearing down the interpreter's
    # modules (Great Expectations, Prefect, pandas) would add two seconds of nothing.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


@app.command()
def reprocess() -> None:
    """Rebuild silver and gold from the bytes kept in bronze (after a parser upgrade); no re-upload."""
    from environment.runtime import configure_environment, runs_in_this_process

    settings = load_settings()
    configure_environment(settings)
    from flows.reprocess import reprocess as reprocess_flow
    from infra.seaweed import object_store

    with object_store(settings), runs_in_this_process():
        outcome = reprocess_flow()
    typer.echo(f"republished: snapshot {outcome.result.snapshot_id}")


@app.command()
def query(
    sql: str = typer.Argument(..., help="SQL to run read-only over the published gold (gold.<table>)."),
    as_json: bool = typer.Option(False, "--json", help="Print a JSON array of row objects."),
    as_of: int | None = typer.Option(
        None, "--as-of", help="Query gold as it was at this earlier publish (see `nianbao snapshots`)."
    ),
) -> None:
    """Run read-only SQL over the published gold in the lake (or gold as an earlier publish left it)."""
    from nianbao.query import NothingPublished, run_query

    try:
        columns, rows = run_query(load_settings(), sql, as_of)
    except NothingPublished as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(1) from error
    except Exception as error:  # a bad query is the user's to fix: say what DuckDB said
        typer.echo(f"query failed: {error}", err=True)
        raise typer.Exit(2) from error
    if as_json:
        objects = [dict(zip(columns, row, strict=True)) for row in rows]
        typer.echo(json.dumps(objects, ensure_ascii=False, default=str))
    else:
        from nianbao.display import print_rows

        print_rows(columns, rows)


@app.command()
def snapshots() -> None:
    """List every publish (DuckLake snapshot) that `nianbao query --as-of` can go back to."""
    from nianbao.display import print_rows
    from nianbao.query import list_snapshots

    print_rows(["snapshot_id", "published_at", "message"], list_snapshots(load_settings()))


@app.command()
def compact() -> None:
    """Merge the lake's small files, expire old snapshots, delete files no snapshot needs."""
    from infra.seaweed import running_object_store
    from pipelines.compaction import compact as compact_lake

    settings = load_settings()
    with running_object_store(settings):
        result = compact_lake(settings)
    for step, count in result.steps.items():
        typer.echo(f"{step}: {count}")


@app.command("attach-sql")
def attach_sql(
    as_of: int | None = typer.Option(None, "--as-of", help="Attach gold as it was at this publish."),
) -> None:
    """Print the SQL that attaches the lake read-only in any DuckDB 1.5.5 (it holds the S3 keys)."""
    from nianbao.query import attach_script

    typer.echo(attach_script(load_settings(), as_of), nl=False)


@app.command()
def export(
    target: Path | None = typer.Argument(
        None, help="The DuckDB file to write (replaced if it exists); default published/nianbao.duckdb "
        "in the lake directory."),
    as_of: int | None = typer.Option(None, "--as-of", help="Export gold as it was at this publish."),
) -> None:
    """Write published gold and its findings to one DuckDB file, for tools that open only a file."""
    from nianbao.export import describe
    from nianbao.export import export as export_gold
    from nianbao.query import NothingPublished

    settings = load_settings()
    target = target or settings.published_dir / "nianbao.duckdb"
    try:
        typer.echo(describe(*export_gold(settings, target, as_of)))
    except NothingPublished as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(1) from error


def _register_commands() -> None:
    """Commands that live in their own modules."""
    from nianbao import dashboard_command, stack, synth_command

    for module in (dashboard_command, stack, synth_command):
        module.register(app)


_register_commands()

if __name__ == "__main__":
    app()
