"""Contradictions the parser sees inside one report and resolves, reported as findings.

The parser still chooses one value (the title year, the table figure); a finding says what it
chose, what the report also says, and where. Each rule is general wording, never a file, and
fires only on what it can tell for certain: precision over recall.
"""

from __future__ import annotations

import re

from . import identify
from .metrics import Values
from .model import UNCONFIRMED, Finding
from .phrases import CHANNELS

YEAR_CONFLICT = "year_conflict"
NARRATIVE_TABLE_CONFLICT = "narrative_table_conflict"
SHORT_TABLE_ROW = "short_table_row"
UNMAPPED_CHANNEL = "unmapped_channel"
COMBINED_OUTCOME = "combined_outcome"
STALE_DATE_IGNORED = "stale_date_ignored"
TABLE_ARITHMETIC = "table_arithmetic"
CODES = (YEAR_CONFLICT, NARRATIVE_TABLE_CONFLICT, SHORT_TABLE_ROW, UNMAPPED_CHANNEL,
         COMBINED_OUTCOME, STALE_DATE_IGNORED, TABLE_ARITHMETIC)

_SENTENCE = re.compile(r"[^。\n]+")
_SELF = re.compile(r"本(?:年度)?报告|本年报")
_CHANNEL_WORD = re.compile("|".join(f"(?:{word})" for word, _ in CHANNELS.values()))
_CHANNEL = re.compile("|".join(f"(?:{word}{verb})" for word, verb in CHANNELS.values()))
# A listed channel: after a list separator, a short name, 申请/提交 and a count (书面申请7件).
_CHANNEL_ITEM = re.compile(r"(?:^|[,、;:]|其中)\s*(?:通过|以)?(?P<word>[\u4e00-\u9fff]{2,4}?)"
                           r"(?:方式|形式|渠道)?(?:申请|提交|提出)(?:的)?\s*(?P<num>\d+)\s*件")
_NOT_A_CHANNEL = re.compile(r"新收|受理|收到|接到|办理|结转|公开|信息|本年|上年|全年|共|累计|其中")
_COMBINED = re.compile(r"(?P<kw>(?:同意|予以)?(?:全部)?公开或部分公开|(?:予以)?公开(?:和|及|与)部分公开)"
                       r"(?:的|共|为)?\s*(?P<num>\d+)\s*件")
# A page widget's date (2019年12月3日星期二) stands on its own line; it dates the page view.
_WIDGET_DATE = re.compile(r"^\s*((?:19|20)\d{2})年(\d{1,2})月(\d{1,2})日\s*星期[一二三四五六日天]\s*$",
                          re.M)


def year_findings(text: str, title: identify.Title, year: int | None) -> list[Finding]:
    """The chosen (title) year against the statistical period and the report's self-description."""
    if year is None or title.year != year:
        return []
    stated: dict[int, str] = {}
    period = identify.period_match(text)
    if period:
        stated.setdefault(int(period["year"]), period.group().strip())
    for sentence in _SENTENCE.finditer(identify.without_citations(text[:5000])):
        if _SELF.search(sentence.group()):
            named = identify.TITLE.search(sentence.group())
            if named:
                stated.setdefault(int(named["year"]), named.group().strip())
    return [Finding(YEAR_CONFLICT, f"report year {year} taken from the title; the report also "
                    f"says {other}", evidence[:160])
            for other, evidence in stated.items() if other != year]


def merge_prose_and_tables(narrative: Values, tables: Values) -> list[Finding]:
    """Put the table figures into `narrative` (they win, unless the parser summed the figure from
    sub-rows that do not add up and the prose states it); a finding for each disagreement."""
    found = []
    for key, table in tables.items():
        prose = narrative.get(key)
        if prose is None or table.value == prose.value:
            narrative[key] = table
            continue
        # A category the table gives only as sub-rows is the parser's sum; where the prose
        # states the category itself, the stated figure is kept.
        keep_prose = table.derived and prose.confidence != UNCONFIRMED
        kept = ("prose value is kept (the table states only sub-rows, summed by the parser)" if keep_prose
                else "table value is kept")
        scope, metric = key
        found.append(Finding(
            NARRATIVE_TABLE_CONFLICT,
            f"{metric} ({scope}): table {_show(table.value)}, prose {_show(prose.value)}; the {kept}",
            f"prose: {prose.evidence[:70]} | table: {table.evidence[:70]}"))
        if not keep_prose:
            narrative[key] = table
    return found


def channel_findings(text: str) -> list[Finding]:
    """Channels listed beside standard ones (网络申请14件,书面申请7件) that map to none."""
    found = []
    for sentence in _SENTENCE.finditer(text):
        if not _CHANNEL.search(sentence.group()):
            continue
        for item in _CHANNEL_ITEM.finditer(sentence.group()):
            word = item["word"]
            if _CHANNEL_WORD.search(word) or _NOT_A_CHANNEL.search(word):
                continue
            found.append(Finding(UNMAPPED_CHANNEL, f"applications by {word}: {item['num']}, "
                                 "a channel that maps to no standard channel; not stored",
                                 sentence.group().strip()[:160]))
    return found


def combined_findings(text: str) -> list[Finding]:
    """A figure covering 公开 and 部分公开 together, which cannot be split into the two metrics."""
    if not any(joined in text for joined in ("或部分公开", "和部分公开", "及部分公开", "与部分公开")):
        return []  # the pattern needs one of these; plain scans are far cheaper than the regex
    return [Finding(COMBINED_OUTCOME, f"{match['num']} applications granted or partly granted "
                    "as one figure; not split into granted and partly_granted", match.group())
            for match in _COMBINED.finditer(text)]


def stale_date_findings(text: str, year: int | None) -> list[Finding]:
    """Dates before the covered year (page widgets, stale stamps) that were not taken as dates."""
    if year is None:
        return []
    dates = [((int(m[1]), int(m[2]), int(m[3])), m.group().strip())
             for m in _WIDGET_DATE.finditer(text[:3000])]
    dates += identify.date_candidates(text)
    seen, found = set(), []
    for (y, m, d), shown in dates:
        if y < year and shown not in seen:
            seen.add(shown)
            found.append(Finding(STALE_DATE_IGNORED, f"date {y:04d}-{m:02d}-{d:02d} is before "
                                 f"the covered year {year}; ignored as publication date", shown))
    return found


def _show(value: float | int) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
