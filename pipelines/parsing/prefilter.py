"""Cheap pre-checks for regex rules: the literal text a pattern cannot match without.

Python's `re` scans every position of a paragraph for each of some sixty rules, most of which
start with an optional group or a look-behind and so get no fast literal scan. A rule's
*required literals* (any one of them must occur) are derived once from its parsed pattern;
`str.__contains__` then rules most patterns out of most paragraphs before `re` runs.
"""

from __future__ import annotations

import re
from re import _constants as const  # type: ignore[attr-defined]
from re import _parser as parser  # type: ignore[attr-defined]

Requirement = tuple[str, ...] | None  # None: no literal is certain, always run the pattern


def _branch(options: list) -> Requirement:
    found = [_sequence(list(option)) for option in options]
    if any(req is None for req in found):
        return None
    return tuple(sorted({text for req in found for text in req}))


def _item(op, arg) -> Requirement:
    if op is const.SUBPATTERN:
        return _sequence(list(arg[-1]))
    if op is const.BRANCH:
        return _branch(arg[1])
    if op in (const.MAX_REPEAT, const.MIN_REPEAT) and arg[0] >= 1:
        return _sequence(list(arg[2]))
    return None


def _sequence(items: list) -> Requirement:
    """The best requirement of a sequence: its longest literal run or its most specific part."""
    best: Requirement = None
    run = ""
    for op, arg in items + [(None, None)]:
        if op is const.LITERAL:
            run += chr(arg)
            continue
        candidates = [(run,)] if run else []
        run = ""
        if op is not None:
            candidates.append(_item(op, arg))
        for req in candidates:
            if req and (best is None or min(map(len, req)) > min(map(len, best))):
                best = req
    return best


def required_literals(pattern: re.Pattern | str) -> Requirement:
    """Strings one of which every match of `pattern` contains (None when there is no such set)."""
    source = pattern.pattern if isinstance(pattern, re.Pattern) else pattern
    try:
        return _sequence(list(parser.parse(source)))
    except (re.error, TypeError, ValueError, AttributeError):
        return None


def all_literals(requirements: list[Requirement]) -> frozenset[str]:
    """Every literal any of `requirements` names, to look for once per text."""
    return frozenset(literal for req in requirements if req for literal in req)


def literals_in(text: str, wanted: frozenset[str]) -> set[str]:
    """The wanted literals that occur in `text`."""
    return {literal for literal in wanted if literal in text}


def may_match(requirement: Requirement, present: set[str]) -> bool:
    """False only when none of the requirement's literals is present: the pattern cannot match."""
    return requirement is None or not present.isdisjoint(requirement)
