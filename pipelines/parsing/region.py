"""Which division a report is about: find division names in the text and pick the subject's."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from . import divisions
from .divisions import Division

_CITED = re.compile(r"《[^《》]{0,80}》")
_SUFFIX = re.compile(f"[{''.join(sorted(divisions.SUFFIXES))}]")
_NAME_OPENERS = {"", "\n", " ", "年"}  # where a two-character 县 name may begin: 2017年邱县…


@dataclass(frozen=True)
class Mention:
    """A division name found in the text, with every division it may denote."""

    start: int
    name: str
    candidates: tuple[Division, ...]


def find_mentions(text: str) -> list[Mention]:
    """All division names in `text`, longest match at each name ending."""
    found: list[Mention] = []
    previous_end = 0
    for suffix in _SUFFIX.finditer(text):
        end = suffix.start()
        name = divisions.name_at(text, end)
        if not name or end - len(name) + 1 < previous_end:
            continue  # no name, or one overlapping the previous mention
        found.append(Mention(end - len(name) + 1, name, tuple(divisions.lookup(name))))
        previous_end = end + 1
    return [m for m in found if _plausible(m, found, text)]


def _plausible(mention: Mention, found: list[Mention], text: str) -> bool:
    """Two-character county names (渠县, 城区) count only where a name can begin or after their city.

    A two-character 县 (渠县, 应县) may open a line or follow a year (2017年邱县); elsewhere it
    may be a word (相应县) or a conjunction (《条例》和县政府). 城区/郊区/矿区 need their city.
    """
    if len(mention.name) > 2 or mention.candidates[0].level in ("province", "city"):
        return True
    before = text[mention.start - 1] if mention.start else ""
    if mention.name.endswith("县") and before in _NAME_OPENERS:
        return True
    parents = {m.candidates[0].city_code for m in found
               if m.start + len(m.name) == mention.start}
    return any(c.city_code in parents for c in mention.candidates)


def _ancestor_votes(mentions: list[Mention]) -> Counter:
    votes: Counter = Counter()
    for mention in mentions:
        for division in mention.candidates:
            votes[division.code] += 1
            votes[division.city_code] += 1
            votes[division.province_code] += 1
    return votes


def _resolve(mention: Mention, votes: Counter, previous: Mention | None) -> Division | None:
    """The reading of an ambiguous name best supported by its neighbours and the text; None
    when readings in different provinces are supported equally (a 滨海新区 with no parent named)."""
    def support(division: Division) -> tuple[int, int]:
        adjacent = previous is not None and any(
            p.code in (division.city_code, division.province_code) for p in previous.candidates)
        return (int(adjacent), votes[division.city_code] + votes[division.province_code])

    ranked = sorted(mention.candidates, key=support, reverse=True)
    best = ranked[0]
    tied = [d for d in ranked[1:] if support(d) == support(best) and d.province_code != best.province_code]
    return None if tied else best


_SPECIFICITY = {"province": 0, "city": 1, "county": 2, "district": 2}


def _unanchored_zone(mention: Mention, previous: Mention | None, body_mentions: list[Mention]) -> bool:
    """A 新区 name (滨海新区) is also what many development zones call themselves: it denotes the
    division only when its city or province is named too."""
    if not mention.name.endswith("新区") or previous is not None:
        return False
    division = mention.candidates[0]
    parents = _ancestor_votes([m for m in body_mentions if m.name != mention.name])
    return not (parents[division.city_code] or parents[division.province_code])


def subject_division(subject: str, text: str) -> tuple[str | None, Division | None]:
    """The report's own division: the most specific one named in its subject, else the text's."""
    body_mentions = find_mentions(text[:6000])
    votes = _ancestor_votes(body_mentions)
    own = find_mentions(subject) if subject else []
    if own:
        chosen = max(range(len(own)), key=lambda i: (_SPECIFICITY[own[i].candidates[0].level], i))
        start = own[0].start
        end = own[chosen].start + len(own[chosen].name)
        previous = own[chosen - 1] if chosen else None
        if _unanchored_zone(own[chosen], previous, body_mentions):
            return subject[start:end], None
        return subject[start:end], _resolve(own[chosen], votes, previous)
    uncited = find_mentions(_CITED.sub("", text[:3000]))
    pool = uncited or body_mentions
    if pool:
        counts = Counter(m.name for m in pool)
        top = max(pool, key=lambda m: (counts[m.name], -m.start))
        if _unanchored_zone(top, None, body_mentions):
            return top.name, None
        return top.name, _resolve(top, votes, None)
    return _short_name_guess(text)


def _short_name_guess(text: str) -> tuple[str | None, Division | None]:
    """Last resort: a portal named after a prefecture without 市, as in "中国·济宁"."""
    short = divisions.short_city_names()
    for match in re.finditer(r"中国·([\u4e00-\u9fff]{2,4})", text[:20000]):
        word = match.group(1)
        for length in range(len(word), 1, -1):
            candidates = short.get(word[:length])
            if candidates and len(candidates) == 1:
                return candidates[0].name, candidates[0]
    return None, None
