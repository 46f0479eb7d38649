"""What one synthetic report will be: template, year, body, file format and the noise it carries.

Shares are data (`SHARES`, `WEIGHTS`); every draw comes from the report's own `random.Random`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from .regions import Body, pick_body

# Template → years it covers (template_spec.md §0).
YEARS = {"narrative": range(2008, 2019), "2019": range(2019, 2021), "2021": range(2021, 2026)}
WEIGHTS = {
    "template": {"narrative": 40, "2019": 25, "2021": 35},
    "level": {"province": 8, "city": 20, "county": 18, "district": 20, "township": 12, "department": 22},
    "format": {"txt": 35, "txt-gbk": 15, "html": 30, "docx": 20},
    "table_style": {"pipes": 45, "cells": 30, "spaces": 25},
    "proactive_style": {"plain": 60, "wan": 25, "approx": 15},
}
SHARES = {
    "traditional": 0.08, "full_width": 0.08, "ascii_punct": 0.4, "chinese_numerals": 0.3,
    "dual_scope": 0.35, "publication_date": 0.5, "date_in_header": 0.6,
}
EXTENSIONS = {"txt": ".txt", "txt-gbk": ".txt", "html": ".html", "docx": ".docx"}


@dataclass(frozen=True)
class ReportPlan:
    """Everything decided about one report before its values are drawn."""

    file: str
    template: str
    year: int
    body: Body
    format: str
    table_style: str
    traditional: bool
    full_width: bool
    ascii_punct: bool
    number_style: str
    proactive_style: str
    dual_scope: bool
    publication_date: tuple[int, int, int] | None
    date_in_header: bool
    contradiction: bool

    @property
    def encoding(self) -> str:
        """The text encoding the file is written in (DOCX is always UTF-8 inside)."""
        return "gbk" if self.format == "txt-gbk" else "utf-8"


def _weighted(rng: random.Random, name: str) -> str:
    table = WEIGHTS[name]
    return rng.choices(list(table), weights=list(table.values()))[0]


def plan_report(rng: random.Random, index: int, contradiction_share: float) -> ReportPlan:
    """Draw the plan of report number `index` (its file name is derived from the index)."""
    template = _weighted(rng, "template")
    year = rng.choice(YEARS[template])
    level = _weighted(rng, "level")
    body = pick_body(rng, level, year)
    fmt = _weighted(rng, "format")
    chance = {name: rng.random() < share for name, share in SHARES.items()}
    published = None
    if chance["publication_date"]:
        published = (year + 1, rng.choices((1, 2, 3, 4), weights=(30, 30, 35, 5))[0], rng.randint(1, 28))
    return ReportPlan(
        file=f"reports/{index + 1:05d}{EXTENSIONS[fmt]}",
        template=template,
        year=year,
        body=body,
        format=fmt,
        table_style=_weighted(rng, "table_style"),
        traditional=chance["traditional"],
        full_width=chance["full_width"],
        ascii_punct=chance["ascii_punct"],
        number_style="chinese" if template == "narrative" and chance["chinese_numerals"] else "arabic",
        proactive_style=_weighted(rng, "proactive_style"),
        dual_scope=chance["dual_scope"] and body.own_word is not None,
        publication_date=published,
        date_in_header=chance["date_in_header"],
        contradiction=rng.random() < contradiction_share,
    )
