"""Consistent metric values for one report, obeying the templates' balance rules.

Narrative facts are exactly the metrics the text will state. Table facts are the cells of tables
三 and 四 (per applicant column, per sub-row) from which the stated metrics derive. `contradict`
alters one printed figure so that a balance rule breaks, the way real reports do.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

from . import vocab
from .rules import broken_rules

# (proactive lo, hi), (applications lo, hi) by level; values are drawn log-uniformly.
SCALE = {
    "province": ((30_000, 600_000), (300, 12_000)),
    "city": ((3_000, 150_000), (20, 2_000)),
    "county": ((300, 20_000), (0, 150)),
    "district": ((300, 20_000), (0, 200)),
    "township": ((10, 800), (0, 6)),
    "department": ((10, 3_000), (0, 60)),
}
CHANNEL_WEIGHTS = {"channel_online": 45, "channel_in_person": 25, "channel_letter": 20,
                   "channel_email": 7, "channel_fax": 3}
OLD_OUTCOME_WEIGHTS = {"granted": 45, "partly_granted": 8, "refused": 5, "already_public": 12,
                       "not_this_agency": 12, "not_exist": 8, "amend_requested": 4, "other_route": 6}
# Applicant columns: natural persons dominate; the five 法人 columns share the rest.
APPLICANT_WEIGHTS = (85, 9, 0.3, 0.7, 2, 3)
# Table 三 outcome sub-row weights, per category in APPLICATION_ROWS order.
SUBROW_WEIGHTS = {
    "granted": (35,), "partly_granted": (8,), "refused": (1, 1, 0.5, 1.5, 1, 1.5, 0.5, 1),
    "unable_to_provide": (20, 3, 3), "not_processed": (4, 3, 0.5, 0.5, 0.5),
}
OTHER_WEIGHTS = {"2019": (6,), "2021": (2, 1, 3)}
REVIEW_WEIGHTS = (60, 15, 15, 10)


@dataclass
class TableFacts:
    """Cells of tables 二, 三 and 四 plus the narrative figures a table report states."""

    rows: dict[str, list[list[int]]]
    review: list[int]
    section_two: dict[str, tuple[float, ...]] = field(default_factory=dict)
    extra: dict[str, float] = field(default_factory=dict)


def draw(rng: random.Random, lo: int, hi: int) -> int:
    """A log-uniform count in [lo, hi]: small bodies are common, large ones rare."""
    return int(math.exp(rng.uniform(math.log(lo + 1), math.log(hi + 1)))) - 1


def split(rng: random.Random, total: int, weights) -> list[int]:
    """`total` split over len(weights) parts roughly by weight, summing exactly to `total`."""
    shares = [w * rng.uniform(0.3, 1.7) for w in weights]
    scale = total / sum(shares)
    parts = [int(s * scale) for s in shares]
    for _ in range(total - sum(parts)):
        parts[rng.choices(range(len(parts)), weights=shares)[0]] += 1
    return parts


def _review(rng: random.Random, applications: int) -> list[int]:
    """Four parts and a total for one reconsideration or litigation block."""
    total = draw(rng, 0, max(1, applications // 15)) if rng.random() < 0.6 else 0
    return [*split(rng, total, REVIEW_WEIGHTS), total]


def narrative_facts(rng: random.Random, level: str, new: int, proactive: int) -> dict[str, float]:
    """The metrics a pre-2019 narrative states, chosen and valued consistently."""
    facts: dict[str, float] = {"proactive_total": proactive, "applications_new": new}
    carried_in = carried_out = 0
    if new and rng.random() < 0.2:
        carried_in, carried_out = draw(rng, 0, new // 8 + 1), draw(rng, 0, new // 8 + 1)
        facts.update(applications_carried_in=carried_in, carried_forward=carried_out)
    if new:
        facts["processed_total"] = new + carried_in - carried_out
    if new and rng.random() < 0.5:
        _add_parts(rng, facts, new, CHANNEL_WEIGHTS, keep_zero=0.3)
    if new + carried_in - carried_out > 0 and rng.random() < 0.7:
        _add_parts(rng, facts, facts["processed_total"], OLD_OUTCOME_WEIGHTS, keep_zero=0.3, always="granted")
    for block in ("reconsideration", "litigation"):
        parts = _review(rng, new)
        facts[f"{block}_total"] = parts[-1]
        if parts[-1] and rng.random() < 0.6:
            facts.update({f"{block}_{s}": v for s, v in zip(vocab.REVIEW_SUFFIXES[:4], parts, strict=False)
                          if v or s != "pending"})
    if rng.random() < 0.3:
        facts["complaints"] = draw(rng, 0, 5)
    if rng.random() < 0.85:
        facts["fees_yuan"] = draw(rng, 20, 5000) if rng.random() < 0.1 else 0
    return facts


def _add_parts(rng, facts, total, weights: dict, keep_zero: float, always: str | None = None) -> None:
    """Split `total` over `weights`' metrics; zero parts are stated only sometimes."""
    for metric, value in zip(weights, split(rng, int(total), weights.values()), strict=True):
        if value or metric == always or rng.random() < keep_zero:
            facts[metric] = value


