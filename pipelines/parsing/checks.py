"""The templates' arithmetic, applied to a report's values: what holds confirms its values.

Table 三's 勾稽关系 (新收 + 上年结转 = 办理结果总计 + 结转下年度) and its outcome categories adding
up to 办理结果总计 hold per column whether the figures come from the table or from prose. A rule
that holds marks every value it involves as confirmed; one that fails changes nothing (reports
contradict themselves, and the audit records that).
"""

from __future__ import annotations

from .metrics import Values, confirm
from .vocabulary import APPLICANT_COLUMNS

OUTCOMES = ("granted", "partly_granted", "refused", "unable_to_provide", "not_processed",
            "other_processed")


def _confirm_if(values: Values, keys: list[tuple[str, str]], holds, check: str) -> None:
    metrics = [values.get(key) for key in keys]
    if all(metrics) and holds(*[m.value for m in metrics]):
        confirm(metrics, check)


def confirm_by_arithmetic(values: Values) -> None:
    """Confirm values that the report's own balance rules tie together."""
    for scope in {scope for scope, _ in values}:
        for suffix in APPLICANT_COLUMNS:
            flow = [(scope, name + suffix) for name in
                    ("applications_new", "applications_carried_in", "processed_total", "carried_forward")]
            _confirm_if(values, flow, lambda new, carried, done, forward: new + carried == done + forward,
                        "balance")
            outcomes = [(scope, name + suffix) for name in ("processed_total", *OUTCOMES)]
            _confirm_if(values, outcomes, lambda total, *parts: total == sum(parts), "outcomes_sum")
        _confirm_if(values, [(scope, "applications_total"), (scope, "applications_new"),
                             (scope, "applications_carried_in")],
                    lambda total, new, carried: total == new + carried, "total_of_new_and_carried")
