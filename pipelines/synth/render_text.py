"""Plain text as scraped or extracted reports look: tables flattened to pipes, one cell a line, or spaces.

A spanning cell is written once, on the row where it starts, as page scrapes and pdfplumber do.
"""

from __future__ import annotations

from .document import Block, Document

_JOINERS = {"pipes": " | ", "spaces": " "}


def render_text(document: Document, table_style: str) -> str:
    """The report as text; `table_style` is 'pipes', 'cells' or 'spaces'."""
    lines: list[str] = []
    for block in document.blocks:
        if block.kind == "table":
            lines.extend(_table_lines(block, table_style))
        elif block.kind == "para":
            lines.append(("    " if table_style == "spaces" else "") + block.text)
        else:
            lines.append(block.text)
    return "\n".join(lines) + "\n"


def _table_lines(block: Block, style: str) -> list[str]:
    if style == "cells":
        return [cell.text for row in block.rows for cell in row]
    return [_JOINERS[style].join(cell.text for cell in row) for row in block.rows]
