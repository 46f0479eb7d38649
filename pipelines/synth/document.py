"""A format-neutral report: title, headings, paragraphs and tables with spanning cells.

Every renderer (TXT, HTML, DOCX) reads the same `Document`, so a fact is stated the same way
whatever the file format; text noise (traditional characters, full-width digits) maps over it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Cell:
    """A table cell; `rowspan`/`colspan` as in HTML, the cell sits at its top-left slot."""

    text: str
    rowspan: int = 1
    colspan: int = 1


@dataclass(frozen=True)
class Block:
    """One block: kind is 'title', 'heading', 'para' or 'table' (then `rows` holds the cells)."""

    kind: str
    text: str = ""
    rows: tuple[tuple[Cell, ...], ...] = ()


@dataclass
class Document:
    """The blocks of one report, in reading order."""

    blocks: list[Block] = field(default_factory=list)

    def add(self, kind: str, text: str) -> None:
        """Append a text block (title, heading or para)."""
        self.blocks.append(Block(kind, text))

    def table(self, rows: list[list[Cell]]) -> None:
        """Append a table."""
        self.blocks.append(Block("table", rows=tuple(tuple(r) for r in rows)))

    def map_text(self, fn: Callable[[str], str]) -> Document:
        """A copy with `fn` applied to every piece of text, table cells included."""
        return Document([
            Block(b.kind, fn(b.text), tuple(tuple(Cell(fn(c.text), c.rowspan, c.colspan) for c in r)
                                            for r in b.rows))
            for b in self.blocks
        ])

