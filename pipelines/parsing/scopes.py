"""Which scope a stretch of text speaks for: 全省 (whole) or 省本级 (own).

Reports that give both scopes put them under headings ((一)全市情况 / (二)市本级情况) above a
table each, or lead sentences with the scope word (市本级受理申请…). A heading holds until the
next scope heading or the next report section (四、…); a scope word holds to the sentence end.
"""

from __future__ import annotations

import re

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


def heading_scope(line: str) -> str | None:
    """'own' or 'whole' when the line is a scope heading, else None."""
    match = _HEADING.match(line)
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


def scope_at(paragraph: str, position: int) -> str:
    """'own' after 省本级/市本级 earlier in the same sentence (not inside a bracketed aside)."""
    sentence = paragraph[paragraph.rfind(_SENTENCE_END, 0, position) + 1:position]
    own = [m.start() for m in SCOPE_OWN.finditer(sentence)
           if m.start() == 0 or sentence[m.start() - 1] != "("]
    whole = [m.start() for m in SCOPE_WHOLE.finditer(sentence)]
    return "own" if own and (not whole or own[-1] > whole[-1]) else "whole"
