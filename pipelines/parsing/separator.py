"""How every reader writes a table row: its non-empty cells joined by one separator.

Its own module so the format readers and `readers.py` (which imports them) share the constant
without importing each other.
"""

from __future__ import annotations

CELL_SEPARATOR = " | "
