"""Figures stated in running text: sentences matched against the phrase vocabulary."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from . import phrases
from .metrics import Values, add_category_sums, add_litigation_sums, put
from .numbers import to_number
from .prefilter import all_literals, literals_in, may_match, required_literals
from .proactive import proactive_total
from .scopes import scope_at
from .zeros import ZERO_LITERALS, zero_statements

_TABLE_ROW = re.compile(r"\d\s+\d+\s+\d")
# A piece between '|' this long, or holding a full stop, is a sentence, not a table cell.
_PROSE_PIECE = 40
_HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|\([一二三四五六七八九十\d]{1,3}\)|\d{1,2}[.、])")
_BARE_HEADING = re.compile(r"[^。,;:\d]{2,30}")
_PARAGRAPH_END = ("。", ";", ":", "!", "?", ")", "》", "”")
_HAS_COUNT = re.compile(r"\d|[零〇一二两三四五六七八九十百千万][余多]?[件份条起宗例元项]")
_APPLICATION_TOPIC = re.compile(r"申请|新收|结转")
_OTHER_CHANNELS = re.compile(r"信箱|信件|留言|来信|热线|咨询|12345|建议|提案|议案|诉求|事项办件")
_OUTCOME_WORDS = re.compile(r"予以公开|同意公开|不予公开|部分公开|无法提供|不予处理")

# Each pattern with the literals it cannot match without, so most rules skip most paragraphs.
_RULES = [(rule, required_literals(rule.pattern)) for rule in phrases.RULES]
_OUTCOMES = [(name, pattern, required_literals(pattern)) for name, pattern in phrases.OUTCOMES]
_WANTED = all_literals([required for _, required in _RULES] + [o[-1] for o in _OUTCOMES]) | ZERO_LITERALS


@dataclass
class Candidate:
    """A number some rule claims: where its keyword and number stand, and for which metrics."""

    strength: int
    priority: int
    keyword_at: int
    number_at: int
    end: int
    metrics: tuple[str, ...]
    value: float | int
    evidence: str


def _about_applications(paragraph: str, position: int) -> bool:
    """Bare 办结/办理 counts only where the text is about disclosure applications: their
    sentence or the one before names them (申请, 新收, 结转), or the sentence lists outcomes."""
    start = paragraph.rfind("。", 0, position) + 1
    previous = paragraph.rfind("。", 0, max(0, start - 1)) + 1
    end = paragraph.find("。", position)
    sentence = paragraph[start:end if end >= 0 else len(paragraph)]
    clause_start = max(paragraph.rfind(mark, 0, position) for mark in "。,;") + 1
    clause_end = min((i for i in (paragraph.find(mark, position) for mark in "。,;") if i >= 0),
                     default=len(paragraph))
    if _OTHER_CHANNELS.search(paragraph, clause_start, clause_end):
        return False  # 受理领导信箱337件,均按期办结: letters to a mailbox, not applications
    return bool(_APPLICATION_TOPIC.search(paragraph[previous:start]) or _APPLICATION_TOPIC.search(sentence)
                or _OUTCOME_WORDS.search(sentence))


def _candidate(match: re.Match, rule: phrases.Rule, metrics: tuple[str, ...] | None = None,
               number_group: str = "num") -> Candidate | None:
    """A claim on a matched number, or None when the digits are no plausible value."""
    value = to_number(match[number_group], match["mult"])
    if value is None:
        return None
    return Candidate(rule.strength, rule.priority, match.start("kw"), match.start(number_group),
                     match.end(), metrics or rule.metrics, value, match.group())


def _year_holds(match: re.Match, rule: phrases.Rule, year: int | None) -> bool:
    """A rule naming a year (2024年结转) holds only for the report year it is relative to."""
    if rule.year_offset is None:
        return True
    return year is not None and int(match["y"]) == year + rule.year_offset


def _rule_candidates(paragraph: str, present: set[str], year: int | None) -> list[Candidate]:
    found = []
    for rule, required in _RULES:
        if not may_match(required, present):
            continue
        for match in rule.pattern.finditer(paragraph):
            if not _year_holds(match, rule, year):
                continue
            if rule.strength > 0 or _about_applications(paragraph, match.start()):
                found.append(_candidate(match, rule))
    return [candidate for candidate in found if candidate]


def _block_at(markers: list[tuple[int, str]], position: int) -> str | None:
    """The review block (复议, 诉讼, ...) named last before `position`."""
    index = bisect_right(markers, position, key=lambda marker: marker[0])
    return markers[index - 1][1] if index else None


_REVIEW_RULE = phrases.Rule((), re.compile(""), strength=1)


def _review_candidates(paragraph: str, present: set[str]) -> list[Candidate]:
    markers = [(m.start(), m.lastgroup) for m in phrases.BLOCK_MARKER.finditer(paragraph)]
    found: list[Candidate | None] = []
    if not markers:
        return []  # every review figure follows a 复议/诉讼 word
    for match in phrases.BLOCK_TOTAL.finditer(paragraph):
        block = _block_at(markers, match.start())
        total = _candidate_at(match, match.start(), (f"{block}_total",))
        found.append(total)
        after = phrases.OUTCOME_AFTER_TOTAL.match(paragraph, match.end())
        if total and after:  # 行政复议1件,结果维持: the one outcome is the whole count
            found.append(Candidate(1, 1, after.start(), after.start(), after.end(),
                                   (f"{block}_{after.lastgroup}",), total.value,
                                   match.group() + after.group()))
    for outcome, pattern, required in _OUTCOMES:
        if not may_match(required, present):
            continue
        for match in pattern.finditer(paragraph):
            block = _block_at(markers, match.start())
            if block:
                found.append(_candidate(match, _REVIEW_RULE, (f"{block}_{outcome}",)))
    return [candidate for candidate in found if candidate]


def _candidate_at(match: re.Match, keyword_at: int, metrics: tuple[str, ...]) -> Candidate | None:
    value = to_number(match["num"], match["mult"])
    if value is None:
        return None
    return Candidate(1, 1, keyword_at, match.start("num"), match.end(), metrics, value, match.group())


def _closest(candidates: list[Candidate]) -> list[Candidate]:
    """One claim per number: the strongest rule, then the one whose keyword stands closest."""
    best: dict[int, Candidate] = {}
    for candidate in candidates:
        held = best.get(candidate.number_at)
        rank = (candidate.strength, candidate.keyword_at)
        if held is None or rank > (held.strength, held.keyword_at):
            best[candidate.number_at] = candidate
    return sorted(best.values(), key=lambda c: c.number_at)


# A chosen figure per (scope, metric): (priority, order in the text, value, evidence).
Claims = dict[tuple[str, str], tuple[int, int, float | int, str]]


def _claim(claims: Claims, key: tuple[str, str], priority: int, order: int, value, evidence: str) -> None:
    """Keep the claim of highest priority, the first in the text among equals."""
    held = claims.get(key)
    if held is None or priority > held[0]:
        claims[key] = (priority, order, value, evidence)


def _after_part_word(stops: list[int], parts: list[int], position: int) -> bool:
    """A 其中 stands between the sentence start and `position` (positions found once per
    paragraph: slicing the sentence per claim is quadratic in a long unpunctuated paragraph)."""
    index = bisect_right(stops, position)
    sentence_start = stops[index - 1] + 1 if index else 0
    first_part = bisect_left(parts, sentence_start)
    return first_part < len(parts) and parts[first_part] < position


def _paragraph_claims(paragraph: str, present: set[str], year: int | None, claims: Claims,
                      offset: int) -> None:
    if not _HAS_COUNT.search(paragraph):
        return  # most prose states no figure; skip the rule set for it
    candidates = _rule_candidates(paragraph, present, year) + _review_candidates(paragraph, present)
    stops = [m.start() for m in re.finditer("。", paragraph)]
    parts = [m.start() for m in re.finditer("其中", paragraph)]
    for candidate in _closest(candidates):
        scope = scope_at(paragraph, candidate.keyword_at)
        # A count after 其中 is a part of an earlier one (其中…电话回复2件): it yields to the whole.
        priority = candidate.priority - 2 * _after_part_word(stops, parts, candidate.keyword_at)
        aside = phrases.OWN_ASIDE.match(paragraph, candidate.end)
        own_value = to_number(aside["num"], aside["mult"]) if aside else None
        for metric in candidate.metrics:
            _claim(claims, (scope, metric), priority, offset + candidate.number_at,
                   candidate.value, candidate.evidence)
            if own_value is not None:
                _claim(claims, ("own", metric), priority, offset + aside.start(), own_value, aside.group())


def _prose_lines(text: str):
    """Lines of running text: a table row's short cells are dropped, but a long sentence that a
    page put between '|' separators (a whole report body on one line) is prose."""
    for line in text.split("\n"):
        if "|" not in line:
            yield line
            continue
        yield ""  # a table row ends the paragraph before it
        for piece in line.split("|"):
            if len(piece) >= _PROSE_PIECE or "。" in piece:
                yield piece
                yield ""


def reflow(text: str) -> list[str]:
    """Prose paragraphs, with PDF line wraps joined back; table rows dropped."""
    paragraphs: list[str] = []
    joinable = False
    for line in _prose_lines(text):
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


def extract_narrative(text: str, year: int | None = None) -> Values:
    """All metrics stated in the report's prose (table rows are left to tables.py).

    `year` is the report's year, which rules naming a year (2024年结转…) are relative to.
    """
    values: Values = {}
    paragraphs = reflow(text)
    present = [literals_in(paragraph, _WANTED) for paragraph in paragraphs]
    claims: Claims = {}
    offset = 0
    for paragraph, literals in zip(paragraphs, present, strict=True):
        _paragraph_claims(paragraph, literals, year, claims, offset)
        offset += len(paragraph) + 1
    for (scope, metric), (_, _, value, evidence) in sorted(claims.items(), key=lambda item: item[1][1]):
        put(values, scope, metric, value, evidence)
    proactive_total(paragraphs, year, values)
    for index, (paragraph, literals) in enumerate(zip(paragraphs, present, strict=True)):
        zero_statements(paragraph, literals, values, paragraphs[index - 1] if index else "")
    add_category_sums(values, require_all=False)
    add_litigation_sums(values)
    return values
