"""Figures stated in running text: sentences matched against the phrase vocabulary."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from . import phrases
from .metrics import Values, add_category_sums, add_litigation_sums, put
from .numbers import to_number
from .prefilter import all_literals, literals_in, may_match, required_literals
from .scopes import scope_at

_TABLE_ROW = re.compile(r"\||\d\s+\d+\s+\d")
_HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|\([一二三四五六七八九十\d]{1,3}\)|\d{1,2}[.、])")
_BARE_HEADING = re.compile(r"[^。,;:\d]{2,30}")
_PARAGRAPH_END = ("。", ";", ":", "!", "?", ")", "》", "”")
_CLAUSE = re.compile(r"[^。;,!?]+")
_HAS_COUNT = re.compile(r"\d|[零〇一二两三四五六七八九十百千万][余多]?[件份条起宗例元]")
_APPLICATION_TOPIC = re.compile(r"申请|新收|结转")
_DIGIT = re.compile(r"\d")
_YEAR = re.compile(r"(?:19|20)\d{2}\s*年度?")

# Each pattern with the literals it cannot match without, so most rules skip most paragraphs.
_RULES = [(metrics, pattern, strength, required_literals(pattern))
          for metrics, pattern, strength in phrases.RULES]
_OUTCOMES = [(name, pattern, required_literals(pattern)) for name, pattern in phrases.OUTCOMES]
_ZERO_RULES = [(rule, required_literals(rule[1])) for rule in phrases.ZERO_RULES]
_WANTED = all_literals([rule[-1] for rule in _RULES + _OUTCOMES + _ZERO_RULES])


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


def _candidate(match: re.Match, strength: int, keyword_at: int,
               metrics: tuple[str, ...]) -> Candidate | None:
    """A claim on a matched number, or None when the digits are no plausible value."""
    value = to_number(match["num"], match["mult"])
    if value is None:
        return None
    return Candidate(strength, keyword_at, match.start("num"), match.end(), metrics, value,
                     match.group())


def _rule_candidates(paragraph: str, present: set[str]) -> list[Candidate]:
    found = []
    for metrics, pattern, strength, required in _RULES:
        if not may_match(required, present):
            continue
        for match in pattern.finditer(paragraph):
            if strength or _about_applications(paragraph, match.start()):
                found.append(_candidate(match, strength, match.start("kw"), metrics))
    return [candidate for candidate in found if candidate]


def _block_at(markers: list[tuple[int, str]], position: int) -> str | None:
    """The review block (复议, 诉讼, ...) named last before `position`."""
    index = bisect_right(markers, position, key=lambda marker: marker[0])
    return markers[index - 1][1] if index else None


def _review_candidates(paragraph: str, present: set[str]) -> list[Candidate]:
    markers = [(m.start(), m.lastgroup) for m in phrases.BLOCK_MARKER.finditer(paragraph)]
    found: list[Candidate | None] = []
    if not markers:
        return []  # every review figure follows a 复议/诉讼 word
    for match in phrases.BLOCK_TOTAL.finditer(paragraph):
        block = _block_at(markers, match.start())
        found.append(_candidate(match, 1, match.start(), (f"{block}_total",)))
    for outcome, pattern, required in _OUTCOMES:
        if not may_match(required, present):
            continue
        for match in pattern.finditer(paragraph):
            block = _block_at(markers, match.start())
            if block:
                found.append(_candidate(match, 1, match.start("kw"), (f"{block}_{outcome}",)))
    return [candidate for candidate in found if candidate]


def _closest(candidates: list[Candidate]) -> list[Candidate]:
    """One claim per number: the strongest rule, then the one whose keyword stands closest."""
    best: dict[int, Candidate] = {}
    for candidate in candidates:
        held = best.get(candidate.number_at)
        rank = (candidate.strength, candidate.keyword_at)
        if held is None or rank > (held.strength, held.keyword_at):
            best[candidate.number_at] = candidate
    return sorted(best.values(), key=lambda c: c.number_at)


def _paragraph_values(paragraph: str, present: set[str], values: Values) -> None:
    if not _HAS_COUNT.search(paragraph):
        return  # most prose states no figure; skip the rule set for it
    candidates = _rule_candidates(paragraph, present) + _review_candidates(paragraph, present)
    for candidate in _closest(candidates):
        scope = scope_at(paragraph, candidate.keyword_at)
        aside = phrases.OWN_ASIDE.match(paragraph, candidate.end)
        for metric in candidate.metrics:
            put(values, scope, metric, candidate.value, candidate.evidence)
            own_value = to_number(aside["num"], aside["mult"]) if aside else None
            if own_value is not None:
                put(values, "own", metric, own_value, aside.group())


def _zero_statements(paragraph: str, present: set[str], values: Values) -> None:
    """'未发生…行政复议' style sentences state a zero without writing a number."""
    rules = [rule for rule, required in _ZERO_RULES if may_match(required, present)]
    if not rules:
        return  # no negation word in the paragraph
    for clause in _CLAUSE.finditer(paragraph):
        text = clause.group()
        if _DIGIT.search(_YEAR.sub("", text)):
            continue
        for metric, negation, topic, excluded in rules:
            if negation.search(text) and topic.search(text) and not excluded.search(text):
                if metric != "fees_yuan" or phrases.ZERO_FEE_TOPIC.search(text):
                    put(values, scope_at(paragraph, clause.end()), metric, 0, text)


def _proactive_claims(paragraph: str):
    """(rank, evidence start, match) for each proactive figure: 0 全市/共…主动公开, 1 主动公开, 2 公开."""
    for match in phrases.PROACTIVE.finditer(paragraph):
        head = match.start()
        active = paragraph.startswith(phrases.PROACTIVE_ACTIVE, head - 2)
        head -= 2 if active else 0
        lead = phrases.PROACTIVE_LEAD.search(paragraph, max(0, head - 10), head)
        rank = 0 if lead and active else 1 if active else 2
        yield rank, lead.start() if lead else head, match


def _proactive_total(paragraphs: list[str], values: Values) -> None:
    """The proactive total per scope, the strongest wording first (see `_proactive_claims`)."""
    best: dict[str, tuple[int, str, re.Match]] = {}
    for paragraph in paragraphs:
        if "信息" not in paragraph or not _HAS_COUNT.search(paragraph):
            continue
        for rank, start, match in _proactive_claims(paragraph):
            scope = scope_at(paragraph, match.start("num"))
            if scope not in best or rank < best[scope][0]:
                best[scope] = (rank, paragraph[start:match.end()], match)
    for scope, (_, evidence, match) in best.items():
        value = to_number(match["num"], match["mult"])
        if value is not None:
            put(values, scope, "proactive_total", value, evidence)


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
        # A short numbered heading (四、…收费情况) is a paragraph of its own, not a wrapped line.
        heading = _HEADING.match(paragraphs[-1]) and _BARE_HEADING.fullmatch(paragraphs[-1])
        joinable = not (heading or paragraphs[-1].endswith(_PARAGRAPH_END))
    return paragraphs


def extract_narrative(text: str) -> Values:
    """All metrics stated in the report's prose (table rows are left to tables.py)."""
    values: Values = {}
    paragraphs = reflow(text)
    present = [literals_in(paragraph, _WANTED) for paragraph in paragraphs]
    for paragraph, literals in zip(paragraphs, present, strict=True):
        _paragraph_values(paragraph, literals, values)
    _proactive_total(paragraphs, values)
    for paragraph, literals in zip(paragraphs, present, strict=True):
        _zero_statements(paragraph, literals, values)
    add_category_sums(values, require_all=False)
    add_litigation_sums(values)
    return values