def table_facts(rng: random.Random, template: str, new: int, proactive: int) -> TableFacts:
    """Cells of table 三 per applicant column and of table 四, each column balancing on its own."""
    keys = [row[0] for row in vocab.APPLICATION_ROWS[template]]
    rows = {key: [[0] * 7 for _ in range(max(1, len(subs)))]
            for key, _, subs, _ in vocab.APPLICATION_ROWS[template]}
    weights = [w for key in vocab.OUTCOME_KEYS
               for w in (OTHER_WEIGHTS[template] if key == "other_processed" else SUBROW_WEIGHTS[key])]
    slots = [(key, i) for key in vocab.OUTCOME_KEYS for i in range(len(rows[key]))]
    for col, col_new in enumerate(split(rng, new, APPLICANT_WEIGHTS)):
        carried_in = draw(rng, 0, col_new // 10 + 1) if col_new and rng.random() < 0.4 else 0
        forward = draw(rng, 0, (col_new + carried_in) // 10) if rng.random() < 0.4 else 0
        rows["applications_new"][0][col] = col_new
        rows["applications_carried_in"][0][col] = carried_in
        rows["carried_forward"][0][col] = forward
        for (key, i), value in zip(slots, split(rng, col_new + carried_in - forward, weights), strict=True):
            rows[key][i][col] = value
    for key in keys:
        for row in rows[key]:
            row[6] = sum(row[:6])
    rows["processed_total"][0] = [sum(rows[k][i][c] for k, i in slots) for c in range(7)]
    review = [cell for _ in vocab.REVIEW_BLOCKS for cell in _review(rng, new)]
    return TableFacts(rows, review, _section_two(rng, template, new), {"proactive_total": proactive})


def _section_two(rng: random.Random, template: str, new: int) -> dict[str, tuple[float, ...]]:
    """Table 二 figures by row label; the last column of each row is the one metrics use."""
    big = max(new, 5) * 20
    figures: dict[str, tuple[float, ...]] = {}
    for _, headers, rows in vocab.SECTION_TWO[template]:
        for label, _ in rows:
            if label == "政府集中采购":
                figures[label] = (draw(rng, 0, big // 10), draw(rng, 0, big * 1000) / 100)
            elif len(headers) == 4 and "增/减" in headers[2]:
                before = draw(rng, 0, big)
                change = rng.randint(-before // 5, before // 5)
                figures[label] = (before, change, draw(rng, 0, big))
            elif "增/减" in headers[-1]:
                figures[label] = (draw(rng, 0, 30), rng.randint(-3, 3))
            elif "万元" in headers[-1]:
                figures[label] = (draw(rng, 0, 10**6) / 100,)
            elif len(headers) == 4:
                made, dropped = draw(rng, 0, 40), draw(rng, 0, 10)
                figures[label] = (made, dropped, made + draw(rng, 0, 300))
            else:
                figures[label] = (draw(rng, 0, big),)
    return figures


def perturbed(rng: random.Random, value: float) -> float:
    """A wrong printed figure for `value`: 0 where it was not, else off by a few."""
    if value > 0 and rng.random() < 0.3:
        return 0
    delta = rng.choice((-3, -2, -1, 1, 2, 3))
    return value + delta if value + delta >= 0 else value + abs(delta)


def contradict(rng: random.Random, scopes: dict, targets: dict, derive) -> list[tuple[str, str]]:
    """Alter one printed figure so a balance rule breaks; (rule, detail) rows, [] if none could break.

    `targets` maps a target name to (getter, setter) over a scope's facts; `derive` turns a scope's
    facts into its stated metrics, so the check runs on exactly what the text will say.
    """
    options = [(scope, name) for scope in scopes for name in targets]
    rng.shuffle(options)
    for scope, name in options:
        get, put = targets[name]
        old = get(scopes[scope])
        if old is None:
            continue
        put(scopes[scope], perturbed(rng, old))
        broken = broken_rules(derive(scopes[scope]))
        if broken:
            note = f"{scope}: {name} printed {get(scopes[scope]):g} instead of {old:g}"
            return [(rule, f"{note}; {detail}") for rule, detail in broken]
        put(scopes[scope], old)
    return []
