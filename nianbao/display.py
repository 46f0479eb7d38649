"""Terminal tables for query results and the demo's gold preview."""

from __future__ import annotations

import sys

from rich.console import Console
from rich.table import Table

# Piped output (CI logs, files) gets a fixed width wide enough for the gold preview.
console = Console(width=None if sys.stdout.isatty() else 140)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4g}" if not value.is_integer() else f"{int(value)}"
    return str(value)


def print_rows(columns: list[str], rows: list[tuple], title: str | None = None) -> None:
    """Print rows as a table (wide tables wrap; nothing is dropped)."""
    table = Table(title=title, show_lines=False)
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*(_cell(value) for value in row))
    console.print(table)
