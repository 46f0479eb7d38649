"""Figures stated in running text: sentences matched against the phrase vocabulary."""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import phrases
from .metrics import Values, add_category_sums, add_litigation_sums, put
from .numbers import to_number

_TABLE_ROW = re.compile(r"\||\d\s+\d+\s+\d")
_HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|\([一二三四五六七八九十\d]{1,3}\)|\d{1,2}[.、])")
_PARAGRAPH_END = ("。", ";", ":", "!", "?", ")", "》", "”")
_CLAUSE = re.compile(r"[^。;,!?]+")
_HAS_COUNT = re.compile(r"\d|[零〇一二两三四五六七八九十百千][件份条起宗例]")
_APPLICATION_TOPIC = re.compile(r"申请|新收|结转")
_YEAR = re.compile(r"(?:19|20)\d{2}\s*年度?")


@dataclass
class Candidate:
    """A number some rule claims: where its keyword and number stand, and for which metrics."""

    strength: int
    keyword_at: int
    number_at: int
    end: int
    metrics: tuple[str, ...]
    value: float | int
    evidence: str


def _about_applications(paragraph: str, position: int) -> bool:
    """Bare 办结/答复 counts only in a sentence about disclosure applications (申请, 新收)."""
    start = paragraph.rfind("。", 0, position) + 1
    end = paragraph.find("。", position)
    return bool(_APPLICATION_TOPIC.search(paragraph[start:end if end >= 0 else len(paragraph)]))


def _rule_candidates(paragraph: str) -> list[Candidate]:
    found = []
    for metrics, pattern, strength in phrases.RULES:
        for match in pattern.finditer(paragraph):
            value = to_number(match["num"], match["mult"])
            if value is not None and (strength or _about_applications(paragraph, match.start())):
                found.append(Candidate(strength, match.start("kw"), match.start("num"), match.end(),
                                       metrics, value, match.group()))
    return found


def _block_at(markers: list[tuple[int, str]], position: int) -> str | None:
    block = None
    for start, name in markers:
        if start > position:
            break
        block = name
    return block


def _review_candidates(paragraph: str) -> list[Candidate]:
    markers = [(m.start(), m.lastgroup) for m in phrases.BLOCK_MARKER.finditer(paragraph)]
    found = []
    for match in phrases.BLOCK_TOTAL.finditer(paragraph):
        block = _block_at(markers, match.start())
        found.append(Candidate(1, match.start(), match.start("num"), match.end(), (f"{block}_total",),
                               to_number(match["num"], match["mult"]), match.group()))
    for outcome, pattern in phrases.OUTCOMES:
        for match in pattern.finditer(paragraph):
            block = _block_at(markers, match.start())
            if block:
                found.append(Candidate(1, match.start("kw"), match.start("num"), match.end(),
                                       (f"{block}_{outcome}",),
                                       to_number(match["num"], match["mult"]), match.group()))
    return found


def _closest(candidates: list[Candidate]) -> list[Candidate]:
    """One claim per number: the strongest rule, then the one whose keyword stands closest."""
    best: dict[int, Candidate] = {}
    for candidate in candidates:
        held = best.get(candidate.number_at)
        rank = (candidate.strength, candidate.keyword_at)
        if held is None or rank > (held.strength, held.keyword_at):
            best[candidate.number_at] = candidate
    return sorted(best.values(), key=lambda c: c.number_at)


def _scope_at(paragraph: str, position: int) -> str:
    """'own' after 省本级/市本级 in the same sentence (not inside a bracketed aside)."""
    sentence_start = max(paragraph.rfind(mark, 0, position) for mark in "。;") + 1
    sentence = paragraph[sentence_start:position]
    own = [m.start() for m in phrases.SCOPE_OWN.finditer(sentence)
           if m.start() == 0 or sentence[m.start() - 1] != "("]
    whole = [m.start() for m in phrases.SCOPE_WHOLE.finditer(sentence)]
    return "own" if own and (not whole or own[-1] > whole[-1]) else "whole"


def _paragraph_values(paragraph: str, values: Values) -> None:
    if not _HAS_COUNT.search(paragraph):
        return  # most prose states no figure; skip the rule set for it
    for candidate in _closest(_rule_candidates(paragraph) + _review_candidates(paragraph)):
        scope = _scope_at(paragraph, candidate.keyword_at)
        aside = phrases.OWN_ASIDE.match(paragraph, candidate.end)
        for metric in candidate.metrics:
            put(values, scope, metric, candidate.value, candidate.evidence)
            if aside:
                put(values, "own", metric, to_number(aside["num"], aside["mult"]), aside.group())


def _zero_statements(paragraph: str, values: Values) -> None:
    """'未发生…行政复议' style sentences state a zero without writing a number."""
    for clause in _CLAUSE.findall(paragraph):
        if re.search(r"\d", _YEAR.sub("", clause)):
            continue
        for metric, negation, topic, excluded in phrases.ZERO_RULES:
            if negation.search(clause) and topic.search(clause) and not excluded.search(clause):
                if metric != "fees_yuan" or phrases.ZERO_FEE_TOPIC.search(clause):
                    put(values, "whole", metric, 0, clause)


def _proactive_total(paragraphs: list[str], values: Values) -> None:
    """The proactive total: 全市/共 主动公开 wording first, then any 主动公开, then 公开."""
    best = None
    for paragraph in paragraphs:
        if "信息" not in paragraph or not _HAS_COUNT.search(paragraph):
            continue
        for match in phrases.PROACTIVE.finditer(paragraph):
            rank = (0 if match["lead"] and match["active"] else 1 if match["active"] else 2)
            if best is None or rank < best[0]:
                best = (rank, match)
    if best:
        match = best[1]
        put(values, "whole", "proactive_total", to_number(match["num"], match["mult"]),
            match.group())


def reflow(text: str) -> list[str]:
    """Prose paragraphs, with PDF line wraps joined back; table rows dropped."""
    paragraphs: list[str] = []
    joinable = False
    for line in text.split("\n"):
        line = line.strip()
        if not line or _TABLE_ROW.search(line):
            joinable = False
            continue
        if joinable and not _HEADING.match(line):
            paragraphs[-1] += line
        else:
            paragraphs.append(line)
        joinable = not paragraphs[-1].endswith(_PARAGRAPH_END)
    return paragraphs


def extract_narrative(text: str) -> Values:
    """All metrics stated in the report's prose (table rows are left to tables.py)."""
    values: Values = {}
    paragraphs = reflow(text)
    for paragraph in paragraphs:
        _paragraph_values(paragraph, values)
    _proactive_total(paragraphs, values)
    for paragraph in paragraphs:
        _zero_statements(paragraph, values)
    add_category_sums(values, require_all=False)
    add_litigation_sums(values)
    return values
