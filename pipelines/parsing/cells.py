"""A flattened table as one stream of cells: row labels, numbers, blanks and other text.

Converters flatten the templates' tables in many ways: a row per line with cells split by '|',
one cell per line, a whole table on one line, PDF text with the numbers right after the label
and no separator at all. Cutting every line at '|' and reading each piece gives the same stream
of cells for all of them, so the table readers never depend on where the line breaks fall.
A text piece's digits are values only after a row label (PDF text glues them to it); inside
any other text (数据1 headers, 第二十条第(五)项, a year) they are words.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import NamedTuple

from .numbers import MAX_DIGITS, to_number

LABEL, NUMBER, BLANK, TEXT = "label", "number", "blank", "text"
_CJK = re.compile(r"[\u4e00-\u9fff]")
# A piece that is only numbers: counts, signed changes (增7, 减5874, +2, -54), money with a unit.
# A digit run is never split into two numbers ((?![\d,]) after it): a 40-digit run is no value,
# and the patterns stay linear on long runs.
_DIGITS = r"(?:\d{1,3}(?:,\d{3})+|\d{1,15})(?![\d,])(?:\.\d+)?"
_SIGNED = rf"(?:增|减|\+|-)?\s*{_DIGITS}\s*(?:万|亿)?\s*(?:万元|元|件|条|项|个)?"
_NUMBER_PIECE = re.compile(rf"^\s*{_SIGNED}(?:\s*{_SIGNED})*\s*$")
_ONE_NUMBER = re.compile(rf"(?P<sign>增|减|\+|-)?\s*(?P<num>{_DIGITS})\s*(?P<mult>万|亿)?"
                         r"\s*(?P<unit>万元|元)?")
# Cells that show nothing: empty, or a dash or slash drawn in the cell.
_DASH = re.compile(r"^[-—–―/\\/无]+$")
_RULE = re.compile(r"^:?-{3,}:?$")
# Digits that trail a row label in one piece: "…申请数量21 0 0 0 0 0 21".
# Where digits meet a row enumerator (2.申请人…, (二)部分公开, 四、结转…): sub-row enumerators
# are single digits, so the last digit before '.' starts the next row.
_GLUED_ROWS = re.compile(r"(?<=\d)(?=\d[.、]\s*[\u4e00-\u9fff“\"]"
                         r"|\([一二三四五六七八九十]\)|[一二三四五六七八九十]、)")
_TAIL = re.compile(rf"(?<![\d.])(?:\s*(?:{_SIGNED}|[-—–]))+\s*$")
_TAIL_TOKEN = re.compile(rf"{_SIGNED}|[-—–]")


class Cell(NamedTuple):
    """One table cell: its kind, the row a label names, a number's value and digits as written."""

    kind: str
    text: str
    label: str | None = None
    value: float | int | None = None
    signed: bool = False
    unit: str | None = None


def _number_cells(piece: str) -> list[Cell]:
    """The numbers of a piece that holds nothing else, each a cell."""
    found = []
    for match in _ONE_NUMBER.finditer(piece):
        value = to_number(match["num"].replace(",", ""), match["mult"])
        if value is None:
            continue
        if match["sign"] in ("减", "-"):
            value = -value
        # The unit as written after the digits: 元, 万元, or a bare 万/亿 (already multiplied in).
        found.append(Cell(NUMBER, match["num"], value=value, signed=bool(match["sign"]),
                          unit=match["unit"] or match["mult"]))
    return found


def _pieces(line: str) -> list[str]:
    """A line's cells: the text between '|', the row's outer separators dropped."""
    text = line.strip()
    if "|" not in text:
        return [text]
    if text.startswith("|"):
        text = text[1:]
    if text.endswith("|"):
        text = text[:-1]
    return text.split("|")


def _text_cells(piece: str, label_of: Callable[[str], str | None]) -> list[Cell]:
    """A piece with words in it: a row label (with the numbers glued after it), or plain text."""
    label = label_of(piece)
    if label is None:
        return [Cell(TEXT, piece)]
    tail = _TAIL.search(piece)
    if tail is None:
        return [Cell(LABEL, piece, label=label)]
    cells = [Cell(LABEL, piece[:tail.start()], label=label)]
    for token in _TAIL_TOKEN.finditer(tail.group()):
        text = token.group().strip()
        cells += [Cell(BLANK, text)] if _DASH.match(text) else _number_cells(text)
    return cells


# Cached: the templates' row labels and the small counts recur in every report.
@lru_cache(maxsize=16384)
def piece_cells(piece: str, label_of: Callable[[str], str | None]) -> tuple[Cell, ...]:
    """The cells one piece (the text between two '|') holds."""
    if piece.isdigit() and len(piece) <= MAX_DIGITS and piece.isascii():
        return (Cell(NUMBER, piece, value=int(piece)),)  # the common cell
    if not piece or _DASH.match(piece):
        return (Cell(BLANK, piece),)
    if _NUMBER_PIECE.match(piece):
        return tuple(_number_cells(piece))
    if _CJK.search(piece):
        return tuple(_text_cells(piece, label_of))
    return (Cell(TEXT, piece),)


def _unglued(piece: str) -> list[str]:
    """A piece cut where a row's digits run straight into the next row's enumerator
    (…国家秘密40000042.其他法律… → …国家秘密4000004 | 2.其他法律…)."""
    return _GLUED_ROWS.split(piece) if _GLUED_ROWS.search(piece) else [piece]


def _empty_cell_line(lines: list[str], index: int) -> bool:
    """A lone '|' among lines that each end with their cell's '|' (one cell per line) is an empty
    cell; between cells printed without one it only separates them."""
    return lines[index].strip() == "|" and index > 0 and lines[index - 1].rstrip().endswith("|")


def table_cells(lines: list[str], label_of: Callable[[str], str | None]) -> list[Cell]:
    """Every cell of `lines` in reading order; `label_of` names the row a text piece labels."""
    cells: list[Cell] = []
    glued = _GLUED_ROWS.search("\n".join(lines)) is not None  # rare; most tables skip the split
    for index, line in enumerate(lines):
        pieces = [part.strip() for piece in _pieces(line) for part in (_unglued(piece) if glued else [piece])]
        if not any(pieces) and not _empty_cell_line(lines, index):
            continue  # a line of bare separators draws merged cells
        if all(_RULE.match(piece) for piece in pieces):
            continue  # a Markdown rule under a header row (|---|---|) holds no cells
        for piece in pieces:
            cells += piece_cells(piece, label_of)
    return cells
