"""Which scope a stretch of text speaks for: 全省 (whole) or 省本级 (own).

Reports that give both scopes put them under headings ((一)全市情况 / (二)市本级情况) above a
table each, or lead sentences with the scope word (市本级受理申请…). A heading holds until the
next scope heading or the next report section (四、…); a scope word holds to the sentence end.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import lru_cache

from .phrases import SCOPE_OWN, SCOPE_WHOLE

_ENUMERATOR = r"(?:\([一二三四五六七八九十\d]{1,3}\)|[一二三四五六七八九十]{1,2}[、.]|\d{1,2}[.、])?"
_SCOPE_WORD = rf"(?P<own>{SCOPE_OWN.pattern})|(?P<whole>{SCOPE_WHOLE.pattern})"
# A short line naming the scope and ending like a caption: (二)省本级情况 / 全市数据 / 市本级统计表.
_HEADING = re.compile(
    rf"^\s*{_ENUMERATOR}\s*[\u4e00-\u9fff]{{0,12}}?(?:{_SCOPE_WORD})[^\d|。,;]{{0,24}}?"
    r"(?:情况|数据|统计表?|汇总表?)(?:表)?\s*[::]?\s*$")
# A report section (四、政府信息公开行政复议…), not a table-三 row that shares the numbering.
_SECTION = re.compile(r"^\s*[一二三四五六七八]、(?!\s*(?:本年新收|上年结转|本年度办理结果|结转下))[^\d|]*$")
_SENTENCE_END = "。"
# A caption is short; longer lines are never headings and are not handed to the regex.
_MAX_HEADING = 80


def heading_scope(line: str) -> str | None:
    """'own' or 'whole' when the line is a scope heading, else None."""
    match = _HEADING.match(line) if len(line) <= _MAX_HEADING else None
    if not match:
        return None
    return "own" if match["own"] else "whole"


def segments(lines: list[str]) -> list[tuple[str, list[str]]]:
    """The lines cut into runs of one scope; a text without scope headings is one 'whole' run."""
    scopes = [heading_scope(line) for line in lines]
    if "own" not in scopes:
        return [("whole", lines)]
    runs: list[tuple[str, list[str]]] = [("whole", [])]
    for line, scope in zip(lines, scopes, strict=True):
        if scope is None and runs[-1][0] != "whole" and _SECTION.match(line):
            scope = "whole"
        if scope is not None and runs[-1][1]:
            runs.append((scope, []))  # each heading starts a run: (一)全省情况 again is a new table
        elif scope is not None:
            runs[-1] = (scope, [])
        runs[-1][1].append(line)
    return runs


@lru_cache(maxsize=4)
def _scope_marks(paragraph: str) -> tuple[list[int], list[tuple[int, int]], list[tuple[int, int]]]:
    """Sentence ends and (end, start) of own and whole scope words, found once per paragraph.

    scope_at runs for every figure of a paragraph; rescanning the sentence each time is
    quadratic in a long sentence with many figures.
    """
    ends = [m.start() for m in re.finditer(_SENTENCE_END, paragraph)]
    own = [(m.end(), m.start()) for m in SCOPE_OWN.finditer(paragraph)
           if m.start() == 0 or paragraph[m.start() - 1] != "("]
    whole = [(m.end(), m.start()) for m in SCOPE_WHOLE.finditer(paragraph)]
    return ends, own, whole


def _last_start(marks: list[tuple[int, int]], sentence_start: int, position: int) -> int | None:
    """Start of the last mark lying wholly between the sentence start and `position`."""
    index = bisect_right(marks, (position, position)) - 1
    if index >= 0 and marks[index][1] >= sentence_start:
        return marks[index][1]
    return None


def scope_at(paragraph: str, position: int) -> str:
    """'own' after 省本级/市本级 earlier in the same sentence (not inside a bracketed aside)."""
    ends, own, whole = _scope_marks(paragraph)
    before = bisect_left(ends, position)
    sentence_start = ends[before - 1] + 1 if before else 0
    own_at = _last_start(own, sentence_start, position)
    whole_at = _last_start(whole, sentence_start, position)
    return "own" if own_at is not None and (whole_at is None or own_at > whole_at) else "whole"
