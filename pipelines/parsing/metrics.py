"""Shared helpers for building metrics: units, category sums, litigation sums."""

from __future__ import annotations

from functools import cache

from .model import CONFIDENCE_ORDER, CONFIRMED, STATED, Metric
from .vocabulary import CATEGORY_PARTS, REVIEW_OUTCOMES

Values = dict[tuple[str, str], Metric]
_SUB_ROW_PREFIXES = tuple(CATEGORY_PARTS.values())
_EXPECTED_PARTS = {"refused": 8, "unable_to_provide": 3, "not_processed": 5, "other_processed": 3}


# Cached: a report puts some two hundred values, all named from the fixed vocabulary.
@cache
def unit_for(metric: str) -> str:
    """The unit a metric is reported in."""
    if metric.endswith("_wan_yuan"):
        return "万元"
    if metric.endswith("_yuan"):
        return "元"
    if metric.startswith(("proactive", "regulations", "normative")):
        return "条"
    return "件"


def put(values: Values, scope: str, metric: str, value: float | int, evidence: str,
        confidence: str = STATED, check: str | None = None) -> None:
    """Record a value unless one was already found for this scope and metric (first wins)."""
    key = (scope, metric)
    if key not in values:
        values[key] = Metric(scope, metric, value, unit_for(metric), evidence.strip()[:160],
                             confidence, check)


def weakest(metrics: list[Metric]) -> str:
    """The lowest confidence among values a derived value is built from."""
    return min((m.confidence for m in metrics), key=CONFIDENCE_ORDER.__getitem__, default=STATED)


def derived(parts: list[Metric], check: str) -> tuple[str, str | None]:
    """Confidence and check of a value summed from `parts`: confirmed only when all parts are."""
    confidence = weakest(parts)
    return confidence, (check if confidence == CONFIRMED else None)


def confirm(metrics: list[Metric], check: str) -> None:
    """Mark values confirmed by an arithmetic rule that holds over all of them."""
    for metric in metrics:
        if metric.confidence != CONFIRMED:
            metric.confidence, metric.check = CONFIRMED, check


@cache
def _category_column(name: str) -> tuple[tuple[str, ...], str]:
    """The categories a metric is a sub-row of (none for a category row itself), and its column
    suffix ('' for 总计, '__natural_person' ...)."""
    base, separator, column = name.partition("__")
    categories = tuple(category for category, prefix in CATEGORY_PARTS.items()
                       if base.startswith(prefix) and base != category)
    return categories, separator + column


def add_category_sums(values: Values, suffixes: tuple[str, ...] | list[str] = ("",),
                      require_all: bool = True) -> None:
    """Fill 不予公开/无法提供/不予处理/其他处理 from their sub-rows where not stated directly.

    `suffixes` are the table-三 columns to sum ('' is the 总计 column, '__natural_person' ...).
    """
    parts: dict[tuple[str, str, str], list[Metric]] = {}
    if not any(name.startswith(_SUB_ROW_PREFIXES) for _, name in values):
        return  # no sub-row stated: nothing to sum (most prose)
    for (scope, name), metric in values.items():
        categories, suffix = _category_column(name)
        if categories and suffix in suffixes:
            for category in categories:
                parts.setdefault((scope, category, suffix), []).append(metric)
    for (scope, category, suffix), found in parts.items():
        if require_all and len(found) != _EXPECTED_PARTS[category]:
            continue
        put(values, scope, category + suffix, sum(m.value for m in found),
            "+".join(f"{m.metric}={m.value}" for m in found), *derived(found, "sum_of_sub_rows"))
        values[(scope, category + suffix)].derived = True


def _family(name: str) -> str:
    """The subject a metric belongs to: proactive disclosure, applications, review cases, fees."""
    if name.startswith("proactive"):
        return "proactive"
    if name.startswith(("reconsideration", "litigation")):
        return "review"
    if name.startswith(("fees", "complaints")):
        return name
    return "applications"


def own_only_as_whole(values: Values) -> None:
    """Figures given for the own organs only (区本级受理申请7件), where the report gives no
    whole-area figure on the same subject, are the report's figures: scope `own` is for reports
    giving both (全省 3374 applications, 省本级 747 of them and their outcomes)."""
    whole_families = {_family(name) for scope, name in values if scope == "whole"}
    for key in [key for key in values if key[0] == "own" and _family(key[1]) not in whole_families]:
        metric = values.pop(key)
        metric.scope = "whole"
        values[("whole", key[1])] = metric


def add_litigation_sums(values: Values) -> None:
    """litigation_* = 未经复议直接起诉 + 复议后起诉, where both blocks are stated."""
    for scope in {scope for scope, _ in values}:
        for outcome in REVIEW_OUTCOMES:
            direct = values.get((scope, f"litigation_direct_{outcome}"))
            after = values.get((scope, f"litigation_after_reconsideration_{outcome}"))
            if direct and after:
                put(values, scope, f"litigation_{outcome}", direct.value + after.value,
                    f"{direct.evidence} + {after.evidence}",
                    *derived([direct, after], "sum_of_litigation_blocks"))
