"""Cells glued together with no separator (2000002 for 2 0 0 0 0 0 2), split back.

A converter that drops the separators leaves a row's digits in one run. The run splits into
the row's cells in several ways; only splits whose cells satisfy the row's arithmetic are
kept, and the caller accepts one only when it is the single such split.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

# Longer runs are not a glued table row (and would make the split search slow).
_MAX_DIGITS = 16


def _splits(token: str, parts: int) -> Iterator[list[int]]:
    """Every way to cut a digit run into `parts` numbers without leading zeros."""
    if parts == 1:
        if token and (token == "0" or not token.startswith("0")):
            yield [int(token)]
        return
    first_max = len(token) - parts + 1
    for cut in range(1, first_max + 1):
        head = token[:cut]
        if head != "0" and head.startswith("0"):
            break
        for rest in _splits(token[cut:], parts - 1):
            yield [int(head), *rest]


def _distributions(lengths: list[int], total: int) -> Iterator[list[int]]:
    """How many parts each run gives (at least one, at most its length), adding up to `total`."""
    if not lengths:
        if total == 0:
            yield []
        return
    for parts in range(1, min(lengths[0], total - len(lengths) + 1) + 1):
        for rest in _distributions(lengths[1:], total - parts):
            yield [parts, *rest]


def glued_readings(tokens: list[str], columns: int, accept: Callable[[list], bool]) -> list[list]:
    """The distinct ways to read digit runs as `columns` cells that `accept` takes."""
    if not tokens or len(tokens) >= columns or not all(t.isdigit() for t in tokens):
        return []
    digits = sum(len(token) for token in tokens)
    if digits < columns or digits > _MAX_DIGITS:
        return []
    found: list[list] = []
    for distribution in _distributions([len(t) for t in tokens], columns):
        for cells in _combine(tokens, distribution):
            if accept(cells) and cells not in found:
                found.append(cells)
    return found


def _combine(tokens: list[str], distribution: list[int]) -> Iterator[list[int]]:
    if not tokens:
        yield []
        return
    for head in _splits(tokens[0], distribution[0]):
        for rest in _combine(tokens[1:], distribution[1:]):
            yield head + rest


def _block_splits(digits: str, size: int) -> Iterator[tuple[list[int], str]]:
    """Cuts of the front of `digits` into one block of `size` numbers whose last is the sum of
    the others, with what is left (cells of up to four digits)."""
    def cut(rest: str, taken: list[int]) -> Iterator[tuple[list[int], str]]:
        if len(taken) == size:
            if taken[-1] == sum(taken[:-1]):
                yield taken, rest
            return
        for length in range(1, min(4, len(rest)) + 1):
            part = rest[:length]
            if part != "0" and part.startswith("0"):
                break
            yield from cut(rest[length:], [*taken, int(part)])

    yield from cut(digits, [])


def glued_blocks(digits: str, blocks: int, size: int) -> list[list[int]]:
    """The distinct ways to read a digit run as `blocks` blocks of `size` cells, each block's
    last cell the sum of its others (table 四: three blocks of 维持, 纠正, 其他, 尚未审结, 总计)."""
    if not digits.isdigit() or not blocks * size <= len(digits) <= blocks * size * 4:
        return []

    def read(rest: str, left: int) -> Iterator[list[int]]:
        if left == 0:
            if not rest:
                yield []
            return
        for block, remaining in _block_splits(rest, size):
            for tail in read(remaining, left - 1):
                yield block + tail

    found: list[list[int]] = []
    for cells in read(digits, blocks):
        if cells not in found:
            found.append(cells)
        if len(found) > 1:
            break
    return found
