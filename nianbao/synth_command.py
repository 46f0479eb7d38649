"""`nianbao synth`: write a synthetic 年报 corpus with its ground truth (labels, contradictions)."""

from __future__ import annotations

from pathlib import Path

import typer


def synth(
    n: int = typer.Option(100, "--n", min=1, help="How many reports to write."),
    out: Path = typer.Option(..., "--out", help="Folder for reports/, labels.csv, contradictions.csv."),
    seed: int = typer.Option(0, "--seed", help="Same seed, same bytes."),
    contradictions: float = typer.Option(
        0.1, "--contradictions", min=0.0, max=1.0, help="Share of reports with a deliberately broken total."),
) -> None:
    """Write N synthetic reports (TXT UTF-8/GBK, HTML, DOCX) and their labels under OUT."""
    from pipelines.synth import generate

    summary = generate(n, out, seed=seed, contradiction_share=contradictions)
    typer.echo(
        f"wrote {summary.reports} reports ({summary.labels} labelled values, "
        f"{summary.contradictions} with contradictions) to {summary.out} in {summary.seconds:.1f}s"
    )
    typer.echo("templates: " + ", ".join(f"{k} {v}" for k, v in sorted(summary.templates.items())))
    typer.echo("formats: " + ", ".join(f"{k} {v}" for k, v in sorted(summary.formats.items())))
    typer.echo(f"score with: score_extraction.py --labels {out / 'labels.csv'} --output parsed.jsonl")


def register(app: typer.Typer) -> None:
    """Add the `synth` command to the nianbao CLI."""
    app.command("synth")(synth)
