"""Balance rules of tables 三 and 四 as data, and the GX suite that checks them per (report, scope).

Each rule says `sum(left) == sum(right)`. A rule is checked on a (report, scope) only when every
required term is stated: a value the report does not state is absent, never 0. Findings are
warnings: the report is kept as stated and the finding attached to it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from expectations.spec import WARNING, Check, Suite, fmt

# Table 三 applicant columns (自然人, then the five 法人或其他组织 columns); the unsuffixed
# metric is the 总计 column.
APPLICANT_COLUMNS = (
    "natural_person",
    "commercial",
    "research",
    "social_org",
    "legal_service",
    "other_org",
)
OUTCOMES = (
    "granted",
    "partly_granted",
    "refused",
    "unable_to_provide",
    "not_processed",
    "other_processed",
)
FLOW_IN = ("applications_new", "applications_carried_in")
FLOW_OUT = ("processed_total", "carried_forward")
PARTS = ("upheld", "corrected", "other", "pending")
REVIEW_BLOCKS = ("reconsideration", "litigation", "litigation_direct", "litigation_after_reconsideration")


@dataclass(frozen=True)
class BalanceRule:
    """sum(left) must equal sum(right); `optional` terms of left count as 0 when not stated."""

    name: str
    severity: str
    left: tuple[str, ...]
    right: tuple[str, ...]
    description: str
    optional: tuple[str, ...] = ()

    @property
    def terms(self) -> tuple[str, ...]:
        """Every metric the rule reads."""
        return self.left + self.optional + self.right


def _column(metric: str, applicant: str | None) -> str:
    return metric if applicant is None else f"{metric}__{applicant}"


def _table3_rules() -> list[BalanceRule]:
    """勾稽 and outcome sums for the 总计 column and each applicant column."""
    rules = []
    for applicant in (None, *APPLICANT_COLUMNS):
        suffix = "" if applicant is None else f"__{applicant}"
        col = f" ({applicant})" if applicant else ""
        rules.append(BalanceRule(
            f"balance.flow{suffix}", WARNING,
            tuple(_column(m, applicant) for m in FLOW_IN),
            tuple(_column(m, applicant) for m in FLOW_OUT),
            f"表三 勾稽: 一 新收 + 二 上年结转 = 三(七) 总计 + 四 结转下年{col}",
        ))
        rules.append(BalanceRule(
            f"balance.outcomes{suffix}", WARNING,
            tuple(_column(m, applicant) for m in OUTCOMES),
            (_column("processed_total", applicant),),
            f"表三: 办理结果各项之和 = (七) 总计{col}",
        ))
    for metric in FLOW_IN + FLOW_OUT + OUTCOMES:
        rules.append(BalanceRule(
            f"balance.applicant_columns.{metric}", WARNING,
            tuple(_column(metric, a) for a in APPLICANT_COLUMNS), (metric,),
            f"表三: 自然人 + 法人或其他组织各列 = 总计列 ({metric})",
        ))
    return rules


def _table4_rules() -> list[BalanceRule]:
    """Each review block's four parts add up to its total; the two litigation blocks to the whole."""
    rules = [
        BalanceRule(
            f"balance.{block}_parts", WARNING,
            tuple(f"{block}_{part}" for part in PARTS), (f"{block}_total",),
            f"表四: {block} 维持 + 纠正 + 其他 + 尚未审结 = 总计",
        )
        for block in REVIEW_BLOCKS
    ]
    rules.append(BalanceRule(
        "balance.litigation_blocks", WARNING,
        ("litigation_direct_total", "litigation_after_reconsideration_total"), ("litigation_total",),
        "表四: 未经复议直接起诉 总计 + 复议后起诉 总计 = 行政诉讼总计",
    ))
    return rules


# Pre-2019 统计表 list 当面/传真/网络/信函 without e-mail, so e-mail counts as 0 when absent.
CHANNEL_RULE = BalanceRule(
    "balance.channels", WARNING,
    ("channel_in_person", "channel_online", "channel_letter", "channel_fax"), ("applications_new",),
    "申请渠道 (当面 + 网络 + 信函 + 传真 + 电子邮件) = 本年新收申请",
    optional=("channel_email",),
)

BALANCE_RULES: tuple[BalanceRule, ...] = (*_table3_rules(), *_table4_rules(), CHANNEL_RULE)


def balance_metrics(rules: tuple[BalanceRule, ...] = BALANCE_RULES) -> list[str]:
    """Every metric some rule reads, in a stable order (the columns of the wide pivot)."""
    return list(dict.fromkeys(term for rule in rules for term in rule.terms))


def add_rule_sums(wide: pd.DataFrame, rules: tuple[BalanceRule, ...] = BALANCE_RULES) -> pd.DataFrame:
    """Add `<rule>__left` / `<rule>__right` sums; NaN where a required term is not stated."""
    sums = {}
    for rule in rules:
        left = wide[list(rule.left)].sum(axis=1, skipna=False)
        if rule.optional:
            left = left + wide[list(rule.optional)].fillna(0).sum(axis=1)
        sums[f"{rule.name}__left"] = left
        sums[f"{rule.name}__right"] = wide[list(rule.right)].sum(axis=1, skipna=False)
    return pd.concat([wide, pd.DataFrame(sums, index=wide.index)], axis=1)


def _side(row: Mapping[str, Any], terms: tuple[str, ...], total: Any) -> str:
    """'a 1 + b 2 = 3', or just 'a 1' for a single term."""
    stated = " + ".join(f"{term} {fmt(row.get(term))}" for term in terms)
    return stated if len(terms) == 1 else f"{stated} = {fmt(total)}"


def _rule_check(rule: BalanceRule) -> Check:
    def explain(row: Mapping[str, Any]) -> tuple[str, str]:
        return (
            _side(row, rule.left + rule.optional, row.get(f"{rule.name}__left")),
            _side(row, rule.right, row.get(f"{rule.name}__right")),
        )

    return Check(
        name=rule.name,
        severity=rule.severity,
        expectation="ExpectColumnPairValuesToBeEqual",
        kwargs={
            "column_A": f"{rule.name}__left",
            "column_B": f"{rule.name}__right",
            "ignore_row_if": "either_value_is_missing",
        },
        expected=" + ".join(rule.right),
        message=f"{rule.description}: stated figures disagree (kept as stated)",
        explain=explain,
    )


def balance_suite(rules: tuple[BalanceRule, ...] = BALANCE_RULES) -> Suite:
    """One GX suite over the wide pivot: a pair-equality expectation per balance rule."""
    return Suite("silver.report_metrics.balance", tuple(_rule_check(rule) for rule in rules))
