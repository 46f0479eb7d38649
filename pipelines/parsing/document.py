"""One report end to end: read, normalise, check, identify, extract."""

from __future__ import annotations

from . import findings, identify
from .checks import confirm_by_arithmetic
from .divisions import province_names
from .metrics import Values, own_only_as_whole
from .model import Finding, Report
from .narrative import extract_narrative
from .place_clues import clue_province
from .readers import read_document
from .region import subject_division
from .tables import extract_tables
from .textnorm import normalise

_NATIONAL_PROVINCE = "中央"


def extract_metrics(text: str, year: int | None = None) -> tuple[Values, list[Finding]]:
    """Table figures where the tables give them, the prose for everything else, each confirmed
    where the report's arithmetic ties it to others; and the findings about what was resolved
    on the way (prose against table, rows that do not add up)."""
    values = extract_narrative(text, year)
    table_findings: list[Finding] = []
    tables = extract_tables(text, table_findings)
    found = findings.merge_prose_and_tables(values, tables) + table_findings
    own_only_as_whole(values)
    confirm_by_arithmetic(values)
    return values, found


def text_findings(text: str, title: identify.Title, year: int | None) -> list[Finding]:
    """Findings read from the wording: year, channels, combined outcomes, stale dates."""
    return [*findings.year_findings(text, title, year), *findings.channel_findings(text),
            *findings.combined_findings(text), *findings.stale_date_findings(text, year)]


def _place(text: str, title: identify.Title, issuer: str | None) -> tuple:
    """(region, division, level, province name, province code) of the reporting body."""
    national = identify.national_body(text, title.subject)
    if national:
        return national, None, "national", _NATIONAL_PROVINCE, None
    region, division = subject_division(title.subject or issuer or "", text)
    level = identify.level(issuer, division.level if division else None)
    if division:
        province_code = division.province_code
    else:
        province_code = None if level == "national" else clue_province(title.subject or issuer or "", text)
    province = province_names().get(province_code) if province_code else None
    if level == "national" and province is None:
        province = _NATIONAL_PROVINCE
    return region, division, level, province, province_code


def build_report(data: bytes, name: str) -> Report:
    """Parse file bytes into a Report (raises ParseError subclasses)."""
    _, raw = read_document(data, name)
    text = normalise(raw)
    identify.check_is_report(text)
    title = identify.find_title(text)
    year = identify.report_year(text, title)
    issuer = identify.issuer(text, title.subject)
    region, division, level, province, province_code = _place(text, title, issuer)
    values, found = extract_metrics(text, year)
    metrics = sorted(values.values(), key=lambda m: (m.scope != "whole", m.metric))
    return Report(
        region=region,
        region_code=division.code if division else None,
        province=province,
        province_code=province_code,
        level=level,
        report_year=year,
        publication_date=identify.publication_date(text, year),
        template=identify.template(text, year),
        issuer=issuer or (region if level == "national" else None),
        metrics=metrics,
        findings=[*text_findings(text, title, year), *found],
    )
