"""The balance rules a report's stated metrics obey, as data, and a checker over one scope's metrics.

A rule is `sum(lhs) == sum(rhs)`. It applies when its first left term and at least one right term are
stated; an unstated term counts as 0 (reports leave out empty categories).
"""

from __future__ import annotations

from dataclasses import dataclass

CHANNELS = ("channel_in_person", "channel_online", "channel_letter", "channel_fax", "channel_email")
OUTCOMES = (
    "granted", "partly_granted", "refused", "unable_to_provide", "not_processed", "other_processed",
    "already_public", "not_this_agency", "not_exist", "amend_requested", "other_route",
)
_PARTS = ("upheld", "corrected", "other", "pending")


@dataclass(frozen=True)
class Rule:
    """One balance rule: what it is called, and the two sides that must be equal."""

    name: str
    lhs: tuple[str, ...]
    rhs: tuple[str, ...]


RULES = (
    # 勾稽: 第一项 + 第二项 = 第三项 + 第四项
    Rule("balance", ("applications_new", "applications_carried_in"), ("processed_total", "carried_forward")),
    Rule("outcomes_sum", ("processed_total",), OUTCOMES),
    Rule("channels_sum", ("applications_new",), CHANNELS),
    Rule("reconsideration_sum", ("reconsideration_total",), tuple(f"reconsideration_{p}" for p in _PARTS)),
    Rule("litigation_sum", ("litigation_total",), tuple(f"litigation_{p}" for p in _PARTS)),
)


def broken_rules(metrics: dict[str, float]) -> list[tuple[str, str]]:
    """(rule name, detail) for every applicable rule that `metrics` (one scope) breaks."""
    broken = []
    for rule in RULES:
        if rule.lhs[0] not in metrics or not any(term in metrics for term in rule.rhs):
            continue
        left = sum(metrics.get(term, 0) for term in rule.lhs)
        right = sum(metrics.get(term, 0) for term in rule.rhs)
        if abs(left - right) > 1e-9:
            detail = f"{' + '.join(rule.lhs)} = {left:g} but {' + '.join(rule.rhs)} = {right:g}"
            broken.append((rule.name, detail))
    return broken
