"""The balance rules as data, and the sums they compare (pure pandas, no GX)."""

from __future__ import annotations

import math
import re

import pandas as pd

from expectations.balance import BALANCE_RULES, add_rule_sums, balance_metrics
from expectations.spec import WARNING

METRIC = re.compile(r"^[a-z_]+(__(natural_person|commercial|research|social_org|legal_service"
                    r"|other_org))?$")


def test_rules_are_named_once_and_are_warnings():
    names = [rule.name for rule in BALANCE_RULES]
    assert len(names) == len(set(names))
    assert {rule.severity for rule in BALANCE_RULES} == {WARNING}
    assert all(METRIC.match(metric) for metric in balance_metrics())


def test_every_applicant_column_has_its_own_flow_rule():
    flow = {rule.name for rule in BALANCE_RULES if rule.name.startswith("balance.flow")}
    assert "balance.flow__natural_person" in flow and len(flow) == 7


def test_sums_are_missing_unless_every_required_term_is_stated():
    wide = pd.DataFrame({metric: [1.0, 1.0] for metric in balance_metrics()})
    wide.loc[1, "applications_carried_in"] = math.nan
    wide.loc[1, "channel_email"] = math.nan
    sums = add_rule_sums(wide)
    assert sums.loc[0, "balance.flow__left"] == 2.0
    assert math.isnan(sums.loc[1, "balance.flow__left"])
    # e-mail is optional: a missing e-mail channel counts as 0, the rule is still checked.
    assert sums.loc[0, "balance.channels__left"] == 5.0
    assert sums.loc[1, "balance.channels__left"] == 4.0
