"""Lay out one report: title, dates, introduction and the six sections, for narrative or table years."""

from __future__ import annotations

import random

from . import narrative, numerals, phrases, tables, vocab
from .document import Document
from .narrative import Wording
from .plan import ReportPlan
from .values import TableFacts


def compose(rng: random.Random, plan: ReportPlan, scopes: dict, stated: dict[str, dict]) -> Document:
    """The document for `plan`, stating exactly `stated` (per scope) from the facts in `scopes`."""
    doc = Document()
    body = plan.body
    doc.add("title", rng.choice(phrases.TITLES).format(region=body.region, year=plan.year))
    if plan.publication_date and plan.date_in_header:
        doc.add("para", _date(rng, plan, phrases.PUBLICATION_HEADERS))
    kind = "narrative" if plan.template == "narrative" else "table"
    words = {scope: Wording(rng, plan, stated[scope], body.whole_word if scope == "whole" else body.own_word)
             for scope in scopes}
    doc.add("para", words["whole"].pick(phrases.INTROS[kind]))
    headings = [rng.choice(options) for options in vocab.SECTION_HEADINGS[kind]]
    if kind == "narrative":
        _narrative_sections(doc, headings, words)
    else:
        _table_sections(doc, headings, words, scopes, plan)
    if plan.publication_date and not plan.date_in_header:
        for line in _date(rng, plan, phrases.SIGNATURES).split("\n"):
            doc.add("para", line)
    return doc


def _narrative_sections(doc: Document, headings: list[str], words: dict[str, Wording]) -> None:
    whole = words["whole"]
    sections = (
        lambda w: [narrative.filler(w, 3)] if w is whole else [],
        lambda w: narrative.proactive(w) + ([narrative.filler(w, 1)] if w is whole else []),
        narrative.applications,
        lambda w: narrative.fees(w, "narrative"),
        narrative.review,
        lambda w: [narrative.filler(w, 2, distractor=False)] if w is whole else [],
    )
    for heading, section in zip(headings, sections, strict=True):
        doc.add("heading", heading)
        for w in words.values():
            for paragraph in section(w):
                doc.add("para", paragraph)


def _table_sections(doc: Document, headings: list[str], words: dict[str, Wording], scopes: dict,
                    plan: ReportPlan) -> None:
    whole, rng = words["whole"], words["whole"].rng
    doc.add("heading", headings[0])
    doc.add("para", phrases.TABLE_SUMMARY_HEADS[0] + narrative.filler(whole, 2)
            + "".join(s for w in words.values() for s in narrative.proactive(w)))
    if rng.random() < 0.5:
        doc.add("para", phrases.TABLE_SUMMARY_HEADS[1] + whole.pick(phrases.SUMMARY_APPLICATIONS))
    doc.add("heading", headings[1])
    doc.table(tables.section_two_table(scopes["whole"].section_two, plan.template, rng))
    for heading, build in ((headings[2], tables.application_table), (headings[3], _review_rows)):
        doc.add("heading", heading)
        for i, facts in enumerate(scopes.values()):
            if len(scopes) > 1:
                doc.add("para", phrases.DUAL_HEADINGS[i].format(whole=whole.who, own=words["own"].who))
            doc.table(build(facts, plan.template))
    doc.add("heading", headings[4])
    doc.add("para", narrative.filler(whole, 2, distractor=False))
    doc.add("heading", headings[5])
    for w in words.values():
        for paragraph in narrative.fees(w, "table"):
            doc.add("para", paragraph)
    doc.add("para", narrative.filler(whole, 1, distractor=False))


def _review_rows(facts: TableFacts, template: str):
    return tables.review_table(facts.review)


def _date(rng: random.Random, plan: ReportPlan, options: tuple[str, ...]) -> str:
    y, m, d = plan.publication_date
    return rng.choice(options).format(
        y=y, m=m, d=d, mm=f"{m:02d}", dd=f"{d:02d}", issuer=plan.body.issuer,
        cn_date=numerals.date_in_chinese(y, m, d),
    )
