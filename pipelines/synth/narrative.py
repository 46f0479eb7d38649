"""Sentences that state one scope's figures, filled from `phrases` with numbers as the report prints them.

Every figure a sentence prints comes from the scope's facts, so the labels are exactly the facts.
"""

from __future__ import annotations

import random

from . import numerals, phrases
from .plan import ReportPlan


class Wording:
    """Fills phrase templates for one scope: its facts, its scope word ('who') and the report's styles."""

    def __init__(self, rng: random.Random, plan: ReportPlan, facts: dict[str, float], who: str):
        self.rng, self.plan, self.facts, self.who = rng, plan, facts, who

    def __getitem__(self, key: str) -> str:
        if key in self.facts:
            value = int(self.facts[key])
            style = self.plan.number_style
            if key == "proactive_total" and self.plan.proactive_style != "plain":
                style = self.plan.proactive_style
            return numerals.count(value, style)
        distractors = {"n": self.rng.randint(1, 60), "m": self.rng.randint(100, 90_000),
                       "web": int(self.facts.get("proactive_total", 0) * self.rng.uniform(0.4, 0.9))}
        if key in distractors:
            return str(distractors[key])
        return {"year": str(self.plan.year), "who": self.who, "issuer": self.plan.body.issuer,
                "notice": phrases.NOTICES.get(self.plan.template, "")}[key]

    def fill(self, template: str) -> str:
        """The template with every placeholder filled."""
        return template.format_map(self)

    def pick(self, options: tuple[str, ...]) -> str:
        """One of the alternatives, filled."""
        return self.fill(self.rng.choice(options))

    def has(self, *metrics: str) -> bool:
        """Whether the scope states all of `metrics`."""
        return all(m in self.facts for m in metrics)

    def zero(self, *metrics: str) -> bool:
        """Whether `metrics` are all stated as 0 and this report words them (sometimes) as 'none'."""
        return self.has(*metrics) and not any(self.facts[m] for m in metrics) and self.rng.random() < 0.6


def filler(w: Wording, sentences: int = 2, distractor: bool = True) -> str:
    """A paragraph of work narrative, sometimes with a figure that is no metric."""
    text = "".join(w.pick((s,)) for s in w.rng.sample(phrases.FILLER, sentences))
    return text + (w.pick(phrases.DISTRACTORS) if distractor and w.rng.random() < 0.5 else "")


def proactive(w: Wording) -> list[str]:
    """The proactive-disclosure sentence."""
    return [w.pick(phrases.PROACTIVE)] if w.has("proactive_total") else []


def applications(w: Wording) -> list[str]:
    """New, carried, channel, processed and outcome figures in one paragraph."""
    if not w.has("applications_new"):
        return []
    if w.zero("applications_new") and len(w.facts.keys() & {"processed_total", "channel_online"}) == 0:
        return [w.pick(phrases.ZERO[("applications_new",)])]
    text = w.pick(phrases.APPLICATIONS)
    if w.has("applications_carried_in"):
        text += w.pick(phrases.CARRIED_IN)
    text += _clauses(w, phrases.CHANNEL_LEAD, phrases.CHANNELS)
    if w.has("processed_total"):
        text += w.pick(phrases.PROCESSED)
        text += _clauses(w, phrases.OUTCOME_LEAD, phrases.OUTCOMES)
    if w.has("carried_forward"):
        text += w.pick(phrases.CARRIED_FORWARD)
    return [text + "。"]


def _clauses(w: Wording, lead: tuple[str, ...], options: dict[str, tuple[str, ...]]) -> str:
    parts = [w.pick(alternatives) for metric, alternatives in options.items() if w.has(metric)]
    return w.rng.choice(lead) + "，".join(parts) if parts else ""


def fees(w: Wording, kind: str) -> list[str]:
    """The fee sentence: a figure in 元, or 'no fees' in words."""
    if not w.has("fees_yuan"):
        return []
    if w.zero("fees_yuan"):
        return [w.pick(phrases.ZERO[("fees_yuan",)])]
    return [w.pick(phrases.FEES[kind])]


def review(w: Wording) -> list[str]:
    """Reconsideration, litigation and complaint figures."""
    both = ("reconsideration_total", "litigation_total")
    if w.zero(*both):
        sentences = [w.pick(phrases.ZERO[both])]
    else:
        sentences = [_review_block(w, block) for block in ("reconsideration", "litigation")]
    if w.has("complaints"):
        zero = w.zero("complaints")
        sentences.append(w.pick(phrases.ZERO[("complaints",)] if zero else phrases.COMPLAINTS))
    return ["".join(sentences)]


def _review_block(w: Wording, block: str) -> str:
    total = f"{block}_total"
    if not w.has(total):
        return ""
    if w.zero(total):
        return w.pick(phrases.ZERO[(total,)])
    parts = [w.pick(tuple(t.format(block=block) for t in options))
             for part, options in phrases.REVIEW_PARTS.items() if w.has(f"{block}_{part}")]
    return w.pick(phrases.REVIEW_TOTAL[block]) + ("，其中" + "，".join(parts) if parts else "") + "。"
