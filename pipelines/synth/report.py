"""One synthetic report end to end, short of bytes: values, an optional contradiction, the document.

The metrics recorded as truth are derived from the same facts the document prints, after any
deliberate contradiction was applied, so labels hold the stated figure as the dev labels do.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import opencc

from . import numerals, tables
from .compose import compose
from .document import Document
from .plan import ReportPlan
from .values import SCALE, contradict, draw, narrative_facts, table_facts

# Narrative figures a contradiction may alter; `contradict` keeps the first that breaks a rule.
NARRATIVE_TARGETS = ("processed_total", "reconsideration_total", "litigation_total", "channel_online")
_ASCII_PUNCT = str.maketrans("（）：，；", "():,;")
_S2T = opencc.OpenCC("s2t")


@dataclass
class BuiltReport:
    """A composed report with its stated metrics per scope and its recorded contradictions."""

    document: Document
    stated: dict[str, dict[str, float]]
    contradictions: list[tuple[str, str]]


def build_report(rng: random.Random, plan: ReportPlan) -> BuiltReport:
    """Draw values for `plan`, maybe contradict one figure, and compose the document."""
    (p_lo, p_hi), (a_lo, a_hi) = SCALE[plan.body.level]
    new = draw(rng, a_lo, a_hi)
    proactive = numerals.rounded_for(plan.proactive_style, draw(rng, p_lo, p_hi))
    sizes = {"whole": (new, proactive)}
    if plan.dual_scope:
        share = rng.uniform(0.05, 0.4)
        sizes["own"] = (int(new * share), numerals.rounded_for(plan.proactive_style, int(proactive * share)))
    if plan.template == "narrative":
        scopes = {s: narrative_facts(rng, plan.body.level, n, p) for s, (n, p) in sizes.items()}
        targets = {name: _fact_access(name) for name in NARRATIVE_TARGETS}

        def derive(facts, whole=False):
            return dict(facts)
    else:
        scopes = {s: table_facts(rng, plan.template, n, p) for s, (n, p) in sizes.items()}
        _table_extras(rng, plan, scopes)
        targets = tables.perturb_targets()

        def derive(facts, whole=False):
            return tables.stated_metrics(facts, plan.template, whole)
    broken = contradict(rng, scopes, targets, derive) if plan.contradiction else []
    stated = {scope: derive(facts, scope == "whole") for scope, facts in scopes.items()}
    document = compose(rng, plan, scopes, stated)
    return BuiltReport(_with_noise(document, plan), stated, broken)


def _fact_access(metric: str):
    """(getter, setter) of one narrative metric; the getter gives None when the text omits it."""
    def put(facts, value):
        facts[metric] = value
    return (lambda facts: facts.get(metric)), put


def _table_extras(rng: random.Random, plan: ReportPlan, scopes: dict) -> None:
    """Narrative figures of a table report: own-scope proactive sometimes, fees (section 六) often."""
    if "own" in scopes and rng.random() < 0.5:
        del scopes["own"].extra["proactive_total"]
    if rng.random() < (0.8 if plan.template == "2021" else 0.4):
        scopes["whole"].extra["fees_yuan"] = draw(rng, 50, 5000) if rng.random() < 0.2 else 0


def _with_noise(document: Document, plan: ReportPlan) -> Document:
    """Half-width punctuation, full-width digits and traditional characters, as the plan says."""
    if plan.ascii_punct:
        document = document.map_text(lambda t: t.translate(_ASCII_PUNCT))
    if plan.full_width:
        document = document.map_text(numerals.full_width)
    if plan.traditional:
        document = document.map_text(_S2T.convert)
    return document
